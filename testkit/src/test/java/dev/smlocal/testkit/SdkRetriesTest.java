package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@code sdkRetries(true)} gives injected clients the SDK's standard retries back. */
class SdkRetriesTest {
    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder().sdkRetries(true).build();

    @Test
    void retryingClientGetsThroughTwoInjectedServerErrors(SecretsManagerClient client, SmLocal smlocal) {
        try (Fault twice = smlocal.chaos().add(
                FaultSpec.error("us-east-1", "ListSecrets", "InternalServiceError").withCount(2))) {
            assertTrue(client.listSecrets().secretList().isEmpty());
        }

        assertEquals(3, smlocal.events().stream().filter(e -> e.eventName().equals("ListSecrets")).count(),
                "two failed attempts and the successful third: " + smlocal.events());
    }
}
