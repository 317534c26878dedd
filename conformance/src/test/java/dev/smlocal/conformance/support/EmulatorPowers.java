package dev.smlocal.conformance.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** What only an emulator can do: move its clock and inject faults. */
public interface EmulatorPowers {
    Instant now();

    /** Moves the emulator clock forward; every task that falls due runs before this returns. */
    void advance(Duration amount);

    /**
     * Adds a fault rule in the admin API's JSON form (design.md: {@code action}, {@code region},
     * {@code operation}, {@code errorType}, {@code count}, …); returns its id.
     */
    String addFault(Map<String, String> rule);

    void removeFault(String id);

    /**
     * Credentials the emulator maps to {@code account}: smlocal takes a 12-digit access key id as the
     * account (design.md, "Wire protocol"), so a check can act as a second account.
     */
    default software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentialsOf(String account) {
        return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(account, "conformance"));
    }
}
