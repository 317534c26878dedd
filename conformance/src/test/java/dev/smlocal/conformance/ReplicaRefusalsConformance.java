package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.conformance.support.Expect;
import dev.smlocal.conformance.support.RawAnswer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;

/**
 * A replica is read-only (AWS-BEHAVIOUR §7.4, §7.6): every write in the replica's region is refused with
 * {@code InvalidParameterException} "Operation not permitted on a replica secret. Call must be made in
 * primary secret's region." and changes nothing; reads work; deleting a primary that still has
 * replicas is refused naming its ARN and the regions. The raw view checks {@code __type}, the exact
 * message and that the body holds nothing else.
 */
class ReplicaRefusalsConformance extends MultiRegionCheck {

    /** A request for {@code operation} on replica {@code id} that is otherwise acceptable. */
    private ObjectNode writeOn(String operation, String id, String arn) {
        return switch (operation) {
            case "DeleteSecret", "RestoreSecret", "DeleteResourcePolicy", "CancelRotateSecret" -> json("SecretId", id);
            case "PutResourcePolicy" -> json("SecretId", id, "ResourcePolicy", ResourcePolicyConformance.policy(account(arn)));
            case "UpdateSecret" -> json("SecretId", id, "Description", "changed on the replica");
            case "PutSecretValue" -> json("SecretId", id, "SecretString", "changed", "ClientRequestToken", token());
            case "TagResource" -> json("SecretId", id, "Tags", List.of(Map.of("Key", "k", "Value", "v")));
            case "UntagResource" -> json("SecretId", id, "TagKeys", List.of("team"));
            case "RotateSecret" -> json("SecretId", id, "ClientRequestToken", token(),
                    "RotationLambdaARN", RotationCheck.noSuchFunction(replicaRegion(), account(arn)));
            case "UpdateSecretVersionStage" -> json("SecretId", id, "VersionStage", "CUSTOM",
                    "MoveToVersionId", currentVersion(id));
            case "ReplicateSecretToRegions" -> json("SecretId", id,
                    "AddReplicaRegions", List.of(Map.of("Region", target.region())));
            case "RemoveRegionsFromReplication" -> json("SecretId", id, "RemoveReplicaRegions", List.of(replicaRegion()));
            default -> throw new IllegalArgumentException(operation);
        };
    }

