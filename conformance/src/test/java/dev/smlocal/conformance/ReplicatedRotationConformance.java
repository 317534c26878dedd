package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.smlocal.conformance.support.RotationFunctionServer.Function;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * Rotation and replication together (AWS-BEHAVIOUR §7.1, §7.5, §8): rotation runs on the primary and its
 * result reaches the replicas; a promoted replica rotates on its own. A rotation function is needed,
 * so these are {@code @EmulatorOnly}.
 */
class ReplicatedRotationConformance extends MultiRegionCheck {
    static final String NEEDS_FUNCTION = RotationConformance.NEEDS_FUNCTION;

    private String rotate(String n, Function f, String region) {
        String arn = sm(region).describeSecret(b -> b.secretId(n)).arn();
        String token = sm(region).rotateSecret(b -> b.secretId(n).rotationLambdaARN(f.arn(region, account(arn)))
                .rotationRules(r -> r.automaticallyAfterDays(30L))).versionId();
        powers().advance(Duration.ZERO);
        return token;
    }

    @Test
    @EmulatorOnly(NEEDS_FUNCTION)
    void theRotatedValueReachesTheReplica() {
        powers().advance(Duration.ZERO);
        Function f = RotationCheck.function(this);
        String n = name("s");
        createInSync(n, "v1");

        String token = rotate(n, f, target.region());

        awaitReplicaValue(n, Function.valueFor(token));
        assertEquals(token, replicaSm().getSecretValue(b -> b.secretId(n)).versionId());
        assertEquals("v1", replicaSm().getSecretValue(b -> b.secretId(n).versionStage("AWSPREVIOUS")).secretString());
        DescribeSecretResponse p = sm().describeSecret(b -> b.secretId(n));
        target.awaitReplication("the replica shows the primary's stages",
                () -> p.versionIdsToStages().equals(replicaSm().describeSecret(b -> b.secretId(n)).versionIdsToStages()));
    }

    @Test
    @EmulatorOnly(NEEDS_FUNCTION)
    void aPromotedReplicaRotatesOnItsOwn() {
        powers().advance(Duration.ZERO);
        Function f = RotationCheck.function(this);
        String n = name("s");
        createInSync(n, "v1");
        awaitReplicaValue(n, "v1");
        scenario().track(replicaRegion(), n);
        replicaSm().stopReplicationToReplica(b -> b.secretId(n));

        String token = rotate(n, f, replicaRegion());

        assertEquals(Function.valueFor(token), valueIn(replicaRegion(), n), "errors: " + f.errors());
        assertNotNull(replicaSm().describeSecret(b -> b.secretId(n)).lastRotatedDate());
        assertEquals("v1", valueIn(target.region(), n), "the old primary is not rotated");
    }
}
