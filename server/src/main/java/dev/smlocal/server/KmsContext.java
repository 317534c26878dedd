package dev.smlocal.server;

import dev.smlocal.server.auth.Authorizer;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.kms.EmulatedKms;
import dev.smlocal.server.time.EmulatorClock;
import java.time.Duration;

/**
 * What a KMS factory passed to {@link Emulator.Builder#kms(java.util.function.Function)} gets from
 * the emulator it is built for: its clock, a seeded id generator of the KMS's own, and the emulated
 * KMS, for a {@code Kms} that wraps or falls back to it.
 *
 * <p>The emulator answers the KMS API ({@code TrentService.*}) with the {@code Kms} the factory
 * returns when that also implements {@link dev.smlocal.server.kms.KmsOperations}; otherwise with
 * {@link #emulated()} if the factory asked for it; otherwise every KMS API call answers
 * {@code UnsupportedOperationException}.
 */
public final class KmsContext {
    private final EmulatorClock clock;
    private final IdGenerator ids;
    private final Duration replicaKeyDelay;
    private final Authorizer authorizer;
    private EmulatedKms emulated;

    KmsContext(EmulatorClock clock, IdGenerator ids, Duration replicaKeyDelay, Authorizer authorizer) {
        this.clock = clock;
        this.ids = ids;
        this.replicaKeyDelay = replicaKeyDelay;
        this.authorizer = authorizer;
    }

    /** The emulator's clock (manual in tests): the time a KMS should read. */
    public EmulatorClock clock() {
        return clock;
    }

    /**
     * The KMS's own id generator, seeded from {@code --seed} (separate from the one that names
     * secrets, so KMS calls do not change secret ARNs). {@link Emulator#reset} calls the KMS's
     * {@code reset()}, which should restart it ({@link IdGenerator#reset()}; the emulated KMS does).
     */
    public IdGenerator ids() {
        return ids;
    }

    /**
     * The emulator's emulated KMS (built on the first call, then the same instance), with the
     * configured replica-key delay and the emulator's key-policy checks. When the factory's
     * {@code Kms} does not serve the KMS API itself, this one does.
     */
    public synchronized EmulatedKms emulated() {
        if (emulated == null) {
            emulated = new EmulatedKms(clock, ids, replicaKeyDelay, authorizer);
        }
        return emulated;
    }

    /** The emulated KMS if {@link #emulated()} built it, else null. */
    synchronized EmulatedKms emulatedIfBuilt() {
        return emulated;
    }
}
