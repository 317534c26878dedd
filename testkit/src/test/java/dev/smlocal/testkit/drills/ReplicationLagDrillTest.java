package dev.smlocal.testkit.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.testkit.InRegion;
import dev.smlocal.testkit.PendingTask;
import dev.smlocal.testkit.SmLocal;
import dev.smlocal.testkit.SmLocalTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * Drill (b): replication lag. Replication is asynchronous: a change made on the primary reaches a
 * replica some time later (on AWS "usually seconds"). An application that reads its secret in the
 * replica's region sees the old value until then, and a brand-new secret does not exist there yet.
 * A five-second lag makes the window visible; the manual clock lets the test stand inside it.
 *
 * <p>Why it matters: a deploy that writes a new password in the primary region and immediately
 * starts instances in another region that read "their" replica will hand them the previous
 * password (or ResourceNotFoundException). Code must tolerate that, or wait for the replica.
 */
@SmLocalTest(regions = {"us-east-1", "eu-west-1"}, replicationLag = "5s")
class ReplicationLagDrillTest {
    static final Duration LAG = Duration.ofSeconds(5);

    @Test
    void aNewSecretIsMissingInTheReplicaRegionUntilTheLagElapses(@InRegion("us-east-1") SecretsManagerClient primary,
                                                                 @InRegion("eu-west-1") SecretsManagerClient replica,
                                                                 SmLocal smlocal) {
        // Arrange + Act: create the secret with a replica; the call answers at once
        primary.createSecret(b -> b.name("orders/api-key").secretString("key-1")
                .addReplicaRegions(r -> r.region("eu-west-1")));

        // Assert: the primary says the replica is on its way, and the copy is scheduled 5 s out
        assertEquals(StatusType.IN_PROGRESS, statusIn(smlocal, "eu-west-1").status());
        List<PendingTask> pending = smlocal.replication().pending();
        assertEquals(1, pending.size(), pending.toString());
        assertEquals(smlocal.clock().now().plus(LAG), pending.get(0).dueAt());
        // ... and an app in eu-west-1 that starts now cannot find its secret
        assertThrows(ResourceNotFoundException.class, () -> replica.getSecretValue(b -> b.secretId("orders/api-key")));

        smlocal.clock().advance(LAG);

        ReplicationStatusType status = statusIn(smlocal, "eu-west-1");
        assertEquals(StatusType.IN_SYNC, status.status());
        assertEquals("Replication succeeded", status.statusMessage());
        assertEquals("key-1", replica.getSecretValue(b -> b.secretId("orders/api-key")).secretString());
        assertTrue(smlocal.replication().pending().isEmpty());
    }

    @Test
    void theReplicaServesTheStaleValueUntilTheLagElapses(@InRegion("us-east-1") SecretsManagerClient primary,
                                                         @InRegion("eu-west-1") SecretsManagerClient replica,
                                                         SmLocal smlocal) {
        // Arrange: a replicated secret, in sync
        primary.createSecret(b -> b.name("orders/api-key").secretString("key-1")
                .addReplicaRegions(r -> r.region("eu-west-1")));
        smlocal.clock().advance(LAG);

        // Act: the primary gets a new value
        primary.putSecretValue(b -> b.secretId("orders/api-key").secretString("key-2"));

        // Assert: the primary region has it at once, the replica region still answers the old one
        assertEquals("key-2", primary.getSecretValue(b -> b.secretId("orders/api-key")).secretString());
        assertEquals("key-1", replica.getSecretValue(b -> b.secretId("orders/api-key")).secretString());
        // The status stays InSync while the change is within its lag: it says the last replication
        // succeeded, not that the replica has the newest value. What is in flight, pending() lists.
        assertEquals(StatusType.IN_SYNC, statusIn(smlocal, "eu-west-1").status());
        List<PendingTask> inFlight = smlocal.replication().pending();
        assertEquals(1, inFlight.size(), inFlight.toString());
        assertTrue(inFlight.get(0).name().startsWith("replicate orders/api-key us-east-1->eu-west-1"), inFlight.toString());

        // one millisecond before the lag elapses: still stale
        smlocal.clock().advance(LAG.minusMillis(1));
        assertEquals("key-1", replica.getSecretValue(b -> b.secretId("orders/api-key")).secretString());

        // the lag elapses: the replica converges, with the same version id as the primary
        smlocal.clock().advance(Duration.ofMillis(1));
        assertEquals("key-2", replica.getSecretValue(b -> b.secretId("orders/api-key")).secretString());
        assertEquals(primary.getSecretValue(b -> b.secretId("orders/api-key")).versionId(),
                replica.getSecretValue(b -> b.secretId("orders/api-key")).versionId());
        assertTrue(smlocal.replication().pending().isEmpty());
    }

    /** The replica's entry in the primary's DescribeSecret ReplicationStatus. */
    private static ReplicationStatusType statusIn(SmLocal smlocal, String region) {
        return smlocal.replication().status("orders/api-key", region).orElseThrow();
    }
}
