package dev.smlocal.server.secrets;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.kms.Envelope;
import dev.smlocal.server.kms.Kms;
import dev.smlocal.server.secrets.SecretsApi.ReplicationStatusEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The domain side of multi-Region replication: immutable snapshots of a primary taken under its
 * store's lock, and their application to a replica under the replica store's lock. Never holds two
 * stores' locks at once. Scheduling, lag, faults and status reporting belong to the replicator.
 */
public final class Replicas {
    public static final String SUCCEEDED = "Replication succeeded";

    /** One version as the primary held it when the snapshot was taken. */
    public record VersionCopy(String versionId, Envelope.Sealed sealed, boolean binary, List<String> stages,
                              Instant createdDate) {}

    /**
     * The replicated state of a primary at one moment. {@code seq} grows with every change of the
     * primary, so a replica never applies an older snapshot after a newer one.
     */
    public record Snapshot(long seq, String account, String primaryRegion, String primaryArn, String name,
                           String description, List<Tag> tags, String resourcePolicy,
                           dev.smlocal.server.auth.Policy compiledPolicy, RotationConfig rotation,
                           Instant lastRotatedDate, Instant nextRotationDate, Instant lastChangedDate, String type,
                           List<VersionCopy> versions) {}

    /** Why an apply did not happen: the text goes to the replica's StatusMessage. */
    public static final class ReplicationFailure extends RuntimeException {
        public ReplicationFailure(String statusMessage) {
            super(statusMessage, null, false, false);
        }
    }

    private final Kms kms;
    private final IdGenerator ids;

    public Replicas(SecretsService secrets, IdGenerator ids) {
        this.kms = secrets.kms();
        this.ids = ids;
    }

    public static String replicaArn(String primaryArn, String replicaRegion) {
        return SecretArn.of(primaryArn).inRegion(replicaRegion).text();
    }

    /** A snapshot of {@code s}; the caller holds the primary store's lock. */
    public static Snapshot snapshot(RegionalStore store, Secret s) {
        List<VersionCopy> versions = new ArrayList<>();
        for (SecretVersion v : s.versions()) {
            versions.add(new VersionCopy(v.versionId(), v.sealed(), v.isBinary(), List.copyOf(v.stages()),
                    v.createdDate()));
        }
        return new Snapshot(s.bumpReplicationSeq(), store.account(), store.region(), s.arn(), s.name(),
                s.description(), s.tags(), s.resourcePolicy(), s.compiledPolicy(), s.rotation(), s.lastRotatedDate(),
                s.nextRotationDate(), s.lastChangedDate(), s.type(), versions);
    }

    // ---- primary side (primary store lock) -----------------------------------------------------

    /** Adds replica regions to a primary; returns the snapshot to send them. */
    public Snapshot addRegions(RegionalStore store, Secret s, List<SecretsApi.ReplicaRegion> regions) {
        requireValidRegions(store.region(), regions);
        for (SecretsApi.ReplicaRegion r : regions) {
            for (ReplicaState existing : s.replicas()) {
                if (existing.region().equals(r.region())) throw Errors.replicaRegionExists(r.region());
            }
        }
        for (SecretsApi.ReplicaRegion r : regions) {
            s.replicas().add(new ReplicaState(r.region(), emptyToNull(r.kmsKeyId())));
        }
        s.setPrimaryRegion(store.region());
        return snapshot(store, s);
    }

