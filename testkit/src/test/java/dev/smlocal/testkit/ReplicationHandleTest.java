package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/** The replication handle: pending deliveries and per-replica status, also while a replica region is out. */
@SmLocalTest(regions = {"eu-west-1", "us-east-1"})
class ReplicationHandleTest {

    @Test
    void statusAndPendingFollowTheLag(@InRegion("us-east-1") SecretsManagerClient east, SmLocal smlocal) {
        east.createSecret(b -> b.name("db").secretString("v").addReplicaRegions(r -> r.region("eu-west-1")));

        assertEquals(1, smlocal.replication().pending().size());
        assertEquals(StatusType.IN_PROGRESS, smlocal.replication().status("db", "eu-west-1").orElseThrow().status());
        smlocal.clock().advance(Duration.ofMillis(250));

        assertTrue(smlocal.replication().pending().isEmpty());
        assertEquals(StatusType.IN_SYNC, smlocal.replication().status("db", "eu-west-1").orElseThrow().status());
    }

    @Test
    void statusIsReadFromThePrimaryWhileTheFirstConfiguredRegionIsOut(@InRegion("us-east-1") SecretsManagerClient east,
                                                                       SmLocal smlocal) {
        east.createSecret(b -> b.name("db").secretString("v").addReplicaRegions(r -> r.region("eu-west-1")));
        smlocal.clock().advance(Duration.ofMillis(250));

        try (Fault outage = smlocal.chaos().regionOutage("eu-west-1")) {
            east.putSecretValue(b -> b.secretId("db").secretString("v2"));
            smlocal.clock().advance(Duration.ofSeconds(1));

            assertEquals(StatusType.IN_PROGRESS, smlocal.replication().status("db", "eu-west-1").orElseThrow().status());
        }
        assertEquals(StatusType.IN_SYNC, smlocal.replication().status("db", "eu-west-1").orElseThrow().status());
    }
}
