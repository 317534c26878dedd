package dev.smlocal.classpathcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.testkit.EmulatorEvent;
import dev.smlocal.testkit.SmLocal;
import dev.smlocal.testkit.SmLocalExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code attachTo(URI)} reads the admin API's JSON with the testkit's relocated Jackson, next to the
 * user's Jackson 2.12.7.
 */
class AttachedServerTest {
    static final Instant START = Instant.parse("2026-05-01T08:00:00Z");
    static final Emulator SERVER = Emulator.start(EmulatorConfig.defaults().withPort(0)
            .withClock("manual", START).withQuiet(true));

    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder().attachTo(SERVER.endpoint()).regions("us-east-1").build();

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Test
    void handleDrivesTheServerOverHttp(SecretsManagerClient sm, SmLocal smlocal) {
        sm.createSecret(b -> b.name("db").secretString("v1"));
        sm.deleteSecret(b -> b.secretId("db").recoveryWindowInDays(7L));

        assertEquals(START, smlocal.clock().now());
        assertEquals(List.of("CreateSecret", "DeleteSecret"), smlocal.events().stream().map(EmulatorEvent::eventName).toList());
        assertEquals(1, smlocal.clock().advanceUntilIdle(Duration.ofDays(30)));
        assertEquals(START.plus(Duration.ofDays(7)), SERVER.clock().now());
    }
}
