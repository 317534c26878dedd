package dev.smlocal.server.replication;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.faults.FaultPlan;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.observe.EventLog;
import dev.smlocal.server.observe.Metrics;
import dev.smlocal.server.secrets.RegionalStore;
import dev.smlocal.server.secrets.ReplicaState;
import dev.smlocal.server.secrets.Replicas;
import dev.smlocal.server.secrets.Secret;
import dev.smlocal.server.secrets.SecretsApi.ArnOnly;
import dev.smlocal.server.secrets.SecretsApi.RemoveRegionsFromReplicationRequest;
import dev.smlocal.server.secrets.SecretsApi.ReplicaRegion;
import dev.smlocal.server.secrets.SecretsApi.ReplicateSecretToRegionsRequest;
import dev.smlocal.server.secrets.SecretsApi.ReplicationResponse;
import dev.smlocal.server.secrets.SecretsApi.ReplicationStatusEntry;
import dev.smlocal.server.secrets.SecretsApi.SecretIdRequest;
import dev.smlocal.server.secrets.SecretsService;
import dev.smlocal.server.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Asynchronous multi-Region replication. Every change of a primary is captured as a snapshot
 * under the primary store's lock and delivered to each replica region after that route's lag,
 * through the {@link Scheduler}: a replica applies snapshots in order and never an older one after
 * a newer one. A replica region (or the primary's region) under outage holds deliveries back until
 * it heals, then they complete in order; meanwhile the replica's status is {@code InProgress}. Outcomes set AWS's ReplicationStatus ({@code InProgress}
 * → {@code InSync} "Replication succeeded" / {@code Failed} "Replication failed: ..."), count in the
 * metrics and leave one event each.
 */
public final class Replicator implements SecretsService.ChangeListener, SecretsService.Replication {
    /** One replication route's lag override. */
    public record Route(String from, String to, Duration lag) {}

    private record Delivery(Replicas.Snapshot snap, String to, String keyRef, boolean force, Instant changedAt) {}

    private final SecretsService sm;
    private final Replicas replicas;
    private final Scheduler scheduler;
    private final FaultPlan faults;
    private final Predicate<String> regionEnabled;
    private final EventLog events;
    private final Metrics metrics;
    private volatile Duration defaultLag;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final List<Delivery> parked = new ArrayList<>();
    /** The latest delivery per route that an injected fault failed: sent again when the faults change. */
    private final Map<String, Delivery> failedByFault = new LinkedHashMap<>();

    public Replicator(SecretsService sm, IdGenerator ids, Scheduler scheduler, FaultPlan faults,
                      Predicate<String> regionEnabled, EventLog events, Metrics metrics, Duration defaultLag) {
        this.sm = sm;
        this.replicas = new Replicas(sm, ids);
        this.scheduler = scheduler;
        this.faults = faults;
        this.regionEnabled = regionEnabled;
        this.events = events;
        this.metrics = metrics;
        this.defaultLag = defaultLag;
        sm.setChangeListener(this);
        sm.setReplication(this);
        sm.setReadListener(replicas::replicaRead);
        faults.onChange(this::releaseParked);
    }

    // ---- lag configuration -----------------------------------------------------------------------

    public Duration defaultLag() { return defaultLag; }

    public void setDefaultLag(Duration lag) {
        if (lag.isNegative()) throw new IllegalArgumentException("lag must not be negative");
        this.defaultLag = lag;
    }

    public synchronized void setRoutes(List<Route> newRoutes) {
        routes.clear();
        for (Route r : newRoutes) {
            if (r.lag().isNegative()) throw new IllegalArgumentException("lag must not be negative");
            routes.put(r.from() + ">" + r.to(), r);
        }
    }

    public synchronized List<Route> routes() {
        return new ArrayList<>(routes.values());
    }

    public synchronized Duration lag(String from, String to) {
        Route r = routes.get(from + ">" + to);
        return r == null ? defaultLag : r.lag();
    }

    /** Forgets parked deliveries (the emulator reset; the scheduler drops pending ones itself). */
    public synchronized void reset() {
        parked.clear();
        failedByFault.clear();
    }

    /** Deliveries waiting for an outage to end, for diagnostics. */
    public synchronized List<String> parked() {
        List<String> out = new ArrayList<>();
        for (Delivery d : parked) out.add(taskName(d));
        return out;
    }

    // ---- the API operations ----------------------------------------------------------------------

    public ReplicationResponse replicateSecretToRegions(RequestContext ctx, ReplicateSecretToRegionsRequest r) {
        RegionalStore checked = sm.storeFor(ctx, r.secretId());
        checked.lockedRun(() -> sm.authorize(ctx, "secretsmanager:ReplicateSecretToRegions",
                sm.lookup(checked, r.secretId()), r.secretId()));
        List<ReplicationStatusEntry> status = replicate(ctx, r.secretId(), r.addReplicaRegions(),
                Boolean.TRUE.equals(r.forceOverwriteReplicaSecret()));
        RegionalStore store = sm.storeFor(ctx, r.secretId());
        String arn = store.locked(() -> sm.lookup(store, r.secretId()).arn());
        return new ReplicationResponse(arn, status);
    }

    @Override
    public List<ReplicationStatusEntry> replicate(RequestContext ctx, String secretId, List<ReplicaRegion> regions,
                                                  boolean force) {
        RegionalStore store = sm.storeFor(ctx, secretId);
        return store.locked(() -> {
            Secret s = sm.lookup(store, secretId);
            if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
            if (s.isDeleted()) throw Errors.markedForDeletion();
            Replicas.Snapshot snap = replicas.addRegions(store, s, regions);
            Instant now = scheduler.clock().now();
            for (ReplicaRegion rr : regions) {
                Delivery d = new Delivery(snap, rr.region(), emptyToNull(rr.kmsKeyId()), force, now);
                event("ReplicationStarted", d, null);
                schedule(d);
            }
            return Replicas.status(sm, store, s);
        });
    }

    public ReplicationResponse removeRegionsFromReplication(RequestContext ctx, RemoveRegionsFromReplicationRequest r) {
        RegionalStore store = sm.storeFor(ctx, r.secretId());
        String[] primary = new String[2];
        List<String> dropped = new ArrayList<>();
        List<ReplicationStatusEntry> status = store.locked(() -> {
            Secret s = sm.lookup(store, r.secretId());
            sm.authorize(ctx, "secretsmanager:RemoveRegionsFromReplication", s, r.secretId());
            if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
            dropped.addAll(Replicas.dropRegions(s, r.removeReplicaRegions()));
            primary[0] = s.arn();
            primary[1] = s.name();
            return Replicas.status(sm, store, s);
        });
        for (String region : dropped) {
            Replicas.deleteReplica(sm.stores().get(store.account(), region), primary[0], store.region(), primary[1]);
        }
        return new ReplicationResponse(primary[0], status);
    }

    public ArnOnly stopReplicationToReplica(RequestContext ctx, SecretIdRequest r) {
        RegionalStore store = sm.storeFor(ctx, r.secretId());
        String[] info = store.locked(() -> {
            Secret s = sm.lookup(store, r.secretId());
            sm.authorize(ctx, "secretsmanager:StopReplicationToReplica", s, r.secretId());
            String primaryRegion = Replicas.promote(store, s);
            return new String[] {primaryRegion, s.name(), s.arn()};
        });
        RegionalStore primary = sm.stores().get(store.account(), info[0]);
        primary.lockedRun(() -> {
            try {
                Secret p = sm.lookup(primary, info[1]);
                if (p.arn().equals(Replicas.replicaArn(info[2], info[0]))) {
                    Replicas.dropRegions(p, List.of(store.region()));
                }
            } catch (dev.smlocal.server.aws.AwsException gone) {
                // the primary no longer exists: nothing to update
            }
        });
        return new ArnOnly(info[2]);
    }

    // ---- change propagation ----------------------------------------------------------------------

    /** Under the primary store's lock: snapshot the change and schedule one delivery per replica. */
    @Override
    public void changed(RegionalStore store, Secret s) {
        if (s.replicas().isEmpty() || s.isReplicaIn(store.region())) return;
        Replicas.Snapshot snap = Replicas.snapshot(store, s);
        Instant now = scheduler.clock().now();
        for (ReplicaState rs : s.replicas()) {
            schedule(new Delivery(snap, rs.region(), rs.kmsKeyId(), false, now));
        }
    }

    /**
     * A restored state (state document, data directory): a replica {@code InProgress} was waiting
     * for a delivery when the state was saved, and an {@code InSync} one may have been (the primary
     * stays InSync while an update travels; a crash can come before it lands). Sends the primary
     * {@code name} of (account, region) as it is now to each of them, after the route's lag.
     * {@code Failed} replicas keep their status until the primary changes again, as on AWS.
     */
    public void resume(String account, String region, String name) {
        RegionalStore store = sm.stores().get(account, region);
        store.lockedRun(() -> {
            Secret s;
            try {
                s = sm.lookup(store, name);
            } catch (dev.smlocal.server.aws.AwsException gone) {
                return;
            }
            if (s.replicas().isEmpty() || s.isReplicaIn(store.region())) return;
            // InSync replicas too: a change acknowledged just before a crash may not have reached them
            // (the primary keeps InSync while an update travels); a delivery of the current state is idempotent
            List<ReplicaState> waiting = s.replicas().stream()
                    .filter(rs -> ReplicaState.IN_PROGRESS.equals(rs.status()) || ReplicaState.IN_SYNC.equals(rs.status()))
                    .toList();
            if (waiting.isEmpty()) return;
            Replicas.Snapshot snap = Replicas.snapshot(store, s);
            Instant now = scheduler.clock().now();
            for (ReplicaState rs : waiting) schedule(new Delivery(snap, rs.region(), rs.kmsKeyId(), false, now));
        });
    }

    private void schedule(Delivery d) {
        scheduler.schedule(taskName(d), lag(d.snap().primaryRegion(), d.to()), () -> deliver(d));
    }

    private static String taskName(Delivery d) {
        return "replicate " + d.snap().name() + " " + d.snap().primaryRegion() + "->" + d.to() + " #" + d.snap().seq();
    }

    private void deliver(Delivery d) {
        String from = d.snap().primaryRegion();
        if (!stillReplicated(d)) return;
        if (faults.regionDown(from) || faults.regionDown(d.to())) {
            synchronized (this) {
                parked.add(d);
            }
            markWaiting(d);
            return;
        }
        String failure = null;
        String routeKey = d.snap().primaryArn() + ">" + d.to();
        FaultRule fault = null;
        if (!regionEnabled.test(d.to())) {
            failure = "Replication failed: The Region " + d.to() + " is not enabled for this account.";
        } else {
            fault = faults.forReplication(from, d.to()).orElse(null);
            if (fault != null) {
                String m = fault.attributes().get("message");
                failure = "Replication failed: " + (m != null ? m
                        : "An internal error occurred while replicating the secret (smlocal fault " + fault.id() + ").");
                synchronized (this) {
                    Delivery prev = failedByFault.get(routeKey);
                    if (prev == null || prev.snap().seq() <= d.snap().seq()) failedByFault.put(routeKey, d);
                }
            }
        }
        if (failure == null) {
            try {
                replicas.apply(sm.stores().get(d.snap().account(), d.to()), d.snap(), d.keyRef(), d.force(),
                        scheduler.clock().now());
            } catch (Replicas.ReplicationFailure e) {
                failure = e.getMessage();
            }
        }
        if (failure == null) {
            synchronized (this) {
                Delivery prev = failedByFault.get(routeKey);
                if (prev != null && prev.snap().seq() <= d.snap().seq()) failedByFault.remove(routeKey);
            }
        }
        report(d, failure);
        if (fault != null && !faults.isActive(fault.id())) retryFaultFailures();
    }

    /**
     * A fault that fails replication ends the same way whether it is removed or its count is used
     * up: what it failed is delivered again. Removal sends it at once ({@link #releaseParked});
     * here, the fault having just failed its last delivery, each is sent again after its route's
     * lag, so the {@code Failed} status it caused stays visible for that long, as a real failure would.
     */
    private void retryFaultFailures() {
        List<Delivery> again;
        synchronized (this) {
            again = new ArrayList<>(failedByFault.values());
            failedByFault.clear();
        }
        for (Delivery d : again) schedule(d);
    }

    private boolean stillReplicated(Delivery d) {
        RegionalStore primary = sm.stores().get(d.snap().account(), d.snap().primaryRegion());
        return primary.locked(() -> {
            ReplicaState rs = replicaState(primary, d);
            return rs != null;
        });
    }

    private ReplicaState replicaState(RegionalStore primary, Delivery d) {
        Secret p;
        try {
            p = sm.lookup(primary, d.snap().primaryArn());
        } catch (dev.smlocal.server.aws.AwsException e) {
            return null;
        }
        for (ReplicaState rs : p.replicas()) if (rs.region().equals(d.to())) return rs;
        return null;
    }

    /** A delivery held for an outage: until it goes out, the replica shows {@code InProgress} again. */
    private void markWaiting(Delivery d) {
        RegionalStore primary = sm.stores().get(d.snap().account(), d.snap().primaryRegion());
        primary.lockedRun(() -> {
            ReplicaState rs = replicaState(primary, d);
            if (rs != null) rs.update(ReplicaState.IN_PROGRESS, null);
        });
    }

    private void report(Delivery d, String failure) {
        RegionalStore primary = sm.stores().get(d.snap().account(), d.snap().primaryRegion());
        primary.lockedRun(() -> {
            ReplicaState rs = replicaState(primary, d);
            if (rs == null) return;
            if (failure == null) rs.update(ReplicaState.IN_SYNC, Replicas.SUCCEEDED);
            else rs.update(ReplicaState.FAILED, failure);
        });
        String from = d.snap().primaryRegion();
        if (failure == null) {
            metrics.inc("smlocal_replication_success_total", "from", from, "to", d.to());
            long lagMs = Duration.between(d.changedAt(), scheduler.clock().now()).toMillis();
            metrics.add("smlocal_replication_lag_milliseconds_sum", Math.max(0, lagMs), "from", from, "to", d.to());
            metrics.inc("smlocal_replication_lag_milliseconds_count", "from", from, "to", d.to());
            event("ReplicationSucceeded", d, null);
        } else {
            metrics.inc("smlocal_replication_failure_total", "from", from, "to", d.to());
            event("ReplicationFailed", d, failure);
        }
    }

    /**
     * The faults changed: parked deliveries whose regions are up again go out now, in order, and
     * deliveries that an injected fault failed are tried again.
     */
    private void releaseParked() {
        List<Delivery> ready = new ArrayList<>();
        synchronized (this) {
            ready.addAll(failedByFault.values());
            failedByFault.clear();
            for (Delivery d : new ArrayList<>(parked)) {
                if (!faults.regionDown(d.snap().primaryRegion()) && !faults.regionDown(d.to())) {
                    parked.remove(d);
                    ready.add(d);
                }
            }
        }
        for (Delivery d : ready) scheduler.schedule(taskName(d), Duration.ZERO, () -> deliver(d));
        if (!ready.isEmpty() && scheduler.clock().mode() == dev.smlocal.server.time.EmulatorClock.Mode.MANUAL) {
            scheduler.runDue();
        }
    }

    private void event(String name, Delivery d, String failure) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("secretId", d.snap().primaryArn());
        params.put("replicaRegion", d.to());
        events.add(new Event(scheduler.clock().now(), "secretsmanager.amazonaws.com", name,
                d.snap().primaryRegion(), d.snap().account(), null, params,
                failure == null ? null : "ReplicationFailed", failure));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
