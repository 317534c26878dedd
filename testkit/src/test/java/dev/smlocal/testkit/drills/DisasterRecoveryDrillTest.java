package dev.smlocal.testkit.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.testkit.Fault;
import dev.smlocal.testkit.InRegion;
import dev.smlocal.testkit.SmLocal;
import dev.smlocal.testkit.SmLocalTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Drill (a): the disaster-recovery flow of the seed write-up. The primary secret lives in
 * us-east-2 with a replica in us-west-1, rotated every 30 days by a function in us-east-2. Then
 * us-east-2 fails:
 * <ol>
 *   <li>the application keeps reading, from the replica (its read path fails over on a regional
 *       failure);</li>
 *   <li>the replica is promoted with {@code StopReplicationToReplica}, called in us-west-1 (AWS has
 *       no "promote" call);</li>
 *   <li>rotation is re-enabled there, with a function in us-west-1, and its schedule runs;</li>
 *   <li>us-east-2 heals: it still holds the pre-failover secret, and the two secrets are now
 *       independent. The old primary is not "behind", it is a different secret.</li>
 * </ol>
 *
 * <p>Why it matters: this is the runbook a team executes under stress, once. Running it as a test
 * shows which steps are needed (promotion, a rotation function in the new region, re-pointing the
 * application) and what the old region looks like afterwards.
 */
@SmLocalTest(regions = {"us-east-2", "us-west-1"})
class DisasterRecoveryDrillTest {
    static final String PRIMARY = "us-east-2";
    static final String DR = "us-west-1";
    static final String SECRET = "prod/orders/db";
    static final Duration LAG = Duration.ofMillis(250);
    static final String PRIMARY_ROTATOR = "arn:aws:lambda:us-east-2:000000000000:function:smlocal-password";
    static final String DR_ROTATOR = "arn:aws:lambda:us-west-1:000000000000:function:smlocal-password";

    /** One read: which region answered, and the value. */
    record Read(String region, String value) {}

    /**
     * The application's read path: its home region first; on a regional failure (a 5xx answer, or
     * no answer at all) the replica in its failover region. Client errors such as
     * ResourceNotFoundException or AccessDeniedException are not regional failures and are thrown.
     */
    static final class FailoverReader {
        private final SecretsManagerClient home;
        private final SecretsManagerClient failover;

        FailoverReader(SecretsManagerClient home, SecretsManagerClient failover) {
            this.home = home;
            this.failover = failover;
        }

        Read read(String secretId) {
            try {
                return readFrom(home, secretId);
            } catch (SecretsManagerException e) {
                if (e.statusCode() < 500) throw e;
            } catch (SdkClientException e) {
                // connection refused, reset or timed out: the region is unreachable
            }
            return readFrom(failover, secretId);
        }

        private static Read readFrom(SecretsManagerClient client, String secretId) {
            String value = client.getSecretValue(b -> b.secretId(secretId)).secretString();
            return new Read(client.serviceClientConfiguration().region().id(), value);
        }
    }

