package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.smlocal.conformance.support.Expect;
import dev.smlocal.conformance.support.RawAnswer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.RemoveRegionsFromReplicationResponse;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * How a replica stops being one (AWS-BEHAVIOUR §7.5, §7.6, RemoveRegionsFromReplication, StopReplicationToReplica):
 * promotion in the replica's region makes it a standalone, writable secret with the same ARN that
 * the primary no longer lists; RemoveRegionsFromReplication deletes replicas at once and answers the
 * remaining status ({@code []}), after which the primary can be deleted.
 */
class PromotionConformance extends MultiRegionCheck {

    /** A replicated primary, its replica readable; the replica region's copy is tracked too (it may be promoted). */
    private String replicatedAndPromotable() {
        String n = name("s");
        createInSync(n, "v1");
        awaitReplicaValue(n, "v1");
        scenario().track(replicaRegion(), n);
        return n;
    }

    private boolean primaryLists(String n, String region) {
        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId(n));
        return d.hasReplicationStatus() && regionsOf(d.replicationStatus()).contains(region);
    }

    // ---- StopReplicationToReplica --------------------------------------------------------------

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.5 [D][V] — AWS CLI example stop-replication-to-replica: the answer is the promoted secret's ARN only")
    void stopReplicationAnswersThePromotedArn() {
        String n = replicatedAndPromotable();
        String replicaArn = replicaSm().describeSecret(b -> b.secretId(n)).arn();

        RawAnswer raw = raw(replicaRegion(), "StopReplicationToReplica", json("SecretId", n));

        Expect.ok(raw, "ARN");
        assertEquals(replicaArn, raw.body().get("ARN").asText());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.5 [D] — the replica may be named by its ARN; it keeps that ARN")
    void stopReplicationAcceptsTheReplicaArn() {
        String n = replicatedAndPromotable();
        String replicaArn = replicaSm().describeSecret(b -> b.secretId(n)).arn();

        String promoted = replicaSm().stopReplicationToReplica(b -> b.secretId(replicaArn)).arn();

        assertEquals(replicaArn, promoted);
        target.eventually("the promoted secret has no PrimaryRegion",
                () -> replicaSm().describeSecret(b -> b.secretId(replicaArn)).primaryRegion() == null);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.5 [D] — the promoted secret is standalone: no PrimaryRegion, it accepts writes, its value and versions are kept")
    void thePromotedSecretIsStandaloneAndWritable() {
        String n = replicatedAndPromotable();
        var before = replicaSm().describeSecret(b -> b.secretId(n)).versionIdsToStages();

        replicaSm().stopReplicationToReplica(b -> b.secretId(n));

        target.eventually("the promoted secret has no PrimaryRegion",
                () -> replicaSm().describeSecret(b -> b.secretId(n)).primaryRegion() == null);
        Expect.that(raw(replicaRegion(), "DescribeSecret", json("SecretId", n))).status(200)
                .lacks("PrimaryRegion", "ReplicationStatus").verify();
        assertEquals(before, replicaSm().describeSecret(b -> b.secretId(n)).versionIdsToStages());
        assertEquals("v1", valueIn(replicaRegion(), n));
        replicaSm().putSecretValue(b -> b.secretId(n).secretString("own"));
        replicaSm().updateSecret(b -> b.secretId(n).description("promoted"));
        assertEquals("own", valueIn(replicaRegion(), n));
        assertEquals("v1", valueIn(target.region(), n), "the old primary is untouched");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.5 [D] — the primary drops the promoted region from its ReplicationStatus")
    void thePrimaryStopsListingThePromotedRegion() {
        String n = replicatedAndPromotable();

        replicaSm().stopReplicationToReplica(b -> b.secretId(n));

        target.eventually("the primary no longer lists " + replicaRegion(), () -> !primaryLists(n, replicaRegion()));
        sm().putSecretValue(b -> b.secretId(n).secretString("primary-later"));
        assertEquals("primary-later", valueIn(target.region(), n));
    }

    @Test
    @EmulatorOnly("clock: shows that a primary change, due at the replica after the lag, no longer arrives")
    void primaryChangesNoLongerReachThePromotedSecret() {
        String n = replicatedAndPromotable();
        replicaSm().stopReplicationToReplica(b -> b.secretId(n));

        sm().putSecretValue(b -> b.secretId(n).secretString("primary-later"));
        sm().updateSecret(b -> b.secretId(n).description("primary-later"));
        powers().advance(Duration.ofMinutes(5));

        assertEquals("v1", valueIn(replicaRegion(), n));
        assertNull(replicaSm().describeSecret(b -> b.secretId(n)).description());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.5 [U] — StopReplicationToReplica on a secret that is not a replica: error type and text unknown, InvalidRequestException recommended (text not asserted)")
    void stopReplicationOnANonReplicaIsInvalidRequest() {
        String primary = name("primary");
        String alone = name("alone");
        createInSync(primary, "v");
        createSecret(alone, "v");

        for (String id : List.of(primary, alone)) {
            unchanged(List.of(target.region(), replicaRegion()), id, () -> {
                RawAnswer a = raw("StopReplicationToReplica", json("SecretId", id));
                Expect.that(a).status(400).type("InvalidRequestException").fields("__type", "Message").verify();
            });
        }
        assertEquals(StatusType.IN_SYNC, status(primary, replicaRegion()).orElseThrow().status(), "still replicated");
    }

    // ---- RemoveRegionsFromReplication ----------------------------------------------------------

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 RemoveRegionsFromReplication [D][V] — AWS CLI example: the primary's ARN and the remaining status, [] when none is left")
    void removeRegionsAnswersThePrimaryArnAndAnEmptyStatus() {
        String n = name("s");
        String arn = createInSync(n, "v").arn();

        RawAnswer raw = raw("RemoveRegionsFromReplication", json("SecretId", n, "RemoveReplicaRegions", List.of(replicaRegion())));

        Expect.ok(raw, "ARN", "ReplicationStatus");
        assertEquals(arn, raw.body().get("ARN").asText());
        assertEquals(0, raw.body().get("ReplicationStatus").size(), raw.text());
        assertEquals(true, raw.body().get("ReplicationStatus").isArray());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 RemoveRegionsFromReplication / §7.6 [D] — the replica is deleted at once, without a recovery window")
    void removedReplicaIsGone() {
        String n = name("s");
        createInSync(n, "v");
        awaitReplicaValue(n, "v");

        RemoveRegionsFromReplicationResponse r = sm().removeRegionsFromReplication(b -> b.secretId(n)
                .removeReplicaRegions(replicaRegion()));

        assertEquals(List.of(), r.replicationStatus());
        target.eventually("the replica is gone from " + replicaRegion(), () -> !existsIn(replicaRegion(), n));
        target.eventually("not even listed as scheduled for deletion", () -> replicaSm().listSecrets(b -> b
                .includePlannedDeletion(true).filters(f -> f.key(FilterNameStringType.NAME).values(n))).secretList().isEmpty());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.6 [D][V] — once its replicas are removed the primary can be deleted")
    void afterRemovalThePrimaryCanBeDeleted() {
        String n = name("s");
        createInSync(n, "v");
        sm().removeRegionsFromReplication(b -> b.secretId(n).removeReplicaRegions(replicaRegion()));

        Expect.ok(raw("DeleteSecret", json("SecretId", n, "RecoveryWindowInDays", 7)), "ARN", "Name", "DeletionDate");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DescribeSecret [V] — PrimaryRegion only while the secret takes part in replication (aws-nuke#1127)")
    void afterRemovalThePrimaryIsStandaloneAgain() {
        String n = name("s");
        createInSync(n, "v");

        sm().removeRegionsFromReplication(b -> b.secretId(n).removeReplicaRegions(replicaRegion()));

        target.eventually("the primary has no PrimaryRegion",
                () -> sm().describeSecret(b -> b.secretId(n)).primaryRegion() == null);
        Expect.that(raw("DescribeSecret", json("SecretId", n))).status(200).lacks("PrimaryRegion").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 RemoveRegionsFromReplication [E] — a region without a replica is a no-op")
    void removingARegionWithoutAReplicaIsANoOp() {
        String n = name("s");
        createInSync(n, "v");
        String elsewhere = unusedRegion();

        RawAnswer raw = raw("RemoveRegionsFromReplication", json("SecretId", n, "RemoveReplicaRegions", List.of(elsewhere)));

        Expect.ok(raw, "ARN", "ReplicationStatus");
        assertEquals(List.of(replicaRegion()), regionsOf(sm().describeSecret(b -> b.secretId(n)).replicationStatus()));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.2 [D] — a removed region can be replicated to again")
    void aRemovedRegionCanBeReplicatedAgain() {
        String n = name("s");
        createInSync(n, "v");
        sm().removeRegionsFromReplication(b -> b.secretId(n).removeReplicaRegions(replicaRegion()));
        target.eventually("the replica is gone", () -> !existsIn(replicaRegion(), n));

        sm().replicateSecretToRegions(b -> b.secretId(n).addReplicaRegions(to(replicaRegion())));

        expectInSync(n, replicaRegion());
        awaitReplicaValue(n, "v");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.5 [D] — the promoted secret is deleted like any standalone secret")
    void thePromotedSecretCanBeDeleted() {
        String n = replicatedAndPromotable();
        replicaSm().stopReplicationToReplica(b -> b.secretId(n));
        target.eventually("promoted", () -> replicaSm().describeSecret(b -> b.secretId(n)).primaryRegion() == null);

        Expect.ok(raw(replicaRegion(), "DeleteSecret", json("SecretId", n, "ForceDeleteWithoutRecovery", true)),
                "ARN", "Name", "DeletionDate");
        assertEquals("v1", valueIn(target.region(), n), "the old primary stays");
    }
}
