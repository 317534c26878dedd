package dev.smlocal.server;

import dev.smlocal.server.admin.AdminRoutes;
import dev.smlocal.server.auth.Authorizer;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.control.LocalControl;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.http.AwsJsonDispatcher;
import dev.smlocal.server.http.HttpFront;
import dev.smlocal.server.http.ModelValidator;
import dev.smlocal.server.http.Operations;
import dev.smlocal.server.http.Perimeter;
import dev.smlocal.server.http.SigV4Verifier;
import dev.smlocal.server.kms.EmulatedKms;
import dev.smlocal.server.kms.Kms;
import dev.smlocal.server.kms.KmsOperations;
import dev.smlocal.server.faults.FaultPlan;
import dev.smlocal.server.faults.RegionGate;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.observe.EventLog;
import dev.smlocal.server.observe.Metrics;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.rotation.RotationFunctions;
import dev.smlocal.server.rotation.Rotator;
import dev.smlocal.server.secrets.SecretsService;
import dev.smlocal.server.secrets.Stores;
import dev.smlocal.server.time.EmulatorClock;
import dev.smlocal.server.time.Scheduler;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One running smlocal: the services, the clock and the HTTP endpoint, wired together.
 * {@link #start} returns once the port accepts connections; {@link #close} stops everything.
 */
public final class Emulator implements AutoCloseable, dev.smlocal.server.persist.EmulatorParts {
    public static final String VERSION = Version.VERSION;

    private static final ModelValidator SECRETS_MODEL = ModelValidator.load("/aws-model/secretsmanager-service-2.json");
    private static final ModelValidator KMS_MODEL = ModelValidator.load("/aws-model/kms-service-2.json");

    private final EmulatorConfig config;
    private final EmulatorClock clock;
    private final Scheduler scheduler;
    private final IdGenerator ids;
    private final Kms kms;
    /** The KMS API's operations: the Kms's own, the emulated KMS's, or unavailable (see {@link KmsContext}). */
    private final KmsOperations kmsOperations;
    /** The emulated KMS when this emulator has one (the port itself or built for a wrapper), else null. */
    private final EmulatedKms emulatedKms;
    private final SecretsService secrets;
    private final EventLog events = new EventLog();
    private final Metrics metrics = new Metrics();
    private final FaultPlan faults;
    private final Set<String> regions;
    private final Replicator replicator;
    private final Rotator rotator;
    private final Operations operations;
    private final AwsJsonDispatcher dispatcher;
    private final Principals principals = new Principals();
    private final Authorizer authorizer;
    private final LocalControl control;
    private HttpFront front;

    private Emulator(EmulatorConfig config, Function<KmsContext, ? extends Kms> kmsFactory) {
        this.config = config;
        this.clock = config.clockMode().equals("manual")
                ? (config.clockStart() == null ? EmulatorClock.manualFromNow() : EmulatorClock.manual(config.clockStart()))
                : EmulatorClock.system();
        this.scheduler = new Scheduler(clock);
        this.ids = new IdGenerator(config.seed());
        for (Principals.Declared d : config.principals()) principals.declare(d);
        this.authorizer = new Authorizer(principals, config.authorization());
        KmsContext kmsContext = new KmsContext(clock, ids.derive("kms"), config.replicaKeyDelay(), authorizer);
        this.kms = java.util.Objects.requireNonNull(kmsFactory.apply(kmsContext), "the KMS factory returned null");
        this.kmsOperations = kms instanceof KmsOperations own ? own
                : kmsContext.emulatedIfBuilt() != null ? kmsContext.emulatedIfBuilt() : KmsOperations.unavailable();
        this.emulatedKms = kms instanceof EmulatedKms emulated ? emulated : kmsContext.emulatedIfBuilt();
        // replication and rotation bind themselves to these links as they are built below: the
        // secrets service gets them (and the authorizer) at construction, never through a setter
        SecretsService.Links links = new SecretsService.Links();
        this.secrets = new SecretsService(new Stores(), kms, scheduler, ids, authorizer, links);
        this.regions = new LinkedHashSet<>(config.regions());
        this.faults = new FaultPlan(ids);
        faults.onApplied(rule -> events.add(new Event(clock.now(), "smlocal", "FaultApplied", rule.region(), rule.account(),
                null, java.util.Map.of("faultId", rule.id(), "action", rule.action(), "name", rule.name()), null, null)));
        this.operations = Operations.secretsManager(secrets);
        Operations.addKms(operations, kmsOperations);
        RegionGate gate = new RegionGate(faults, scheduler);
        this.replicator = new Replicator(secrets, links, ids, scheduler, faults, gate, regions::contains, events, metrics,
                config.replicationLag());
        Operations.addReplication(operations, replicator);
        this.rotator = new Rotator(secrets, links, ids, scheduler, gate, events, metrics, config.rotationTimeout());
        rotator.functions().allowHosts(config.allowedFunctionHosts());
        Operations.addRotation(operations, rotator);
        this.dispatcher = new AwsJsonDispatcher(operations, SECRETS_MODEL, KMS_MODEL, regions::contains, clock,
                events, metrics, faults);
        authorizer.onRefusal(r -> events.add(new Event(clock.now(), "smlocal", "AccessDenied", r.region(), r.account(),
                null, java.util.Map.of("principal", r.principalArn(), "action", r.action(), "resource", r.resource(),
                "reason", r.reason()), "AccessDeniedException", null)));
        dispatcher.setPrincipals(principals);
        this.control = new LocalControl(VERSION, List.copyOf(regions), clock, scheduler, faults, replicator, rotator, secrets,
                kms, kmsOperations, events, metrics, principals, authorizer, this::reset,
                new LocalControl.Snapshots() {
                    @Override
                    public com.fasterxml.jackson.databind.JsonNode export(boolean clearValues) {
                        return exportState(clearValues);
                    }

                    @Override
                    public void restore(com.fasterxml.jackson.databind.JsonNode document) {
                        importState(document);
                    }
                });
        if (config.init() != null && (config.dataDir() == null
                || !dev.smlocal.server.persist.DataDir.holdsState(config.dataDir()))) {
            try { // seed once: a data directory that holds state keeps it (docs/PERSISTENCE.md "Initial state")
                applyInitialState(dev.smlocal.server.persist.InitialState.read(config.init()));
            } catch (RuntimeException e) {
                scheduler.close();
                rotator.close();
                throw e;
            }
        }
        if (config.dataDir() != null) {
            try {
                persistence = dev.smlocal.server.persist.Persistence.open(this, config.dataDir(), config.compactAfterBytes());
            } catch (RuntimeException e) {
                scheduler.close();
                rotator.close();
                throw e;
            }
            dispatcher.setDurable(true);
        }
    }

    /** With {@code --data-dir}: the journal and snapshots behind the stores (docs/PERSISTENCE.md); null in memory. */
    private dev.smlocal.server.persist.Persistence persistence;

    public dev.smlocal.server.persist.Persistence persistence() { return persistence; }

    /** Builds the services without opening a port (protocol tests call {@link #dispatcher()} directly). */
    public static Emulator create(EmulatorConfig config) {
        return builder().config(config).create();
    }

    /** Builds the services and opens the HTTP endpoint. */
    public static Emulator start(EmulatorConfig config) {
        return builder().config(config).start();
    }

    /** A builder: the configuration and, optionally, the KMS that keeps secret values encrypted. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures an emulator before {@link #create()} or {@link #start()}. Defaults:
     * {@link EmulatorConfig#defaults()} and the emulated KMS.
     */
    public static final class Builder {
        private EmulatorConfig config = EmulatorConfig.defaults();
        private Function<KmsContext, ? extends Kms> kms = KmsContext::emulated;

        private Builder() {}

        public Builder config(EmulatorConfig value) {
            this.config = java.util.Objects.requireNonNull(value, "config");
            return this;
        }

        /**
         * The KMS Secrets Manager seals and opens secret values with. Unless it also implements
         * {@link KmsOperations}, the KMS API answers {@code UnsupportedOperationException}; use
         * {@link #kms(Function)} to wrap the emulated KMS instead. (An {@code EmulatedKms} built by
         * hand enforces key policies only with the authorizer it was built with;
         * {@link KmsContext#emulated()} gives one with the emulator's.)
         */
        public Builder kms(Kms value) {
            java.util.Objects.requireNonNull(value, "kms");
            this.kms = ctx -> value;
            return this;
        }

        /**
         * A KMS built for this emulator from its {@link KmsContext} (clock, seeded ids, the emulated
         * KMS), e.g. {@code ctx -> new CountingKms(ctx.emulated())}; see {@link KmsContext} for which
         * KMS then serves the KMS API.
         */
        public Builder kms(Function<KmsContext, ? extends Kms> factory) {
            this.kms = java.util.Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Builds the services without opening a port. */
        public Emulator create() {
            return new Emulator(config, kms);
        }

        /** Builds the services and opens the HTTP endpoint; returns once the port accepts connections. */
        public Emulator start() {
            return Emulator.open(new Emulator(config, kms));
        }
    }

    private static Emulator open(Emulator e) {
        EmulatorConfig config = e.config;
        try {
            Perimeter perimeter = new Perimeter(config.allowedOrigins(), config.allowedHosts(), config.adminToken());
            SigV4Verifier verifier = config.verifySignatures()
                    ? new SigV4Verifier(e.signingKeys(), e.clock::now)
                    : null;
            e.front = HttpFront.start(config.host(), config.port(), config.idleTimeout(), config.eventLoops(), e.dispatcher,
                    router -> AdminRoutes.mount(router, e.control, e.events::add,
                            e.persistence == null ? null : () -> e.persistence.afterAdminWrite()),
                    perimeter, verifier);
        } catch (RuntimeException ex) {
            e.scheduler.close();
            e.rotator.close();
            throw ex;
        }
        return e;
    }

    public EmulatorConfig config() { return config; }
    @Override
    public String version() { return VERSION; }

    public EmulatorClock clock() { return clock; }
    public Scheduler scheduler() { return scheduler; }
    public IdGenerator ids() { return ids; }
    /** The KMS that seals and opens secret values (the emulated one unless the builder was given another). */
    public Kms kms() { return kms; }
    /** The KMS API's operations and the key list of the admin views (see {@link KmsContext}). */
    public KmsOperations kmsOperations() { return kmsOperations; }
    /**
     * The emulated KMS, when this emulator has one (the default, or built by a factory through
     * {@link KmsContext#emulated()}), else null: persistence and state snapshots hold its keys.
     */
    public EmulatedKms emulatedKms() { return emulatedKms; }
    /** The emulated KMS's keys as records for persistence and snapshots; null with a custom KMS alone. */
    @Override
    public dev.smlocal.server.kms.KmsState kmsState() { return emulatedKms; }
    public SecretsService secrets() { return secrets; }
    public EventLog events() { return events; }
    public Metrics metrics() { return metrics; }
    public Operations operations() { return operations; }
    public FaultPlan faults() { return faults; }
    public Replicator replicator() { return replicator; }
    public Rotator rotator() { return rotator; }

    /**
     * Declared principals (access key → role or user, secret key, identity policy); {@link #reset}
     * keeps them. {@code secretKeyOf} serves signature checks.
     */
    public Principals principals() { return principals; }

    /**
     * The secret access key of an access key id, for {@code --verify-signatures}: a declared
     * principal's, else one from {@code --signing-keys}.
     */
    private java.util.function.Function<String, Optional<String>> signingKeys() {
        var fromFile = config.signingKeys();
        return id -> {
            Optional<String> declared = principals.secretKeyOf(id);
            return declared.isPresent() || fromFile == null ? declared : fromFile.apply(id);
        };
    }
    public Authorizer authorizer() { return authorizer; }

    /**
     * The control side (clock, faults, outages, replication lags, functions, principals, events,
     * views): the {@code EmulatorControl} a remote server offers through {@code HttpEmulatorControl}.
     */
    public LocalControl control() { return control; }

    /**
     * Rotation functions: register in-process ones here ({@code register(name, fn)}); a
     * RotationLambdaARN {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME} resolves NAME among HTTP
     * functions (admin API), then these, then the built-ins. {@link #reset} forgets both kinds of
     * registration.
     */
    public RotationFunctions rotationFunctions() { return rotator.functions(); }
    public AwsJsonDispatcher dispatcher() { return dispatcher; }
    public List<String> regions() { return List.copyOf(regions); }

    public int port() {
        if (front == null) throw new IllegalStateException("not started");
        return front.port();
    }

    /**
     * Requests each event loop's HTTP server has taken since the start ({@code --event-loops}); a
     * diagnostic for how connections were spread. One connection stays on one loop.
     */
    public long[] requestsPerEventLoop() {
        if (front == null) throw new IllegalStateException("not started");
        return front.requestsPerEventLoop();
    }

    /** {@code http://host:port}, for {@code endpointOverride}. */
    public URI endpoint() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    /**
     * Forgets every secret, key, event and pending task, every rotation in progress and every
     * registered rotation function (HTTP and in-process; the built-ins stay), and rewinds a manual
     * clock to its start; keeps the configuration and the port.
     */
    public void reset() {
        scheduler.reset();
        replicator.reset();
        rotator.reset();
        faults.clear();
        secrets.reset();
        kms.reset();
        if (kmsOperations != kms && kmsOperations instanceof Kms served) served.reset();
        events.clear();
        metrics.reset();
        ids.reset();
        if (persistence != null) persistence.reset();
    }

    // ---- the declared estate: --init, the testkit's initialState (docs/PERSISTENCE.md) -------------

    /** How long a system clock's replication may take before a declared replica counts as failed. */
    private static final java.time.Duration INIT_REPLICA_WAIT = java.time.Duration.ofSeconds(30);

    /**
     * Applies a declared estate through the real operations (the dispatcher: model checks and AWS's
     * validation) and rotation functions, lets its replication finish, then adds its faults. With a manual
     * clock the clock moves just far enough for every pending replication delivery; with the system
     * clock this waits (at most 30 s of wall time) for them. Every declared replica is then
     * {@code InSync}. The events and metrics of applying are dropped: the estate is the starting
     * point. A refusal throws {@link dev.smlocal.server.persist.InitialState.Invalid} naming the
     * entry; what was applied before it stays (callers reset or stop).
     */
    public synchronized void applyInitialState(dev.smlocal.server.persist.InitialState state) {
        dev.smlocal.server.persist.InitialState.Target target = new dev.smlocal.server.persist.InitialState.Target() {
            @Override
            public dev.smlocal.server.persist.InitialState.Answer call(String op, String region, String account,
                                                                       com.fasterxml.jackson.databind.node.ObjectNode input) {
                String auth = "AWS4-HMAC-SHA256 Credential=" + account + "/20260101/" + region
                        + "/smlocal-init/aws4_request, SignedHeaders=host, Signature=0";
                try {
                    AwsJsonDispatcher.Result r = dispatcher.dispatch(op, auth, null,
                            dev.smlocal.server.http.Json.MAPPER.writeValueAsBytes(input));
                    return new dev.smlocal.server.persist.InitialState.Answer(r.status(),
                            dev.smlocal.server.http.Json.MAPPER.readTree(r.body()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void registerFunction(String name, String url) {
                control.registerHttpFunction(name, URI.create(url));
            }

            @Override
            public void addFault(com.fasterxml.jackson.databind.JsonNode rule) {
                control.addFault(dev.smlocal.server.faults.FaultJson.parse(rule));
            }
        };
        var created = state.apply(target, regions.iterator().next());
        if (clock.mode() == EmulatorClock.Mode.MANUAL) {
            for (int i = 0; i < 100_000; i++) {
                java.time.Instant due = null;
                for (Scheduler.PendingTask t : scheduler.pending()) {
                    if (t.name().startsWith("replicate ")) {
                        due = t.dueAt();
                        break;
                    }
                }
                if (due == null) break;
                scheduler.setTime(due.isBefore(clock.now()) ? clock.now() : due);
            }
            scheduler.runDue();
            state.checkReplicas(target, created, false);
        } else {
            long deadline = System.nanoTime() + INIT_REPLICA_WAIT.toNanos();
            while (!state.checkReplicas(target, created, System.nanoTime() < deadline)) {
                try {
                    Thread.sleep(10); // the scheduler thread delivers on the wall clock; bounded by the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the declared replicas");
                }
            }
        }
        state.applyFaults(target); // last: no declared fault hits the estate's own calls or its replication
        events.clear();
        metrics.reset();
    }

    // ---- the state document: export, import, timed work (docs/PERSISTENCE.md) --------------------

    /**
     * The whole state as one JSON document ({@code persist/StateCodec}): values sealed as held in
     * memory, or with {@code clearValues} in the clear (the document says so).
     */
    public com.fasterxml.jackson.databind.node.ObjectNode exportState(boolean clearValues) {
        return dev.smlocal.server.persist.StateCodec.document(
                dev.smlocal.server.persist.StateTransfer.capture(this, clearValues));
    }

    /**
     * Replaces the whole state with {@code document}'s, then plans its timed work again
     * ({@link #reconcileTimedWork}). A document that cannot be restored (a newer format, a bad
     * field) throws {@link dev.smlocal.server.persist.StateCodec.BadDocument} naming the problem and
     * changes nothing; a failure while restoring (a function host not allowed, a value in the clear
     * whose key is unusable) puts the previous state back before throwing. Like {@link #reset}, it
     * forgets in-process rotation functions and events.
     */
    public synchronized void importState(com.fasterxml.jackson.databind.JsonNode document) {
        var decoded = dev.smlocal.server.persist.StateCodec.decode(document);
        var before = dev.smlocal.server.persist.StateTransfer.capture(this, false);
        reset();
        try {
            dev.smlocal.server.persist.StateTransfer.restore(this, decoded);
        } catch (RuntimeException e) {
            reset();
            dev.smlocal.server.persist.StateTransfer.restore(this, before);
            reconcileTimedWork();
            throw new dev.smlocal.server.persist.StateCodec.BadDocument("the state could not be restored, nothing "
                    + "changed: " + e.getMessage());
        }
        reconcileTimedWork();
    }

    /**
     * Plans the time-based work a restored state implies, on the emulator clock, in one place:
     * secrets marked for deletion are removed at their deletion date, replicas still
     * {@code InProgress} receive their primary again after the route's lag, automatic rotations are
     * scheduled from their settings (a missed window runs at once). KMS key deletion and replica-key
     * creation need nothing: they follow the clock. With a manual clock, work already due runs
     * before this returns. Call once after restoring, on a state with nothing scheduled.
     */
    public void reconcileTimedWork() {
        for (dev.smlocal.server.secrets.RegionalStore store : secrets.stores().all()) {
            List<String[]> named = store.locked(() -> {
                List<String[]> out = new java.util.ArrayList<>();
                for (var s : dev.smlocal.server.secrets.SecretRecord.secretsOf(store)) {
                    out.add(new String[] {s.name(), s.arn()});
                }
                return out;
            });
            for (String[] n : named) {
                dev.smlocal.server.secrets.SecretRecord.replanDeletion(store, n[0], scheduler);
                replicator.resume(store.account(), store.region(), n[0]);
                rotator.resume(n[1]);
            }
        }
        if (clock.mode() == EmulatorClock.Mode.MANUAL) scheduler.runDue();
    }

    @Override
    public void close() {
        if (front != null) front.close();
        scheduler.close();
        rotator.close();
        if (persistence != null) persistence.close();
    }
}
