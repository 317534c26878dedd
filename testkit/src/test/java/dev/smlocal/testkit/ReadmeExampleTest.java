package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

// readme-example:begin
@SmLocalTest(regions = {"us-east-1", "eu-west-1"})
class ReadmeExampleTest {
    @Test
    void replicaServesDuringAnOutage(@InRegion("us-east-1") SecretsManagerClient east,
                                     @InRegion("eu-west-1") SecretsManagerClient west, SmLocal smlocal) {
        east.createSecret(b -> b.name("db").secretString("s3cr3t").addReplicaRegions(r -> r.region("eu-west-1")));
        smlocal.clock().advance(Duration.ofMillis(250));                // the replication lag elapses
        try (var outage = smlocal.chaos().regionOutage("us-east-1")) {  // us-east-1 answers 503
            assertThrows(SecretsManagerException.class, () -> east.getSecretValue(b -> b.secretId("db")));
            assertEquals("s3cr3t", west.getSecretValue(b -> b.secretId("db")).secretString());
            west.stopReplicationToReplica(b -> b.secretId("db"));       // promote the replica
            west.putSecretValue(b -> b.secretId("db").secretString("rotated"));
        }                                                                // healed here
        assertEquals("s3cr3t", east.getSecretValue(b -> b.secretId("db")).secretString());
    }
}
// readme-example:end
