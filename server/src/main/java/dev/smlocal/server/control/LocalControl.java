package dev.smlocal.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.auth.Authorizer;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.faults.FaultJson;
import dev.smlocal.server.faults.FaultPlan;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.kms.Kms;
import dev.smlocal.server.kms.KeyInfo;
import dev.smlocal.server.kms.KmsOperations;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.observe.EventLog;
import dev.smlocal.server.observe.Metrics;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.rotation.RotationFunctions;
import dev.smlocal.server.rotation.Rotator;
import dev.smlocal.server.secrets.SecretsService;
import dev.smlocal.server.secrets.SecretViews.SecretSummary;
import dev.smlocal.server.secrets.SecretViews.SecretView;
import dev.smlocal.server.time.EmulatorClock;
import dev.smlocal.server.time.Scheduler;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The emulator's own {@link EmulatorControl}: every call goes straight to the emulator's parts in
 * this JVM. Built by {@code Emulator}; the admin routes call it for every HTTP client.
 */
public final class LocalControl implements EmulatorControl {
    private final String version;
    private final List<String> regions;
    private final EmulatorClock clock;
    private final Scheduler scheduler;
    private final FaultPlan faults;
    private final Replicator replicator;
    private final Rotator rotator;
    private final SecretsService secrets;
    private final Kms kms;
    /** The key list of state, cost and dashboard (the KMS API's operations; see Emulator.kmsOperations()). */
    private final KmsOperations kmsOperations;
    private final EventLog events;
    private final Metrics metrics;
    private final Principals principals;
    private final Authorizer authorizer;
    private final Runnable reset;
    private final Snapshots snapshots;
    private final DashboardViews.Source views = new Views();

    /** The emulator's parts; {@code reset} is the emulator's whole reset. */
    public LocalControl(String version, List<String> regions, EmulatorClock clock, Scheduler scheduler,
                        FaultPlan faults, Replicator replicator, Rotator rotator, SecretsService secrets,
                        Kms kms, KmsOperations kmsOperations, EventLog events, Metrics metrics, Principals principals,
                        Authorizer authorizer, Runnable reset, Snapshots snapshots) {
        this.version = version;
        this.regions = List.copyOf(regions);
        this.clock = clock;
        this.scheduler = scheduler;
        this.faults = faults;
        this.replicator = replicator;
        this.rotator = rotator;
        this.secrets = secrets;
        this.kms = kms;
        this.kmsOperations = kmsOperations;
        this.events = events;
        this.metrics = metrics;
        this.principals = principals;
        this.authorizer = authorizer;
        this.reset = reset;
        this.snapshots = snapshots;
    }

    /** The emulator's whole-state export and import (they need every part, so the emulator does them). */
    public interface Snapshots {
        JsonNode export(boolean clearValues);

        /** Throws {@link IllegalArgumentException} (a bad document) and changes nothing then. */
        void restore(JsonNode document);
    }

    @Override
    public JsonNode exportState(boolean clearValues) {
        return snapshots.export(clearValues);
    }

    @Override
    public void importState(JsonNode document) {
        snapshots.restore(document);
    }

    @Override
    public Health health() {
        return new Health("ok", version, regions);
    }

    @Override
    public List<String> regions() {
        return regions;
    }

    @Override
    public void reset() {
        reset.run();
    }

    @Override
    public ClockState clock() {
        return new ClockState(clock.mode().name().toLowerCase(Locale.ROOT), clock.now(), scheduler.pending());
    }

    @Override
    public Instant now() {
        return clock.now();
    }

    @Override
    public List<Scheduler.PendingTask> pending() {
        return scheduler.pending();
    }

    @Override
    public void clockMode(EmulatorClock.Mode mode) {
        scheduler.switchMode(mode);
    }

    @Override
    public int advance(Duration amount) {
        return scheduler.advance(amount);
    }

    @Override
    public int setTime(Instant instant) {
        return scheduler.setTime(instant);
    }

    @Override
    public int advanceUntilIdle(Duration limit) {
        return scheduler.advanceUntilIdle(limit);
    }

    @Override
    public List<FaultRule> faults() {
        return faults.list();
    }

    @Override
    public FaultRule addFault(FaultRule rule) {
        return faults.add(rule);
    }

    @Override
    public boolean removeFault(String id) {
        return faults.remove(id);
    }

    @Override
    public void clearFaults() {
        faults.clear();
    }

