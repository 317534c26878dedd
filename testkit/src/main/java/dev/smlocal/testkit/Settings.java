package dev.smlocal.testkit;

import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.KmsContext;
import dev.smlocal.server.kms.Kms;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Everything one {@link SmLocalExtension} was configured with, from the builder or from
 * {@link SmLocalTest}. {@code regions} empty means: the server's own (attached) or us-east-1;
 * {@code kms} null means the emulated KMS.
 */
record Settings(List<String> regions, Duration replicationLag, SmLocalTest.Clock clock, Instant clockStart, long seed,
                boolean resetBeforeEach, boolean sdkRetries, boolean shared, URI attachTo, int port,
                List<SmLocalControl.DeclaredPrincipal> principals, String adminToken, boolean redirectSdk,
                String initialState, Function<KmsContext, ? extends Kms> kms) {

    static final List<String> DEFAULT_REGIONS = List.of("us-east-1");

    Settings {
        regions = List.copyOf(regions);
        principals = principals == null ? List.of() : List.copyOf(principals);
    }

    static Settings defaults() {
        return new Settings(List.of(), EmulatorConfig.DEFAULT_REPLICATION_LAG, SmLocalTest.Clock.MANUAL,
                SmLocalExtension.DEFAULT_START, 0L, true, false, false, null, 0, List.of(), null, false, null, null);
    }

    static Settings from(SmLocalTest a) {
        return new Settings(List.of(a.regions()), dev.smlocal.server.time.EmulatorClock.parseDuration(a.replicationLag()),
                a.clock(), SmLocalExtension.DEFAULT_START, a.seed(), true, false, false, null, 0, List.of(), null, a.redirectSdk(),
                a.initialState().isBlank() ? null : a.initialState().trim(), null);
    }

    /** The admin token of an attached server: the builder's, else {@code SMLOCAL_ADMIN_TOKEN}, else none. */
    String effectiveAdminToken() {
        if (adminToken != null) return adminToken;
        String env = System.getenv("SMLOCAL_ADMIN_TOKEN");
        return env == null || env.isBlank() ? null : env.trim();
    }

    /** Like the record's, without the admin token. */
    @Override
    public String toString() {
        return "Settings[regions=" + regions + ", replicationLag=" + replicationLag + ", clock=" + clock + ", clockStart="
                + clockStart + ", seed=" + seed + ", resetBeforeEach=" + resetBeforeEach + ", sdkRetries=" + sdkRetries
                + ", shared=" + shared + ", attachTo=" + attachTo + ", port=" + port + ", principals=" + principals
                + ", redirectSdk=" + redirectSdk + (initialState == null ? "" : ", initialState=" + initialState)
                + ", kms=" + (kms == null ? "emulated" : "custom") + ", adminToken="
                + (adminToken == null ? "none" : "set") + "]";
    }

    /**
     * The declared estate {@code initialState} names ({@code classpath:NAME} or a file path), read
     * and checked now (a typo fails the class before any test), or null without one.
     */
    dev.smlocal.server.persist.InitialState estate() {
        if (initialState == null) return null;
        if (initialState.startsWith("classpath:")) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return dev.smlocal.server.persist.InitialState.resource(initialState.substring("classpath:".length()),
                    loader != null ? loader : Settings.class.getClassLoader());
        }
        java.nio.file.Path file = java.nio.file.Path.of(initialState);
        try {
            return dev.smlocal.server.persist.InitialState.parse(java.nio.file.Files.readString(file), file.toString());
        } catch (java.io.IOException e) {
            throw new dev.smlocal.server.persist.InitialState.Invalid("initial state " + file + ": cannot read it ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
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
                + attachTo + "|" + port + "|" + principals + "|" + initialState
                + (kms == null ? "" : "|kms@" + System.identityHashCode(kms));
    }
}
