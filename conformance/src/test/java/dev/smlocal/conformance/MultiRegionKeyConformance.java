package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * Replicas under multi-Region KMS keys (AWS-BEHAVIOUR §9.4, §7.2): a secret encrypted with an MRK replicates
 * under the related replica key, named by its {@code mrk-} id or by the replica key's ARN; the MRK id
 * in a region that has no replica key fails the replica like any missing key. Replica keys are
 * {@code Creating} for a few seconds on AWS, so the checks wait for {@code Enabled} first.
 */
class MultiRegionKeyConformance extends MultiRegionCheck {

    /** A multi-Region primary key in the first region with a replica in the replica region, Enabled there. */
    private KeyMetadata replicatedKey(String description) {
        KeyMetadata k = createMultiRegionKey(description).keyMetadata();
        kms().replicateKey(b -> b.keyId(k.keyId()).replicaRegion(replicaRegion()));
        trackKey(replicaRegion(), k.keyId());
        Await.until(target.powers(), "replica key " + k.keyId() + " is Enabled in " + replicaRegion(), () ->
                kms(replicaRegion()).describeKey(b -> b.keyId(k.keyId())).keyMetadata().keyState() == KeyState.ENABLED,
                Duration.ofMillis(50), Duration.ofMinutes(2));
        return k;
    }

    /** The KMS key ids of the replica's AWSCURRENT version (ListSecretVersionIds). */
    private List<String> replicaKeyIds(String n) {
        return replicaSm().listSecretVersionIds(b -> b.secretId(n)).versions().stream()
                .filter(v -> v.versionStages().contains("AWSCURRENT")).findFirst().orElseThrow().kmsKeyIds();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [D] — a replica secret is re-encrypted under the key named for its region; an MRK's mrk- id names the related replica key there")
    @CreatesKeys(2)
    void aReplicaMrkIdEncryptsTheReplica() {
        KeyMetadata k = replicatedKey("conformance: mrk for a replicated secret");
        String n = name("s");
        track(n);
        sm().createSecret(b -> b.name(n).secretString("v").kmsKeyId(k.keyId()).addReplicaRegions(to(replicaRegion(), k.keyId())));

        ReplicationStatusType s = expectInSync(n, replicaRegion());

        assertEquals(k.keyId(), s.kmsKeyId());
        awaitReplicaValue(n, "v");
        List<String> ids = replicaKeyIds(n);
        assertEquals(1, ids.size(), ids.toString());
        assertTrue(ids.get(0).endsWith(k.keyId()), ids.toString());
        assertFalse(ids.get(0).contains(":" + target.region() + ":"), "the replica's own region key, not the primary's: " + ids);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.1 / §9.4 [D] — the replica key may be named by its ARN; later values replicate under it")
    @CreatesKeys(2)
    void aReplicaMrkArnEncryptsLaterValuesToo() {
        KeyMetadata k = replicatedKey("conformance: mrk arn for a replicated secret");
        String replicaKeyArn = arnIn(k.arn(), replicaRegion());
        String n = name("s");
        track(n);
        sm().createSecret(b -> b.name(n).secretString("v1").kmsKeyId(k.arn())
                .addReplicaRegions(to(replicaRegion(), replicaKeyArn)));
        expectInSync(n, replicaRegion());

        sm().putSecretValue(b -> b.secretId(n).secretString("v2"));

        awaitReplicaValue(n, "v2");
        assertEquals(replicaKeyArn, status(n, replicaRegion()).orElseThrow().kmsKeyId());
        assertEquals(StatusType.IN_SYNC, status(n, replicaRegion()).orElseThrow().status());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.2 / §9.3 [V pattern] — an MRK id with no related key in the replica region: 'Key '<arn in that region>' does not exist'")
    @CreatesKeys(1)
    void anMrkWithoutAReplicaKeyThereFailsTheReplica() {
        KeyMetadata k = createMultiRegionKey("conformance: mrk not replicated").keyMetadata();
        String n = name("s");
        track(n);
        sm().createSecret(b -> b.name(n).secretString("v").kmsKeyId(k.keyId()).addReplicaRegions(to(replicaRegion(), k.keyId())));

        ReplicationStatusType s = awaitOutcome(n, replicaRegion());

        assertEquals(StatusType.FAILED, s.status(), s.statusMessage());
        String expected = ENCRYPT_FAILED + "Key '" + arnIn(k.arn(), replicaRegion()) + "' does not exist";
        assertTrue(s.statusMessage().startsWith(expected), "expected to start with \"" + expected + "\", was \"" + s.statusMessage() + "\"");
        assertFalse(existsIn(replicaRegion(), n));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.1 / §9.4 [D] — every replica is re-encrypted under a key of its own region: an MRK-encrypted primary may replicate under the replica region's default key")
    @CreatesKeys(1)
    void anMrkSecretMayReplicateUnderTheDefaultKey() {
        KeyMetadata k = createMultiRegionKey("conformance: mrk primary, default replica key").keyMetadata();
        String n = name("s");
        track(n);
        sm().createSecret(b -> b.name(n).secretString("v").kmsKeyId(k.keyId()).addReplicaRegions(to(replicaRegion())));

        ReplicationStatusType s = expectInSync(n, replicaRegion());

        assertEquals(DEFAULT_KEY, s.kmsKeyId());
        awaitReplicaValue(n, "v");
    }
}
