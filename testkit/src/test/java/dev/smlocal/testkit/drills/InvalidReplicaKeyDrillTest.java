package dev.smlocal.testkit.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.testkit.InRegion;
import dev.smlocal.testkit.SmLocal;
import dev.smlocal.testkit.SmLocalTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.ReplicateSecretToRegionsResponse;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * Drill (c): the silent invalid-replica-key failure. Secrets Manager does not check a replica's
 * {@code KmsKeyId} when you ask for the replica: CreateSecret and ReplicateSecretToRegions answer
 * HTTP 200 with the replica {@code InProgress}, and only later does the replica go {@code Failed},
 * with {@code Replication failed: Secrets Manager can't encrypt the secret value: <KMS error>}.
 * Nothing is thrown, CloudFormation/Terraform report success, and the replica region simply has no
 * secret, which nobody notices until the day of the failover.
 *
 * <p>The cases: a multi-Region key ({@code mrk-…}) that was never replicated to the replica's
 * region (the key id looks valid everywhere, but only exists where it was created or replicated);
 * a secret created without a value, whose replica goes {@code InSync} under any key and fails only
 * with its first value; and a key that is disabled. The cure is a {@link #failedReplicas detector}
 * that reads {@code ReplicationStatus} and alerts on {@code Failed}; run it in CI after
 * provisioning and periodically in monitoring. The fix is a usable key in the replica region, then
 * removing and re-adding the replica.
 */
@SmLocalTest(regions = {"us-east-1", "eu-west-1"})
class InvalidReplicaKeyDrillTest {
    static final Duration LAG = Duration.ofMillis(250);
    static final String SECRET = "payments/stripe";

    /**
     * The detector: every replica, of every secret this client's region holds as primary, whose
     * replication failed, as one alert line each. ListSecrets does not carry ReplicationStatus, so
     * it asks DescribeSecret for each secret.
     */
    static List<String> failedReplicas(SecretsManagerClient sm) {
        List<String> alerts = new ArrayList<>();
        for (ListSecretsResponse page : sm.listSecretsPaginator(b -> b.maxResults(100))) {
            for (SecretListEntry secret : page.secretList()) {
                DescribeSecretResponse d = sm.describeSecret(b -> b.secretId(secret.arn()));
                for (ReplicationStatusType replica : d.replicationStatus()) {
                    if (replica.status() == StatusType.FAILED) {
                        alerts.add(d.name() + " -> " + replica.region() + ": " + replica.statusMessage());
                    }
                }
            }
        }
        return alerts;
    }

    @Test
    void aMultiRegionKeyThatIsNotReplicatedToTheReplicaRegionFailsTheReplicaSilently(
            @InRegion("us-east-1") SecretsManagerClient primary, @InRegion("eu-west-1") SecretsManagerClient replica,
            @InRegion("us-east-1") KmsClient kms, SmLocal smlocal) {
        // Arrange: a secret, and a multi-Region key that exists in us-east-1 only
        primary.createSecret(b -> b.name(SECRET).secretString("sk_live_1"));
        String mrk = kms.createKey(b -> b.multiRegion(true).description("payments")).keyMetadata().keyId();
        assertTrue(mrk.startsWith("mrk-"), mrk);

        // Act: replicate the secret to eu-west-1 under that key id
        ReplicateSecretToRegionsResponse answer = primary.replicateSecretToRegions(b -> b.secretId(SECRET)
                .addReplicaRegions(r -> r.region("eu-west-1").kmsKeyId(mrk)));

        // Assert: accepted, nothing looks wrong yet, and the detector has nothing to report
        assertEquals(200, answer.sdkHttpResponse().statusCode());
        assertEquals(StatusType.IN_PROGRESS, answer.replicationStatus().get(0).status());
        assertEquals(List.of(), failedReplicas(primary));

        smlocal.clock().advance(LAG); // Secrets Manager tries to re-encrypt under the key in eu-west-1

        ReplicationStatusType status = smlocal.replication().status(SECRET, "eu-west-1").orElseThrow();
        assertEquals(StatusType.FAILED, status.status());
        assertEquals(mrk, status.kmsKeyId());
        assertTrue(status.statusMessage().startsWith("Replication failed: Secrets Manager can't encrypt the secret value: "
                + "Key 'arn:aws:kms:eu-west-1:000000000000:key/" + mrk + "' does not exist "
                + "(Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: "), status.statusMessage());
        // the failover region has no secret at all
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                () -> replica.getSecretValue(b -> b.secretId(SECRET)));
        assertEquals("Secrets Manager can't find the specified secret.", missing.awsErrorDetails().errorMessage());
        // the detector catches it
        assertEquals(List.of(SECRET + " -> eu-west-1: " + status.statusMessage()), failedReplicas(primary));

        // Fix: replicate the key to eu-west-1 (same mrk- id there), then remove and re-add the replica
        kms.replicateKey(b -> b.keyId(mrk).replicaRegion("eu-west-1"));
        primary.removeRegionsFromReplication(b -> b.secretId(SECRET).removeReplicaRegions("eu-west-1"));
        primary.replicateSecretToRegions(b -> b.secretId(SECRET).addReplicaRegions(r -> r.region("eu-west-1").kmsKeyId(mrk)));
        smlocal.clock().advance(LAG);

        assertEquals(StatusType.IN_SYNC, smlocal.replication().status(SECRET, "eu-west-1").orElseThrow().status());
        assertEquals(List.of(), failedReplicas(primary));
        assertEquals("sk_live_1", replica.getSecretValue(b -> b.secretId(SECRET)).secretString());
        assertEquals(mrk, replica.describeSecret(b -> b.secretId(SECRET)).kmsKeyId());
    }

    @Test
    void aSecretCreatedWithoutAValueReplicatesInSyncAndFailsWithItsFirstValue(
            @InRegion("us-east-1") SecretsManagerClient primary, @InRegion("eu-west-1") SecretsManagerClient replica,
            SmLocal smlocal) {
        // Arrange: as the seed found, a secret created without a value replicates fine even under
        // a made-up key (this one is the seed's, one hex digit too long): there is nothing to encrypt yet
        String madeUp = "mrk-1234abcd12ab34cd56ef12345678990ab";
        primary.createSecret(b -> b.name(SECRET).addReplicaRegions(r -> r.region("eu-west-1").kmsKeyId(madeUp)));
        smlocal.clock().advance(LAG);
        assertEquals(StatusType.IN_SYNC, smlocal.replication().status(SECRET, "eu-west-1").orElseThrow().status());
        assertEquals(List.of(), failedReplicas(primary)); // a check right after provisioning passes

        // Act: the application's pipeline puts the first value, weeks later
        primary.putSecretValue(b -> b.secretId(SECRET).secretString("sk_live_1"));
        smlocal.clock().advance(LAG);

        // Assert: now the replica fails; only a detector that keeps running (monitoring, not just
        // a CI step after provisioning) sees it
        List<String> alerts = failedReplicas(primary);
        assertEquals(1, alerts.size(), alerts.toString());
        assertTrue(alerts.get(0).startsWith(SECRET + " -> eu-west-1: Replication failed: Secrets Manager can't "
                + "encrypt the secret value: Invalid keyId '" + madeUp + "' "
                + "(Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: "),
                alerts.get(0));
        // the replica exists, but has no value to serve
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> replica.getSecretValue(b -> b.secretId(SECRET)));
        assertEquals("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void aDisabledReplicaKeyFailsTheReplicaSilently(@InRegion("us-east-1") SecretsManagerClient primary,
                                                    @InRegion("eu-west-1") SecretsManagerClient replica,
                                                    @InRegion("eu-west-1") KmsClient kmsWest, SmLocal smlocal) {
        // Arrange: a key in the replica region that someone disabled
        String keyArn = kmsWest.createKey(b -> b.description("payments, eu-west-1")).keyMetadata().arn();
        kmsWest.disableKey(b -> b.keyId(keyArn));

        // Act: create the secret with its replica under that key
        CreateSecretResponse created = primary.createSecret(b -> b.name(SECRET).secretString("sk_live_1")
                .addReplicaRegions(r -> r.region("eu-west-1").kmsKeyId(keyArn)));

        // Assert: HTTP 200, InProgress ... then Failed once replication has run
        assertEquals(200, created.sdkHttpResponse().statusCode());
        assertEquals(StatusType.IN_PROGRESS, created.replicationStatus().get(0).status());

        smlocal.clock().advance(LAG);

        List<String> alerts = failedReplicas(primary);
        assertEquals(1, alerts.size(), alerts.toString());
        assertTrue(alerts.get(0).startsWith(SECRET + " -> eu-west-1: Replication failed: Secrets Manager can't encrypt "
                + "the secret value: " + keyArn + " is disabled. "
                + "(Service: AWSKMS; Status Code: 400; Error Code: DisabledException; Request ID: "), alerts.get(0));
        assertThrows(ResourceNotFoundException.class, () -> replica.getSecretValue(b -> b.secretId(SECRET)));

        // Fix: enable the key, then remove and re-add the replica
        kmsWest.enableKey(b -> b.keyId(keyArn));
        primary.removeRegionsFromReplication(b -> b.secretId(SECRET).removeReplicaRegions("eu-west-1"));
        primary.replicateSecretToRegions(b -> b.secretId(SECRET).addReplicaRegions(r -> r.region("eu-west-1").kmsKeyId(keyArn)));
        smlocal.clock().advance(LAG);

        assertEquals(List.of(), failedReplicas(primary));
        assertEquals(StatusType.IN_SYNC, smlocal.replication().status(SECRET, "eu-west-1").orElseThrow().status());
        assertEquals("sk_live_1", replica.getSecretValue(b -> b.secretId(SECRET)).secretString());
    }
}
