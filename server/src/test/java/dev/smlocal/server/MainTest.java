package dev.smlocal.server;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone command line: flags, environment twins, the config file, the banner and {@code healthcheck}. */
class MainTest {
    @TempDir
    Path dir;

    /** What one {@link Main#run} did: its exit code and what it printed. */
    record Run(int code, String out, String err) {}

    @AfterEach
    void closeStartedEmulator() {
        Emulator e = Main.lastStarted;
        Main.lastStarted = null;
        if (e != null) e.close();
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, env, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    private static EmulatorConfig config(Map<String, String> env, String... args) {
        return Main.toConfig(Main.parseFlags(args), env);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // ---- help and usage ------------------------------------------------------------------------

    @Test
    void helpPrintsEveryFlagWithItsEnvironmentTwinAndDefault() {
        Run r = run("--help");

        assertEquals(0, r.code());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("usage: java -jar smlocal-server.jar [flags]\n"), r.out());
        assertEquals(List.of("port", "host", "regions", "replication-lag", "rotation-timeout", "replica-key-delay",
                "idle-timeout", "clock", "seed", "config", "quiet", "authorization", "principals", "allowed-origins",
                "allowed-hosts", "admin-token", "allowed-function-hosts", "verify-signatures", "signing-keys", "data-dir",
                "init", "compact-after-bytes", "event-loops"), Main.FLAGS.stream().map(Main.Flag::name).toList());
        for (Main.Flag f : Main.FLAGS) {
            if (Main.HIDDEN.contains(f.name())) continue;
            String line = r.out().lines().filter(l -> l.trim().startsWith("--" + f.name() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for --" + f.name() + " in\n" + r.out()));
            assertEquals("SMLOCAL_" + f.name().toUpperCase().replace('-', '_'), f.env());
            assertTrue(line.contains(" " + f.env() + " "), line);
            assertTrue(line.endsWith("(default: " + f.def() + ")"), line);
        }
        assertTrue(r.out().contains("  --help "), r.out());
        assertTrue(r.out().contains("healthcheck [--port N] [--host H] [--admin-token T]"), r.out());
        assertEquals(0, run("-h").code());
        assertNull(Main.lastStarted, "help starts nothing");
    }

    @Test
    void aTrainingRunStartsAnswersTheFirstCallsAndStopsWithZero() {
        Run r = run("training-run");

        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out(), "quiet");
        assertNull(Main.lastStarted, "nothing keeps running");
        assertEquals(2, run("training-run", "--port", "1").code(), "takes no flags");
    }

    @Test
    void unknownFlagPrintsUsageOnStandardErrorAndExitsTwo() {
        Run r = run("--nope", "1");

        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("smlocal: unknown flag: --nope\nusage: java -jar smlocal-server.jar [flags]\n"), r.err());
        assertEquals(Main.usage(), r.err().substring(r.err().indexOf('\n') + 1));
        assertNull(Main.lastStarted);
    }

    @Test
    void badValuesExitTwoWithAClearMessage() {
        Map<String[], String> cases = new java.util.LinkedHashMap<>();
        cases.put(new String[] {"--port", "http"}, "--port must be a number, was: http");
        cases.put(new String[] {"--port", "70000"}, "port must be 0..65535, was: 70000");
        cases.put(new String[] {"--port"}, "--port needs a value");
        cases.put(new String[] {"--regions", "us-east-1,moon-base-1x"}, "not a region name: moon-base-1x");
        cases.put(new String[] {"--regions", ","}, "at least one region must be enabled");
        cases.put(new String[] {"--clock", "sideways"}, "clock must be system or manual, was: sideways");
        cases.put(new String[] {"--clock", "manual@yesterday"},
                "--clock manual@INSTANT needs an ISO-8601 instant, was: manual@yesterday");
        cases.put(new String[] {"--seed", "0x10"}, "--seed must be a number, was: 0x10");
        cases.put(new String[] {"--replication-lag", "soon"},
                "not a duration (use 250ms, 2s, 5m, 1h, 1d or PT0.25S): soon");
        cases.put(new String[] {"--replication-lag", "PT-soon"},
                "not a duration (use 250ms, 2s, 5m, 1h, 1d or PT0.25S): PT-soon");
        cases.put(new String[] {"--replication-lag", "PT-1S"}, "replication lag must not be negative");
        cases.put(new String[] {"--config", dir.resolve("missing.properties").toString()},
                "cannot read --config file " + dir.resolve("missing.properties") + ": ");
        cases.put(new String[] {"serve"}, "unexpected argument: serve");
        cases.put(new String[] {"--admin-token", "short"},
                "the admin token must be at least 8 visible ASCII characters without spaces");
        cases.put(new String[] {"--event-loops", "two"}, "--event-loops must be a number, was: two");
        cases.put(new String[] {"--event-loops", "0"}, "event loops must be between 1 and 64, was: 0");
        cases.put(new String[] {"--verify-signatures=maybe"}, "--verify-signatures must be true or false, was: maybe");
        cases.put(new String[] {"--signing-keys", dir.resolve("missing.properties").toString()},
                "cannot read --signing-keys file " + dir.resolve("missing.properties") + ": ");

        cases.forEach((args, message) -> {
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertTrue(r.err().startsWith("smlocal: " + message), String.join(" ", args) + " -> " + r.err());
            assertTrue(r.err().contains("usage: "), r.err());
        });
        assertNull(Main.lastStarted);
    }

    // ---- sources and precedence ----------------------------------------------------------------

    @Test
    void defaultsApplyWithoutFlagsEnvironmentOrFile() {
        EmulatorConfig c = config(Map.of());

        assertEquals(EmulatorConfig.defaults(), c);
        assertEquals(4599, c.port());
        assertEquals("127.0.0.1", c.host());
        assertEquals("system", c.clockMode());
        assertEquals(Duration.ofMillis(250), c.replicationLag());
        assertEquals(Duration.ofMillis(100), c.replicaKeyDelay());
        assertTrue(c.replicaKeyDelay().compareTo(c.replicationLag()) < 0,
                "a replica key is Enabled before a secret replicated right after it arrives");
        assertEquals(Duration.ofSeconds(3), config(Map.of(), "--replica-key-delay", "3s").replicaKeyDelay());
        assertEquals(Duration.ofSeconds(60), c.idleTimeout());
        assertEquals(Duration.ZERO, config(Map.of(), "--idle-timeout", "0").idleTimeout());
        assertEquals(1, c.eventLoops());
        assertEquals(3, config(Map.of(), "--event-loops", "3").eventLoops());
        assertEquals(2, config(Map.of("SMLOCAL_EVENT_LOOPS", "2")).eventLoops());
    }

    @Test
    void everyFlagHasAWorkingEnvironmentTwin() throws IOException {
        EmulatorConfig c = config(Map.of(
                "SMLOCAL_PORT", "0",
                "SMLOCAL_HOST", "0.0.0.0",
                "SMLOCAL_REGIONS", "eu-west-1, us-east-1",
                "SMLOCAL_REPLICATION_LAG", "2s",
                "SMLOCAL_CLOCK", "manual@2026-01-01T00:00:00Z",
                "SMLOCAL_SEED", "7",
                "SMLOCAL_QUIET", "true",
                "SMLOCAL_ROTATION_TIMEOUT", "5s",
                "SMLOCAL_REPLICA_KEY_DELAY", "0",
                "SMLOCAL_IDLE_TIMEOUT", "5m"));
        Path keys = dir.resolve("keys.properties");
        Files.writeString(keys, "AKIDTEST=wJalrXUtnFEMI\n");
        EmulatorConfig perimeter = config(Map.of(
                "SMLOCAL_ALLOWED_ORIGINS", "https://tools.example.com, http://10.0.0.5:3000",
                "SMLOCAL_ALLOWED_HOSTS", "host.docker.internal,*.dev.example.com",
                "SMLOCAL_ADMIN_TOKEN", "s3cr3t-token",
                "SMLOCAL_ALLOWED_FUNCTION_HOSTS", "rotator",
                "SMLOCAL_VERIFY_SIGNATURES", "true",
                "SMLOCAL_SIGNING_KEYS", keys.toString(),
                "SMLOCAL_DATA_DIR", "/var/lib/smlocal",
                "SMLOCAL_COMPACT_AFTER_BYTES", "4096"));

        assertEquals(new EmulatorConfig(0, "0.0.0.0", List.of("eu-west-1", "us-east-1"), "manual",
                Instant.parse("2026-01-01T00:00:00Z"), 7, Duration.ofSeconds(2), null, true,
                Duration.ofSeconds(5), true, List.of(), List.of(), List.of(), null, List.of(), false, null, Duration.ZERO,
                Duration.ofMinutes(5), EmulatorConfig.DEFAULT_COMPACT_AFTER_BYTES, null, EmulatorConfig.DEFAULT_EVENT_LOOPS), c);
        assertEquals(List.of("https://tools.example.com", "http://10.0.0.5:3000"), perimeter.allowedOrigins());
        assertEquals(List.of("host.docker.internal", "*.dev.example.com"), perimeter.allowedHosts());
        assertEquals("s3cr3t-token", perimeter.adminToken());
        assertEquals(List.of("rotator"), perimeter.allowedFunctionHosts());
        assertTrue(perimeter.verifySignatures());
        assertEquals(Path.of("/var/lib/smlocal"), perimeter.dataDir());
        assertEquals(4096, perimeter.compactAfterBytes());
        assertEquals(java.util.Optional.of("wJalrXUtnFEMI"), perimeter.signingKeys().apply("AKIDTEST"));
        assertEquals(java.util.Optional.empty(), perimeter.signingKeys().apply("AKIDOTHER"));
        assertFalse(perimeter.toString().contains("s3cr3t-token"), "the token never shows in the configuration's text");
    }

    // ---- --init ------------------------------------------------------------------------------------

    @Test
    void initIsSetByFlagOrEnvironmentAndStartsFromTheEstate() throws IOException {
        Path estate = dir.resolve("estate.json");
        Files.writeString(estate, "{\"Secrets\":[{\"Name\":\"app/db\",\"SecretString\":\"pw\"}]}");

        assertNull(config(Map.of()).init(), "no estate by default");
        assertEquals(estate, config(Map.of(), "--init", estate.toString()).init());
        assertEquals(estate, config(Map.of("SMLOCAL_INIT", estate.toString())).init());

        Run r = run("--port", "0", "--quiet", "--regions", "us-east-1", "--init", estate.toString());

        assertEquals(-1, r.code(), r.err());
        assertEquals(1, Main.lastStarted.secrets().stores().all().stream()
                .mapToInt(s -> s.locked(() -> dev.smlocal.server.secrets.SecretRecord.secretsOf(s).size())).sum());
    }

    @Test
    void aBadEstateStopsTheStartWithStatus2AndTheEntryNamed() throws IOException {
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"Secrets\":[{\"Name\":\"a\",\"SecretStrin\":\"x\"}]}");
        Path refused = dir.resolve("refused.json");
        Files.writeString(refused, "{\"Secrets\":[{\"Name\":\"a\",\"SecretString\":\"x\"},"
                + "{\"Name\":\"a\",\"SecretString\":\"y\"}]}");

        Run unknown = run("--port", "0", "--quiet", "--init", typo.toString());
        Run aws = run("--port", "0", "--quiet", "--regions", "us-east-1", "--init", refused.toString());
        Run missing = run("--port", "0", "--quiet", "--init", dir.resolve("absent.json").toString());

        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("smlocal: " + typo + ": Secrets[0].SecretStrin: unknown member (known: "),
                unknown.err());
        assertTrue(unknown.err().contains("SecretString"), "the known members are listed: " + unknown.err());
        assertEquals(2, aws.code());
        assertTrue(aws.err().startsWith("smlocal: " + refused + ": Secrets[1]: ResourceExistsException: "), aws.err());
        assertEquals(2, missing.code());
        assertEquals("smlocal: --init " + dir.resolve("absent.json") + ": no such file\n", missing.err());
        assertNull(Main.lastStarted, "no server was left running");
    }

    @Test
    void dataDirIsOffByDefaultAndSetByFlag() {
        assertNull(config(Map.of()).dataDir(), "in memory by default");
        assertEquals(EmulatorConfig.DEFAULT_COMPACT_AFTER_BYTES, config(Map.of()).compactAfterBytes());

        EmulatorConfig c = config(Map.of(), "--data-dir", "state", "--compact-after-bytes=1000");

        assertEquals(Path.of("state"), c.dataDir());
        assertEquals(1000, c.compactAfterBytes());
        assertTrue(Main.usage().contains("--data-dir") && !Main.usage().contains("compact-after-bytes"),
                "the compaction threshold is a knob for tests, not in the usage text");
    }

    @Test
    void perimeterFlagsOnTheCommandLine() {
        EmulatorConfig c = config(Map.of(), "--allowed-origins", "https://a.example", "--allowed-hosts=box",
                "--admin-token", "0123456789", "--allowed-function-hosts", "fn.internal,10.1.2.3", "--verify-signatures");

        assertEquals(List.of("https://a.example"), c.allowedOrigins());
        assertEquals(List.of("box"), c.allowedHosts());
        assertEquals("0123456789", c.adminToken());
        assertEquals(List.of("fn.internal", "10.1.2.3"), c.allowedFunctionHosts());
        assertTrue(c.verifySignatures());
        assertFalse(config(Map.of()).verifySignatures(), "off by default");
        assertNull(config(Map.of()).adminToken(), "no token by default");
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path file = dir.resolve("smlocal.properties");
        Files.writeString(file, "port=1111\nseed=3\nregions=us-west-2\nreplication-lag=5s\n");

        EmulatorConfig c = config(Map.of("SMLOCAL_PORT", "2222", "SMLOCAL_SEED", "4", "SMLOCAL_CONFIG", file.toString()),
                "--port", "3333");
        EmulatorConfig fileOnly = config(Map.of(), "--config=" + file);

        assertEquals(3333, c.port(), "flag");
        assertEquals(4, c.seed(), "environment over file");
        assertEquals(List.of("us-west-2"), c.regions(), "file over default");
        assertEquals(Duration.ofSeconds(5), c.replicationLag(), "file over default");
        assertEquals("127.0.0.1", c.host(), "default");
        assertEquals(1111, fileOnly.port());
        assertEquals(3, fileOnly.seed());
    }

    @Test
    void emptyEnvironmentVariablesAreIgnored() {
        assertEquals(4599, config(Map.of("SMLOCAL_PORT", "")).port());
    }

    @Test
    void configFileRefusesUnknownKeysAndNestedConfig() throws IOException {
        Path unknown = dir.resolve("unknown.properties");
        Files.writeString(unknown, "colour=blue\n");
        Path nested = dir.resolve("nested.properties");
        Files.writeString(nested, "config=other.properties\n");

        Run r1 = run("--config", unknown.toString());
        Run r2 = run("--config", nested.toString());

        assertEquals(2, r1.code());
        assertTrue(r1.err().startsWith("smlocal: unknown key in " + unknown + ": colour\n"), r1.err());
        assertEquals(2, r2.code());
        assertTrue(r2.err().startsWith("smlocal: unknown key in " + nested + ": config\n"), r2.err());
    }

    // ---- serving -------------------------------------------------------------------------------

    @Test
    void manualClockFlagStartsTheClockAtTheInstantAndTheBannerSaysSo() {
        Run r = run(Map.of("SMLOCAL_SEED", "9"), "--port", "0", "--clock", "manual@2026-01-01T00:00:00Z",
                "--regions", "us-east-1,eu-west-1", "--replication-lag", "1s");

        Emulator e = Main.lastStarted;
        assertEquals(-1, r.code());
        assertNotNull(e);
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), e.clock().now());
        assertEquals("smlocal " + Emulator.VERSION + " listening on http://127.0.0.1:" + e.port()
                + " | regions: 2 | clock: manual | seed: 9 | replication lag: 1000ms\n", r.out());
        assertEquals("", r.err());
        assertEquals(List.of("us-east-1", "eu-west-1"), e.regions());
    }

    @Test
    void quietSuppressesTheBanner() {
        Run r = run("--port=0", "--quiet");

        assertEquals(-1, r.code());
        assertEquals("", r.out());
        assertEquals("", r.err());
        assertEquals("system", Main.lastStarted.config().clockMode());
    }

    @Test
    void aPortInUseExitsOneWithTheReason() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Run r = run("--port", String.valueOf(taken.getLocalPort()), "--quiet");

            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("smlocal: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), r.err());
            assertNull(Main.lastStarted);
        }
    }

    @Test
    void healthcheckExitsZeroAgainstARunningServerAndOneAgainstAClosedPort() throws IOException {
        assertEquals(-1, run("--port", "0", "--quiet").code());
        int port = Main.lastStarted.port();
        int closed = freePort();

        Run up = run("healthcheck", "--port", String.valueOf(port));
        Run upByEnv = run(Map.of("SMLOCAL_PORT", String.valueOf(port), "SMLOCAL_HOST", "0.0.0.0"), "healthcheck");
        Run down = run("healthcheck", "--port", String.valueOf(closed));
        Run bad = run("healthcheck", "--colour", "blue");

        assertEquals(0, up.code(), up.err());
        assertEquals("", up.err());
        assertEquals(0, upByEnv.code(), upByEnv.err());
        assertEquals(1, down.code());
        assertTrue(down.err().startsWith("smlocal healthcheck: http://127.0.0.1:" + closed + "/_smlocal/health: "), down.err());
        assertEquals(2, bad.code());
        assertEquals("smlocal healthcheck: unknown flag: --colour\n", bad.err());
    }

    // ---- authorization and principals ----------------------------------------------------------

    @Test
    void authorizationIsOnByDefaultAndTurnsOffByFlagOrEnvironment() {
        assertTrue(config(Map.of()).authorization());
        assertFalse(config(Map.of(), "--authorization", "off").authorization());
        assertFalse(config(Map.of("SMLOCAL_AUTHORIZATION", "off")).authorization());
        assertTrue(config(Map.of("SMLOCAL_AUTHORIZATION", "off"), "--authorization", "on").authorization());

        Run bad = run("--authorization", "maybe");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("smlocal: --authorization must be on or off, was: maybe"), bad.err());
    }

    @Test
    void principalsFileDeclaresRolesWithPoliciesByFlagOrEnvironment() throws IOException {
        Path file = dir.resolve("principals.json");
        Files.writeString(file, """
                {"principals": [{"accessKeyId": "AKIAREADER", "arn": "arn:aws:iam::111122223333:role/Reader",
                  "secretAccessKey": "s3cr3t",
                  "policy": {"Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}}]}
                """);

        EmulatorConfig byFlag = config(Map.of(), "--principals", file.toString());
        EmulatorConfig byEnv = config(Map.of("SMLOCAL_PRINCIPALS", file.toString()));

        assertEquals(1, byFlag.principals().size());
        assertEquals("arn:aws:iam::111122223333:role/Reader", byFlag.principals().get(0).arn());
        assertEquals("s3cr3t", byFlag.principals().get(0).secretAccessKey());
        assertTrue(byFlag.principals().get(0).policy().contains("secretsmanager:GetSecretValue"));
        assertEquals(byFlag.principals(), byEnv.principals());
    }

    @Test
    void aBadPrincipalsFileIsAUsageErrorNamingTheProblem() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"principals\": [{\"accessKeyId\": \"K\", \"arn\": \"arn:aws:iam::1:role/X\"}]}");

        Run bad = run("--principals", file.toString());
        Run missing = run("--principals", dir.resolve("absent.json").toString());

        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("smlocal: principal must be arn:aws:iam::ACCOUNT:root"), bad.err());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("smlocal: cannot read --principals file "), missing.err());
    }

    @Test
    void healthcheckWorksAgainstAServerWithAnAdminTokenWhoseOtherRoutesNeedIt() throws Exception {
        assertEquals(-1, run(Map.of("SMLOCAL_ADMIN_TOKEN", "health-token-1"), "--port", "0", "--quiet").code());
        int port = Main.lastStarted.port();

        Run withToken = run(Map.of("SMLOCAL_PORT", String.valueOf(port), "SMLOCAL_ADMIN_TOKEN", "health-token-1"),
                "healthcheck");
        Run withoutToken = run("healthcheck", "--port", String.valueOf(port));
        var http = java.net.http.HttpClient.newHttpClient();
        var state = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/_smlocal/state")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertEquals(0, withToken.code(), withToken.err());
        assertEquals(0, withoutToken.code(), "health stays open for the container's HEALTHCHECK: " + withoutToken.err());
        assertEquals(401, state.statusCode(), "other admin routes need the token");
    }
}
