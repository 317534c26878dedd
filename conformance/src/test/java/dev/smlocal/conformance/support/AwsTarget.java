package dev.smlocal.conformance.support;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Real AWS, with the default credential chain. Refuses to start unless
 * {@code -Dsmlocal.aws.confirm=true}, prints the estimated cost first, and removes what the run
 * created even when checks fail (per check, when the target closes, and from a shutdown hook).
 */
public final class AwsTarget extends AbstractTarget {
    public static final String CONFIRM = "smlocal.aws.confirm";

    private final Thread cleanupHook;

    private AwsTarget(List<String> regions) {
        super("aws", regions, DefaultCredentialsProvider.builder().build());
        this.cleanupHook = new Thread(() -> {
            ledger().cleanAll();
            reportLeftBehind();
        }, "smlocal-conformance-aws-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /** Prints the estimate, then starts only when the run was confirmed. */
    public static AwsTarget start(List<String> regions, CostEstimate estimate, boolean confirmed) {
        String text = estimate.describe();
        System.out.println("[smlocal conformance] target aws, regions " + regions);
        System.out.println("[smlocal conformance] " + text.replace("\n", "\n[smlocal conformance] "));
        if (!confirmed) {
            System.out.println("[smlocal conformance] target aws refused: no -D" + CONFIRM + "=true; nothing was sent to AWS");
            throw new IllegalStateException("Refusing to run the conformance suite against real AWS without -D" + CONFIRM
                    + "=true: it creates and deletes real secrets and KMS keys in " + regions + " with the default"
                    + " credential chain. " + text.replace("\n", " ").replaceAll(" +", " ")
                    + ". Re-run with -D" + CONFIRM + "=true to accept.");
        }
        return new AwsTarget(regions);
    }

    @Override
    public Kind kind() { return Kind.AWS; }

    @Override
    URI sdkEndpoint() { return null; }

    @Override
    public Optional<EmulatorPowers> powers() { return Optional.empty(); }

    @Override
    public void close() {
        super.close();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway, and finds nothing left
        }
    }
}
