package dev.smlocal.conformance.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;

/**
 * Every resource a run created and has not yet removed. Checks clean up their own in
 * {@code @AfterEach}; what is left (a crashed check, an interrupted run) is removed when the target
 * closes or, as a last resort, by a shutdown hook. Secrets: replicas first, then
 * {@code ForceDeleteWithoutRecovery}. Keys: scheduled for deletion after the shortest window.
 *
 * <p>A removal that fails is tried again, at most {@link #ATTEMPTS} times, waiting
 * {@link #FIRST_BACKOFF} and then twice as long each time against real AWS (an emulator is retried
 * at once). What still cannot be removed stays in the ledger, so the target's close tries once more,
 * and {@link #report()} names it with what it goes on costing.
 */
public final class Ledger {
    private static final Logger LOG = Logger.getLogger(Ledger.class.getName());

    /** Tries per resource and per clean-up. */
    public static final int ATTEMPTS = 4;
    /** The first wait between tries against AWS; it doubles after each failure. */
    public static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    /** What a secret (or replica) left behind costs per month. */
    public static final double SECRET_PER_MONTH = 0.40;
    /** What a KMS key left behind (not pending deletion) costs per month. */
    public static final double KEY_PER_MONTH = 1.00;

    public record Secret(String region, String id) {}

    public record Key(String region, String keyId) {}

    /** How one resource is removed: through the target's SDK clients, or a fake in tests. */
    public interface Remover {
        void secret(Secret s);

        void key(Key k);
    }

    /** How the ledger waits between tries. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d);
    }

    private final Remover remover;
    private final Pause pause;
    private final Set<Secret> secrets = new LinkedHashSet<>();
    private final Set<Key> keys = new LinkedHashSet<>();
    /** The last error of each resource whose removal failed. */
    private final Map<Object, String> failures = new LinkedHashMap<>();

    Ledger(Target target) {
        this.remover = new SdkRemover(target);
        this.pause = pauseFor(target.kind());
    }

    private Ledger(Remover remover, Pause pause) {
        this.remover = remover;
        this.pause = pause;
    }

    /** A ledger with its own way of removing and waiting (tests). */
    public static Ledger with(Remover remover, Pause pause) {
        return new Ledger(remover, pause);
    }

