package dev.smlocal.conformance.support;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What the checks run against: the in-process emulator, any endpoint by URL, or real AWS. A check
 * sees only this interface, so the same class runs against all three.
 */
public interface Target extends AutoCloseable {
    enum Kind { IN_PROCESS, URL, AWS }

    Kind kind();

    /** As written in {@code -Dsmlocal.target}: {@code in-process}, {@code url:http://…}, {@code aws}. */
    String spec();

    /** The regions checks may use; the first is where single-region checks run. */
    List<String> regions();

    default String region() {
        return regions().get(0);
    }

    /** A second region (multi-Region checks); the first when only one is configured. */
    default String otherRegion() {
        return regions().size() > 1 ? regions().get(1) : regions().get(0);
    }

    /** The endpoint serving {@code service} ({@code secretsmanager} or {@code kms}) in {@code region}. */
    URI endpoint(String service, String region);

    AwsCredentialsProvider credentials();

    /** Prepended to every resource name of this run, ending in {@code /}. */
    String namePrefix();

    SecretsManagerClient secrets(String region);

    KmsClient kms(String region);

    /** A Secrets Manager client with other credentials (another account), cached per access key. */
    SecretsManagerClient secretsAs(AwsCredentialsProvider credentials, String region);

    default RawClient raw(String service, String region) {
        return new RawClient(endpoint(service, region), region, service, credentials());
    }

    /** The clock and faults of an emulator, when the target is one. */
    Optional<EmulatorPowers> powers();

    /** The target's notion of now: the emulator clock when it has one, else this machine's. */
    default Instant now() {
        return powers().map(EmulatorPowers::now).orElseGet(Instant::now);
    }

    /**
     * Waits until {@code inSync} holds for a replication effect: against an emulator by advancing
     * its clock in steps of the replication lag, against AWS (or a plain endpoint) by bounded
     * polling.
     */
    default void awaitReplication(String what, BooleanSupplier inSync) {
        Await.until(powers(), what, inSync, Duration.ofMillis(250), Duration.ofMinutes(5));
    }

    /**
     * Waits until {@code condition} holds for something AWS makes visible only eventually
     * (listings, forced deletion). Emulators are immediately consistent, so this asks once.
     */
    default void eventually(String what, BooleanSupplier condition) {
        if (kind() != Kind.AWS) {
            if (!condition.getAsBoolean()) throw new AssertionError("not so: " + what);
            return;
        }
        Await.poll(what, condition, Duration.ofMinutes(2));
    }

    /** What this run created and has not yet removed. */
    Ledger ledger();

    /** Whether the run prints and needs its cost (real AWS). */
    default boolean costsMoney() {
        return kind() == Kind.AWS;
    }

    @Override
    void close();
}
