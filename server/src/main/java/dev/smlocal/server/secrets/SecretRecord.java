package dev.smlocal.server.secrets;

import dev.smlocal.server.auth.Policy;
import dev.smlocal.server.kms.Envelope;
import dev.smlocal.server.kms.Kms;
import dev.smlocal.server.time.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link Secret} holds, as plain values: what the state document
 * ({@code persist/StateCodec}) writes and reads back. {@link #of} reads a secret (caller holds its
 * store's lock); {@link #toSecret} builds an equal one. Values stay sealed: a {@link Version} carries
 * the sealed copies exactly as held in memory, or, for a document exported with values in the clear,
 * the plaintext to seal again under the secret's key.
 *
 * <p>Restoring bypasses the API's checks on purpose (the document says what was, not what a caller
 * asks for); the codec validates the document's shape, and the resource policy is compiled here.
 */
public record SecretRecord(String arn, String name, Instant createdDate, String description, String kmsKeyId,
                           List<Tag> tags, String resourcePolicy, Instant lastChangedDate, Instant lastAccessedDate,
                           Instant deletedDate, Instant deletionDate, String owningService, String type,
                           RotationConfig rotation, Instant lastRotatedDate, Instant nextRotationDate,
                           String primaryRegion, List<Replica> replicas, long replicationSeq,
                           List<Version> versions) {

    /**
     * One version. {@code copies}: the sealed value under the secret's current key first, then the
     * copies under keys it used before (empty for a placeholder). {@code plaintext}: set only when a
     * document carried the value in the clear; {@link #toSecret} seals it and {@code copies} is empty.
     */
    public record Version(String versionId, Instant createdDate, List<String> stages, boolean binary,
                          Instant lastAccessedDate, List<String> kmsKeyIds, List<Envelope.Sealed> copies,
                          byte[] plaintext) {
        public boolean hasValue() { return !copies.isEmpty() || plaintext != null; }
    }

    /** One entry of a primary's ReplicationStatus. */
    public record Replica(String region, String kmsKeyId, String status, String statusMessage,
                          Instant lastAccessedDate) {}

    /** The encryption context a version's value is sealed with. */
    public static Map<String, String> encryptionContext(String arn, String versionId) {
        return ValueSealer.context(arn, versionId);
    }

    /** Reads {@code s}; the caller holds its store's lock. */
    public static SecretRecord of(Secret s) {
        List<Replica> replicas = new ArrayList<>();
        for (ReplicaState r : s.replicas()) {
            replicas.add(new Replica(r.region(), r.kmsKeyId(), r.status(), r.statusMessage(), r.lastAccessedDate()));
        }
        List<Version> versions = new ArrayList<>();
        for (SecretVersion v : s.versions()) {
            versions.add(new Version(v.versionId(), v.createdDate(), List.copyOf(v.stages()), v.isBinary(),
                    v.lastAccessedDate(), List.copyOf(v.kmsKeyIds()), List.copyOf(v.copies()), null));
        }
        return new SecretRecord(s.arn(), s.name(), s.createdDate(), s.description(), s.kmsKeyId(), s.tags(),
                s.resourcePolicy(), s.lastChangedDate(), s.lastAccessedDate(), s.deletedDate(), s.deletionDate(),
                s.owningService(), s.type(), s.rotation(), s.lastRotatedDate(), s.nextRotationDate(),
                s.primaryRegion(), replicas, s.appliedReplicationSeq(), versions);
    }

    /** The region this secret lives in (from its ARN). */
    public String region() { return SecretArn.of(arn).region(); }

    /** The account this secret lives in (from its ARN). */
    public String account() { return SecretArn.of(arn).account(); }

    /** The resource policy compiled as PutResourcePolicy would; throws the API's error when it does not. */
    public Policy compiledPolicy() {
        return resourcePolicy == null ? null : SecretsService.compileResourcePolicy(resourcePolicy);
    }

    /**
     * A secret equal to this record. A version with {@code plaintext} is sealed under the secret's key
     * through {@code kms} in the secret's own account and region (the KMS keys must be restored
     * first); otherwise {@code kms} is not used. The deletion window is not scheduled here: see
     * {@link #replanDeletion}.
     */
    public Secret toSecret(Kms kms) {
        Secret s = new Secret(arn, name, createdDate);
        s.setDescription(description);
        s.setKmsKeyId(kmsKeyId);
        s.setTags(tags);
        s.setResourcePolicy(resourcePolicy, compiledPolicy());
        s.setOwningService(owningService);
        s.setType(type);
        s.setRotation(rotation);
        s.setLastRotatedDate(lastRotatedDate);
        s.setNextRotationDate(nextRotationDate);
        s.setPrimaryRegion(primaryRegion);
        for (Replica r : replicas) {
            ReplicaState rs = new ReplicaState(r.region(), r.kmsKeyId());
            rs.update(r.status(), r.statusMessage());
            if (r.lastAccessedDate() != null) rs.accessed(r.lastAccessedDate());
            s.replicas().add(rs);
        }
        s.setAppliedReplicationSeq(replicationSeq);
        List<SecretVersion> restored = new ArrayList<>();
        for (Version v : versions) {
            SecretVersion sv = new SecretVersion(v.versionId(), v.createdDate());
            for (String stage : v.stages()) sv.addStage(stage);
            if (v.lastAccessedDate() != null) sv.touch(v.lastAccessedDate());
            if (v.plaintext() != null) {
                Envelope.Sealed sealed = Envelope.seal(kms, account(), region(), kmsKeyId,
                        encryptionContext(arn, v.versionId()), v.plaintext());
                sv.setValue(sealed, v.binary(), kmsKeyId == null ? ValueSealer.DEFAULT_KEY_LABEL : sealed.keyArn());
                Arrays.fill(v.plaintext(), (byte) 0);
            } else if (!v.copies().isEmpty()) {
                List<Envelope.Sealed> copies = v.copies();
                sv.setValue(copies.get(copies.size() - 1), v.binary(), "");
                for (int i = copies.size() - 2; i >= 0; i--) sv.addCopy(copies.get(i), "");
                sv.replaceKeyIds(v.kmsKeyIds());
            }
            restored.add(sv);
        }
        s.replaceVersions(restored);
        if (deletedDate != null) s.markDeleted(deletedDate, deletionDate, null);
        s.changed(lastChangedDate);
        if (lastAccessedDate != null) s.accessed(lastAccessedDate);
        return s;
    }

    // ---- the stores, for restoring -------------------------------------------------------------

    /** The secrets of {@code store}, in creation order; the caller holds its lock. */
    public static List<Secret> secretsOf(RegionalStore store) {
        return store.all();
    }

    /** Puts {@code s} into {@code store}, replacing a secret of the same name; the caller holds its lock. */
    public static void put(RegionalStore store, Secret s) {
        store.remove(s.name());
        store.put(s);
    }

    /** Removes the secret {@code name} from {@code store}; the caller holds its lock. */
    public static void remove(RegionalStore store, String name) {
        store.remove(name);
    }

    /**
     * A secret marked for deletion is removed at its deletion date: schedules that removal on the
     * emulator clock (a date already passed removes it at the scheduler's next run), as DeleteSecret
     * did. Takes {@code store}'s lock. No-op for a secret not marked.
     */
    public static void replanDeletion(RegionalStore store, String name, Scheduler scheduler) {
        store.lockedRun(() -> {
            Secret s = store.byName(name);
            if (s == null || !s.isDeleted()) return;
            Instant removeAt = s.deletionDate() != null ? s.deletionDate() : s.deletedDate().plus(java.time.Duration.ofDays(30));
            var purge = scheduler.scheduleAt("purge " + s.name() + " in " + store.account() + "/" + store.region(),
                    removeAt, () -> store.lockedRun(() -> {
                        Secret cur = store.byName(name);
                        if (cur == s && cur.isDeleted()) store.remove(name);
                    }));
            s.cancelPurge();
            s.markDeleted(s.deletedDate(), removeAt, purge);
        });
    }
}
