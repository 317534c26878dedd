package dev.smlocal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.control.ControlJson;
import dev.smlocal.server.control.EmulatorControl;
import dev.smlocal.server.control.HttpEmulatorControl;
import dev.smlocal.server.faults.FaultJson;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.persist.InitialState;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The testkit's {@link SmLocalControl}, written once over the server's {@link EmulatorControl}:
 * an in-process emulator's own control (owned: stopped on close) or {@link HttpEmulatorControl}
 * for an attached server (never stopped). This is also the one place a {@link FaultSpec} becomes a
 * fault rule and back, through the rule's JSON form ({@link FaultJson}).
 */
final class Control implements SmLocalControl {
    private final EmulatorControl control;
    private final URI endpoint;
    /** The in-process emulator this control owns, or null for an attached server. */
    private final Emulator owned;

    /** The declared estate a reset returns to (in-process only), or null. */
    private final InitialState estate;

    private Control(EmulatorControl control, URI endpoint, Emulator owned, InitialState estate) {
        this.control = control;
        this.endpoint = endpoint;
        this.owned = owned;
        this.estate = estate;
    }

    /**
     * Starts an emulator in this JVM, owned by the returned control, from {@code estate} (null: empty),
     * with {@code kms} as its KMS ({@link Emulator.Builder#kms(java.util.function.Function)}; null: the
     * emulated one).
     */
    static Control start(EmulatorConfig config, InitialState estate,
                         java.util.function.Function<dev.smlocal.server.KmsContext, ? extends dev.smlocal.server.kms.Kms> kms) {
        Emulator.Builder b = Emulator.builder().config(config);
        if (kms != null) b.kms(kms);
        Emulator e = b.start();
        try {
            if (estate != null) e.applyInitialState(estate);
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
        return new Control(e.control(), e.endpoint(), e, estate);
    }

    /**
     * Attaches to the server at {@code endpoint}, checking that it answers its health route;
     * {@code adminToken} (null: none) goes on every admin call as {@code Authorization: Bearer}.
     */
    static Control attach(URI endpoint, String adminToken) {
        HttpEmulatorControl http = HttpEmulatorControl.attach(endpoint, adminToken);
        return new Control(http, http.endpoint(), null, null);
    }

    // ---- FaultSpec <-> FaultRule, the one place ---------------------------------------------------

    static FaultRule toRule(FaultSpec s) {
        ObjectNode b = ControlJson.MAPPER.createObjectNode();
        b.put("action", s.action().wireName());
        putIf(b, "name", s.name());
        putIf(b, "region", s.region());
        putIf(b, "operation", s.operation());
        putIf(b, "account", s.account());
        putIf(b, "from", s.from());
        putIf(b, "to", s.to());
        b.put("probability", s.probability());
        if (s.count() != null) b.put("count", s.count());
        ObjectNode attributes = b.putObject("attributes");
        s.attributes().forEach(attributes::put);
        return FaultJson.parse(b);
    }

    static FaultSpec toSpec(FaultRule rule) {
        JsonNode r = FaultJson.render(rule);
        Map<String, String> attributes = new LinkedHashMap<>();
        r.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        return new FaultSpec(text(r, "name"), FaultSpec.Action.fromWireName(r.path("action").asText()), text(r, "region"),
                text(r, "operation"), text(r, "account"), text(r, "from"), text(r, "to"),
                r.path("probability").asDouble(1.0), r.hasNonNull("count") ? r.get("count").asInt() : null, attributes);
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) n.put(field, value);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    // ---- SmLocalControl ----------------------------------------------------------------------------

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public List<String> regions() {
        return control.regions();
    }

    /** The server's reset; with a declared estate, the estate applied again. */
    @Override
    public void reset() {
        control.reset();
        if (estate != null) owned.applyInitialState(estate);
    }

    @Override
    public Instant now() {
        return control.now();
    }

    @Override
    public List<PendingTask> pending() {
        List<PendingTask> out = new ArrayList<>();
        control.pending().forEach(p -> out.add(new PendingTask(p.name(), p.dueAt())));
        return out;
    }

    @Override
    public int advance(Duration amount) {
        return control.advance(amount);
    }

    @Override
    public int set(Instant instant) {
        return control.setTime(instant);
    }

    @Override
    public int advanceUntilIdle(Duration limit) {
        return control.advanceUntilIdle(limit);
    }

    @Override
    public String addFault(FaultSpec spec) {
        return control.addFault(toRule(spec)).id();
    }

    @Override
    public boolean removeFault(String id) {
        return control.removeFault(id);
    }

    @Override
    public void clearFaults() {
        control.clearFaults();
    }

    @Override
    public List<ActiveRule> faults() {
        List<ActiveRule> out = new ArrayList<>();
        for (FaultRule r : control.faults()) out.add(new ActiveRule(r.id(), toSpec(r)));
        return out;
    }

    @Override
    public void registerFunction(String name, dev.smlocal.server.rotation.RotationFunction function) {
        if (owned == null) {
            throw new UnsupportedOperationException("an in-process rotation function needs an in-process smlocal; "
                    + "against " + endpoint + " serve the function over HTTP and use rotation().registerHttp(name, url)");
        }
        owned.control().registerFunction(name, function);
    }

    @Override
    public void registerHttpFunction(String name, URI url) {
        control.registerHttpFunction(name, url);
    }

    @Override
    public void unregisterFunction(String name) {
        control.removeFunction(name);
    }

    @Override
    public void declarePrincipal(DeclaredPrincipal p) {
        control.declarePrincipal(new Principals.Declared(p.accessKeyId(), p.arn(), p.secretAccessKey(), p.policy()));
    }

    @Override
    public List<DeclaredPrincipal> principals() {
        List<DeclaredPrincipal> out = new ArrayList<>();
        for (EmulatorControl.PrincipalInfo d : control.principals().principals()) {
            out.add(new DeclaredPrincipal(d.accessKeyId(), d.arn(), null, d.policy()));
        }
        return out;
    }

    @Override
    public List<EmulatorEvent> events() {
        List<Event> all = control.events();
        List<EmulatorEvent> out = new ArrayList<>(all.size());
        for (Event e : all) {
            out.add(new EmulatorEvent(e.eventTime(), e.eventSource(), e.eventName(), e.awsRegion(),
                    e.recipientAccountId(), e.requestId(), e.requestParameters(), e.errorCode(), e.errorMessage()));
        }
        return out;
    }

    @Override
    public String metrics() {
        return control.metrics();
    }

    @Override
    public void close() {
        if (owned != null) owned.close();
        // an attached server is not ours to stop
    }

    @Override
    public String toString() {
        return (owned != null ? "in-process smlocal at " : "smlocal attached at ") + endpoint;
    }
}
