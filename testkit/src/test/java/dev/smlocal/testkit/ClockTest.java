package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The manual clock: scheduled work happens when the test moves time, in order, at once. */
@SmLocalTest
class ClockTest {
    static final Instant START = SmLocalExtension.DEFAULT_START;

    @Test
    void advancingPastTheRecoveryWindowPurgesTheSecret(SecretsManagerClient client, SmLocal smlocal) {
        client.createSecret(b -> b.name("db").secretString("v1"));
        client.deleteSecret(b -> b.secretId("db").recoveryWindowInDays(7L));

        assertEquals(0, smlocal.clock().advance(Duration.ofDays(7).minusMillis(1)));
        assertNotNull(client.describeSecret(b -> b.secretId("db")).deletedDate());
        assertEquals(1, smlocal.clock().advance(Duration.ofMillis(1)));

        assertThrows(ResourceNotFoundException.class, () -> client.describeSecret(b -> b.secretId("db")));
        assertEquals(START.plus(Duration.ofDays(7)), smlocal.clock().now());
    }

    @Test
    void pendingListsScheduledWorkInTheOrderItWillRun(SecretsManagerClient client, SmLocal smlocal) {
        client.createSecret(b -> b.name("late").secretString("v"));
        client.createSecret(b -> b.name("early").secretString("v"));
        client.deleteSecret(b -> b.secretId("late").recoveryWindowInDays(20L));
        client.deleteSecret(b -> b.secretId("early").recoveryWindowInDays(7L));

        List<PendingTask> pending = smlocal.clock().pending();

        assertEquals(2, pending.size());
        assertTrue(pending.get(0).name().contains("early"), pending.toString());
        assertEquals(START.plus(Duration.ofDays(7)), pending.get(0).dueAt());
        assertEquals(START.plus(Duration.ofDays(20)), pending.get(1).dueAt());
        assertTrue(smlocal.replication().pending().isEmpty(), "no replicate tasks among them");
    }

    @Test
    void advanceUntilIdleRunsEverythingWithinTheLimit(SecretsManagerClient client, SmLocal smlocal) {
        client.createSecret(b -> b.name("a").secretString("v"));
        client.createSecret(b -> b.name("b").secretString("v"));
        client.deleteSecret(b -> b.secretId("a").recoveryWindowInDays(7L));
        client.deleteSecret(b -> b.secretId("b").recoveryWindowInDays(30L));

        assertEquals(1, smlocal.clock().advanceUntilIdle(Duration.ofDays(10)));
        assertEquals(START.plus(Duration.ofDays(7)), smlocal.clock().now());
        assertEquals(1, smlocal.clock().advanceUntilIdle(Duration.ofDays(100)));
        assertTrue(smlocal.clock().pending().isEmpty());
    }

    @Test
    void setMovesForwardButNeverBack(SmLocal smlocal) {
        Instant later = START.plus(Duration.ofHours(2));

        smlocal.clock().set(later);

        assertEquals(later, smlocal.clock().now());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> smlocal.clock().set(START));
        assertTrue(e.getMessage().startsWith("time cannot go backwards"), e.getMessage());
    }

    @Test
    void replicationStatusIsEmptyForASecretWithoutReplicas(SecretsManagerClient client, SmLocal smlocal) {
        String arn = client.createSecret(b -> b.name("db").secretString("v")).arn();

        assertTrue(smlocal.replication().status("db", "eu-west-1").isEmpty());
        assertTrue(smlocal.replication().status(arn, "eu-west-1").isEmpty());
        assertTrue(smlocal.replication().status("never-created", "eu-west-1").isEmpty());
    }
}
