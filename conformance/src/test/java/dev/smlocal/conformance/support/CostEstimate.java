package dev.smlocal.conformance.support;

import java.util.Locale;

/**
 * What a run against real AWS will cost, printed before the first call. Secrets Manager: $0.40 per
 * secret (and per replica) per month, prorated by the hour, plus $0.05 per 10,000 API calls; KMS:
 * $1 per customer key per month, prorated, plus $0.03 per 10,000 requests. The counts are estimated
 * from the checks that will run; the KMS keys are the ones they declare ({@code @CreatesKeys}, every
 * key, each multi-Region replica key included since AWS bills each as a key).
 *
 * <p>Keys pending deletion are not counted: the ledger schedules each key's deletion when its check
 * ends, and a key pending deletion is said not to be billed (a third-party statement, not verified
 * against AWS's pricing page here). If it were billed, the 7-day window would add
 * {@link #pendingDeletionDollars()} to the run.
 */
public record CostEstimate(int checks, int kmsKeys, int secrets, int replicas, int keys, long apiCalls,
                           long expectedSeconds, double dollars) {
    static final int SECRETS_PER_CHECK = 2;
    static final int CALLS_PER_CHECK = 12;
    static final int SECONDS_PER_CHECK = 3;
    static final double HOURS_PER_MONTH = 720;
    /** AWS replicates in seconds to minutes; a multi-Region check polls for it. */
    static final int SECONDS_PER_REPLICA_CHECK = 60;
    static final int CALLS_PER_REPLICA_CHECK = 30;

    /** The {@code checks} create {@code kmsKeys} KMS keys in all. */
    public static CostEstimate of(int checks, int kmsKeys, int replicaRegions) {
        return of(checks, kmsKeys, 0, replicaRegions);
    }

    /**
     * The {@code checks} create {@code kmsKeys} KMS keys in all (replica keys included),
     * {@code replicaChecks} of them a replica each (none when only one region is configured: those
     * checks are skipped).
     */
    public static CostEstimate of(int checks, int kmsKeys, int replicaChecks, int replicaRegions) {
        int replicating = replicaRegions > 0 ? replicaChecks : 0;
        int secrets = checks * SECRETS_PER_CHECK;
        int replicas = replicating;
        long calls = (long) checks * CALLS_PER_CHECK + (long) replicating * CALLS_PER_REPLICA_CHECK;
        long seconds = (long) checks * SECONDS_PER_CHECK + (long) replicating * SECONDS_PER_REPLICA_CHECK;
        long billedHours = Math.max(1, (seconds + 3599) / 3600); // AWS prorates by the hour
        double month = billedHours / HOURS_PER_MONTH;
        double dollars = (secrets + replicas) * 0.40 * month + kmsKeys * 1.00 * month
                + calls / 10_000.0 * 0.05 + kmsKeys * CALLS_PER_CHECK / 10_000.0 * 0.03;
        return new CostEstimate(checks, kmsKeys, secrets, replicas, kmsKeys, calls, seconds, dollars);
    }

    /** What the keys would add if AWS billed them for their 7 days pending deletion. */
    public double pendingDeletionDollars() {
        return keys * 1.00 * (7 * 24) / HOURS_PER_MONTH;
    }

    public String describe() {
        return String.format(Locale.ROOT,
                "Estimated cost of this run against real AWS: about $%.4f%n"
                        + "  %d checks, about %d s; each secret and key lives minutes but is billed at least an hour%n"
                        + "  %d secrets + %d replicas x $0.40/month, %d KMS keys x $1/month, prorated%n"
                        + "  KMS keys: every key the checks create, multi-Region replica keys included (each is billed as a key)%n"
                        + "  keys pending deletion are NOT counted: each key is scheduled for deletion (7 days) when its check ends,%n"
                        + "  and a key pending deletion is said not to be billed (unverified); if it were, add about $%.2f%n"
                        + "  about %d API calls x $0.05 per 10,000",
                dollars, checks, expectedSeconds, secrets, replicas, keys, pendingDeletionDollars(), apiCalls);
    }
}
