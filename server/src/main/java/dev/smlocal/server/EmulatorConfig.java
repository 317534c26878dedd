package dev.smlocal.server;

import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.aws.Regions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

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
 * @param dataDir        where state is kept across restarts (docs/PERSISTENCE.md); null: in memory
 * @param quiet          no start banner
 * @param rotationTimeout how long one step of a rotation function may take (wall time)
 * @param authorization  AWS's authorization rules (true, the default) or allow-all (false)
 * @param principals     declared principals (access key → role or user, secret key, identity policy)
 * @param allowedOrigins browser origins served besides loopback ones (docs/SECURITY.md)
 * @param allowedHosts   {@code Host} names served besides IP literals, localhost names and single labels
 * @param adminToken     bearer token the admin API needs (health excepted); null: none
 * @param allowedFunctionHosts hosts rotation function URLs may name besides loopback ones
 * @param verifySignatures whether SigV4 signatures are checked
 * @param signingKeys    access key id to secret access key, for {@code verifySignatures}; null: no key is known
 * @param replicaKeyDelay how long a new multi-Region replica KMS key stays {@code Creating}
 *                       (emulator time); 0 makes it {@code Enabled} at once
 * @param idleTimeout    an inbound connection with no traffic for this long is closed (wall
 *                       time); 0 never closes idle connections
 * @param compactAfterBytes with {@code dataDir}: the journal size past which the state is written
 *                       as a snapshot and the journal started afresh
 * @param init           a declared estate applied at start (docs/PERSISTENCE.md "Initial state"); with
 *                       {@code dataDir} only when the directory holds no state yet; null: none
 */
