package dev.smlocal.conformance.support;

/**
 * How many checks the launcher plans to run, learnt by the scoreboard when the test plan starts;
 * the AWS cost estimate is made from it.
 */
public final class RunPlan {
    private static volatile int checks = -1;
    private static volatile int kmsKeys;
    private static volatile int replicaChecks;

    private RunPlan() {}

    public static void planned(int awsChecks, int awsKmsKeys, int awsReplicaChecks) {
        checks = awsChecks;
        kmsKeys = awsKmsKeys;
        replicaChecks = awsReplicaChecks;
    }

    /** Checks that will run against AWS, or -1 when unknown (a launcher without the scoreboard). */
    public static int checks() {
        return checks;
    }

    /** The KMS keys those checks declare ({@code @CreatesKeys}), multi-Region replica keys included. */
    public static int kmsKeys() {
        return kmsKeys;
    }

    /** Of those, the multi-Region checks: each makes a replica and waits for replication. */
    public static int replicaChecks() {
        return replicaChecks;
    }
}
