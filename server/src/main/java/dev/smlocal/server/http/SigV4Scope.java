package dev.smlocal.server.http;

import dev.smlocal.server.aws.RequestContext;

/**
 * Who is calling and where, read from a request the way AWS routes it: the region from the SigV4
 * credential scope ({@code Credential=AKID/yyyymmdd/REGION/SERVICE/aws4_request}), the account
 * from the access key (a 12-digit access key id is the account, any other maps to
 * {@value RequestContext#DEFAULT_ACCOUNT}). Unsigned requests use the region in a
 * {@code secretsmanager.REGION.localhost} host name, else {@code us-east-1}.
 */
public final class SigV4Scope {
    public static final String DEFAULT_REGION = "us-east-1";

    private SigV4Scope() {}

    public record Scope(String accessKeyId, String region, String service) {}

    /** The parsed scope, or null when the header is absent or not SigV4. */
    public static Scope parse(String authorization) {
        if (authorization == null) return null;
        int i = authorization.indexOf("Credential=");
        if (i < 0) return null;
        int end = authorization.indexOf(',', i);
        String cred = authorization.substring(i + "Credential=".length(), end < 0 ? authorization.length() : end).trim();
        return scopeOf(cred);
    }

    /**
     * {@code AKID/DATE/REGION/SERVICE/aws4_request...} read by position, as {@code cred.split("/")}
     * with at least five parts would (trailing empty parts do not count), without the array and
     * the parts nobody reads: this runs once per request.
     */
    static Scope scopeOf(String cred) {
        int s1 = cred.indexOf('/');
        int s2 = s1 < 0 ? -1 : cred.indexOf('/', s1 + 1);
        int s3 = s2 < 0 ? -1 : cred.indexOf('/', s2 + 1);
        int s4 = s3 < 0 ? -1 : cred.indexOf('/', s3 + 1);
        if (s4 < 0) return null;
        boolean fifth = false;
        for (int i = s4 + 1; i < cred.length() && !fifth; i++) fifth = cred.charAt(i) != '/';
        if (!fifth) return null;
        return new Scope(cred.substring(0, s1), cred.substring(s2 + 1, s3), cred.substring(s3 + 1, s4));
    }

    public static String accountOf(String accessKeyId) {
        return RequestContext.isAccountId(accessKeyId) ? accessKeyId : RequestContext.DEFAULT_ACCOUNT;
    }

    /** The region a {@code Host} header names ({@code secretsmanager.eu-west-1.localhost:4599}), or null. */
    public static String regionFromHost(String host) {
        if (host == null) return null;
        String h = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        String[] p = h.split("\\.");
        if (p.length >= 3 && (p[0].equals("secretsmanager") || p[0].equals("kms")) && p[p.length - 1].equals("localhost")) {
            return p[1].isEmpty() ? null : p[1];
        }
        return null;
    }
}
