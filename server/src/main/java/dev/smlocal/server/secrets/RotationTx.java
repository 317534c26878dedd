package dev.smlocal.server.secrets;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.kms.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * One secret as rotation sees and changes it, under its store's lock: valid only inside the
 * {@link SecretsService#rotation} call that handed it out. Every change is propagated to replicas when the
 * call returns.
 */
public final class RotationTx {
    private final RegionalStore store;
    private final Secret s;
    private final ValueSealer sealer;
    private final Supplier<Instant> clock;
    private boolean dirty;

    RotationTx(RegionalStore store, Secret s, ValueSealer sealer, Supplier<Instant> clock) {
        this.store = store;
        this.s = s;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** Whether anything changed (the replicas are then told). */
    boolean dirty() { return dirty; }

    public String arn() { return s.arn(); }
    public String name() { return s.name(); }
    public String account() { return store.account(); }
    public String region() { return store.region(); }
    public Instant now() { return clock.get(); }
    public RotationConfig config() { return s.rotation(); }
    public Instant lastRotatedDate() { return s.lastRotatedDate(); }
    public Instant nextRotationDate() { return s.nextRotationDate(); }

    /** The version holding {@code stage}, or null. */
    public String holderOf(String stage) {
        SecretVersion v = s.holderOf(stage);
        return v == null ? null : v.versionId();
    }

    public boolean hasVersion(String versionId) { return s.version(versionId) != null; }

    /** Marked for deletion (only seen through {@link SecretsService#rotationOfAnyState}). */
    public boolean deleted() { return s.isDeleted(); }

    /** When the current value was written (a manual write counts as a rotation); null without one. */
    public Instant currentCreatedDate() {
        SecretVersion v = s.holderOf(Secret.CURRENT);
        return v == null ? null : v.createdDate();
    }

    /** Stores the rotation settings and the NextRotationDate (null drops it). */
    public void configure(RotationConfig config, Instant nextRotationDate) {
        s.setRotation(config);
        s.setNextRotationDate(nextRotationDate);
        s.changed(now());
        dirty = true;
    }

    public void setNextRotationDate(Instant next) {
        s.setNextRotationDate(next);
        dirty = true;
    }

    /** CancelRotateSecret: automatic rotation off, NextRotationDate dropped, function and rules kept. */
    public void disable() {
        RotationConfig c = s.rotation();
        s.setRotation(new RotationConfig(false, c.lambdaArn(), c.rules()));
        s.setNextRotationDate(null);
        s.changed(now());
        dirty = true;
    }

    /**
     * A rotation of {@code versionId} completed: AWSPENDING leaves it when it holds AWSCURRENT,
     * LastRotatedDate and NextRotationDate move; LastChangedDate stays (as AWS).
     */
    public void rotated(String versionId, Instant when, Instant next) {
        s.finishRotation(versionId);
        s.setLastRotatedDate(when);
        s.setNextRotationDate(next);
        dirty = true;
    }

    /** RotateSecret's placeholder: a version without value labelled AWSPENDING. */
    public void addPendingPlaceholder(String versionId) {
        if (s.version(versionId) != null) throw Errors.tokenInUse(versionId, s.arn());
        s.addPendingVersion(versionId, now());
        s.changed(now());
        dirty = true;
    }

    /**
     * RotateImmediately=false: an AWSPENDING copy of the current value under {@code versionId}
     * (a placeholder without value when the secret has none).
     */
    public void addPendingCopyOfCurrent(String versionId) {
        if (s.version(versionId) != null) throw Errors.tokenInUse(versionId, s.arn());
        SecretVersion current = s.holderOf(Secret.CURRENT);
        if (current == null || !current.hasValue()) {
            addPendingPlaceholder(versionId);
            return;
        }
        byte[] plain = sealer.openBytes(store, s, current);
        try {
            Envelope.Sealed sealed = current.isBinary() ? sealer.sealFor(store, s, versionId, null, plain)
                    : sealer.sealFor(store, s, versionId, new String(plain, StandardCharsets.UTF_8), null);
            SecretVersion v = s.addPendingVersion(versionId, now());
            v.setValue(sealed, current.isBinary(), sealer.keyLabel(s));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        dirty = true;
    }

    /**
     * Removes the test copy of RotateImmediately=false. A version that meanwhile became
     * AWSCURRENT only loses AWSPENDING.
     */
    public void removePendingCopy(String versionId) {
        SecretVersion v = s.version(versionId);
        if (v == null) return;
        if (v.stages().contains(Secret.CURRENT)) s.detachLabel(Secret.PENDING, v);
        else s.removeVersion(versionId);
        dirty = true;
    }
}
