package dev.smlocal.conformance.support;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.net.URI;
import java.time.Instant;
import java.util.List;
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
        this.powers = new ControlPowers(emulator.control());
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
}
