package dev.smlocal.server.aws;

/** Who is calling and where: the account and region derived from the SigV4 scope. */
public record RequestContext(String account, String region, String requestId) {
    public static final String DEFAULT_ACCOUNT = "000000000000";

    public RequestContext {
        if (account == null || !account.matches("\\d{12}")) {
            throw new IllegalArgumentException("account must be 12 digits, was: " + account);
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region must be set");
        }
    }

    /** The same caller, addressing another region (replication, MRK replicas). */
    public RequestContext inRegion(String otherRegion) {
        return new RequestContext(account, otherRegion, requestId);
    }

    public String partition() {
        return Regions.partitionOf(region);
    }
}
