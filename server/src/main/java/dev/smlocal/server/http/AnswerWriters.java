package dev.smlocal.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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

    // member names with their encoded bytes computed once (the generator copies them as they are)
    private static final SerializedString N_ARN = new SerializedString("ARN");
    private static final SerializedString N_AutomaticallyAfterDays = new SerializedString("AutomaticallyAfterDays");
    private static final SerializedString N_CreatedDate = new SerializedString("CreatedDate");
    private static final SerializedString N_DeletedDate = new SerializedString("DeletedDate");
    private static final SerializedString N_Description = new SerializedString("Description");
    private static final SerializedString N_Duration = new SerializedString("Duration");
    private static final SerializedString N_ExternalSecretRotationMetadata = new SerializedString("ExternalSecretRotationMetadata");
    private static final SerializedString N_ExternalSecretRotationRoleArn = new SerializedString("ExternalSecretRotationRoleArn");
    private static final SerializedString N_Key = new SerializedString("Key");
    private static final SerializedString N_KmsKeyId = new SerializedString("KmsKeyId");
    private static final SerializedString N_LastAccessedDate = new SerializedString("LastAccessedDate");
    private static final SerializedString N_LastChangedDate = new SerializedString("LastChangedDate");
    private static final SerializedString N_LastRotatedDate = new SerializedString("LastRotatedDate");
    private static final SerializedString N_Name = new SerializedString("Name");
    private static final SerializedString N_NextRotationDate = new SerializedString("NextRotationDate");
    private static final SerializedString N_NextToken = new SerializedString("NextToken");
    private static final SerializedString N_OwningService = new SerializedString("OwningService");
    private static final SerializedString N_PrimaryRegion = new SerializedString("PrimaryRegion");
    private static final SerializedString N_Region = new SerializedString("Region");
    private static final SerializedString N_ReplicationStatus = new SerializedString("ReplicationStatus");
    private static final SerializedString N_RotationEnabled = new SerializedString("RotationEnabled");
    private static final SerializedString N_RotationLambdaARN = new SerializedString("RotationLambdaARN");
    private static final SerializedString N_RotationRules = new SerializedString("RotationRules");
    private static final SerializedString N_ScheduleExpression = new SerializedString("ScheduleExpression");
    private static final SerializedString N_SecretBinary = new SerializedString("SecretBinary");
    private static final SerializedString N_SecretList = new SerializedString("SecretList");
    private static final SerializedString N_SecretString = new SerializedString("SecretString");
    private static final SerializedString N_SecretVersionsToStages = new SerializedString("SecretVersionsToStages");
    private static final SerializedString N_Status = new SerializedString("Status");
    private static final SerializedString N_StatusMessage = new SerializedString("StatusMessage");
    private static final SerializedString N_Tags = new SerializedString("Tags");
    private static final SerializedString N_Type = new SerializedString("Type");
    private static final SerializedString N_Value = new SerializedString("Value");
    private static final SerializedString N_VersionId = new SerializedString("VersionId");
    private static final SerializedString N_VersionIdsToStages = new SerializedString("VersionIdsToStages");
    private static final SerializedString N_VersionStages = new SerializedString("VersionStages");

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
                    g.writeFieldName(N_SecretList);
                    g.writeStartArray();
                    for (SecretListEntry e : r.secretList()) {
                        if (e == null) g.writeNull();
                        else writeListEntry(e, g);
                    }
                    g.writeEndArray();
                }
                string(g, N_NextToken, r.nextToken());
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
        string(g, N_ARN, e.arn());
        string(g, N_Name, e.name());
        string(g, N_Type, e.type());
        string(g, N_Description, e.description());
        string(g, N_KmsKeyId, e.kmsKeyId());
        bool(g, N_RotationEnabled, e.rotationEnabled());
        string(g, N_RotationLambdaARN, e.rotationLambdaARN());
        rotationRules(g, e.rotationRules());
        metadata(g, e.externalSecretRotationMetadata());
        string(g, N_ExternalSecretRotationRoleArn, e.externalSecretRotationRoleArn());
        time(g, N_LastRotatedDate, e.lastRotatedDate());
        time(g, N_LastChangedDate, e.lastChangedDate());
        time(g, N_LastAccessedDate, e.lastAccessedDate());
        time(g, N_DeletedDate, e.deletedDate());
        time(g, N_NextRotationDate, e.nextRotationDate());
        tags(g, e.tags());
        stages(g, N_SecretVersionsToStages, e.secretVersionsToStages());
        string(g, N_OwningService, e.owningService());
        time(g, N_CreatedDate, e.createdDate());
        string(g, N_PrimaryRegion, e.primaryRegion());
        g.writeEndObject();
    }

    static void writeDescribe(DescribeSecretResponse e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        string(g, N_ARN, e.arn());
        string(g, N_Name, e.name());
        string(g, N_Type, e.type());
        string(g, N_Description, e.description());
        string(g, N_KmsKeyId, e.kmsKeyId());
        bool(g, N_RotationEnabled, e.rotationEnabled());
        string(g, N_RotationLambdaARN, e.rotationLambdaARN());
        rotationRules(g, e.rotationRules());
        metadata(g, e.externalSecretRotationMetadata());
        string(g, N_ExternalSecretRotationRoleArn, e.externalSecretRotationRoleArn());
        time(g, N_LastRotatedDate, e.lastRotatedDate());
        time(g, N_LastChangedDate, e.lastChangedDate());
        time(g, N_LastAccessedDate, e.lastAccessedDate());
        time(g, N_DeletedDate, e.deletedDate());
        time(g, N_NextRotationDate, e.nextRotationDate());
        tags(g, e.tags());
        stages(g, N_VersionIdsToStages, e.versionIdsToStages());
        string(g, N_OwningService, e.owningService());
        time(g, N_CreatedDate, e.createdDate());
        string(g, N_PrimaryRegion, e.primaryRegion());
        replication(g, e.replicationStatus());
        g.writeEndObject();
    }

    static void writeValueEntry(SecretValueEntry e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        string(g, N_ARN, e.arn());
        string(g, N_Name, e.name());
        string(g, N_VersionId, e.versionId());
        if (e.secretBinary() != null) {
            g.writeFieldName(N_SecretBinary);
            g.writeBinary(e.secretBinary());
        }
        string(g, N_SecretString, e.secretString());
        strings(g, N_VersionStages, e.versionStages());
        time(g, N_CreatedDate, e.createdDate());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializedString name, String v) throws IOException {
        if (v == null) return;
        g.writeFieldName(name);
        g.writeString(v);
    }

    private static void bool(JsonGenerator g, SerializedString name, Boolean v) throws IOException {
        if (v == null) return;
        g.writeFieldName(name);
        g.writeBoolean(v);
    }

    private static void time(JsonGenerator g, SerializedString name, Instant v) throws IOException {
        if (v == null) return;
        g.writeFieldName(name);
        epoch(g, v);
    }

    private static void epoch(JsonGenerator g, Instant v) throws IOException {
        char[] digits = new char[Json.EPOCH_CHARS];
        int start = Json.epochSeconds(v.toEpochMilli(), digits);
        g.writeNumber(digits, start, Json.EPOCH_CHARS - start);
    }

    private static void strings(JsonGenerator g, SerializedString name, List<String> v) throws IOException {
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
        g.writeFieldName(N_RotationRules);
        g.writeStartObject();
        if (r.automaticallyAfterDays() != null) {
            g.writeFieldName(N_AutomaticallyAfterDays);
            g.writeNumber(r.automaticallyAfterDays());
        }
        string(g, N_Duration, r.duration());
        string(g, N_ScheduleExpression, r.scheduleExpression());
        g.writeEndObject();
    }

    private static void metadata(JsonGenerator g, List<MetadataItem> items) throws IOException {
        if (items == null) return;
        g.writeFieldName(N_ExternalSecretRotationMetadata);
        g.writeStartArray();
        for (MetadataItem m : items) {
            if (m == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            string(g, N_Key, m.key());
            string(g, N_Value, m.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void tags(JsonGenerator g, List<Tag> tags) throws IOException {
        if (tags == null) return;
        g.writeFieldName(N_Tags);
        g.writeStartArray();
        for (int i = 0, n = tags.size(); i < n; i++) {
            Tag t = tags.get(i);
            if (t == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            string(g, N_Key, t.key());
            string(g, N_Value, t.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A version-to-stages map; like the mapper (NON_NULL for contents too), an entry with a null list is left out. */
    private static void stages(JsonGenerator g, SerializedString name, Map<String, List<String>> map) throws IOException {
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
        g.writeFieldName(N_ReplicationStatus);
        g.writeStartArray();
        for (ReplicationStatusEntry r : entries) {
            if (r == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            string(g, N_Region, r.region());
            string(g, N_KmsKeyId, r.kmsKeyId());
            string(g, N_Status, r.status());
            string(g, N_StatusMessage, r.statusMessage());
            time(g, N_LastAccessedDate, r.lastAccessedDate());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