    @Override
    public FaultRule startOutage(String region, String mode, String timeoutMillis) {
        ObjectNode rule = ControlJson.MAPPER.createObjectNode().put("action", "outage").put("region", region);
        if (mode != null) {
            rule.putObject("attributes").put("mode", mode).put("timeoutMillis", timeoutMillis == null ? "30000" : timeoutMillis);
        }
        return faults.add(FaultJson.parse(rule));
    }

    @Override
    public int heal(String region) {
        return faults.heal(region);
    }

    @Override
    public ReplicationState replication() {
        List<Scheduler.PendingTask> pending = new ArrayList<>();
        for (Scheduler.PendingTask p : scheduler.pending()) {
            if (p.name().startsWith("replicate ")) pending.add(p);
        }
        return new ReplicationState(replicator.defaultLag(), replicator.routes(), pending, replicator.parked());
    }

    @Override
    public ReplicationState configureReplication(Duration defaultLag, List<Replicator.Route> routes) {
        if (defaultLag != null) replicator.setDefaultLag(defaultLag);
        if (routes != null) replicator.setRoutes(routes);
        return replication();
    }

    @Override
    public Functions functions() {
        List<FunctionInfo> list = new ArrayList<>();
        for (RotationFunctions.Registration r : rotator.functions().list()) {
            list.add(new FunctionInfo(r.name(), r.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    r.url() == null ? null : r.url().toString()));
        }
        return new Functions(list, rotator.functionTimeout());
    }

    @Override
    public void registerHttpFunction(String name, URI url) {
        rotator.functions().registerHttp(name, url);
    }

    @Override
    public boolean removeFunction(String name) {
        RotationFunctions fns = rotator.functions();
        boolean http = fns.unregisterHttp(name);
        boolean inProcess = fns.unregister(name);
        if (http || inProcess) return true;
        if (fns.builtIn(name) != null) throw new IllegalStateException("built-in function " + name + " cannot be removed");
        return false;
    }

    /** Registers an in-process rotation function (this JVM only; the HTTP control registers HTTP ones). */
    public void registerFunction(String name, dev.smlocal.server.rotation.RotationFunction function) {
        rotator.functions().register(name, function);
    }

    @Override
    public PrincipalsState principals() {
        List<PrincipalInfo> list = new ArrayList<>();
        for (Principals.Declared d : principals.all()) list.add(info(d));
        return new PrincipalsState(list, authorizer.enabled() ? "on" : "off");
    }

    private static PrincipalInfo info(Principals.Declared d) {
        return new PrincipalInfo(d.accessKeyId(), d.arn(), d.secretAccessKey() != null, d.policy());
    }

    @Override
    public PrincipalInfo declarePrincipal(Principals.Declared principal) {
        return info(principals.declare(principal));
    }

    @Override
    public boolean removePrincipal(String accessKeyId) {
        return principals.remove(accessKeyId);
    }

    @Override
    public List<Event> events() {
        return events.all();
    }

    @Override
    public EventLog.Tail eventsSince(long from, int limit) {
        return events.since(from, limit);
    }

    @Override
    public EventLog.Tail lastEvents(int last, int limit) {
        return events.since(Math.max(0, events.nextSequence() - last), limit);
    }

    @Override
    public String metrics() {
        return metrics.prometheus();
    }

    @Override
    public State state() {
        return new State(clock(), regions, secrets.summaries(), kmsOperations.allKeys());
    }

    @Override
    public JsonNode estate(EstateQuery query) {
        return DashboardViews.estate(views, query);
    }

    @Override
    public Optional<JsonNode> secret(String account, String region, String name) {
        return Optional.ofNullable(DashboardViews.secret(views, account, region, name));
    }

    @Override
    public CostEstimate cost() {
        return CostEstimate.of(secrets.summaries(), kmsOperations.allKeys(), metrics);
    }

    @Override
    public String toString() {
        return "in-process smlocal control";
    }

    /** What the dashboard views read, from this emulator. */
    private final class Views implements DashboardViews.Source {
        @Override
        public ClockState clock() {
            return LocalControl.this.clock();
        }

        @Override
        public List<String> regions() {
            return regions;
        }

        @Override
        public List<SecretSummary> summaries() {
            return secrets.summaries();
        }

        @Override
        public SecretView view(String account, String region, String name) {
            return secrets.view(account, region, name);
        }

        @Override
        public List<FaultRule> faults() {
            return faults.list();
        }

        @Override
        public List<KeyInfo> allKeys() {
            return kmsOperations.allKeys();
        }

        @Override
        public KeyInfo resolveKey(String account, String region, String ref) {
            return kms.resolve(account, region, ref);
        }

        @Override
        public List<Event> events() {
            return events.all();
        }
    }
}
