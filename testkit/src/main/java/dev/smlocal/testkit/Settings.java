package dev.smlocal.testkit;

import dev.smlocal.server.EmulatorConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything one {@link SmLocalExtension} was configured with, from the builder or from
 * {@link SmLocalTest}. {@code regions} empty means: the server's own (attached) or us-east-1.
 */
record Settings(List<String> regions, Duration replicationLag, SmLocalTest.Clock clock, Instant clockStart, long seed,
                boolean resetBeforeEach, boolean sdkRetries, boolean shared, URI attachTo, int port,
                boolean redirectSdk) {

    static final List<String> DEFAULT_REGIONS = List.of("us-east-1");

    Settings {
        regions = List.copyOf(regions);
    }

    static Settings defaults() {
        return new Settings(List.of(), EmulatorConfig.DEFAULT_REPLICATION_LAG, SmLocalTest.Clock.MANUAL,
                SmLocalExtension.DEFAULT_START, 0L, true, false, false, null, 0, false);
    }

    static Settings from(SmLocalTest a) {
        return new Settings(List.of(a.regions()), dev.smlocal.server.time.EmulatorClock.parseDuration(a.replicationLag()),
                a.clock(), SmLocalExtension.DEFAULT_START, a.seed(), true, false, false, null, 0, a.redirectSdk());
    }

    /** The configuration of an in-process server. */
    EmulatorConfig toConfig() {
        return EmulatorConfig.defaults()
                .withPort(port)
                .withRegions(regions.isEmpty() ? DEFAULT_REGIONS : regions)
                .withClock(clock == SmLocalTest.Clock.MANUAL ? "manual" : "system", clockStart)
                .withSeed(seed)
                .withReplicationLag(replicationLag)
                .withQuiet(true);
    }

    /** What makes two shared servers the same server: everything that shapes the emulator. */
    String sharedKey() {
        return "shared:" + regions + "|" + replicationLag + "|" + clock + "|" + clockStart + "|" + seed + "|"
                + attachTo + "|" + port;
    }
}
