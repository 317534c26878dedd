package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * With {@code @TestInstance(PER_CLASS)} the constructor is resolved before the class's
 * before-all callbacks; the server is started on that first demand and is the class's server.
 */
@SmLocalTest(regions = "sa-east-1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerClassLifecycleTest {
    private final SecretsManagerClient client;
    private final SmLocal smlocal;

    PerClassLifecycleTest(SecretsManagerClient client, SmLocal smlocal) {
        this.client = client;
        this.smlocal = smlocal;
    }

    @Test
    void constructorInjectedClientsWork(SmLocal injected) {
        client.createSecret(b -> b.name("db").secretString("v1"));

        assertEquals("v1", client.getSecretValue(b -> b.secretId("db")).secretString());
        assertSame(smlocal, injected);
    }
}
