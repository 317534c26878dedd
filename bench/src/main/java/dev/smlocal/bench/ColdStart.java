package dev.smlocal.bench;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench start [runs] [jar] [jvm-option...]}: the standalone jar started as documented,
 * {@code java -jar smlocal-server.jar}, each run a fresh JVM, timed from launching the process to
 * the first 200 from {@code GET /_smlocal/health}; prints median, min and max. The JVM is the one
 * running the bench ({@code java.home}), so running the bench under another JDK measures that
 * JDK. Extra arguments after the jar go to the server's JVM (for example
 * {@code -XX:SharedArchiveFile=smlocal.jsa}); {@code --port} and {@code --quiet} are added. Without
 * extra arguments, and with the build's {@code smlocal.jsa} beside the jar, the README's start line
 * (with {@code -XX:SharedArchiveFile}) is timed too, interleaved with the plain one.
 */
final class ColdStart {
    private ColdStart() {}

    static final String DEFAULT_JAR = "server/target/smlocal-server.jar";
    /** The class-data archive the server build records beside the jar (server/pom.xml, {@code training-run}). */
    static final String ARCHIVE = "smlocal.jsa";

    /** The health check waits at most this long for one start (a real process: bounded polling). */
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    static Bench.Result run(int runs, String jar, List<String> jvmOptions) throws Exception {
        Path jarPath = Path.of(jar);
        if (!Files.isRegularFile(jarPath)) {
            throw new IllegalArgumentException("no server jar at " + jarPath.toAbsolutePath()
                    + " (build it: mvn -B -q -pl server -am package -DskipTests)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // without options: the plain line and, when the build recorded one beside the jar, the
        // README's line with the class-data archive, runs interleaved so both see the same machine
        List<List<String>> variants = new ArrayList<>();
        variants.add(jvmOptions);
        Path archive = jarPath.resolveSibling(ARCHIVE);
        if (jvmOptions.isEmpty() && Files.isRegularFile(archive)) variants.add(List.of("-XX:SharedArchiveFile=" + archive));
        List<List<Double>> times = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) times.add(new ArrayList<>());
        for (int i = 0; i < runs; i++) {
            for (int v = 0; v < variants.size(); v++) times.get(v).add(once(java, jarPath, variants.get(v)));
        }
        List<Bench.Row> rows = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            List<Double> sorted = new ArrayList<>(times.get(v));
            sorted.sort(null);
            String label = "java " + System.getProperty("java.version")
                    + (variants.get(v).isEmpty() ? "" : " " + String.join(" ", variants.get(v))) + " -jar " + jarPath.getFileName();
            rows.add(Bench.row("cold start to a healthy /_smlocal/health, median of " + runs + " (" + label + ")",
                    Bench.median(times.get(v)), "ms"));
            rows.add(Bench.row("cold start, fastest", sorted.get(0), "ms"));
            rows.add(Bench.row("cold start, slowest", sorted.get(sorted.size() - 1), "ms"));
        }
        Bench.Result r = new Bench.Result("start", rows);
        r.print();
        return r;
    }

    /** One fresh JVM: milliseconds from launching it to its first healthy answer. */
    private static double once(String java, Path jar, List<String> jvmOptions) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--port", Integer.toString(port), "--quiet"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null")));
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            URI health = URI.create("http://127.0.0.1:" + port + "/_smlocal/health");
            while (true) {
                if (healthy(health)) return Bench.ms(System.nanoTime() - t0);
                if (!p.isAlive()) throw new IllegalStateException("the server exited with status " + p.exitValue());
                if (System.nanoTime() - t0 > DEADLINE_NANOS) throw new IllegalStateException("not healthy within 60 s");
                Thread.sleep(2);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        }
    }

    private static boolean healthy(URI health) {
        try {
            HttpURLConnection c = (HttpURLConnection) health.toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException notYet) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String describe() {
        return String.format(Locale.ROOT, "start [runs] [jar] [jvm-option...]   (default: 10 runs of %s)", DEFAULT_JAR);
    }
}
