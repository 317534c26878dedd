package dev.smlocal.testkit;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;

/**
 * Replication seen from a test. Replica copies wait on the emulator clock for the replication lag,
 * so {@link #pending()} lists what a {@link ClockControl#advance} would deliver.
 */
@PublicApi
public interface Replication {
    /** Scheduled replication work (tasks named {@code replicate…}), in the order it will run. */
    List<PendingTask> pending();

    /**
     * The replication status of {@code secretId}'s replica in {@code replicaRegion}, as the
     * primary's {@code DescribeSecret} reports it (default account); empty when the secret has no
     * replica there. {@code secretId} is a name or an ARN; a name is looked up in the configured
     * regions, and from a replica the primary region it names.
     */
    Optional<ReplicationStatusType> status(String secretId, String replicaRegion);
}
