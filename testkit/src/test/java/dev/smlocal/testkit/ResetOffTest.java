package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@code resetBeforeEach(false)}: data, time and faults carry over from one test to the next. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetOffTest {
    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder().resetBeforeEach(false).build();

    @Test
    @Order(1)
    void firstTestWrites(SecretsManagerClient client, SmLocal smlocal) {
        client.createSecret(b -> b.name("db").secretString("v1"));
        smlocal.clock().advance(Duration.ofMinutes(3));
        smlocal.chaos().throttle("us-east-1", "DeleteSecret");
    }

    @Test
    @Order(2)
    void secondTestStillSeesIt(SecretsManagerClient client, SmLocal smlocal) {
        assertEquals("v1", client.getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals(SmLocalExtension.DEFAULT_START.plus(Duration.ofMinutes(3)), smlocal.clock().now());
        assertEquals(1, smlocal.chaos().active().size());
    }
}
