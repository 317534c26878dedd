package dev.smlocal.server;

import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.aws.Regions;
import dev.smlocal.server.http.Fatal;
import dev.smlocal.server.time.EmulatorClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The standalone server. {@code java -jar smlocal-server.jar [flags]} or
 * {@code java -jar smlocal-server.jar healthcheck [--port N] [--host H] [--admin-token T]} or
 * {@code java -jar smlocal-server.jar training-run} (see {@link #trainingRun}).
 * Precedence: flag, then {@code SMLOCAL_*} environment variable, then {@code --config} file, then
 * the default.
 */
public final class Main {
    /** One flag: its name, environment twin, default and help line. */
    record Flag(String name, String env, String def, String help) {}

    static final List<Flag> FLAGS = List.of(
            new Flag("port", "SMLOCAL_PORT", "4599", "TCP port to listen on (0 picks a free port)"),
            new Flag("host", "SMLOCAL_HOST", "127.0.0.1", "interface to bind (the Docker image uses 0.0.0.0)"),
            new Flag("regions", "SMLOCAL_REGIONS", "all commercial regions", "comma-separated enabled regions"),
            new Flag("replication-lag", "SMLOCAL_REPLICATION_LAG", "250ms", "delay before a primary change reaches a replica"),
            new Flag("rotation-timeout", "SMLOCAL_ROTATION_TIMEOUT", "30s", "how long one rotation function step may take"),
            new Flag("replica-key-delay", "SMLOCAL_REPLICA_KEY_DELAY", "100ms",
                    "how long a new replica KMS key stays Creating (0: Enabled at once)"),
            new Flag("idle-timeout", "SMLOCAL_IDLE_TIMEOUT", "60s",
                    "close inbound connections idle this long (0: never)"),
            new Flag("clock", "SMLOCAL_CLOCK", "system", "system, manual, or manual@2026-01-01T00:00:00Z"),
            new Flag("seed", "SMLOCAL_SEED", "0", "seed of ARN suffixes, version ids and fault draws"),
            new Flag("config", "SMLOCAL_CONFIG", "none", "a properties file with any of these flags as keys"),
            new Flag("quiet", "SMLOCAL_QUIET", "false", "no start banner"),
            new Flag("authorization", "SMLOCAL_AUTHORIZATION", "on",
                    "on: AWS's policy rules (resource, identity, key policies); off: every caller may do everything"),
            new Flag("principals", "SMLOCAL_PRINCIPALS", "none",
                    "a JSON file declaring access keys as roles or users, with optional identity policies"),
            new Flag("allowed-origins", "SMLOCAL_ALLOWED_ORIGINS", "loopback only", "comma-separated browser origins served besides loopback ones"),
            new Flag("allowed-hosts", "SMLOCAL_ALLOWED_HOSTS", "IPs, localhost, single labels", "comma-separated Host names served besides those (*.example.com allowed)"),
            new Flag("admin-token", "SMLOCAL_ADMIN_TOKEN", "none", "bearer token every /_smlocal/ route but health needs"),
            new Flag("allowed-function-hosts", "SMLOCAL_ALLOWED_FUNCTION_HOSTS", "loopback only", "comma-separated hosts rotation function URLs may name"),
            new Flag("verify-signatures", "SMLOCAL_VERIFY_SIGNATURES", "false", "check SigV4 signatures against --signing-keys"),
            new Flag("signing-keys", "SMLOCAL_SIGNING_KEYS", "none", "properties file: access key id = secret access key"),
            new Flag("data-dir", "SMLOCAL_DATA_DIR", "none: in memory",
                    "keep the state in this directory across restarts (crash-safe; docs/PERSISTENCE.md)"),
            new Flag("init", "SMLOCAL_INIT", "none",
                    "a JSON estate (keys, secrets, replicas, functions, faults) to start from; with --data-dir only "
                    + "when the directory is new (docs/PERSISTENCE.md)"),
            new Flag("compact-after-bytes", "SMLOCAL_COMPACT_AFTER_BYTES", "67108864",
                    "with --data-dir: journal size that triggers a snapshot (for tests)"),
            new Flag("event-loops", "SMLOCAL_EVENT_LOOPS", "1",
                    "event loops serving the port, 1 to 64 (one HTTP server per loop)"));

    /** Flags left out of the usage text: knobs for tests, not for users. */
    static final java.util.Set<String> HIDDEN = java.util.Set.of("compact-after-bytes");

    /** Flags that take no value on the command line ({@code --quiet} means {@code --quiet=true}). */
    private static final java.util.Set<String> SWITCHES = java.util.Set.of("quiet", "verify-signatures");

    /** The emulator the last serving {@link #run} started: {@link #main} closes it on shutdown, tests close it. */
    static volatile Emulator lastStarted;

    private Main() {}

    public static void main(String[] args) {
        startQuickly();
        Fatal.install();
        int code = run(args, System.getenv(), System.out, System.err);
        if (code >= 0) System.exit(code);
        Emulator started = lastStarted;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "smlocal-shutdown"));
    }

    /**
     * System properties that shorten a cold start of the standalone process (docs/PERFORMANCE.md,
     * "Start"), set before Netty's classes load and only where the command line did not set them.
     * Netty reports buffer allocations as JDK Flight Recorder events when JFR is present; loading
     * those event classes starts JFR's own machinery, a few hundred milliseconds of CPU on a cold
     * JVM. {@code -Dio.netty.jfr.enabled=true} brings them back. Vert.x's own DNS resolver (Netty's,
     * with its hosts-file and resolv.conf readers) is replaced by the JDK's: the server resolves
     * one name, its {@code --host}, and calls nothing through Vert.x (rotation functions use the
     * JDK's HTTP client). Not set by an embedded (testkit)
     * emulator: the host JVM's properties are its own.
     */
    static void startQuickly() {
        if (System.getProperty("io.netty.jfr.enabled") == null) System.setProperty("io.netty.jfr.enabled", "false");
        if (System.getProperty("vertx.disableDnsResolver") == null) System.setProperty("vertx.disableDnsResolver", "true");
    }

    /** Runs the command line; returns an exit code, or -1 when the server is running ({@link #lastStarted}). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("healthcheck")) {
            return healthcheck(Arrays.copyOfRange(args, 1, args.length), env, err);
        }
        if (args.length == 1 && args[0].equals("training-run")) {
            return trainingRun(err);
        }
        EmulatorConfig config;
        try {
            Map<String, String> flags = parseFlags(args);
            if (flags.containsKey("help")) {
                out.print(usage());
                return 0;
            }
            config = toConfig(flags, env);
        } catch (IllegalArgumentException e) {
            err.println("smlocal: " + e.getMessage());
            err.print(usage());
            return 2;
        }
        Emulator emulator;
        try {
            emulator = Emulator.start(config);
        } catch (dev.smlocal.server.persist.InitialState.Invalid e) {
            err.println("smlocal: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("smlocal: " + e.getMessage());
            return 1;
        }
        lastStarted = emulator;
        if (!config.quiet()) {
            out.println("smlocal " + Emulator.VERSION + " listening on " + emulator.endpoint()
                    + " | regions: " + config.regions().size() + " | clock: " + config.clockMode()
                    + " | seed: " + config.seed() + " | replication lag: " + config.replicationLag().toMillis() + "ms");
        }
        return -1;
    }

    static Map<String, String> parseFlags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                flags.put("help", "true");
                continue;
            }
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument: " + a);
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            String n = name;
            if (FLAGS.stream().noneMatch(f -> f.name().equals(n))) throw new IllegalArgumentException("unknown flag: --" + name);
            if (value == null) {
                if (SWITCHES.contains(name)) value = "true";
                else if (i + 1 < args.length) value = args[++i];
                else throw new IllegalArgumentException("--" + name + " needs a value");
            }
            flags.put(name, value);
        }
        return flags;
    }

    static EmulatorConfig toConfig(Map<String, String> flags, Map<String, String> env) {
        Map<String, String> file = new LinkedHashMap<>();
        String configPath = pick("config", flags, env, Map.of());
        if (configPath != null) file = readConfigFile(Path.of(configPath));
        EmulatorConfig c = EmulatorConfig.defaults();
        String v = null;
        try {
            if ((v = pick("port", flags, env, file)) != null) c = c.withPort(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, was: " + v);
        }
        if ((v = pick("host", flags, env, file)) != null) {
            c = c.withHost(v.trim());
        }
        if ((v = pick("regions", flags, env, file)) != null) {
            List<String> regions = new ArrayList<>();
            for (String r : v.split(",")) if (!r.isBlank()) regions.add(r.trim());
            c = c.withRegions(regions);
        }
        if ((v = pick("replication-lag", flags, env, file)) != null) c = c.withReplicationLag(EmulatorClock.parseDuration(v));
        if ((v = pick("rotation-timeout", flags, env, file)) != null) {
            c = c.withRotationTimeout(EmulatorClock.parseDuration(v));
        }
        if ((v = pick("replica-key-delay", flags, env, file)) != null) {
            c = c.withReplicaKeyDelay(EmulatorClock.parseDuration(v));
        }
        if ((v = pick("idle-timeout", flags, env, file)) != null) c = c.withIdleTimeout(EmulatorClock.parseDuration(v));
        if ((v = pick("clock", flags, env, file)) != null) {
            String mode = v.trim();
            Instant start = null;
            if (mode.startsWith("manual@")) {
                try {
                    start = Instant.parse(mode.substring("manual@".length()));
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IllegalArgumentException("--clock manual@INSTANT needs an ISO-8601 instant, was: " + v);
                }
                mode = "manual";
            }
            c = c.withClock(mode, start);
        }
        try {
            if ((v = pick("seed", flags, env, file)) != null) c = c.withSeed(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be a number, was: " + v);
        }
        if ((v = pick("quiet", flags, env, file)) != null) c = c.withQuiet(Boolean.parseBoolean(v.trim()));
        if ((v = pick("authorization", flags, env, file)) != null) {
            String mode = v.trim();
            if (!mode.equals("on") && !mode.equals("off")) {
                throw new IllegalArgumentException("--authorization must be on or off, was: " + v);
            }
            c = c.toBuilder().authorization(mode.equals("on")).build();
        }
        if ((v = pick("principals", flags, env, file)) != null) {
            Path path = Path.of(v.trim());
            String json;
            try {
                json = Files.readString(path);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --principals file " + path + ": " + e.getMessage());
            }
            List<Principals.Declared> declared = Principals.parseList(json);
            Principals check = new Principals();
            for (Principals.Declared d : declared) check.declare(d); // names a bad ARN or policy now
            c = c.toBuilder().principals(declared).build();
        }
        EmulatorConfig.Builder b = c.toBuilder();
        if ((v = pick("allowed-origins", flags, env, file)) != null) b.allowedOrigins(list(v));
        if ((v = pick("allowed-hosts", flags, env, file)) != null) b.allowedHosts(list(v));
        if ((v = pick("allowed-function-hosts", flags, env, file)) != null) b.allowedFunctionHosts(list(v));
        if ((v = pick("admin-token", flags, env, file)) != null) b.adminToken(v.trim());
        if ((v = pick("verify-signatures", flags, env, file)) != null) b.verifySignatures(bool("verify-signatures", v));
        if ((v = pick("data-dir", flags, env, file)) != null && !v.isBlank()) b.dataDir(Path.of(v.trim()));
        if ((v = pick("init", flags, env, file)) != null && !v.isBlank()) b.init(Path.of(v.trim()));
        try {
            if ((v = pick("compact-after-bytes", flags, env, file)) != null) b.compactAfterBytes(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--compact-after-bytes must be a number, was: " + v);
        }
        try {
            if ((v = pick("event-loops", flags, env, file)) != null) b.eventLoops(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--event-loops must be a number, was: " + v);
        }
        if ((v = pick("signing-keys", flags, env, file)) != null) {
            Map<String, String> keys = readSigningKeys(Path.of(v.trim()));
            b.signingKeys(id -> java.util.Optional.ofNullable(keys.get(id)));
        }
        c = b.build();
        for (String r : c.regions()) {
            if (!Regions.isWellFormed(r)) throw new IllegalArgumentException("not a region name: " + r);
        }
        return c;
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String x : v.split(",")) if (!x.isBlank()) out.add(x.trim());
        return out;
    }

    private static boolean bool(String name, String v) {
        String t = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("true")) return true;
        if (t.equals("false")) return false;
        throw new IllegalArgumentException("--" + name + " must be true or false, was: " + v);
    }

    /** Access key id = secret access key, one per line (Java properties). */
    static Map<String, String> readSigningKeys(Path path) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(path)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --signing-keys file " + path + ": " + e.getMessage());
        }
        Map<String, String> out = new java.util.HashMap<>();
        for (String k : p.stringPropertyNames()) out.put(k.trim(), p.getProperty(k).trim());
        if (out.isEmpty()) throw new IllegalArgumentException("--signing-keys file " + path + " declares no key");
        return Map.copyOf(out);
    }

    private static String pick(String name, Map<String, String> flags, Map<String, String> env, Map<String, String> file) {
        if (flags.containsKey(name)) return flags.get(name);
        String envName = "SMLOCAL_" + name.toUpperCase().replace('-', '_');
        if (env.get(envName) != null && !env.get(envName).isEmpty()) return env.get(envName);
        return file.get(name);
    }

    private static Map<String, String> readConfigFile(Path path) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(path)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --config file " + path + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            if (FLAGS.stream().noneMatch(f -> f.name().equals(k)) || k.equals("config")) {
                throw new IllegalArgumentException("unknown key in " + path + ": " + k);
            }
            out.put(k, p.getProperty(k));
        }
        return out;
    }

    static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: java -jar smlocal-server.jar [flags]\n");
        sb.append("       java -jar smlocal-server.jar healthcheck [--port N] [--host H] [--admin-token T]\n");
        sb.append("       java -XX:ArchiveClassesAtExit=smlocal.jsa -jar smlocal-server.jar training-run"
                + "   (records a class-data archive; then start with -XX:SharedArchiveFile=smlocal.jsa)\n\nflags:\n");
        for (Flag f : FLAGS) {
            if (HIDDEN.contains(f.name())) continue;
            sb.append(String.format("  --%-22s %-30s %s (default: %s)%n", f.name(), f.env(), f.help(), f.def()));
        }
        sb.append(String.format("  --%-22s %-30s %s%n", "help", "", "this text"));
        return sb.toString();
    }

    /**
     * {@code training-run}: a start, a health check and the first API calls, then exit 0 (1 when any
     * of them fails). Run once under {@code -XX:ArchiveClassesAtExit=smlocal.jsa}, it records the
     * class-data archive that {@code -XX:SharedArchiveFile} then starts from in about two thirds of
     * the time; the build does this for {@code server/target/smlocal.jsa} and the Docker image for
     * its own (docs/PERFORMANCE.md, "Start"). In memory, on a free loopback port, quiet.
     */
    static int trainingRun(PrintStream err) {
        try (Emulator e = Emulator.start(EmulatorConfig.defaults().withPort(0).withQuiet(true))) {
            if (healthcheck(new String[] {"--port", String.valueOf(e.port())}, Map.of(), err) != 0) return 1;
            String[][] calls = {
                {"CreateSecret", "{\"Name\":\"smlocal/training\",\"SecretString\":\"training\","
                        + "\"ClientRequestToken\":\"00000000-0000-4000-8000-000000000001\"}"},
                {"GetSecretValue", "{\"SecretId\":\"smlocal/training\"}"},
                {"DescribeSecret", "{\"SecretId\":\"smlocal/training\"}"},
                {"ListSecrets", "{}"},
                {"PutSecretValue", "{\"SecretId\":\"smlocal/training\",\"SecretString\":\"again\","
                        + "\"ClientRequestToken\":\"00000000-0000-4000-8000-000000000002\"}"},
            };
            for (String[] call : calls) {
                HttpURLConnection c = (HttpURLConnection) e.endpoint().resolve("/").toURL().openConnection();
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/x-amz-json-1.1");
                c.setRequestProperty("X-Amz-Target", "secretsmanager." + call[0]);
                c.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTRAINING/20260101/us-east-1/"
                        + "secretsmanager/aws4_request, SignedHeaders=host, Signature=0");
                c.getOutputStream().write(call[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                int status = c.getResponseCode();
                if (status != 200) {
                    err.println("smlocal training-run: " + call[0] + " answered " + status);
                    return 1;
                }
                c.getInputStream().readAllBytes();
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("smlocal training-run: " + e.getMessage());
            return 1;
        }
    }

    /** Exit 0 when {@code /_smlocal/health} answers "ok", 1 otherwise. */
    static int healthcheck(String[] args, Map<String, String> env, PrintStream err) {
        Map<String, String> flags;
        try {
            flags = parseFlags(args);
        } catch (IllegalArgumentException e) {
            err.println("smlocal healthcheck: " + e.getMessage());
            return 2;
        }
        String port = pick("port", flags, env, Map.of());
        String host = pick("host", flags, env, Map.of());
        String token = pick("admin-token", flags, env, Map.of());
        if (host == null || host.equals("0.0.0.0")) host = "127.0.0.1";
        URI uri = URI.create("http://" + host + ":" + (port == null ? EmulatorConfig.DEFAULT_PORT : port.trim())
                + "/_smlocal/health");
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            // health answers without the token; sending it keeps the check working if that ever changes
            if (token != null && !token.isBlank()) c.setRequestProperty("Authorization", "Bearer " + token.trim());
            int status = c.getResponseCode();
            String body = new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return status == 200 && body.contains("\"ok\"") ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            err.println("smlocal healthcheck: " + uri + ": " + e.getMessage());
            return 1;
        }
    }
}
