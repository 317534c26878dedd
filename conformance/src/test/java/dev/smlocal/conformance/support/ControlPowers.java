package dev.smlocal.conformance.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.control.ControlJson;
import dev.smlocal.server.control.EmulatorControl;
import dev.smlocal.server.faults.FaultJson;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.time.EmulatorClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Emulator powers over the server's {@link EmulatorControl}, the same for the in-process target
 * (the emulator's own control) and a URL target ({@code HttpEmulatorControl} over its admin API).
 * Advancing the clock needs manual mode: the first advance switches a system-clock server to manual
 * and {@link #restore()} switches it back when the run ends.
 */
final class ControlPowers implements EmulatorPowers {
    private final EmulatorControl control;
    private boolean switchedToManual;

    ControlPowers(EmulatorControl control) {
        this.control = control;
    }

    @Override
    public Instant now() {
        return control.now();
    }

    @Override
    public synchronized void advance(Duration amount) {
        if (!switchedToManual && "system".equals(control.clock().mode())) {
            control.clockMode(EmulatorClock.Mode.MANUAL);
            switchedToManual = true;
        }
        control.advance(amount);
    }

    /** The rule map is the admin API's JSON form, with numbers as text; parsed by {@link FaultJson}. */
    @Override
    public String addFault(Map<String, String> rule) {
        ObjectNode body = ControlJson.MAPPER.createObjectNode();
        rule.forEach((k, v) -> {
            if (k.equals("probability")) body.put(k, Double.parseDouble(v));
            else if (k.equals("count")) body.put(k, Integer.parseInt(v));
            else body.put(k, v);
        });
        return control.addFault(FaultJson.parse(body)).id();
    }

    /** A rule with a count may have removed itself already; that is fine. */
    @Override
    public void removeFault(String id) {
        control.removeFault(id);
    }

    @Override
    public void replicationRoutes(List<Route> routes) {
        control.configureReplication(null, routes.stream().map(r -> new Replicator.Route(r.from(), r.to(), r.lag())).toList());
    }

    @Override
    public void registerFunction(String name, URI url) {
        control.registerHttpFunction(name, url);
    }

    /** A function already gone is fine. */
    @Override
    public void removeFunction(String name) {
        control.removeFunction(name);
    }

    /** Puts a clock this run switched to manual back to system mode. */
    synchronized void restore() {
        if (switchedToManual) {
            try {
                control.clockMode(EmulatorClock.Mode.SYSTEM);
            } catch (RuntimeException ignored) {
                // the server may be gone already
            }
            switchedToManual = false;
        }
    }
}
