package dev.smlocal.server;

import dev.smlocal.server.aws.Regions;
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
 * {@code java -jar smlocal-server.jar healthcheck [--port N] [--host H]}.
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
            new Flag("clock", "SMLOCAL_CLOCK", "system", "system, manual, or manual@2026-01-01T00:00:00Z"),
            new Flag("seed", "SMLOCAL_SEED", "0", "seed of ARN suffixes, version ids and fault draws"),
            new Flag("config", "SMLOCAL_CONFIG", "none", "a properties file with any of these flags as keys"),
            new Flag("quiet", "SMLOCAL_QUIET", "false", "no start banner"));

    /** The emulator the last serving {@link #run} started: {@link #main} closes it on shutdown, tests close it. */
    static volatile Emulator lastStarted;

    private Main() {}

    public static void main(String[] args) {
        Fatal.install();
        int code = run(args, System.getenv(), System.out, System.err);
        if (code >= 0) System.exit(code);
        Emulator started = lastStarted;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "smlocal-shutdown"));
    }

    /** Runs the command line; returns an exit code, or -1 when the server is running ({@link #lastStarted}). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("healthcheck")) {
            return healthcheck(Arrays.copyOfRange(args, 1, args.length), env, err);
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
                if (name.equals("quiet")) value = "true";
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
        for (String r : c.regions()) {
            if (!Regions.isWellFormed(r)) throw new IllegalArgumentException("not a region name: " + r);
        }
        return c;
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
        sb.append("       java -jar smlocal-server.jar healthcheck [--port N] [--host H]\n\nflags:\n");
        for (Flag f : FLAGS) {
            sb.append(String.format("  --%-16s %-24s %s (default: %s)%n", f.name(), f.env(), f.help(), f.def()));
        }
        sb.append("  --help                                    this text\n");
        return sb.toString();
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
        if (host == null || host.equals("0.0.0.0")) host = "127.0.0.1";
        URI uri = URI.create("http://" + host + ":" + (port == null ? EmulatorConfig.DEFAULT_PORT : port.trim())
                + "/_smlocal/health");
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            int status = c.getResponseCode();
            String body = new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return status == 200 && body.contains("\"ok\"") ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            err.println("smlocal healthcheck: " + uri + ": " + e.getMessage());
            return 1;
        }
    }
}
