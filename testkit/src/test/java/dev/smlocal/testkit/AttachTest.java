package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.http.AwsJsonDispatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * {@code attachTo(URI)}: the same handle drives a server that runs on its own (here one started by
 * the test, as a standalone jar or Docker container would be) through the admin HTTP API. Each
 * check looks at the standalone emulator directly to prove the call reached it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttachTest {
    static final Instant START = Instant.parse("2026-05-01T08:00:00Z");
    static final Emulator STANDALONE = Emulator.start(EmulatorConfig.defaults().withPort(0)
            .withClock("manual", START).withQuiet(true));

    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder()
            .attachTo(STANDALONE.endpoint()).regions("us-east-1", "eu-west-1").build();

    @AfterAll
    static void stopStandalone() {
        STANDALONE.close();
    }

    @Test
    @Order(1)
    void clientsAndHandleTalkToTheAttachedServer(@InRegion("us-east-1") SecretsManagerClient east, SmLocal smlocal) {
        east.createSecret(b -> b.name("db").secretString("v1"));
        east.deleteSecret(b -> b.secretId("db").recoveryWindowInDays(7L));

        assertEquals(STANDALONE.endpoint(), smlocal.endpoint());
        assertEquals(List.of("us-east-1", "eu-west-1"), smlocal.regions());
        assertEquals(START, smlocal.clock().now());
        assertEquals(1, smlocal.clock().pending().size());
        assertEquals(START.plus(Duration.ofDays(7)), smlocal.clock().pending().get(0).dueAt());
        assertEquals(List.of("CreateSecret", "DeleteSecret"),
                smlocal.events().stream().map(EmulatorEvent::eventName).toList());
        assertEquals("db", smlocal.events().get(0).requestParameters().get("Name"));
        assertEquals(AwsJsonDispatcher.HIDDEN, smlocal.events().get(0).requestParameters().get("SecretString"));
        assertTrue(smlocal.metrics().contains("operation=\"CreateSecret\""), smlocal.metrics());
    }

    @Test
    @Order(2)
    void resetBeforeEachReachedTheServer(SmLocal smlocal) {
        assertTrue(STANDALONE.events().all().isEmpty());
        assertTrue(STANDALONE.scheduler().pending().isEmpty());
        assertEquals(START, STANDALONE.clock().now());
        assertTrue(smlocal.events().isEmpty());
    }

    @Test
    @Order(3)
    void clockMovesTheServersClockAndRunsDueTasks(@InRegion("us-east-1") SecretsManagerClient east, SmLocal smlocal) {
        east.createSecret(b -> b.name("db").secretString("v1"));
        east.deleteSecret(b -> b.secretId("db").recoveryWindowInDays(7L));

        assertEquals(0, smlocal.clock().advance(Duration.ofDays(6)));
        assertEquals(START.plus(Duration.ofDays(6)), STANDALONE.clock().now());
        assertEquals(1, smlocal.clock().advanceUntilIdle(Duration.ofDays(30)));
        assertEquals(START.plus(Duration.ofDays(7)), STANDALONE.clock().now());
        assertEquals(0, smlocal.clock().set(START.plus(Duration.ofDays(8))));
        assertThrows(IllegalArgumentException.class, () -> smlocal.clock().set(START));
        assertTrue(east.listSecrets(b -> b.includePlannedDeletion(true)).secretList().isEmpty());
    }

    @Test
    @Order(4)
    void faultsAreRulesOnTheServerUntilClosed(@InRegion("eu-west-1") SecretsManagerClient west, SmLocal smlocal) {
        try (Fault outage = smlocal.chaos().regionOutage("eu-west-1")) {
            assertTrue(STANDALONE.faults().regionDown("eu-west-1"));
            SecretsManagerException e = assertThrows(SecretsManagerException.class, () -> west.listSecrets());
            assertEquals(503, e.statusCode());

            outage.disable();
            assertFalse(STANDALONE.faults().regionDown("eu-west-1"));
            outage.enable();
            assertTrue(STANDALONE.faults().regionDown("eu-west-1"));
        }

        assertFalse(STANDALONE.faults().regionDown("eu-west-1"));
        assertTrue(west.listSecrets().secretList().isEmpty());
        try (Fault f = smlocal.chaos().add(FaultSpec.error("eu-west-1", "ListSecrets", "InternalServiceError")
                .withProbability(0.25).withCount(3).withAccount("111122223333"))) {
            FaultSpec active = smlocal.chaos().active().get(0);
            assertEquals(FaultSpec.Action.ERROR, active.action());
            assertEquals(0.25, active.probability());
            assertEquals(3, active.count());
            assertEquals("111122223333", active.account());
            assertEquals("InternalServiceError", active.attributes().get("errorType"));
        }
        assertTrue(smlocal.chaos().active().isEmpty());
    }

    @Test
    @Order(99)
    void principalsAreDeclaredOnTheAttachedServer(
            @InRegion("us-east-1") @InAccount(value = "111122223333", principal = "role/Attached") SecretsManagerClient role,
            SmLocal smlocal) {
        smlocal.declarePrincipal("AKIAATTACHEDUSER", "arn:aws:iam::111122223333:user/u", null);

        role.createSecret(b -> b.name("by-role"));

        assertEquals("arn:aws:iam::111122223333:user/u",
                STANDALONE.principals().get("AKIAATTACHEDUSER").orElseThrow().arn());
        assertTrue(STANDALONE.principals().all().stream()
                .anyMatch(d -> d.arn().equals("arn:aws:iam::111122223333:role/Attached")));
        assertTrue(STANDALONE.secrets().summaries().stream()
                .anyMatch(x -> x.account().equals("111122223333") && x.name().equals("by-role")));
    }
}
