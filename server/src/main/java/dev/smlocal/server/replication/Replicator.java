package dev.smlocal.server.replication;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.faults.FaultPlan;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.faults.FaultRule.ReplicationFailure;
import dev.smlocal.server.faults.RegionGate;
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
 * a newer one. A replica region (or the primary's region) under outage holds deliveries back at the
 * {@link RegionGate} until it heals, then they complete in order; meanwhile the replica's status is
 * {@code InProgress}. A delivery an injected {@link ReplicationFailure} failed is sent again when
 * that rule ends. Outcomes set AWS's ReplicationStatus ({@code InProgress}
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
    private final RegionGate gate;
    private final Predicate<String> regionEnabled;
    private final EventLog events;
    private final Metrics metrics;
    private volatile Duration defaultLag;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    /**
     * Per replication-failure rule id, the latest delivery per route (primary ARN and target) it
     * failed: sent again when that rule ends. Guarded by this.
     */
    private final Map<String, Map<String, Delivery>> failedByFault = new LinkedHashMap<>();

    /** Binds itself to {@code links}, the holder {@code sm} was built with (see {@link SecretsService.Links}). */
    public Replicator(SecretsService sm, SecretsService.Links links, IdGenerator ids, Scheduler scheduler,
                      FaultPlan faults, RegionGate gate, Predicate<String> regionEnabled, EventLog events,
                      Metrics metrics, Duration defaultLag) {
        this.sm = sm;
        this.replicas = new Replicas(sm, ids);
        this.scheduler = scheduler;
        this.faults = faults;
        this.gate = gate;
        this.regionEnabled = regionEnabled;
        this.events = events;
        this.metrics = metrics;
        this.defaultLag = defaultLag;
        links.bindReplication(this);
        faults.onEnded(this::faultsEnded);
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
        gate.forget(this);
        failedByFault.clear();
    }

    /** Deliveries waiting for an outage to end, for diagnostics. */
    public List<String> parked() {
        return gate.waiting(this);
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
                store.afterUnlock(() -> schedule(d));
            }
            return Replicas.status(store, s);
        });
    }

    public ReplicationResponse removeRegionsFromReplication(RequestContext ctx, RemoveRegionsFromReplicationRequest r) {
        RegionalStore store = sm.storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = sm.lookup(store, r.secretId());
            sm.authorize(ctx, "secretsmanager:RemoveRegionsFromReplication", s, r.secretId());
            if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
            String arn = s.arn();
            String name = s.name();
            for (String region : Replicas.dropRegions(s, r.removeReplicaRegions())) {
                store.afterUnlock(() -> Replicas.deleteReplica(sm.stores().get(store.account(), region), arn,
                        store.region(), name));
            }
            return new ReplicationResponse(arn, Replicas.status(store, s));
        });
    }

    public ArnOnly stopReplicationToReplica(RequestContext ctx, SecretIdRequest r) {
        RegionalStore store = sm.storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = sm.lookup(store, r.secretId());
            sm.authorize(ctx, "secretsmanager:StopReplicationToReplica", s, r.secretId());
            String primaryRegion = Replicas.promote(store, s);
            String name = s.name();
            String primaryArn = Replicas.replicaArn(s.arn(), primaryRegion);
            store.afterUnlock(() -> {
                RegionalStore primary = sm.stores().get(store.account(), primaryRegion);
                primary.lockedRun(() -> {
                    try {
                        Secret p = sm.lookup(primary, name);
                        if (p.arn().equals(primaryArn)) Replicas.dropRegions(p, List.of(store.region()));
                    } catch (dev.smlocal.server.aws.AwsException gone) {
                        // the primary no longer exists: nothing to update
                    }
                });
            });
            return new ArnOnly(s.arn());
        });
    }

    // ---- change propagation ----------------------------------------------------------------------

    /**
     * Under the primary store's lock: snapshot the change (its sequence number orders deliveries);
     * one delivery per replica is scheduled once the lock is released.
     */
    @Override
    public void changed(RegionalStore store, Secret s) {
        if (s.replicas().isEmpty() || s.isReplicaIn(store.region())) return;
        Replicas.Snapshot snap = Replicas.snapshot(store, s);
        Instant now = scheduler.clock().now();
        List<Delivery> deliveries = new ArrayList<>();
        for (ReplicaState rs : s.replicas()) deliveries.add(new Delivery(snap, rs.region(), rs.kmsKeyId(), false, now));
        store.afterUnlock(() -> deliveries.forEach(this::schedule));
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

    /** What the primary said when a delivery came due: its one lock for a parked or failed delivery. */
    private enum Verdict { GONE, PARKED, FAILED, GO }

    /** The verdict, and for FAILED the status message and the injected fault behind it (if any). */
    private record Decision(Verdict verdict, String failure, ReplicationFailure fault) {
        static final Decision GONE = new Decision(Verdict.GONE, null, null);
        static final Decision PARKED = new Decision(Verdict.PARKED, null, null);
        static final Decision GO = new Decision(Verdict.GO, null, null);
    }

    /**
     * A delivery came due. The primary's lock is taken once to decide (the replica is still wanted;
     * an outage parks it, a disabled region or an injected fault fails it, its status recorded in
     * the same hold), and once more after a successful apply to record InSync.
     */
    private void deliver(Delivery d) {
        String from = d.snap().primaryRegion();
        String routeKey = routeKey(d);
        RegionalStore primary = sm.stores().get(d.snap().account(), from);
        Decision decision = primary.locked(() -> {
            ReplicaState rs = replicaState(primary, d);
            if (rs == null) return Decision.GONE;
            if (gate.anyDown(from, d.to())) {
                rs.update(ReplicaState.IN_PROGRESS, null); // held back: InProgress again until it goes out
                return Decision.PARKED;
            }
            String failure = null;
            ReplicationFailure fault = null;
            if (!regionEnabled.test(d.to())) {
                failure = "Replication failed: The Region " + d.to() + " is not enabled for this account.";
            } else {
                fault = faults.forReplication(from, d.to()).orElse(null);
                if (fault != null) {
                    String m = fault.message();
                    failure = "Replication failed: " + (m != null ? m
                            : "An internal error occurred while replicating the secret (smlocal fault " + fault.id() + ").");
                }
            }
            if (failure == null) return Decision.GO;
            rs.update(ReplicaState.FAILED, failure);
            return new Decision(Verdict.FAILED, failure, fault);
        });
        ReplicationFailure fault = decision.fault();
        switch (decision.verdict()) {
            case GONE -> { }
            case PARKED -> {
                // outside the primary's lock: the gate may hand the delivery back at once if the outage just ended
                if (!gate.waitIfDown(this, taskName(d), () -> deliver(d), from, d.to())) deliver(d);
            }
            case FAILED -> {
                if (fault != null) {
                    synchronized (this) {
                        Map<String, Delivery> failed = failedByFault.computeIfAbsent(fault.id(), k -> new LinkedHashMap<>());
                        Delivery prev = failed.get(routeKey);
                        if (prev == null || prev.snap().seq() <= d.snap().seq()) failed.put(routeKey, d);
                    }
                }
                count(d, decision.failure());
                // the rule's count may have run out in the very draw that failed this delivery: its end was
                // told before the failure was recorded, so the delivery is sent again from here
                if (fault != null && !faults.isActive(fault.id())) resend(fault.id(), FaultPlan.Ending.USED_UP);
            }
            case GO -> {
                String failed = null;
                try {
                    replicas.apply(sm.stores().get(d.snap().account(), d.to()), d.snap(), d.keyRef(), d.force(),
                            scheduler.clock().now());
                } catch (Replicas.ReplicationFailure e) {
                    failed = e.getMessage();
                }
                if (failed == null) {
                    synchronized (this) {
                        for (Map<String, Delivery> byRoute : failedByFault.values()) {
                            Delivery prev = byRoute.get(routeKey);
                            if (prev != null && prev.snap().seq() <= d.snap().seq()) byRoute.remove(routeKey);
                        }
                    }
                }
                report(d, failed);
            }
        }
    }

    private static String routeKey(Delivery d) {
        return d.snap().primaryArn() + ">" + d.to();
    }

    /** Replication failure rules that end send again what they failed; other rules are the gate's. */
    private void faultsEnded(List<FaultRule> rules, FaultPlan.Ending how) {
        for (FaultRule r : rules) {
            if (r instanceof ReplicationFailure) resend(r.id(), how);
        }
    }

    /**
     * A replication failure rule ended: the latest delivery it failed on each route goes out again,
     * however the rule ended. Removed or cleared, at once (with a manual clock, before the removing
     * call returns); its count used up, by the delivery it failed last, one route lag later, so the
     * {@code Failed} status it caused stays visible for that long, as a real failure's would.
     */
    private void resend(String faultId, FaultPlan.Ending how) {
        List<Delivery> again;
        synchronized (this) {
            Map<String, Delivery> failed = failedByFault.remove(faultId);
            if (failed == null || failed.isEmpty()) return;
            again = new ArrayList<>(failed.values());
        }
        if (how == FaultPlan.Ending.USED_UP) {
            for (Delivery d : again) schedule(d);
            return;
        }
        for (Delivery d : again) scheduler.schedule(taskName(d), Duration.ZERO, () -> deliver(d));
        if (scheduler.clock().mode() == dev.smlocal.server.time.EmulatorClock.Mode.MANUAL) {
            RegionalStore.requireNoLockHeld("running due replication deliveries");
            scheduler.runDue();
        }
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

    /** An applied (or refused) delivery: its status on the primary (under its lock), metrics and event. */
    private void report(Delivery d, String failure) {
        RegionalStore primary = sm.stores().get(d.snap().account(), d.snap().primaryRegion());
        primary.lockedRun(() -> {
            ReplicaState rs = replicaState(primary, d);
            if (rs == null) return;
            if (failure == null) rs.update(ReplicaState.IN_SYNC, Replicas.SUCCEEDED);
            else rs.update(ReplicaState.FAILED, failure);
        });
        count(d, failure);
    }

    private void count(Delivery d, String failure) {
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
