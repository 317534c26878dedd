package dev.smlocal.conformance.support;

/**
 * How many checks the launcher plans to run, learnt by the scoreboard when the test plan starts;
 * the AWS cost estimate is made from it.
 */
public final class RunPlan {
    private static volatile int checks = -1;
    private static volatile int kmsChecks;

    private RunPlan() {}

    public static void planned(int awsChecks, int awsKmsChecks) {
        checks = awsChecks;
        kmsChecks = awsKmsChecks;
    }

    /** Checks that will run against AWS, or -1 when unknown (a launcher without the scoreboard). */
    public static int checks() {
        return checks;
    }

    public static int kmsChecks() {
        return kmsChecks;
    }
}
