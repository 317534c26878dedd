package dev.smlocal.conformance.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 */
public final class Ledger {
    private static final Logger LOG = Logger.getLogger(Ledger.class.getName());

    public record Secret(String region, String id) {}

    public record Key(String region, String keyId) {}

    private final Target target;
    private final Set<Secret> secrets = new LinkedHashSet<>();
    private final Set<Key> keys = new LinkedHashSet<>();

    Ledger(Target target) {
        this.target = target;
    }

    public synchronized void add(Secret s) {
        secrets.add(s);
    }

    public synchronized void add(Key k) {
        keys.add(k);
    }

    /** Removes the given resources from the target; failures are logged, never thrown. */
    public void clean(List<Secret> someSecrets, List<Key> someKeys) {
        for (Secret s : someSecrets) {
            try {
                deleteSecret(s);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not delete secret " + s + ": " + e.getMessage());
            }
            synchronized (this) {
                secrets.remove(s);
            }
        }
        for (Key k : someKeys) {
            try {
                scheduleDeletion(k);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not schedule deletion of key " + k + ": " + e.getMessage());
            }
            synchronized (this) {
                keys.remove(k);
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

    /**
     * Schedules a key's deletion after the shortest window. A replica key still {@code Creating}
     * refuses that (AWS for a few seconds, smlocal for its replica-key delay): the ledger waits until
     * it is created (advancing an emulator's clock, polling AWS, bounded) and tries again.
     */
    private void scheduleDeletion(Key k) {
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
    private void deleteSecret(Secret s) {
        var sm = target.secrets(s.region());
        try {
            sm.deleteSecret(b -> b.secretId(s.id()).forceDeleteWithoutRecovery(true));
            return;
        } catch (ResourceNotFoundException gone) {
            return;
        } catch (InvalidParameterException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.contains("replica secret")) {
                removeReplica(s);
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
    private void removeReplica(Secret s) {
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
