package dev.smlocal.server.aws;

/**
 * Who is calling and where: the account and region derived from the SigV4 scope, and the principal
 * the access key acts as ({@code arn:aws:iam::ACCOUNT:root} unless a declared role or user).
 */
public record RequestContext(String account, String region, String requestId, String principalArn) {
    public static final String DEFAULT_ACCOUNT = "000000000000";

    /** The account's root principal. */
    public RequestContext(String account, String region, String requestId) {
        this(account, region, requestId, "arn:aws:iam::" + account + ":root");
    }

    public RequestContext {
        if (principalArn == null) principalArn = "arn:aws:iam::" + account + ":root";
        if (account == null || !account.matches("\\d{12}")) {
            throw new IllegalArgumentException("account must be 12 digits, was: " + account);
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region must be set");
        }
    }

    /** The same caller, addressing another region (replication, MRK replicas). */
    public RequestContext inRegion(String otherRegion) {
        return new RequestContext(account, otherRegion, requestId, principalArn);
    }

    public String partition() {
        return Regions.partitionOf(region);
    }
}
