package dev.smlocal.testkit.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.testkit.Fault;
import dev.smlocal.testkit.FaultSpec;
import dev.smlocal.testkit.SmLocal;
import dev.smlocal.testkit.SmLocalTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Drill (e): a throttling storm and the SDK's retry policy. Secrets Manager answers
 * {@code ThrottlingException: Rate exceeded} (HTTP 400) when a caller exceeds its request rate, for
 * example when a fleet restarts at once and every instance fetches its secrets. The SDK's standard
 * retry strategy retries throttling errors with backoff; a client built with retries off fails on
 * the first one. The storm here is {@code count} throttled answers to GetSecretValue, then normal
 * service.
 *
 * <p>The injected clients have retries off (the testkit's default, so that a fault hits exactly the
 * call it matches). The retrying client is built here, as an application builds its own, with
 * {@link SmLocal#endpoint()} and {@link SmLocal#credentialsFor}. Its backoff is set to
 * "retry immediately" so that the test takes no wall time; note that throttling errors have their
 * own backoff ({@code throttlingBackoffStrategy}), set separately from {@code backoffStrategy}.
 */
@SmLocalTest
class ThrottlingDrillTest {
    static final String SECRET = "orders/db";

    /** The SDK's standard retry strategy (AWS retry conditions included), without waiting between attempts. */
    static RetryStrategy standardRetriesWithoutBackoff(int maxAttempts) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)                                       // standard mode's default is 3
                .backoffStrategy(BackoffStrategy.retryImmediately())            // for 5xx and connection errors
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())  // for ThrottlingException
                .build();
    }

    /** An application's own client against smlocal, with the given retry strategy. */
    static SecretsManagerClient clientWith(SmLocal smlocal, RetryStrategy retries) {
        return SecretsManagerClient.builder()
                .endpointOverride(smlocal.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(smlocal.credentialsFor(SmLocal.DEFAULT_ACCOUNT))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(retries))
                .build();
    }

    /** A storm: the next {@code count} GetSecretValue calls in us-east-1 are throttled. */
    static Fault throttlingStorm(SmLocal smlocal, int count) {
        return smlocal.chaos().add(FaultSpec.throttle("us-east-1", "GetSecretValue").withCount(count));
    }

    @Test
    void withoutRetriesEveryCallInTheStormFails(SecretsManagerClient noRetries, SmLocal smlocal) {
        // Arrange
        noRetries.createSecret(b -> b.name(SECRET).secretString("pw-1"));

        try (Fault storm = throttlingStorm(smlocal, 3)) {
            // Act + Assert: three calls, three ThrottlingExceptions, one attempt each
            for (int call = 1; call <= 3; call++) {
                SecretsManagerException e = assertThrows(SecretsManagerException.class,
                        () -> noRetries.getSecretValue(b -> b.secretId(SECRET)));
                assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
                assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
                assertEquals(400, e.statusCode());
                assertTrue(e.isThrottlingException());
                assertEquals(1, e.numAttempts());
            }
            // the storm is over: the fault used up its count
            assertEquals("pw-1", noRetries.getSecretValue(b -> b.secretId(SECRET)).secretString());
        }

        assertEquals(3, throttledAttempts(smlocal));
    }

    @Test
    void standardRetriesRideOutAStormShorterThanTheirAttempts(SecretsManagerClient setup, SmLocal smlocal) {
        // Arrange
        setup.createSecret(b -> b.name(SECRET).secretString("pw-1"));

        try (SecretsManagerClient app = clientWith(smlocal, standardRetriesWithoutBackoff(4));
             Fault storm = throttlingStorm(smlocal, 3)) {
            // Act: one call; the SDK makes four attempts behind it
            String value = app.getSecretValue(b -> b.secretId(SECRET)).secretString();

            // Assert
            assertEquals("pw-1", value);
        }

        assertEquals(3, throttledAttempts(smlocal));
        assertEquals(List.of("ThrottlingException", "ThrottlingException", "ThrottlingException", "ok"),
                outcomesOf(smlocal, "GetSecretValue"));
    }

    @Test
    void aStormLongerThanTheAttemptsFailsEvenWithRetries(SecretsManagerClient setup, SmLocal smlocal) {
        // Arrange: the standard strategy's default three attempts against a storm of three
        setup.createSecret(b -> b.name(SECRET).secretString("pw-1"));

        try (SecretsManagerClient app = clientWith(smlocal, standardRetriesWithoutBackoff(3));
             Fault storm = throttlingStorm(smlocal, 3)) {
            // Act
            SecretsManagerException e = assertThrows(SecretsManagerException.class,
                    () -> app.getSecretValue(b -> b.secretId(SECRET)));

            // Assert: the last attempt's error surfaces, after all three attempts
            assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
            assertEquals(3, e.numAttempts());
        }

        assertEquals(3, throttledAttempts(smlocal));
    }

    /** How many calls the throttle fault hit: its {@code FaultApplied} events. */
    private static long throttledAttempts(SmLocal smlocal) {
        return smlocal.events().stream()
                .filter(e -> e.eventName().equals("FaultApplied"))
                .filter(e -> "throttle".equals(e.requestParameters().get("action")))
                .count();
    }

    /** The outcome of each call of {@code operation}, oldest first: its error code, or "ok". */
    private static List<String> outcomesOf(SmLocal smlocal, String operation) {
        return smlocal.events().stream()
                .filter(e -> e.eventName().equals(operation))
                .map(e -> e.failed() ? e.errorCode() : "ok")
                .toList();
    }
}
