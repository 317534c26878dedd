package dev.smlocal.conformance.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * The whole visible state of one secret in one region, as a client can read it: DescribeSecret
 * (description, KmsKeyId, dates, rotation settings, tags, stages, primary region, replication
 * status), every version with its stages, dates and keys (deprecated ones included), the value of
 * every version and the resource policy. "Refused, and nothing changed" compares two of these.
 *
 * <p>Values are kept as SHA-256 digests, so a difference report never shows a value. Each read
 * that is refused (a secret scheduled for deletion refuses GetSecretValue, for instance) is kept as
 * its error code: the same refusal before and after is no change. Left out, because reading the
 * state itself moves them: {@code LastAccessedDate} of the secret, of its versions and of its
 * replicas.
 */
public final class SecretState {
    private final String where;
    private final Map<String, String> facts;

    private SecretState(String where, Map<String, String> facts) {
        this.where = where;
        this.facts = facts;
    }

    /** Reads the state of {@code secretId} through {@code sm} ({@code where} names it in reports). */
    public static SecretState read(SecretsManagerClient sm, String where, String secretId) {
        Map<String, String> f = new TreeMap<>();
        DescribeSecretResponse d = attempt(f, "DescribeSecret", () -> sm.describeSecret(b -> b.secretId(secretId)));
        if (d != null) describe(f, d);
        List<SecretVersionsListEntry> versions = attempt(f, "ListSecretVersionIds", () -> {
            List<SecretVersionsListEntry> all = new ArrayList<>();
            sm.listSecretVersionIdsPaginator(b -> b.secretId(secretId).includeDeprecated(true)).stream()
                    .forEach(p -> all.addAll(p.versions()));
            return all;
        });
        TreeSet<String> versionIds = new TreeSet<>();
        if (d != null && d.hasVersionIdsToStages()) versionIds.addAll(d.versionIdsToStages().keySet());
        if (versions != null) {
            for (SecretVersionsListEntry v : versions) {
                versionIds.add(v.versionId());
                String p = "version " + v.versionId() + " ";
                f.put(p + "stages", v.hasVersionStages() ? new TreeSet<>(v.versionStages()).toString() : "(none)");
                f.put(p + "created", String.valueOf(v.createdDate()));
                f.put(p + "keys", v.hasKmsKeyIds() ? new TreeSet<>(v.kmsKeyIds()).toString() : "(none)");
            }
        }
        for (String id : versionIds) {
            GetSecretValueResponse g = attempt(f, "value of " + id, () -> sm.getSecretValue(b -> b.secretId(secretId).versionId(id)));
            if (g != null) {
                f.put("value of " + id, digest(g.secretString(), g.secretBinary()));
                f.put("value of " + id + " stages", new TreeSet<>(g.versionStages()).toString());
            }
        }
        var policy = attempt(f, "GetResourcePolicy", () -> sm.getResourcePolicy(b -> b.secretId(secretId)));
        if (policy != null) f.put("ResourcePolicy", String.valueOf(policy.resourcePolicy()));
        return new SecretState(where + " " + secretId, f);
    }

    private static void describe(Map<String, String> f, DescribeSecretResponse d) {
        f.put("ARN", d.arn());
        f.put("Name", d.name());
        f.put("Description", String.valueOf(d.description()));
        f.put("KmsKeyId", String.valueOf(d.kmsKeyId()));
        f.put("CreatedDate", String.valueOf(d.createdDate()));
        f.put("LastChangedDate", String.valueOf(d.lastChangedDate()));
        f.put("DeletedDate", String.valueOf(d.deletedDate()));
        f.put("LastRotatedDate", String.valueOf(d.lastRotatedDate()));
        f.put("NextRotationDate", String.valueOf(d.nextRotationDate()));
        f.put("RotationEnabled", String.valueOf(d.rotationEnabled()));
        f.put("RotationLambdaARN", String.valueOf(d.rotationLambdaARN()));
        f.put("RotationRules", String.valueOf(d.rotationRules()));
        f.put("OwningService", String.valueOf(d.owningService()));
        f.put("PrimaryRegion", String.valueOf(d.primaryRegion()));
        f.put("Tags", d.hasTags() ? tags(d.tags()) : "(absent)");
        if (d.hasVersionIdsToStages()) {
            d.versionIdsToStages().forEach((v, s) -> f.put("stages of " + v, new TreeSet<>(s).toString()));
        }
        if (d.hasReplicationStatus()) {
            List<String> rs = new ArrayList<>();
            for (ReplicationStatusType r : d.replicationStatus()) {
                rs.add(r.region() + " " + r.statusAsString() + " \"" + r.statusMessage() + "\" key " + r.kmsKeyId());
            }
            f.put("ReplicationStatus", rs.toString());
        } else {
            f.put("ReplicationStatus", "(absent)");
        }
    }

    private static String tags(List<Tag> tags) {
        TreeMap<String, String> m = new TreeMap<>();
        for (Tag t : tags) m.put(t.key(), t.value());
        return m.toString();
    }

    private static <T> T attempt(Map<String, String> f, String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (AwsServiceException e) {
            f.put(what, "refused " + (e.awsErrorDetails() == null ? e.statusCode() : e.awsErrorDetails().errorCode()));
            return null;
        }
    }

    static String digest(String string, SdkBytes binary) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (string != null) md.update(("S" + string).getBytes(StandardCharsets.UTF_8));
            if (binary != null) md.update(("B").getBytes(StandardCharsets.UTF_8));
            if (binary != null) md.update(binary.asByteArray());
            if (string == null && binary == null) return "(no value)";
            return "sha256:" + HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What differs from {@code before}, one line per fact; empty when nothing changed. */
    public List<String> differencesFrom(SecretState before) {
        List<String> out = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(before.facts.keySet());
        keys.addAll(facts.keySet());
        for (String k : keys) {
            String was = before.facts.get(k);
            String is = facts.get(k);
            if (!Objects.equals(was, is)) out.add(k + ": " + (was == null ? "(absent)" : was) + " -> " + (is == null ? "(absent)" : is));
        }
        return out;
    }

    public Map<String, String> facts() {
        return Map.copyOf(facts);
    }
}
