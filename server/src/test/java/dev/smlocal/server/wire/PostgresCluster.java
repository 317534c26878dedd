package dev.smlocal.server.wire;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL for one test class: its own cluster made with {@code initdb} under
 * {@code target/}, on a free loopback port, TCP only, password (SCRAM) authentication, stopped and
 * deleted by {@link #close}. The binaries are Debian's ({@code /usr/lib/postgresql/N/bin}, the
 * newest N) or those in {@code $SMLOCAL_PG_BIN}. {@code initdb} refuses to run as root, so as root
 * (CI) every command runs as the {@code postgres} user the package creates, through {@code runuser}.
 *
 * <p>Without the binaries the test is aborted (skipped) with the reason, except under {@code CI=true},
 * where it fails: CI installs PostgreSQL, so a missing one is a broken build, not a skip. Each command
 * is bounded ({@code pg_ctl -w -t 60}, process waits of at most 120 s).
 */
final class PostgresCluster implements AutoCloseable {
    static final String SUPERUSER = "postgres";

    private final Path bin;
    private final Path dir;
    private final boolean asPostgres;
    private final int port;
    private final String superPassword;
    private final Thread stopOnExit;
    private boolean stopped;

    private PostgresCluster(Path bin, Path dir, boolean asPostgres, int port, String superPassword) {
        this.bin = bin;
        this.dir = dir;
        this.asPostgres = asPostgres;
        this.port = port;
        this.superPassword = superPassword;
        this.stopOnExit = new Thread(this::stopQuietly, "pg-stop-" + port);
    }

    /** Starts a cluster, or aborts the test (fails it under CI=true) when PostgreSQL is not installed. */
    static PostgresCluster startOrSkip(String name) throws Exception {
        Path bin = findBin();
        if (bin == null) {
            String why = "PostgreSQL server binaries not found (Debian package 'postgresql': /usr/lib/postgresql/N/bin,"
                    + " or set SMLOCAL_PG_BIN); the database rotation tests need a real PostgreSQL";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true: " + why);
            Assumptions.abort(why);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Path.of("target", "pg-" + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
                .toAbsolutePath();
        Files.createDirectories(dir);
        if (root) {
            ownByPostgres(dir);
            if (!postgresCanEnter(dir)) {
                // a checkout under a directory closed to other users (e.g. /root): the cluster lives in /tmp
                Files.delete(dir);
                dir = Files.createTempDirectory("smlocal-pg-" + name + "-");
                ownByPostgres(dir);
            }
        }
        byte[] pw = new byte[12];
        new SecureRandom().nextBytes(pw);
        String password = "pg-" + HexFormat.of().formatHex(pw);
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        if (root) ownByPostgres(pwfile);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PostgresCluster c = new PostgresCluster(bin, dir, root, port, password);
        Path data = dir.resolve("data");
        c.run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                "--pwfile=" + pwfile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256",
                "-E", "UTF8", "--no-sync", "--no-instructions"));
        Runtime.getRuntime().addShutdownHook(c.stopOnExit);
        c.run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "60", "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off",
                "start"));
        return c;
    }

    private static void ownByPostgres(Path p) throws IOException {
        UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(p, users.lookupPrincipalByName("postgres"));
    }

    /** Whether the postgres user can reach and write {@code dir} (every parent must let it through). */
    private static boolean postgresCanEnter(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", "test", "-w", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    private static Path findBin() throws IOException {
        String env = System.getenv("SMLOCAL_PG_BIN");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p.resolve("initdb")) ? p : null;
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent())))
                    .orElse(null);
        }
    }

    private static int versionOf(Path p) {
        try {
            return Integer.parseInt(p.getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    int port() { return port; }

    String superPassword() { return superPassword; }

    String jdbcUrl() { return "jdbc:postgresql://127.0.0.1:" + port + "/postgres"; }

    /** A connection as {@code user}; throws when the database refuses the password. */
    Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl() + "?sslmode=disable&connectTimeout=5", user, password);
    }

    /** Whether the database accepts {@code user} with {@code password}. */
    boolean accepts(String user, String password) {
        try (Connection c = connect(user, password)) {
            return c.isValid(5);
        } catch (SQLException refused) {
            return false;
        }
    }

    /** Runs SQL as the superuser. */
    void sql(String... statements) throws SQLException {
        try (Connection c = connect(SUPERUSER, superPassword); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        Path out = Files.createTempFile("pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                String log = dir.resolve("log").toFile().exists() ? readQuietly(dir.resolve("log")) : "";
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ":\n"
                        + Files.readString(out) + log);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private synchronized void stopQuietly() {
        if (stopped) return;
        stopped = true;
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "-m", "immediate", "-w", "-t", "60", "stop"));
        } catch (Exception e) {
            System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
