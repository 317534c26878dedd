package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * What the multi-Region checks share (AWS-BEHAVIOUR §7): the replica region (the target's second region),
 * creating a replicated primary, reading a replica's status off its primary, and waiting for
 * replication with {@link dev.smlocal.conformance.support.Target#awaitReplication} — the emulator
 * clock advanced in process, bounded polling against AWS, where replication takes seconds to
 * minutes. Checks wait for an outcome ({@code InSync} or {@code Failed}) and then assert which, so a
 * wrong outcome reads as such rather than as a timeout.
 *
 * <p>Cleanup: a check tracks its primaries; the ledger removes their replicas before deleting them,
 * and removes a tracked replica through its primary.
 */
abstract class MultiRegionCheck extends ConformanceCheck {
    static final String REPLICA_REFUSED =
            "Operation not permitted on a replica secret. Call must be made in primary secret's region.";
    static final String SUCCEEDED = "Replication succeeded";
    static final String ENCRYPT_FAILED = "Replication failed: Secrets Manager can't encrypt the secret value: ";
    static final String DEFAULT_KEY = "alias/aws/secretsmanager";

    @BeforeEach
    void needsTwoRegions() {
        assumeTrue(target.regions().size() > 1 && !target.otherRegion().equals(target.region()),
                "multi-Region checks need two regions (-Dsmlocal.regions / -Dsmlocal.aws.regions)");
    }

    /** Where replicas go: the target's second region. */
    String replicaRegion() {
        return target.otherRegion();
    }

    /** Every configured region but the first: the most replicas a check may make. */
    List<String> replicaRegions() {
        return target.regions().subList(1, target.regions().size());
    }

    /** A commercial region none of the target's regions is (no replica lives there). */
    String unusedRegion() {
        return List.of("eu-west-1", "ap-southeast-2", "eu-central-1", "ap-northeast-1").stream()
                .filter(r -> !target.regions().contains(r)).findFirst().orElseThrow();
    }

    SecretsManagerClient replicaSm() {
        return sm(replicaRegion());
    }

    static ReplicaRegionType to(String region) {
        return ReplicaRegionType.builder().region(region).build();
    }

    static ReplicaRegionType to(String region, String kmsKeyId) {
        return ReplicaRegionType.builder().region(region).kmsKeyId(kmsKeyId).build();
    }

    /** A primary in the first region with {@code value} (null: none), replicated to {@code regions}. */
    CreateSecretResponse createReplicated(String name, String value, ReplicaRegionType... regions) {
        track(name);
        return sm().createSecret(b -> {
            b.name(name).addReplicaRegions(regions);
            if (value != null) b.secretString(value);
        });
    }

    /** A primary replicated to the replica region with its default key, already {@code InSync} and visible there. */
    CreateSecretResponse createInSync(String name, String value) {
        CreateSecretResponse r = createReplicated(name, value, to(replicaRegion()));
        expectInSync(name, replicaRegion());
        target.awaitReplication("the replica of " + name + " is visible in " + replicaRegion(),
                () -> existsIn(replicaRegion(), name));
        return r;
    }

    /** The replica's entry in the primary's ReplicationStatus, if it has one. */
    Optional<ReplicationStatusType> status(String primaryId, String region) {
        var d = sm().describeSecret(b -> b.secretId(primaryId));
        if (!d.hasReplicationStatus()) return Optional.empty();
        return d.replicationStatus().stream().filter(s -> region.equals(s.region())).findFirst();
    }

    /** Waits until the replica's status has left {@code InProgress}, and answers it. */
    ReplicationStatusType awaitOutcome(String primaryId, String region) {
        AtomicReference<ReplicationStatusType> last = new AtomicReference<>();
        try {
            target.awaitReplication("replication of " + primaryId + " to " + region + " has an outcome", () -> {
                last.set(status(primaryId, region).orElse(null));
                return last.get() != null && last.get().status() != StatusType.IN_PROGRESS;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last status " + last.get(), e);
        }
        return last.get();
    }

    /** Waits for an outcome and requires it to be {@code InSync}. */
    ReplicationStatusType expectInSync(String primaryId, String region) {
        ReplicationStatusType s = awaitOutcome(primaryId, region);
        if (s.status() != StatusType.IN_SYNC) {
            throw new AssertionError("replica in " + region + " expected InSync, was " + s.status() + " \""
                    + s.statusMessage() + "\"");
        }
        return s;
    }

    /**
     * Waits until the replica's status is {@code wanted}: after a change to a secret whose replica
     * already has an outcome (which may stay as it was until the change arrives).
     */
    ReplicationStatusType awaitStatus(String primaryId, String region, StatusType wanted) {
        AtomicReference<ReplicationStatusType> last = new AtomicReference<>();
        try {
            target.awaitReplication("replica of " + primaryId + " in " + region + " is " + wanted, () -> {
                last.set(status(primaryId, region).orElse(null));
                return last.get() != null && last.get().status() == wanted;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last status " + last.get(), e);
        }
        return last.get();
    }

    /** Waits (replication) until the replica region reads {@code expected} as the secret's current value. */
    void awaitReplicaValue(String id, String expected) {
        AtomicReference<String> last = new AtomicReference<>();
        try {
            target.awaitReplication("the replica in " + replicaRegion() + " reads " + expected, () -> {
                last.set(valueIn(replicaRegion(), id));
                return expected.equals(last.get());
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last read " + last.get(), e);
        }
    }

    /** The secret's current value in {@code region}, or null when it is not there (or has no value). */
    String valueIn(String region, String id) {
        try {
            return sm(region).getSecretValue(b -> b.secretId(id)).secretString();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    /** Whether DescribeSecret finds the secret in {@code region}. */
    boolean existsIn(String region, String id) {
        try {
            sm(region).describeSecret(b -> b.secretId(id));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** The same secret's ARN in another region: AWS keeps name and suffix. */
    static String arnIn(String arn, String region) {
        String[] p = arn.split(":", 6);
        p[3] = region;
        return String.join(":", Arrays.asList(p));
    }

    static String account(String arn) {
        return arn.split(":")[4];
    }

    /** The regions of a ReplicationStatus list, in order. */
    static List<String> regionsOf(List<ReplicationStatusType> status) {
        return status.stream().map(ReplicationStatusType::region).toList();
    }
}
