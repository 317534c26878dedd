package dev.smlocal.server.persist;

import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.kms.AliasRecord;
import dev.smlocal.server.kms.KmsState;
import dev.smlocal.server.kms.Envelope;
import dev.smlocal.server.kms.KeyRecord;
import dev.smlocal.server.rotation.RotationFunctions;
import dev.smlocal.server.secrets.RegionalStore;
import dev.smlocal.server.secrets.Secret;
import dev.smlocal.server.secrets.SecretRecord;
import dev.smlocal.server.time.EmulatorClock;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a running emulator's whole state into a {@link StateCodec.State} and puts one back. Each
 * (account, region) store is read under its own lock, one at a time (no lock across stores), so a
 * capture taken while calls go on is consistent per store, not across stores.
 */
public final class StateTransfer {
    private StateTransfer() {}

    /**
     * The emulator's state. With {@code clearValues} every value that can be opened is carried in the
     * clear; one whose key is unusable (disabled, pending deletion) stays sealed.
     */
    public static StateCodec.State capture(EmulatorParts e, boolean clearValues) {
        EmulatorClock clock = e.clock();
        StateCodec.Clock c = new StateCodec.Clock(clock.mode(),
                clock.mode() == EmulatorClock.Mode.MANUAL ? clock.now() : null);
        List<StateCodec.Function> functions = new ArrayList<>();
        for (RotationFunctions.Registration r : e.rotationFunctions().list()) {
            if (r.kind() == RotationFunctions.Kind.HTTP) functions.add(new StateCodec.Function(r.name(), r.url()));
        }
        List<StateCodec.Fault> faults = new ArrayList<>();
        for (FaultRule r : e.faults().list()) faults.add(new StateCodec.Fault(r, e.faults().remaining(r.id())));
        List<SecretRecord> secrets = new ArrayList<>();
        for (RegionalStore store : e.secrets().stores().all()) {
            List<SecretRecord> inStore = store.locked(() -> {
                List<SecretRecord> out = new ArrayList<>();
                for (Secret s : SecretRecord.secretsOf(store)) out.add(SecretRecord.of(s));
                return out;
            });
            for (SecretRecord r : inStore) secrets.add(clearValues ? opened(e, r) : r);
        }
        return new StateCodec.State(e.version(), clearValues, c, e.replicator().defaultLag(),
                e.replicator().routes(), e.principals().all(), functions, faults,
                e.kmsState() == null ? List.of() : e.kmsState().exportKeys(),
                e.kmsState() == null ? List.of() : e.kmsState().exportAliases(), secrets);
    }

    /** {@code r} with each version's current value opened into its plaintext, where the key allows. */
    private static SecretRecord opened(EmulatorParts e, SecretRecord r) {
        List<SecretRecord.Version> versions = new ArrayList<>();
        for (SecretRecord.Version v : r.versions()) {
            byte[] plain = null;
            if (!v.copies().isEmpty()) {
                try {
                    plain = Envelope.open(e.kms(), r.account(), r.region(), v.copies().get(0),
                            SecretRecord.encryptionContext(r.arn(), v.versionId()));
                } catch (AwsException | IllegalArgumentException unusableKey) {
                    plain = null;
                }
            }
            versions.add(plain == null ? v : new SecretRecord.Version(v.versionId(), v.createdDate(), v.stages(),
                    v.binary(), v.lastAccessedDate(), v.kmsKeyIds(), List.of(), plain));
        }
        return new SecretRecord(r.arn(), r.name(), r.createdDate(), r.description(), r.kmsKeyId(), r.tags(),
                r.resourcePolicy(), r.lastChangedDate(), r.lastAccessedDate(), r.deletedDate(), r.deletionDate(),
                r.owningService(), r.type(), r.rotation(), r.lastRotatedDate(), r.nextRotationDate(), r.primaryRegion(),
                r.replicas(), r.replicationSeq(), versions);
    }

    /**
     * Puts {@code s} into an emulator just reset: clock, replication settings, principals (replaced
     * when the document lists them; kept when it leaves them out), HTTP functions, faults, keys and
     * aliases, then secrets (values in the clear are sealed again under each secret's key). Plans no
     * timed work: the caller runs {@code Emulator.reconcileTimedWork()} afterwards. May throw
     * (a function host not allowed, a clear value whose key is unusable) with the state half-restored:
     * the caller resets.
     */
    public static void restore(EmulatorParts e, StateCodec.State s) {
        if (s.clock() != null) e.scheduler().restoreClock(s.clock().mode(), s.clock().now());
        if (s.defaultLag() != null) e.replicator().setDefaultLag(s.defaultLag());
        e.replicator().setRoutes(s.routes());
        if (s.principals() != null) {
            e.principals().clear();
            for (Principals.Declared d : s.principals()) e.principals().declare(d);
        }
        for (StateCodec.Function f : s.functions()) e.rotationFunctions().registerHttp(f.name(), f.url());
        for (StateCodec.Fault f : s.faults()) e.faults().restore(f.rule(), f.remaining());
        KmsState keys = e.kmsState();
        if (keys == null && (!s.keys().isEmpty() || !s.aliases().isEmpty())) {
            throw new IllegalArgumentException("the document holds KMS keys, but this emulator runs a custom KMS "
                    + "without the emulated one: its keys cannot be restored");
        }
        for (KeyRecord k : s.keys()) keys.restoreKey(k);
        for (AliasRecord a : s.aliases()) keys.restoreAlias(a);
        for (SecretRecord r : s.secrets()) {
            Secret secret = r.toSecret(e.kms());
            RegionalStore store = e.secrets().stores().get(r.account(), r.region());
            store.lockedRun(() -> SecretRecord.put(store, secret));
        }
    }
}