    @Test
    void theReplicaServesIsPromotedAndRotatesWhileThePrimaryRegionIsOut(
            @InRegion(PRIMARY) SecretsManagerClient east, @InRegion(DR) SecretsManagerClient west, SmLocal smlocal) {
        // Arrange: the seed's setup, rotated once and replicated
        east.createSecret(b -> b.name(SECRET).secretString("{\"username\":\"orders\",\"password\":\"initial-pw\"}")
                .addReplicaRegions(r -> r.region(DR)));
        east.rotateSecret(b -> b.secretId(SECRET).rotationLambdaARN(PRIMARY_ROTATOR)
                .rotationRules(r -> r.automaticallyAfterDays(30L)));
        smlocal.clock().advance(LAG); // the rotation runs now; its result reaches us-west-1 after the lag
        FailoverReader app = new FailoverReader(east, west);
        Read normal = app.read(SECRET);
        assertEquals(PRIMARY, normal.region());
        String password = normal.value();

        try (Fault outage = smlocal.chaos().regionOutage(PRIMARY)) {
            // 1. us-east-2 answers 503; the app reads the same secret from the replica
            assertEquals(new Read(DR, password), app.read(SECRET));

            // 2. promote the replica: until then it refuses writes
            InvalidParameterException readOnly = assertThrows(InvalidParameterException.class,
                    () -> west.putSecretValue(b -> b.secretId(SECRET).secretString("x")));
            assertEquals("Operation not permitted on a replica secret. Call must be made in primary secret's region.",
                    readOnly.awsErrorDetails().errorMessage());
            west.stopReplicationToReplica(b -> b.secretId(SECRET));
            DescribeSecretResponse promoted = west.describeSecret(b -> b.secretId(SECRET));
            assertNull(promoted.primaryRegion(), "a standalone secret now");
            // its rotation configuration was replicated and still names the function in the failed region
            assertEquals(PRIMARY_ROTATOR, promoted.rotationLambdaARN());

            // 3. re-enable rotation in us-west-1 with a function there, every 7 days; it rotates at once
            west.rotateSecret(b -> b.secretId(SECRET).rotationLambdaARN(DR_ROTATOR)
                    .rotationRules(r -> r.automaticallyAfterDays(7L)));
            smlocal.clock().advance(Duration.ZERO);
            DescribeSecretResponse rotating = west.describeSecret(b -> b.secretId(SECRET));
            assertTrue(rotating.rotationEnabled());
            assertEquals(DR_ROTATOR, rotating.rotationLambdaARN());
            String rotatedInDr = west.getSecretValue(b -> b.secretId(SECRET)).secretString();
            assertNotEquals(password, rotatedInDr);

            // ... and the schedule runs: passing NextRotationDate rotates again
            Instant next = rotating.nextRotationDate();
            smlocal.clock().set(next);
            DescribeSecretResponse afterSchedule = west.describeSecret(b -> b.secretId(SECRET));
            assertTrue(afterSchedule.lastRotatedDate().isAfter(rotating.lastRotatedDate()));
            assertTrue(afterSchedule.nextRotationDate().isAfter(next));
            assertNotEquals(rotatedInDr, west.getSecretValue(b -> b.secretId(SECRET)).secretString());
            assertEquals(DR, app.read(SECRET).region());
        } // 4. us-east-2 heals here

        String drValue = west.getSecretValue(b -> b.secretId(SECRET)).secretString();
        // the old primary holds the pre-failover secret and no longer lists us-west-1 as a replica
        assertEquals(password, east.getSecretValue(b -> b.secretId(SECRET)).secretString());
        assertFalse(east.describeSecret(b -> b.secretId(SECRET)).hasReplicationStatus());
        // an app still preferring us-east-2 now reads that stale password: re-point it to the new
        // primary (the seed's "update DNS" step)
        assertEquals(new Read(PRIMARY, password), app.read(SECRET));
        FailoverReader repointed = new FailoverReader(west, east);
        assertEquals(new Read(DR, drValue), repointed.read(SECRET));

        // 5. the two secrets are independent: writes in one never reach the other
        east.putSecretValue(b -> b.secretId(SECRET).secretString("written-in-us-east-2"));
        west.putSecretValue(b -> b.secretId(SECRET).secretString("written-in-us-west-1"));
        smlocal.clock().advance(Duration.ofMinutes(1));

        assertEquals("written-in-us-east-2", east.getSecretValue(b -> b.secretId(SECRET)).secretString());
        assertEquals("written-in-us-west-1", west.getSecretValue(b -> b.secretId(SECRET)).secretString());
        assertTrue(smlocal.replication().pending().isEmpty());
    }

    /**
     * A region under outage runs no rotation: the rotation that falls due while it is out is held,
     * like its replication, and runs once the region heals.
     */
    @Test
    void aRegionUnderOutageRotatesOnlyAfterItHeals(@InRegion(PRIMARY) SecretsManagerClient east, SmLocal smlocal) {
        east.createSecret(b -> b.name(SECRET).secretString("initial-pw"));
        east.rotateSecret(b -> b.secretId(SECRET).rotationLambdaARN(PRIMARY_ROTATOR)
                .rotationRules(r -> r.automaticallyAfterDays(30L)));
        smlocal.clock().advance(Duration.ZERO);
        String afterFirstRotation = east.getSecretValue(b -> b.secretId(SECRET)).secretString();

        try (Fault outage = smlocal.chaos().regionOutage(PRIMARY)) {
            smlocal.clock().advance(Duration.ofDays(31)); // past the next window
            assertEquals(1, rotationsStarted(smlocal).size(), "no rotation runs in " + PRIMARY + " while it is out");
        }

        assertEquals(2, rotationsStarted(smlocal).size(), "the held rotation ran once the region healed");
        assertNotEquals(afterFirstRotation, east.getSecretValue(b -> b.secretId(SECRET)).secretString());
    }

    private static java.util.List<Instant> rotationsStarted(SmLocal smlocal) {
        return smlocal.events().stream()
                .filter(e -> e.eventName().equals("RotationStarted") && PRIMARY.equals(e.awsRegion()))
                .map(e -> e.eventTime()).toList();
    }
}
