package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** A static {@code @RegisterExtension} field: one server for the class, clients from field initialisers. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProgrammaticStaticTest {
    static final Instant START = Instant.parse("2030-06-01T12:00:00Z");

    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder().regions("us-east-1").manualClock(START).seed(7).build();

    static final SecretsManagerClient CLIENT = SM.client("us-east-1"); // before the class's scope begins
    static int firstPort;

    @Test
    @Order(1)
    void fieldInitialiserClientTalksToTheServer() {
        firstPort = SM.handle().endpoint().getPort();

        CLIENT.createSecret(b -> b.name("db").secretString("v1"));

        assertEquals("v1", CLIENT.getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals(START, SM.handle().clock().now());
    }

    @Test
    @Order(2)
    void theSameServerServesTheWholeClassAndIsResetBetweenTests(SmLocal smlocal, SecretsManagerClient injected) {
        assertEquals(firstPort, smlocal.endpoint().getPort());
        assertEquals(SM.client(), injected);
        assertThrows(ResourceNotFoundException.class, () -> CLIENT.getSecretValue(b -> b.secretId("db")));
    }
}