    /** Missing, malformed, repeated regions and the primary's own region are {@code Invalid replica region.} */
    static void requireValidRegions(String ownRegion, List<SecretsApi.ReplicaRegion> regions) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (SecretsApi.ReplicaRegion r : regions) {
            if (r == null || r.region() == null || !dev.smlocal.server.aws.Regions.isWellFormed(r.region())
                    || !seen.add(r.region()) || ownRegion.equals(r.region())) {
                throw Errors.invalidReplicaRegion();
            }
        }
    }

    /** Drops replica regions from a primary's list; returns the regions that were there. */
    public static List<String> dropRegions(Secret s, List<String> regions) {
        List<String> dropped = new ArrayList<>();
        s.replicas().removeIf(r -> {
            if (regions.contains(r.region())) {
                dropped.add(r.region());
                return true;
            }
            return false;
        });
        if (s.replicas().isEmpty()) s.setPrimaryRegion(null);
        return dropped;
    }

    public static List<ReplicationStatusEntry> status(RegionalStore store, Secret s) {
        List<ReplicationStatusEntry> st = SecretViews.replicationStatus(s, store.region());
        return st == null ? List.of() : st;
    }

    // ---- replica side (replica store lock) -----------------------------------------------------

    /**
     * Makes the replica in {@code target} equal to {@code snap}, re-encrypted under
     * {@code replicaKeyRef} in the target region. Creates the replica on first apply; ignores a
     * snapshot older than the one applied last. Throws {@link ReplicationFailure} with AWS's status
     * text when it cannot (name taken, key unusable); the replica is then left as it was.
     */
    public void apply(RegionalStore target, Snapshot snap, String replicaKeyRef, boolean forceOverwrite,
                      Instant now) {
        target.lockedRun(() -> {
            Secret existing = target.byName(snap.name());
            String arn = replicaArn(snap.primaryArn(), target.region());
            boolean ours = existing != null && existing.arn().equals(arn)
                    && Objects.equals(existing.primaryRegion(), snap.primaryRegion());
            if (existing != null && !ours) {
                if (!forceOverwrite) {
                    throw new ReplicationFailure("Replication failed: Secret with this name already exists in this region.");
                }
            }
            if (ours && existing.appliedReplicationSeq() >= snap.seq()) return;

            List<SecretVersion> copies = reencrypt(target, snap, arn, replicaKeyRef, ours ? existing : null);
            Secret replica = ours ? existing : new Secret(arn, snap.name(), now);
            replica.setPrimaryRegion(snap.primaryRegion());
            replica.setKmsKeyId(replicaKeyRef);
            replica.setDescription(snap.description());
            replica.setTags(snap.tags());
            replica.setResourcePolicy(snap.resourcePolicy(), snap.compiledPolicy());
            replica.setRotation(snap.rotation());
            replica.setLastRotatedDate(snap.lastRotatedDate());
            replica.setNextRotationDate(snap.nextRotationDate());
            replica.setType(snap.type());
            replica.changed(snap.lastChangedDate());
            replica.replaceVersions(copies);
            replica.setAppliedReplicationSeq(snap.seq());
            if (!ours) {
                if (existing != null) target.remove(existing.name());
                target.put(replica);
            }
        });
    }

    private List<SecretVersion> reencrypt(RegionalStore target, Snapshot snap, String replicaArn, String keyRef,
                                          Secret current) {
        List<SecretVersion> out = new ArrayList<>();
        String keyLabel = keyRef == null ? ValueSealer.DEFAULT_KEY_LABEL : null;
        for (VersionCopy vc : snap.versions()) {
            SecretVersion v = Secret.newVersionForCopy(vc.versionId(), vc.createdDate());
            for (String stage : vc.stages()) v.addStage(stage);
            SecretVersion old = current == null ? null : current.version(vc.versionId());
            if (old != null && old.lastAccessedDate() != null) v.touch(old.lastAccessedDate());
            if (vc.sealed() != null) {
                if (old != null && old.hasValue() && old.sourceSealed() == vc.sealed()) {
                    v.setValue(old.sealed(), old.isBinary(), old.kmsKeyIds().isEmpty() ? "" : old.kmsKeyIds().get(0));
                    v.replaceKeyIds(old.kmsKeyIds());
                } else {
                    byte[] plain = null;
                    try {
                        plain = Envelope.open(kms, snap.account(), snap.primaryRegion(), vc.sealed(),
                                ValueSealer.context(snap.primaryArn(), vc.versionId()));
                        Envelope.Sealed sealed = Envelope.seal(kms, target.account(), target.region(), keyRef,
                                ValueSealer.context(replicaArn, vc.versionId()), plain);
                        v.setValue(sealed, vc.binary(), keyLabel != null ? keyLabel : sealed.keyArn());
                    } catch (AwsException e) {
                        throw new ReplicationFailure("Replication failed: "
                                + Errors.cannotEncryptText(KmsErrors.quoted(e, ids)));
                    } finally {
                        if (plain != null) Arrays.fill(plain, (byte) 0);
                    }
                }
                v.setSourceSealed(vc.sealed());
            }
            out.add(v);
        }
        return out;
    }

    /** Promotes a replica in {@code store} to a standalone secret; returns its primary region. */
    public static String promote(RegionalStore store, Secret s) {
        if (!s.isReplicaIn(store.region())) throw Errors.notAReplica();
        String primaryRegion = s.primaryRegion();
        s.setPrimaryRegion(null);
        return primaryRegion;
    }

    /** Deletes the replica of {@code primaryArn} held in {@code target}, if it is still one. */
    public static void deleteReplica(RegionalStore target, String primaryArn, String primaryRegion, String name) {
        target.lockedRun(() -> {
            Secret s = target.byName(name);
            if (s != null && s.arn().equals(replicaArn(primaryArn, target.region()))
                    && primaryRegion.equals(s.primaryRegion())) {
                target.remove(name);
            }
        });
    }

    /**
     * Records a read of a replica on its primary's ReplicationStatus (primary store lock taken here:
     * a follow-up of the read, after the replica store's lock).
     */
    static void replicaRead(Stores stores, String account, String primaryRegion, String name, String replicaRegion,
                            Instant day) {
        RegionalStore primary = stores.get(account, primaryRegion);
        primary.lockedRun(() -> {
            Secret p = primary.byName(name);
            if (p == null) return;
            for (ReplicaState r : p.replicas()) if (r.region().equals(replicaRegion)) r.accessed(day);
        });
    }

    /**
     * A replica chose its own KMS key (UpdateSecret on the replica): its primary's ReplicationStatus
     * names it (primary store lock taken here, a follow-up of the change).
     */
    static void replicaKeyChanged(Stores stores, String account, String primaryRegion, String name,
                                  String replicaRegion, String keyRef) {
        RegionalStore primary = stores.get(account, primaryRegion);
        primary.lockedRun(() -> {
            Secret p = primary.byName(name);
            if (p == null) return;
            for (ReplicaState rs : p.replicas()) {
                if (rs.region().equals(replicaRegion)) rs.setKmsKeyId(keyRef);
            }
        });
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
