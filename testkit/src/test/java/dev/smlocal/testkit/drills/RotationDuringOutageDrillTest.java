package dev.smlocal.testkit.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.testkit.Fault;
import dev.smlocal.testkit.InRegion;
import dev.smlocal.testkit.SmLocal;
import dev.smlocal.testkit.SmLocalTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * Drill (d): rotation while a replica region is out, then convergence. Rotation runs only in the
 * primary region; the replicas receive its result by replication. When a replica's region is down
 * the primary still rotates on schedule, and the new value waits for the region to come back. On
 * healing, the held replication is delivered and the replica converges: the same value, the same
 * version ids, and the same staging labels (AWSCURRENT on the new version, AWSPREVIOUS on the old).
 *
 * <p>Why it matters: during the outage, anything that reads the replica once it is back (a cache
 * warmed before the outage, or an app that failed over and back) must not keep the pre-rotation
 * password past AWSPREVIOUS's useful life. The drill shows that the replica catches up by itself,
 * and how to see the held delivery from the primary: the replica's {@code ReplicationStatus} is
 * {@code InProgress} until it goes out.
 */
@SmLocalTest(regions = {"us-east-1", "eu-west-1"})
class RotationDuringOutageDrillTest {
    static final Duration LAG = Duration.ofMillis(250);
    static final String SECRET = "orders/db";
    static final String ROTATOR = "arn:aws:lambda:us-east-1:000000000000:function:smlocal-password";

    @Test
    void thePrimaryRotatesWhileTheReplicaRegionIsOutAndTheReplicaConvergesOnHealing(
            @InRegion("us-east-1") SecretsManagerClient primary, @InRegion("eu-west-1") SecretsManagerClient replica,
            SmLocal smlocal) {
        // Arrange: a replicated database secret, in sync
        primary.createSecret(b -> b.name(SECRET).secretString("{\"username\":\"orders\",\"password\":\"initial-pw\"}")
                .addReplicaRegions(r -> r.region("eu-west-1")));
        smlocal.clock().advance(LAG);
        String before = replica.getSecretValue(b -> b.secretId(SECRET)).secretString();

        try (Fault outage = smlocal.chaos().regionOutage("eu-west-1")) {
            // Act: rotate on the primary with the built-in password rotator, every 30 days
            primary.rotateSecret(b -> b.secretId(SECRET).rotationLambdaARN(ROTATOR)
                    .rotationRules(r -> r.automaticallyAfterDays(30L)));
            smlocal.clock().advance(Duration.ZERO); // the four rotation steps run now
            smlocal.clock().advance(Duration.ofHours(1)); // far past the replication lag

            // Assert: the primary has rotated
            String rotated = primary.getSecretValue(b -> b.secretId(SECRET)).secretString();
            assertNotEquals(before, rotated);
            // the replica region answers 503 to everyone, so no reader sees either value there
            SecretsManagerException down = assertThrows(SecretsManagerException.class,
                    () -> replica.getSecretValue(b -> b.secretId(SECRET)));
            assertEquals("ServiceUnavailableException", down.awsErrorDetails().errorCode());
            // the delivery is held for the region, not for the clock: nothing is scheduled, and no
            // replication to eu-west-1 has succeeded since the rotation
            assertTrue(smlocal.replication().pending().isEmpty(), smlocal.replication().pending().toString());
            assertEquals(1, replicationsSucceeded(smlocal), "only the initial one");
            // the primary reports the held delivery: the replica is InProgress again, no message
            ReplicationStatusType waiting = smlocal.replication().status(SECRET, "eu-west-1").orElseThrow();
            assertEquals(StatusType.IN_PROGRESS, waiting.status());
            assertNull(waiting.statusMessage());
        } // healed here: the held delivery goes out at once

        // Assert: the replica has converged on the primary
        GetSecretValueResponse p = primary.getSecretValue(b -> b.secretId(SECRET));
        GetSecretValueResponse r = replica.getSecretValue(b -> b.secretId(SECRET));
        assertEquals(p.secretString(), r.secretString());
        assertEquals(p.versionId(), r.versionId());
        DescribeSecretResponse pd = primary.describeSecret(b -> b.secretId(SECRET));
        DescribeSecretResponse rd = replica.describeSecret(b -> b.secretId(SECRET));
        assertEquals(pd.versionIdsToStages(), rd.versionIdsToStages());
        assertEquals(before, replica.getSecretValue(b -> b.secretId(SECRET).versionStage("AWSPREVIOUS")).secretString());
        // the rotation metadata came along too
        assertEquals(pd.lastRotatedDate(), rd.lastRotatedDate());
        assertEquals(pd.nextRotationDate(), rd.nextRotationDate());
        assertEquals(StatusType.IN_SYNC, smlocal.replication().status(SECRET, "eu-west-1").orElseThrow().status());
        assertTrue(replicationsSucceeded(smlocal) > 1);
    }

    @Test
    void twoRotationsDuringTheOutageReachTheReplicaInOrder(@InRegion("us-east-1") SecretsManagerClient primary,
                                                           @InRegion("eu-west-1") SecretsManagerClient replica,
                                                           SmLocal smlocal) {
        // Arrange
        primary.createSecret(b -> b.name(SECRET).secretString("initial-pw").addReplicaRegions(r -> r.region("eu-west-1")));
        smlocal.clock().advance(LAG);

        String first;
        try (Fault outage = smlocal.chaos().regionOutage("eu-west-1")) {
            // Act: a rotation, a day in which its replication falls due and is held, then a
            // second rotation whose replication is still within its lag when the region heals
            primary.rotateSecret(b -> b.secretId(SECRET).rotationLambdaARN(ROTATOR));
            smlocal.clock().advance(Duration.ZERO);
            first = primary.getSecretValue(b -> b.secretId(SECRET)).secretString();
            smlocal.clock().advance(Duration.ofDays(1));
            primary.rotateSecret(b -> b.secretId(SECRET));       // rotate again, with the stored configuration
            smlocal.clock().advance(Duration.ZERO);
        } // healed: what was held goes out now

        // Assert: the replica has the first rotation at once ...
        assertEquals(first, replica.getSecretValue(b -> b.secretId(SECRET)).secretString());
        // ... and the second once its lag elapses, with the first as AWSPREVIOUS, as on the primary
        smlocal.clock().advance(LAG);
        assertEquals(primary.getSecretValue(b -> b.secretId(SECRET)).secretString(),
                replica.getSecretValue(b -> b.secretId(SECRET)).secretString());
        assertEquals(first, replica.getSecretValue(b -> b.secretId(SECRET).versionStage("AWSPREVIOUS")).secretString());
        assertEquals(primary.describeSecret(b -> b.secretId(SECRET)).versionIdsToStages(),
                replica.describeSecret(b -> b.secretId(SECRET)).versionIdsToStages());
    }

    /** ReplicationSucceeded events for the route us-east-1 → eu-west-1. */
    private static long replicationsSucceeded(SmLocal smlocal) {
        return smlocal.events().stream()
                .filter(e -> e.eventName().equals("ReplicationSucceeded"))
                .filter(e -> "eu-west-1".equals(e.requestParameters().get("replicaRegion")))
                .count();
    }
}
