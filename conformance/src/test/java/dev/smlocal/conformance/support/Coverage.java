package dev.smlocal.conformance.support;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What a check covers, for the scoreboard's per-operation and per-area tables.
 *
 * <p>Operation: a parameterized check whose display name starts with an operation name (the suite's
 * habit: {@code @ParameterizedTest(name = "{0}")} over operations) covers that operation; any other
 * check covers its class's operation, refined by the method name where a class spans several
 * (DeletionConformance: {@code restore…} is RestoreSecret). Checks of a theme rather than an
 * operation (wire protocol, authorization, KMS key states…) are counted under the theme.
 *
 * <p>Area: a fixed grouping of the check classes; a class not listed is its own area, so a new
 * class shows up rather than vanishing.
 */
public final class Coverage {
    private Coverage() {}

    /** Every Secrets Manager operation name, from the SDK client's request types. */
    public static final Set<String> SECRETS_MANAGER = operations(SecretsManagerClient.class);

    /** Every Secrets Manager and KMS operation name. */
    public static final Set<String> OPERATIONS = union(SECRETS_MANAGER, operations(KmsClient.class));

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return java.util.Collections.unmodifiableSet(out);
    }

    private static Set<String> operations(Class<?> client) {
        Set<String> out = new TreeSet<>();
        for (Method m : client.getMethods()) {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0].getSimpleName().endsWith("Request")
                    && m.getReturnType().getSimpleName().endsWith("Response")) {
                String r = m.getParameterTypes()[0].getSimpleName();
                out.add(r.substring(0, r.length() - "Request".length()));
            }
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    private static final Map<String, String> AREAS = new LinkedHashMap<>();

    static {
        area("values and versions", "CreateSecret", "GetSecretValue", "PutSecretValue", "UpdateSecret",
                "UpdateSecretVersionStage", "ListSecretVersionIds", "BatchGetSecretValue", "DescribeSecret");
        area("listing", "ListSecrets");
        area("identifiers and wire", "SecretId", "WireProtocol");
        area("deletion", "Deletion");
        area("tags and policies", "Tags", "ResourcePolicy");
        area("authorization", "Authorization", "CrossAccount");
        area("rotation", "Rotation", "RotationRefusals", "RotationSchedule", "ReplicatedRotation");
        area("replication", "Replication", "ReplicaRefusals", "Promotion", "ReplicationFailure", "ReplicationChaos",
                "MultiRegionKey");
        area("KMS", "Kms", "KmsKeyStates");
        area("passwords", "GetRandomPassword");
    }

    private static void area(String name, String... classes) {
        for (String c : classes) AREAS.put(c, name);
    }

    /** {@code ListSecrets} for {@code ListSecretsConformance}. */
    static String stem(String className) {
        return className.endsWith("Conformance") ? className.substring(0, className.length() - "Conformance".length()) : className;
    }

    public static String area(String className) {
        String s = stem(className);
        return AREAS.getOrDefault(s, s);
    }

    /** The operation a check covers (see the class comment). */
    public static String operation(String className, String method, String displayName) {
        if (displayName != null && !displayName.isBlank()) {
            String first = displayName.trim().split("[\\s,(]", 2)[0];
            if (OPERATIONS.contains(first)) return first;
        }
        String s = stem(className);
        String m = method.toLowerCase(Locale.ROOT);
        switch (s) {
            case "Deletion":
                return m.contains("restor") ? "RestoreSecret" : "DeleteSecret";
            case "Tags":
                return m.startsWith("untag") ? "UntagResource" : "TagResource";
            case "ResourcePolicy":
                if (m.startsWith("validate")) return "ValidateResourcePolicy";
                if (m.startsWith("delete")) return "DeleteResourcePolicy";
                if (m.startsWith("get")) return "GetResourcePolicy";
                return "PutResourcePolicy";
            case "Rotation", "RotationRefusals", "RotationSchedule", "ReplicatedRotation":
                return m.contains("cancel") ? "CancelRotateSecret" : "RotateSecret";
            case "Replication", "ReplicationFailure", "ReplicationChaos":
                return "ReplicateSecretToRegions";
            case "Promotion":
                return m.contains("remov") ? "RemoveRegionsFromReplication" : "StopReplicationToReplica";
            default:
                if (OPERATIONS.contains(s)) return s;
                return "(" + s + ")";
        }
    }

    /** Whether the name is a theme rather than an operation ({@code (WireProtocol)}). */
    public static boolean isTheme(String operation) {
        return operation.startsWith("(");
    }
}