    private String currentVersion(String id) {
        return replicaSm().describeSecret(b -> b.secretId(id)).versionIdsToStages().entrySet().stream()
                .filter(e -> e.getValue().contains("AWSCURRENT")).map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    /** A replicated secret, tagged team=core, whose replica is readable. */
    private String replicated() {
        String n = name("s");
        track(n);
        sm().createSecret(b -> b.name(n).secretString("v").tags(t -> t.key("team").value("core"))
                .addReplicaRegions(to(replicaRegion())));
        expectInSync(n, replicaRegion());
        awaitReplicaValue(n, "v");
        return n;
    }

    private void refusedOnTheReplica(String operation) {
        String n = replicated();
        String arn = replicaSm().describeSecret(b -> b.secretId(n)).arn();

        unchanged(List.of(target.region(), replicaRegion()), n,
                () -> Expect.error(raw(replicaRegion(), operation, writeOn(operation, n, arn)), 400,
                        "InvalidParameterException", REPLICA_REFUSED));

        DescribeSecretResponse after = replicaSm().describeSecret(b -> b.secretId(n));
        assertEquals(target.region(), after.primaryRegion(), "still a replica");
        assertNull(after.deletedDate());
        assertNull(after.description());
        assertEquals("v", replicaSm().getSecretValue(b -> b.secretId(n)).secretString(), "the value is unchanged");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DeleteSecret", "PutResourcePolicy"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.4 [V] — quoted from AWS in gruntwork-io/cloud-nuke#435 (DeleteSecret) and lgallard/terraform-aws-secrets-manager#188 (PutResourcePolicy), not yet run by this suite")
    void verifiedWritesOnAReplicaAreRefused(String operation) {
        refusedOnTheReplica(operation);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UpdateSecret", "PutSecretValue", "TagResource", "UntagResource", "DeleteResourcePolicy",
            "RotateSecret", "CancelRotateSecret", "RestoreSecret", "ReplicateSecretToRegions",
            "RemoveRegionsFromReplication"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.4 [E] — moto/LocalStack refuse these on a replica with the same type and text")
    void otherWritesOnAReplicaAreRefused(String operation) {
        refusedOnTheReplica(operation);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.4 [U] — UpdateSecretVersionStage on a replica: the same refusal recommended")
    void movingAStagingLabelOnAReplicaIsRefused() {
        refusedOnTheReplica("UpdateSecretVersionStage");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.4 / §7.6 [V] — the SDK sees InvalidParameterException with the replica text (cloud-nuke#435)")
    void sdkSeesTheReplicaRefusal() {
        String n = replicated();

        unchanged(List.of(target.region(), replicaRegion()), n, () -> refused(InvalidParameterException.class,
                "InvalidParameterException", REPLICA_REFUSED,
                () -> replicaSm().deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(true))));
        assertTrue(existsIn(replicaRegion(), n), "the replica is still there");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GetSecretValue", "DescribeSecret", "ListSecretVersionIds", "BatchGetSecretValue"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.3 [D][V] — reads work in the replica region")
    void readsOnAReplicaWork(String operation) {
        String n = replicated();
        ObjectNode body = operation.equals("BatchGetSecretValue") ? json("SecretIdList", List.of(n)) : json("SecretId", n);

        RawAnswer a = raw(replicaRegion(), operation, body);

        Expect.that(a).status(200).verify();
        if (operation.equals("BatchGetSecretValue")) {
            assertEquals("v", a.body().get("SecretValues").get(0).get("SecretString").asText());
            assertEquals(0, a.body().path("Errors").size());
        }
        if (operation.equals("GetSecretValue")) assertEquals("v", a.body().get("SecretString").asText());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DeleteSecret / §7.6 [V] — 'You can't delete secret <ARN> that still has replica regions [r1, r2].' (aws-nuke#1127, cloud-nuke#435)")
    void deletingAPrimaryWithReplicasIsRefusedNamingThem() {
        String n = name("s");
        String arn = createReplicated(n, "v", replicaRegions().stream().map(MultiRegionCheck::to)
                .toArray(software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType[]::new)).arn();
        String expected = "You can't delete secret " + arn + " that still has replica regions ["
                + String.join(", ", replicaRegions()) + "].";

        unchanged(target.regions(), n, () -> {
            refused(InvalidParameterException.class, "InvalidParameterException", expected,
                    () -> sm().deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(true)));
            Expect.error(raw("DeleteSecret", json("SecretId", n, "RecoveryWindowInDays", 7)), 400,
                    "InvalidParameterException", expected);
        });
        assertNull(sm().describeSecret(b -> b.secretId(n)).deletedDate(), "not scheduled for deletion");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.4 [U] — a replica may change its own encryption key: UpdateSecret carrying only KmsKeyId (recommended); later values are encrypted under it")
    @CreatesKeys(1)
    void aReplicaMayChangeItsOwnKey() {
        String n = replicated();
        KeyMetadata key = kms(replicaRegion()).createKey(b -> b.description("conformance: replica's own key")).keyMetadata();
        trackKey(replicaRegion(), key.keyId());

        Expect.ok(raw(replicaRegion(), "UpdateSecret", json("SecretId", n, "KmsKeyId", key.arn())), "ARN", "Name");
        target.eventually("the primary's status names the replica's new key",
                () -> key.arn().equals(status(n, replicaRegion()).orElseThrow().kmsKeyId()));
        sm().putSecretValue(b -> b.secretId(n).secretString("v2"));
        awaitReplicaValue(n, "v2");

        assertEquals(key.arn(), replicaSm().describeSecret(b -> b.secretId(n)).kmsKeyId());
        assertEquals(List.of(key.arn()), currentKeyIds(n));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.4 [U] — a replica's key change re-encrypts the replica at once (recommended)")
    @CreatesKeys(1)
    void aReplicaKeyChangeReencryptsTheReplicaAtOnce() {
        String n = replicated();
        KeyMetadata key = kms(replicaRegion()).createKey(b -> b.description("conformance: replica's own key")).keyMetadata();
        trackKey(replicaRegion(), key.keyId());

        replicaSm().updateSecret(b -> b.secretId(n).kmsKeyId(key.arn()));

        assertEquals(key.arn(), replicaSm().describeSecret(b -> b.secretId(n)).kmsKeyId());
        // as on a primary (AWS-BEHAVIOUR §5 UpdateSecret): the current version is now encrypted under the new key
        // too; whether the old key's copy is still listed is not verified, so only the new key is checked
        assertTrue(currentKeyIds(n).contains(key.arn()), currentKeyIds(n).toString());
        assertEquals("v", replicaSm().getSecretValue(b -> b.secretId(n)).secretString());
    }

    private List<String> currentKeyIds(String n) {
        return replicaSm().listSecretVersionIds(b -> b.secretId(n)).versions().stream()
                .filter(v -> v.versionStages().contains("AWSCURRENT")).findFirst().orElseThrow().kmsKeyIds();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.4 [U] — UpdateSecret on a replica with anything besides KmsKeyId is the replica refusal")
    @CreatesKeys(1)
    void aReplicaKeyChangeWithOtherFieldsIsRefused() {
        String n = replicated();
        KeyMetadata key = kms(replicaRegion()).createKey(b -> b.description("conformance: replica's own key")).keyMetadata();
        trackKey(replicaRegion(), key.keyId());

        unchanged(List.of(target.region(), replicaRegion()), n, () -> Expect.error(raw(replicaRegion(), "UpdateSecret",
                json("SecretId", n, "KmsKeyId", key.arn(), "Description", "no")), 400, "InvalidParameterException",
                REPLICA_REFUSED));
        assertNull(replicaSm().describeSecret(b -> b.secretId(n)).kmsKeyId());
    }
}
