package dev.smlocal.conformance.support;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.faults.FaultJson;
import dev.smlocal.server.replication.Replicator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The default target: an emulator started in this JVM on a free port with a manual clock standing
 * at a fixed instant, so clock-driven checks are deterministic and need no waiting.
 */
public final class InProcessTarget extends AbstractTarget {
    public static final Instant START = Instant.parse("2026-01-15T10:00:00Z");

    private final Emulator emulator;
    private final EmulatorPowers powers;

    public InProcessTarget(List<String> regions) {
        super("in-process", regions,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "conformance")));
        this.emulator = Emulator.start(EmulatorConfig.defaults().withPort(0).withClock("manual", START)
                .withSeed(6).withQuiet(true));
        this.powers = new Powers(emulator);
    }

    public Emulator emulator() {
        return emulator;
    }

    @Override
    public Kind kind() { return Kind.IN_PROCESS; }

    @Override
    URI sdkEndpoint() { return emulator.endpoint(); }

    @Override
    public Optional<EmulatorPowers> powers() { return Optional.of(powers); }

    @Override
    public void close() {
        super.close();
        emulator.close();
    }

    private record Powers(Emulator emulator) implements EmulatorPowers {
        @Override
        public Instant now() {
            return emulator.clock().now();
        }

        @Override
        public void advance(Duration amount) {
            emulator.scheduler().advance(amount);
        }

        @Override
        public String addFault(Map<String, String> rule) {
            // the admin API's JSON form, flat: the same parser the admin API uses
            com.fasterxml.jackson.databind.node.ObjectNode json =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            rule.forEach((k, v) -> {
                if (k.equals("probability")) json.put(k, Double.parseDouble(v));
                else if (k.equals("count")) json.put(k, Integer.parseInt(v));
                else json.put(k, v);
            });
            return emulator.faults().add(FaultJson.parse(json)).id();
        }

        @Override
        public void removeFault(String id) {
            emulator.faults().remove(id);
        }

        @Override
        public void replicationRoutes(List<Route> routes) {
            emulator.replicator().setRoutes(routes.stream()
                    .map(r -> new Replicator.Route(r.from(), r.to(), r.lag())).toList());
        }

        @Override
        public void registerFunction(String name, URI url) {
            emulator.rotationFunctions().registerHttp(name, url);
        }

        @Override
        public void removeFunction(String name) {
            emulator.rotationFunctions().unregisterHttp(name);
        }
    }
}
