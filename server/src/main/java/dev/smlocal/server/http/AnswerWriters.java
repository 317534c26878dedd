package dev.smlocal.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.smlocal.server.secrets.RotationRules;
import dev.smlocal.server.secrets.SecretsApi.DescribeSecretResponse;
import dev.smlocal.server.secrets.SecretsApi.ListSecretsResponse;
import dev.smlocal.server.secrets.SecretsApi.MetadataItem;
import dev.smlocal.server.secrets.SecretsApi.ReplicationStatusEntry;
import dev.smlocal.server.secrets.SecretsApi.SecretListEntry;
import dev.smlocal.server.secrets.SecretsApi.SecretValueEntry;
import dev.smlocal.server.secrets.Tag;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Hand-written writers for the answers on the hot path: a ListSecrets page's entries,
 * GetSecretValue's and DescribeSecret's answers. Each writes its members straight to Jackson's
 * streaming {@link JsonGenerator}, in the order and with the names the bean serializer used
 * (record component order, UpperCamelCase, absent members omitted), instead of the bean
 * serializer's per-property reflection. {@code AnswerWritersTest} keeps their bytes equal to the
 * bean serializer's for a varied estate; a new component in one of these records must be added
 * here too (the test fails until it is).
 */
final class AnswerWriters {
    private AnswerWriters() {}

    /** The writers, for {@link Json}'s mapper. */
    static SimpleModule module() {
        SimpleModule m = new SimpleModule("smlocal-answer-writers");
        m.addSerializer(SecretListEntry.class, new JsonSerializer<>() {
            @Override
            public void serialize(SecretListEntry e, JsonGenerator g, SerializerProvider p) throws IOException {
                writeListEntry(e, g);
            }
        });
        m.addSerializer(ListSecretsResponse.class, new JsonSerializer<>() {
            @Override
            public void serialize(ListSecretsResponse r, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartObject();
                if (r.secretList() != null) {
                    g.writeFieldName("SecretList");
                    g.writeStartArray();
                    for (SecretListEntry e : r.secretList()) {
                        if (e == null) g.writeNull();
                        else writeListEntry(e, g);
                    }
                    g.writeEndArray();
                }
                string(g, "NextToken", r.nextToken());
                g.writeEndObject();
            }
        });
        m.addSerializer(SecretValueEntry.class, new JsonSerializer<>() {
            @Override
            public void serialize(SecretValueEntry e, JsonGenerator g, SerializerProvider p) throws IOException {
                writeValueEntry(e, g);
            }
        });
        m.addSerializer(DescribeSecretResponse.class, new JsonSerializer<>() {
            @Override
            public void serialize(DescribeSecretResponse e, JsonGenerator g, SerializerProvider p) throws IOException {
                writeDescribe(e, g);
            }
        });
        return m;
    }

    static void writeListEntry(SecretListEntry e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        string(g, "ARN", e.arn());
        string(g, "Name", e.name());
        string(g, "Type", e.type());
        string(g, "Description", e.description());
        string(g, "KmsKeyId", e.kmsKeyId());
        bool(g, "RotationEnabled", e.rotationEnabled());
        string(g, "RotationLambdaARN", e.rotationLambdaARN());
        rotationRules(g, e.rotationRules());
        metadata(g, e.externalSecretRotationMetadata());
        string(g, "ExternalSecretRotationRoleArn", e.externalSecretRotationRoleArn());
        time(g, "LastRotatedDate", e.lastRotatedDate());
        time(g, "LastChangedDate", e.lastChangedDate());
        time(g, "LastAccessedDate", e.lastAccessedDate());
        time(g, "DeletedDate", e.deletedDate());
        time(g, "NextRotationDate", e.nextRotationDate());
        tags(g, e.tags());
        stages(g, "SecretVersionsToStages", e.secretVersionsToStages());
        string(g, "OwningService", e.owningService());
        time(g, "CreatedDate", e.createdDate());
        string(g, "PrimaryRegion", e.primaryRegion());
        g.writeEndObject();
    }

