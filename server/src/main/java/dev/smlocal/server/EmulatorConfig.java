package dev.smlocal.server;

import dev.smlocal.server.aws.Regions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything that configures an emulator. Produced by the command line ({@link Main}) and by the
 * testkit's builder; precedence on the command line is flag, then {@code SMLOCAL_*} environment
 * variable, then {@code --config} file, then default.
 *
 * @param port           TCP port; 0 picks a free one
 * @param host           interface to bind
 * @param regions        enabled regions
 * @param clockMode      {@code system} or {@code manual}
 * @param clockStart     where a manual clock starts (null: the current instant)
 * @param seed           seed of every random choice (ARN suffixes, version ids, fault draws)
 * @param replicationLag default delay before a primary change reaches a replica
 * @param dataDir        reserved for persistence; must be null in this version
 * @param quiet          no start banner
 * @param rotationTimeout how long one step of a rotation function may take (wall time)
 */
public record EmulatorConfig(int port, String host, List<String> regions, String clockMode, Instant clockStart,
                             long seed, Duration replicationLag, Path dataDir, boolean quiet,
                             Duration rotationTimeout) {
    public static final int DEFAULT_PORT = 4599;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_REPLICATION_LAG = Duration.ofMillis(250);
    public static final Duration DEFAULT_ROTATION_TIMEOUT = Duration.ofSeconds(30);

    public EmulatorConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was: " + port);
        Objects.requireNonNull(host, "host");
        regions = List.copyOf(regions);
        if (regions.isEmpty()) throw new IllegalArgumentException("at least one region must be enabled");
        for (String r : regions) {
            if (!Regions.isWellFormed(r)) throw new IllegalArgumentException("not a region name: " + r);
        }
        if (!clockMode.equals("system") && !clockMode.equals("manual")) {
            throw new IllegalArgumentException("clock must be system or manual, was: " + clockMode);
        }
        if (replicationLag.isNegative()) throw new IllegalArgumentException("replication lag must not be negative");
        Objects.requireNonNull(rotationTimeout, "rotationTimeout");
        if (rotationTimeout.isNegative() || rotationTimeout.isZero()) {
            throw new IllegalArgumentException("rotation timeout must be positive, was: " + rotationTimeout);
        }
    }

    public static EmulatorConfig defaults() {
        return new EmulatorConfig(DEFAULT_PORT, DEFAULT_HOST, Regions.COMMERCIAL, "system", null, 0L,
                DEFAULT_REPLICATION_LAG, null, false, DEFAULT_ROTATION_TIMEOUT);
    }

    public EmulatorConfig withPort(int p) {
        return new EmulatorConfig(p, host, regions, clockMode, clockStart, seed, replicationLag, dataDir, quiet, rotationTimeout);
    }

    public EmulatorConfig withRegions(List<String> r) {
        return new EmulatorConfig(port, host, r, clockMode, clockStart, seed, replicationLag, dataDir, quiet, rotationTimeout);
    }

    public EmulatorConfig withClock(String mode, Instant start) {
        return new EmulatorConfig(port, host, regions, mode, start, seed, replicationLag, dataDir, quiet, rotationTimeout);
    }

    public EmulatorConfig withSeed(long s) {
        return new EmulatorConfig(port, host, regions, clockMode, clockStart, s, replicationLag, dataDir, quiet, rotationTimeout);
    }

    public EmulatorConfig withReplicationLag(Duration lag) {
        return new EmulatorConfig(port, host, regions, clockMode, clockStart, seed, lag, dataDir, quiet, rotationTimeout);
    }

    public EmulatorConfig withRotationTimeout(Duration timeout) {
        return new EmulatorConfig(port, host, regions, clockMode, clockStart, seed, replicationLag, dataDir, quiet, timeout);
    }

    public EmulatorConfig withQuiet(boolean q) {
        return new EmulatorConfig(port, host, regions, clockMode, clockStart, seed, replicationLag, dataDir, q, rotationTimeout);
    }
}