public record EmulatorConfig(int port, String host, List<String> regions, String clockMode, Instant clockStart,
                             long seed, Duration replicationLag, Path dataDir, boolean quiet,
                             Duration rotationTimeout, boolean authorization,
                             List<Principals.Declared> principals, List<String> allowedOrigins, List<String> allowedHosts,
                             String adminToken, List<String> allowedFunctionHosts, boolean verifySignatures,
                             Function<String, Optional<String>> signingKeys, Duration replicaKeyDelay,
                             Duration idleTimeout, long compactAfterBytes, Path init, int eventLoops) {
    public static final int DEFAULT_PORT = 4599;
    /**
     * Event loops serving the port (one HTTP server instance per loop, Vert.x balances connections
     * across them). 1: on the 2-core machine of docs/PERFORMANCE.md ("Several event loops"), with
     * the client on the same cores, 2 loops served no more requests per second and doubled p99.
     */
    public static final int DEFAULT_EVENT_LOOPS = 1;
    public static final int MAX_EVENT_LOOPS = 64;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_REPLICATION_LAG = Duration.ofMillis(250);
    public static final Duration DEFAULT_ROTATION_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Long enough that ReplicateKey answers {@code Creating} as AWS does, shorter than the default
     * replication lag so that "replicate the key, then the secret" finds the key {@code Enabled}
     * when the replica arrives (on AWS, too, the key is ready before a replica lands).
     */
    public static final Duration DEFAULT_REPLICA_KEY_DELAY = Duration.ofMillis(100);
    /** Longer than SDK default socket timeouts and keep-alive pools, short enough to shed abandoned connections. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Large enough that compaction is rare, small enough that a restart replays little. */
    public static final long DEFAULT_COMPACT_AFTER_BYTES = 64L * 1024 * 1024;

    public EmulatorConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was: " + port);
        Objects.requireNonNull(host, "host");
        regions = List.copyOf(regions);
        principals = principals == null ? List.of() : List.copyOf(principals);
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
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        allowedFunctionHosts = List.copyOf(allowedFunctionHosts);
        if (adminToken != null && adminToken.isBlank()) adminToken = null;
        if (adminToken != null && (adminToken.length() < 8 || adminToken.chars().anyMatch(c -> c <= ' ' || c >= 0x7f))) {
            throw new IllegalArgumentException("the admin token must be at least 8 visible ASCII characters without spaces");
        }
        Objects.requireNonNull(replicaKeyDelay, "replicaKeyDelay");
        if (replicaKeyDelay.isNegative()) throw new IllegalArgumentException("replica key delay must not be negative");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative()) throw new IllegalArgumentException("idle timeout must not be negative");
        if (compactAfterBytes < 1) throw new IllegalArgumentException("compact-after-bytes must be positive, was: " + compactAfterBytes);
        if (eventLoops < 1 || eventLoops > MAX_EVENT_LOOPS) {
            throw new IllegalArgumentException("event loops must be between 1 and " + MAX_EVENT_LOOPS + ", was: " + eventLoops);
        }
    }

    /** Like the record's, with the admin token and the key lookup left out. */
    @Override
    public String toString() {
        return "EmulatorConfig[port=" + port + ", host=" + host + ", regions=" + regions + ", clock=" + clockMode
                + (clockStart == null ? "" : "@" + clockStart) + ", seed=" + seed + ", replicationLag=" + replicationLag
                + ", rotationTimeout=" + rotationTimeout + ", authorization=" + authorization + ", principals=" + principals.size()
                + ", allowedOrigins=" + allowedOrigins + ", allowedHosts="
                + allowedHosts + ", adminToken=" + (adminToken == null ? "none" : "set") + ", allowedFunctionHosts="
                + allowedFunctionHosts + ", verifySignatures=" + verifySignatures + ", replicaKeyDelay=" + replicaKeyDelay
                + ", idleTimeout=" + idleTimeout + (dataDir == null ? "" : ", dataDir=" + dataDir
                + ", compactAfterBytes=" + compactAfterBytes) + (init == null ? "" : ", init=" + init)
                + ", eventLoops=" + eventLoops + "]";
    }

    public static EmulatorConfig defaults() {
        return new Builder().build();
    }

    /** A builder holding this configuration's values, to change a few of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.port = port;
        b.host = host;
        b.regions = regions;
        b.clockMode = clockMode;
        b.clockStart = clockStart;
        b.seed = seed;
        b.replicationLag = replicationLag;
        b.dataDir = dataDir;
        b.quiet = quiet;
        b.rotationTimeout = rotationTimeout;
        b.authorization = authorization;
        b.principals = principals;
        b.allowedOrigins = allowedOrigins;
        b.allowedHosts = allowedHosts;
        b.adminToken = adminToken;
        b.allowedFunctionHosts = allowedFunctionHosts;
        b.verifySignatures = verifySignatures;
        b.signingKeys = signingKeys;
        b.replicaKeyDelay = replicaKeyDelay;
        b.idleTimeout = idleTimeout;
        b.compactAfterBytes = compactAfterBytes;
        b.init = init;
        b.eventLoops = eventLoops;
        return b;
    }

    public EmulatorConfig withPort(int p) { return toBuilder().port(p).build(); }
    public EmulatorConfig withHost(String h) { return toBuilder().host(h).build(); }
    public EmulatorConfig withRegions(List<String> r) { return toBuilder().regions(r).build(); }
    public EmulatorConfig withClock(String mode, Instant start) { return toBuilder().clock(mode, start).build(); }
    public EmulatorConfig withSeed(long s) { return toBuilder().seed(s).build(); }
    public EmulatorConfig withReplicationLag(Duration lag) { return toBuilder().replicationLag(lag).build(); }
    public EmulatorConfig withRotationTimeout(Duration t) { return toBuilder().rotationTimeout(t).build(); }
    public EmulatorConfig withQuiet(boolean q) { return toBuilder().quiet(q).build(); }
    public EmulatorConfig withReplicaKeyDelay(Duration d) { return toBuilder().replicaKeyDelay(d).build(); }
    public EmulatorConfig withIdleTimeout(Duration d) { return toBuilder().idleTimeout(d).build(); }

    /**
     * Mutable twin of the record, starting from the defaults. A new setting is one component of the
     * record, one field and setter here, and one line in {@link #toBuilder()}.
     */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private String host = DEFAULT_HOST;
        private List<String> regions = Regions.COMMERCIAL;
        private String clockMode = "system";
        private Instant clockStart;
        private long seed;
        private Duration replicationLag = DEFAULT_REPLICATION_LAG;
        private Path dataDir;
        private boolean quiet;
        private Duration rotationTimeout = DEFAULT_ROTATION_TIMEOUT;
        private boolean authorization = true;
        private List<Principals.Declared> principals = List.of();
        private List<String> allowedOrigins = List.of();
        private List<String> allowedHosts = List.of();
        private String adminToken;
        private List<String> allowedFunctionHosts = List.of();
        private boolean verifySignatures;
        private Function<String, Optional<String>> signingKeys;
        private Duration replicaKeyDelay = DEFAULT_REPLICA_KEY_DELAY;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private long compactAfterBytes = DEFAULT_COMPACT_AFTER_BYTES;
        private Path init;
        private int eventLoops = DEFAULT_EVENT_LOOPS;

        public Builder port(int v) { port = v; return this; }
        public Builder host(String v) { host = v; return this; }
        public Builder regions(List<String> v) { regions = v; return this; }
        public Builder clock(String mode, Instant start) { clockMode = mode; clockStart = start; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder replicationLag(Duration v) { replicationLag = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder quiet(boolean v) { quiet = v; return this; }
        public Builder rotationTimeout(Duration v) { rotationTimeout = v; return this; }
        public Builder authorization(boolean v) { authorization = v; return this; }
        public Builder principals(List<Principals.Declared> v) { principals = v; return this; }
        public Builder allowedOrigins(List<String> v) { allowedOrigins = v; return this; }
        public Builder allowedHosts(List<String> v) { allowedHosts = v; return this; }
        public Builder adminToken(String v) { adminToken = v; return this; }
        public Builder allowedFunctionHosts(List<String> v) { allowedFunctionHosts = v; return this; }
        public Builder verifySignatures(boolean v) { verifySignatures = v; return this; }
        public Builder signingKeys(Function<String, Optional<String>> v) { signingKeys = v; return this; }
        public Builder replicaKeyDelay(Duration v) { replicaKeyDelay = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder compactAfterBytes(long v) { compactAfterBytes = v; return this; }
        public Builder init(Path v) { init = v; return this; }
        public Builder eventLoops(int v) { eventLoops = v; return this; }

        public EmulatorConfig build() {
            return new EmulatorConfig(port, host, regions, clockMode, clockStart, seed, replicationLag, dataDir, quiet,
                    rotationTimeout, authorization, principals, allowedOrigins, allowedHosts, adminToken, allowedFunctionHosts,
                    verifySignatures, signingKeys, replicaKeyDelay, idleTimeout, compactAfterBytes, init, eventLoops);
        }
    }
}
