package dev.smlocal.server.aws;

/**
 * Who is calling and where: the account and region derived from the SigV4 scope, and the principal
 * the access key acts as ({@code arn:aws:iam::ACCOUNT:root} unless a declared role or user).
 */
public record RequestContext(String account, String region, String requestId, String principalArn) {
    public static final String DEFAULT_ACCOUNT = "000000000000";

    /** The account's root principal. */
    public RequestContext(String account, String region, String requestId) {
        this(account, region, requestId, null);
    }

    public RequestContext {
        if (principalArn == null) principalArn = "arn:aws:iam::" + account + ":root";
        if (!isAccountId(account)) {
            throw new IllegalArgumentException("account must be 12 digits, was: " + account);
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region must be set");
        }
    }

    /** Twelve ASCII digits, checked without a regular expression (this runs on every request). */
    public static boolean isAccountId(String s) {
        if (s == null || s.length() != 12) return false;
        for (int i = 0; i < 12; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** The same caller, addressing another region (replication, MRK replicas). */
    public RequestContext inRegion(String otherRegion) {
        return new RequestContext(account, otherRegion, requestId, principalArn);
    }

    public String partition() {
        return Regions.partitionOf(region);
    }
}