    /** Real waiting against AWS only: an emulator is retried at once. */
    public static Pause pauseFor(Target.Kind kind) {
        if (kind != Target.Kind.AWS) return d -> { };
        return d -> {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    public synchronized void add(Secret s) {
        secrets.add(s);
    }

    public synchronized void add(Key k) {
        keys.add(k);
    }

    /**
     * Removes the given resources from the target, each tried up to {@link #ATTEMPTS} times; what
     * still fails is kept (and reported), never thrown.
     */
    public void clean(List<Secret> someSecrets, List<Key> someKeys) {
        for (Secret s : someSecrets) {
            if (attempt(s, () -> remover.secret(s))) {
                synchronized (this) {
                    secrets.remove(s);
                }
            }
        }
        for (Key k : someKeys) {
            if (attempt(k, () -> remover.key(k))) {
                synchronized (this) {
                    keys.remove(k);
                }
            }
        }
    }

    private boolean attempt(Object what, Runnable remove) {
        Duration wait = FIRST_BACKOFF;
        for (int i = 1; ; i++) {
            try {
                remove.run();
                synchronized (this) {
                    failures.remove(what);
                }
                return true;
            } catch (RuntimeException e) {
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (i >= ATTEMPTS || Thread.currentThread().isInterrupted()) {
                    LOG.log(Level.WARNING, "could not remove " + what + " after " + i + " tries: " + error);
                    synchronized (this) {
                        failures.put(what, error);
                    }
                    return false;
                }
                pause.pause(wait);
                wait = wait.multipliedBy(2);
            }
        }
    }

    /** Everything still outstanding. */
    public void cleanAll() {
        List<Secret> s;
        List<Key> k;
        synchronized (this) {
            s = new ArrayList<>(secrets);
            k = new ArrayList<>(keys);
        }
        clean(s, k);
    }

    public synchronized int outstanding() {
        return secrets.size() + keys.size();
    }

    /** What the outstanding resources cost per month while they are left. */
    public synchronized double monthlyCost() {
        return secrets.size() * SECRET_PER_MONTH + keys.size() * KEY_PER_MONTH;
    }

    /**
     * The resources still outstanding, one line each with its monthly cost and the last error, and
     * the total; empty when nothing is left.
     */
    public synchronized String report() {
        if (outstanding() == 0) return "";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%d resources left behind, about $%.2f per month until removed by hand:", outstanding(), monthlyCost()));
        for (Secret s : secrets) {
            b.append(String.format(Locale.ROOT, "%n  secret %s in %s: $%.2f/month (plus $%.2f for each replica it still has)",
                    s.id(), s.region(), SECRET_PER_MONTH, SECRET_PER_MONTH));
            String f = failures.get(s);
            if (f != null) b.append("; last error ").append(f);
        }
        for (Key k : keys) {
            b.append(String.format(Locale.ROOT, "%n  KMS key %s in %s: $%.2f/month (not scheduled for deletion)",
                    k.keyId(), k.region(), KEY_PER_MONTH));
            String f = failures.get(k);
            if (f != null) b.append("; last error ").append(f);
        }
        return b.toString();
    }

    /** Removal through the target's SDK clients. */
    private static final class SdkRemover implements Remover {
        private final Target target;

        SdkRemover(Target target) {
            this.target = target;
        }

        @Override
        public void secret(Secret s) {
            deleteSecret(target, s);
        }

        @Override
        public void key(Key k) {
            scheduleDeletion(target, k);
        }
    }

    /**
     * Schedules a key's deletion after the shortest window. A replica key still {@code Creating}
     * refuses that (AWS for a few seconds, smlocal for its replica-key delay): the ledger waits until
     * it is created (advancing an emulator's clock, polling AWS, bounded) and tries again.
     */
    private static void scheduleDeletion(Target target, Key k) {
        var kms = target.kms(k.region());
        for (int attempt = 0; ; attempt++) {
            try {
                kms.scheduleKeyDeletion(b -> b.keyId(k.keyId()).pendingWindowInDays(7));
                return;
            } catch (KmsInvalidStateException e) {
                KeyState state = kms.describeKey(b -> b.keyId(k.keyId())).keyMetadata().keyState();
                if (state == KeyState.PENDING_DELETION || state == KeyState.PENDING_REPLICA_DELETION) return;
                if (state != KeyState.CREATING || attempt >= 2) throw e;
                Await.until(target.powers(), "key " + k + " is no longer Creating",
                        () -> kms.describeKey(b -> b.keyId(k.keyId())).keyMetadata().keyState() != KeyState.CREATING,
                        Duration.ofMillis(50), Duration.ofMinutes(2));
            } catch (KmsException alreadyGone) {
                return;
            }
        }
    }

    /**
     * Force-deletes. A primary with replicas loses them first (AWS refuses to delete it before); a
     * replica (AWS refuses DeleteSecret on it too) is removed from its primary's replication, which
     * deletes it.
     */
    private static void deleteSecret(Target target, Secret s) {
        var sm = target.secrets(s.region());
        try {
            sm.deleteSecret(b -> b.secretId(s.id()).forceDeleteWithoutRecovery(true));
            return;
        } catch (ResourceNotFoundException gone) {
            return;
        } catch (InvalidParameterException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.contains("replica secret")) {
                removeReplica(target, s);
                return;
            }
            if (!m.contains("replica regions")) throw e;
        }
        DescribeSecretResponse d = sm.describeSecret(b -> b.secretId(s.id()));
        if (d.hasReplicationStatus() && !d.replicationStatus().isEmpty()) {
            List<String> regions = d.replicationStatus().stream().map(ReplicationStatusType::region).toList();
            sm.removeRegionsFromReplication(b -> b.secretId(s.id()).removeReplicaRegions(regions));
        }
        sm.deleteSecret(b -> b.secretId(s.id()).forceDeleteWithoutRecovery(true));
    }

    /** A replica goes by RemoveRegionsFromReplication, called on its primary (same ARN, the primary's region). */
    private static void removeReplica(Target target, Secret s) {
        DescribeSecretResponse d;
        try {
            d = target.secrets(s.region()).describeSecret(b -> b.secretId(s.id()));
        } catch (ResourceNotFoundException gone) {
            return;
        }
        String primary = d.primaryRegion();
        if (primary == null || primary.equals(s.region())) return;
        String primaryArn = d.arn().replace(":" + s.region() + ":", ":" + primary + ":");
        target.secrets(primary).removeRegionsFromReplication(b -> b.secretId(primaryArn).removeReplicaRegions(s.region()));
    }
}
