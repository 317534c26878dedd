package dev.smlocal.server.secrets;

import java.util.regex.Pattern;

/**
 * An ARN cut into its six fields, the one place ARN text is parsed and built. A secret's ARN is
 * {@code arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-SUFFIX}, where SUFFIX is six
 * random characters; a partial ARN omits {@code -SUFFIX} (AWS-BEHAVIOUR: a SecretId may be a name,
 * a partial ARN or a full ARN). Secret names cannot contain {@code :}, so the resource field is
 * everything after the sixth colon.
 */
public record SecretArn(String partition, String service, String region, String account, String resourceType,
                        String resource) {
    public static final String SERVICE = "secretsmanager";
    public static final String RESOURCE_TYPE = "secret";
    /** The length of {@code -SUFFIX}. */
    static final int SUFFIX_LENGTH = 7;
    private static final Pattern SUFFIXED = Pattern.compile(".*-[A-Za-z0-9]{6}");

    /** Whether a SecretId is meant as an ARN (else it is a name). */
    public static boolean isArn(String secretId) {
        return secretId != null && secretId.startsWith("arn:");
    }

    /** The six fields of {@code text}, or null when it is not {@code arn:} and six more colon-separated fields. */
    public static SecretArn parse(String text) {
        if (!isArn(text)) return null;
        // as text.split(":", 7) with seven parts, by position: no array or regex machinery per call
        String[] p = new String[6];
        int from = text.indexOf(':') + 1; // after "arn:"
        for (int i = 0; i < 5; i++) {
            int colon = text.indexOf(':', from);
            if (colon < 0) return null;
            p[i] = text.substring(from, colon);
            from = colon + 1;
        }
        p[5] = text.substring(from);
        return new SecretArn(p[0], p[1], p[2], p[3], p[4], p[5]);
    }

    /** As {@link #parse}, for an ARN this emulator made (a stored secret's): never null. */
    public static SecretArn of(String secretArn) {
        SecretArn a = parse(secretArn);
        if (a == null) throw new IllegalArgumentException("not an ARN: " + secretArn);
        return a;
    }

    /** A new secret's full ARN. */
    public static SecretArn of(String partition, String region, String account, String name, String suffix) {
        return new SecretArn(partition, SERVICE, region, account, RESOURCE_TYPE, name + "-" + suffix);
    }

    /** A Secrets Manager secret's ARN (service {@code secretsmanager}, resource type {@code secret}). */
    public boolean isSecret() {
        return SERVICE.equals(service) && RESOURCE_TYPE.equals(resourceType);
    }

    /** Whether the resource ends in the six-character suffix (a full ARN, not a partial one). */
    public boolean hasSuffix() {
        return SUFFIXED.matcher(resource).matches();
    }

    /** The secret name: the resource without its suffix. */
    public String name() {
        return nameOf(resource);
    }

    /** The same secret's ARN in another region (a replica's ARN differs from its primary's only there). */
    public SecretArn inRegion(String otherRegion) {
        return new SecretArn(partition, service, otherRegion, account, resourceType, resource);
    }

    /** The ARN text. */
    public String text() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resourceType + ":" + resource;
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * The secret name a SecretId that names no existing secret stands for: an ARN's resource without
     * its suffix, anything else as it is.
     */
    static String nameIn(String secretId) {
        SecretArn a = parse(secretId);
        return nameOf(a == null ? secretId : a.resource());
    }

    private static String nameOf(String resource) {
        return SUFFIXED.matcher(resource).matches() ? resource.substring(0, resource.length() - SUFFIX_LENGTH) : resource;
    }
}
