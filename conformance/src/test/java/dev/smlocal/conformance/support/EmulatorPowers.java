package dev.smlocal.conformance.support;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What only an emulator can do: move its clock, inject faults, set replication lags per route and
 * plug in rotation functions.
 */
public interface EmulatorPowers {
    /** One replication route's lag (admin API {@code PUT /_smlocal/replication}). */
    record Route(String from, String to, Duration lag) {}

    Instant now();

    /** Moves the emulator clock forward; every task that falls due runs before this returns. */
    void advance(Duration amount);

    /**
     * Adds a fault rule in the admin API's JSON form (design.md: {@code action}, {@code region},
     * {@code operation}, {@code errorType}, {@code count}, …); returns its id.
     */
    String addFault(Map<String, String> rule);

    void removeFault(String id);

    /** Replaces the per-route replication lags; an empty list goes back to the default lag everywhere. */
    void replicationRoutes(List<Route> routes);

    /**
     * Registers an HTTP rotation function: a {@code RotationLambdaARN} naming function {@code name}
     * has each step POSTed to {@code url} (admin API {@code PUT /_smlocal/functions/NAME}).
     */
    void registerFunction(String name, URI url);

    /** Forgets a function registered with {@link #registerFunction}; unknown names are fine. */
    void removeFunction(String name);

    /**
     * Credentials the emulator maps to {@code account}: smlocal takes a 12-digit access key id as the
     * account (design.md, "Wire protocol"), so a check can act as a second account.
     */
    default software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentialsOf(String account) {
        return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(account, "conformance"));
    }
}