    static void writeDescribe(DescribeSecretResponse e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        string(g, "ARN", e.arn());
        string(g, "Name", e.name());
        string(g, "Type", e.type());
        string(g, "Description", e.description());
        string(g, "KmsKeyId", e.kmsKeyId());
        bool(g, "RotationEnabled", e.rotationEnabled());
        string(g, "RotationLambdaARN", e.rotationLambdaARN());
        rotationRules(g, e.rotationRules());
        metadata(g, e.externalSecretRotationMetadata());
        string(g, "ExternalSecretRotationRoleArn", e.externalSecretRotationRoleArn());
        time(g, "LastRotatedDate", e.lastRotatedDate());
        time(g, "LastChangedDate", e.lastChangedDate());
        time(g, "LastAccessedDate", e.lastAccessedDate());
        time(g, "DeletedDate", e.deletedDate());
        time(g, "NextRotationDate", e.nextRotationDate());
        tags(g, e.tags());
        stages(g, "VersionIdsToStages", e.versionIdsToStages());
        string(g, "OwningService", e.owningService());
        time(g, "CreatedDate", e.createdDate());
        string(g, "PrimaryRegion", e.primaryRegion());
        replication(g, e.replicationStatus());
        g.writeEndObject();
    }

    static void writeValueEntry(SecretValueEntry e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        string(g, "ARN", e.arn());
        string(g, "Name", e.name());
        string(g, "VersionId", e.versionId());
        if (e.secretBinary() != null) {
            g.writeFieldName("SecretBinary");
            g.writeBinary(e.secretBinary());
        }
        string(g, "SecretString", e.secretString());
        strings(g, "VersionStages", e.versionStages());
        time(g, "CreatedDate", e.createdDate());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String name, String v) throws IOException {
        if (v != null) g.writeStringField(name, v);
    }

    private static void bool(JsonGenerator g, String name, Boolean v) throws IOException {
        if (v != null) g.writeBooleanField(name, v);
    }

    private static void time(JsonGenerator g, String name, Instant v) throws IOException {
        if (v == null) return;
        g.writeFieldName(name);
        epoch(g, v);
    }

    private static void epoch(JsonGenerator g, Instant v) throws IOException {
        char[] digits = new char[Json.EPOCH_CHARS];
        int start = Json.epochSeconds(v.toEpochMilli(), digits);
        g.writeNumber(digits, start, Json.EPOCH_CHARS - start);
    }

    private static void strings(JsonGenerator g, String name, List<String> v) throws IOException {
        if (v == null) return;
        g.writeFieldName(name);
        stringArray(g, v);
    }

    private static void stringArray(JsonGenerator g, List<String> v) throws IOException {
        g.writeStartArray();
        for (int i = 0, n = v.size(); i < n; i++) {
            String s = v.get(i);
            if (s == null) g.writeNull();
            else g.writeString(s);
        }
        g.writeEndArray();
    }

    private static void rotationRules(JsonGenerator g, RotationRules r) throws IOException {
        if (r == null) return;
        g.writeFieldName("RotationRules");
        g.writeStartObject();
        if (r.automaticallyAfterDays() != null) g.writeNumberField("AutomaticallyAfterDays", r.automaticallyAfterDays());
        string(g, "Duration", r.duration());
        string(g, "ScheduleExpression", r.scheduleExpression());
        g.writeEndObject();
    }

    private static void metadata(JsonGenerator g, List<MetadataItem> items) throws IOException {
        if (items == null) return;
        g.writeFieldName("ExternalSecretRotationMetadata");
        g.writeStartArray();
        for (MetadataItem m : items) {
            if (m == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            string(g, "Key", m.key());
            string(g, "Value", m.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void tags(JsonGenerator g, List<Tag> tags) throws IOException {
        if (tags == null) return;
        g.writeFieldName("Tags");
        g.writeStartArray();
        for (int i = 0, n = tags.size(); i < n; i++) {
            Tag t = tags.get(i);
            if (t == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            string(g, "Key", t.key());
            string(g, "Value", t.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A version-to-stages map; like the mapper (NON_NULL for contents too), an entry with a null list is left out. */
    private static void stages(JsonGenerator g, String name, Map<String, List<String>> map) throws IOException {
        if (map == null) return;
        g.writeFieldName(name);
        g.writeStartObject();
        for (Map.Entry<String, List<String>> en : map.entrySet()) {
            if (en.getValue() == null) continue;
            g.writeFieldName(en.getKey());
            stringArray(g, en.getValue());
        }
        g.writeEndObject();
    }

    private static void replication(JsonGenerator g, List<ReplicationStatusEntry> entries) throws IOException {
        if (entries == null) return;
        g.writeFieldName("ReplicationStatus");
        g.writeStartArray();
        for (ReplicationStatusEntry r : entries) {
            if (r == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            string(g, "Region", r.region());
            string(g, "KmsKeyId", r.kmsKeyId());
            string(g, "Status", r.status());
            string(g, "StatusMessage", r.statusMessage());
            time(g, "LastAccessedDate", r.lastAccessedDate());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
