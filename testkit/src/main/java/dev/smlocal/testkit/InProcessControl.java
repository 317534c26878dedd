package dev.smlocal.testkit;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.observe.Event;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link SmLocalControl} over an {@link Emulator} in this JVM, which it owns and stops. */
final class InProcessControl implements SmLocalControl {
    private final Emulator emulator;

    private InProcessControl(Emulator emulator) {
        this.emulator = emulator;
    }

    static InProcessControl start(EmulatorConfig config) {
        return new InProcessControl(Emulator.start(config));
    }

    /** With {@code kms} as the server's KMS ({@link Emulator.Builder#kms(java.util.function.Function)}); null: the emulated one. */
    static InProcessControl start(EmulatorConfig config,
                                  java.util.function.Function<dev.smlocal.server.KmsContext, ? extends dev.smlocal.server.kms.Kms> kms) {
        return kms == null ? start(config) : new InProcessControl(Emulator.builder().config(config).kms(kms).start());
    }

    @Override
    public URI endpoint() {
        return emulator.endpoint();
    }

    @Override
    public List<String> regions() {
        return emulator.regions();
    }

    @Override
    public void registerFunction(String name, dev.smlocal.server.rotation.RotationFunction function) {
        emulator.rotationFunctions().register(name, function);
    }

    @Override
    public void registerHttpFunction(String name, URI url) {
        emulator.rotationFunctions().registerHttp(name, url);
    }

    @Override
    public void unregisterFunction(String name) {
        emulator.rotationFunctions().unregister(name);
        emulator.rotationFunctions().unregisterHttp(name);
    }

    @Override
    public void declarePrincipal(DeclaredPrincipal p) {
        emulator.principals().declare(new Principals.Declared(p.accessKeyId(), p.arn(), p.secretAccessKey(), p.policy()));
    }

    @Override
    public List<DeclaredPrincipal> principals() {
        List<DeclaredPrincipal> out = new ArrayList<>();
        for (Principals.Declared d : emulator.principals().all()) {
            out.add(new DeclaredPrincipal(d.accessKeyId(), d.arn(), null, d.policy()));
        }
        return out;
    }

    @Override
    public void reset() {
        emulator.reset();
    }

    @Override
    public Instant now() {
        return emulator.clock().now();
    }

    @Override
    public List<PendingTask> pending() {
        List<PendingTask> out = new ArrayList<>();
        emulator.scheduler().pending().forEach(p -> out.add(new PendingTask(p.name(), p.dueAt())));
        return out;
    }

    @Override
    public int advance(Duration amount) {
        return emulator.scheduler().advance(amount);
    }

    @Override
    public int set(Instant instant) {
        return emulator.scheduler().setTime(instant);
    }

    @Override
    public int advanceUntilIdle(Duration limit) {
        return emulator.scheduler().advanceUntilIdle(limit);
    }

    @Override
    public String addFault(FaultSpec s) {
        FaultRule rule = new FaultRule(null, s.name(), s.action().wireName(), s.region(), s.operation(), s.account(),
                s.from(), s.to(), s.probability(), s.count(), s.attributes());
        return emulator.faults().add(rule).id();
    }

    @Override
    public boolean removeFault(String id) {
        return emulator.faults().remove(id);
    }

    @Override
    public void clearFaults() {
        emulator.faults().clear();
    }

    @Override
    public List<ActiveRule> faults() {
        List<ActiveRule> out = new ArrayList<>();
        for (FaultRule r : emulator.faults().list()) {
            out.add(new ActiveRule(r.id(), new FaultSpec(r.name(), FaultSpec.Action.fromWireName(r.action()), r.region(),
                    r.operation(), r.account(), r.from(), r.to(), r.probability(), r.count(), r.attributes())));
        }
        return out;
    }

    @Override
    public List<EmulatorEvent> events() {
        List<Event> all = emulator.events().all();
        List<EmulatorEvent> out = new ArrayList<>(all.size());
        for (Event e : all) {
            out.add(new EmulatorEvent(e.eventTime(), e.eventSource(), e.eventName(), e.awsRegion(),
                    e.recipientAccountId(), e.requestId(), e.requestParameters(), e.errorCode(), e.errorMessage()));
        }
        return out;
    }

    @Override
    public String metrics() {
        return emulator.metrics().prometheus();
    }

    @Override
    public void close() {
        emulator.close();
    }

    @Override
    public String toString() {
        return "in-process smlocal at " + endpoint();
    }
}
