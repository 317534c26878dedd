package dev.smlocal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;

/**
 * Crash safety of {@code --data-dir}, with a real process and a real SIGKILL: the server runs in a
 * child JVM with a small compaction threshold; client threads write values and record each one the
 * server acknowledged; the process is killed ({@code destroyForcibly}) at a random moment, once
 * while a snapshot's temporary file is on disk (a test-only pause holds it there); restarted on the
 * same directory, every acknowledged write is there and the replicas converge to their primary.
 * The child is a real process: the test waits for it by bounded polling with deadlines.
 */
class CrashSafetyTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

    @TempDir
    Path tmp;

    /** Secret name → the highest counter value acknowledged for it (values are increasing counters). */
    private final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();

    @Test
    void noAcknowledgedWriteIsLostToSigkillEvenMidCompaction() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path data = tmp.resolve("data");
        Server s = Server.start(data, false);
        try (SecretsManagerClient east = client(s.endpoint, "us-east-1")) {
            for (int i = 0; i < 2; i++) {
                String name = "replicated-" + i;
                east.createSecret(b -> b.name(name).secretString("0")
                        .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").build()));
                acknowledged.put(name, 0);
            }
        }
        for (int round = 0; round < 3; round++) {
            boolean midCompaction = round == 2;
            if (midCompaction) {
                s.kill();
                s = Server.start(data, true);
            }
            writeUntilKilled(s, data, round, random, midCompaction, seed);
            s = Server.start(data, false);
            verify(s.endpoint, seed);
        }
        s.kill();
    }

    private void writeUntilKilled(Server s, Path data, int round, Random random, boolean midCompaction, long seed)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String mine = t < 2 ? "replicated-" + t : "r" + round + "-t" + t;
            int id = t;
            writers.add(new Thread(() -> {
                try (SecretsManagerClient c = client(s.endpoint, "us-east-1")) {
                    if (!acknowledged.containsKey(mine)) {
                        c.createSecret(b -> b.name(mine).secretString("0"));
                        acknowledged.put(mine, 0);
                    }
                    int next = acknowledged.get(mine) + 1_000; // above anything an unacknowledged write left
                    for (int i = 0; !stop.get(); i++) {
                        int value = next + i;
                        if (i % 10 == 0) {
                            String fresh = "r" + round + "-t" + id + "-new-" + i;
                            c.createSecret(b -> b.name(fresh).secretString("0"));
                            acknowledged.put(fresh, 0);
                        }
                        c.putSecretValue(b -> b.secretId(mine).secretString(String.valueOf(value)));
                        acknowledged.merge(mine, value, Math::max);
                    }
                } catch (RuntimeException killed) {
                    // the server died under this call: it was not acknowledged
                }
            }, "writer-" + t));
        }
        writers.forEach(Thread::start);
        if (midCompaction) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) {
                try (var files = Files.list(data)) {
                    seen = files.anyMatch(p -> p.getFileName().toString().endsWith(".snap.tmp"));
                }
                if (!seen) java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // bounded poll of a real process
            }
            assertTrue(seen, "a snapshot's temporary file appeared (seed " + seed + ")");
        } else {
            // a random moment: after a random number of acknowledged writes
            int target = 100 + random.nextInt(600);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (total() < target && System.nanoTime() < deadline) java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // bounded poll of a real process
        }
        s.kill();
        stop.set(true);
        for (Thread t : writers) t.join(10_000);
    }

    private int total() {
        return acknowledged.values().stream().mapToInt(v -> v % 1_000).sum() + acknowledged.size();
    }

    private void verify(URI endpoint, long seed) throws Exception {
        try (SecretsManagerClient east = client(endpoint, "us-east-1"); SecretsManagerClient west = client(endpoint, "eu-west-1")) {
            for (var e : acknowledged.entrySet()) {
                int current = Integer.parseInt(east.getSecretValue(b -> b.secretId(e.getKey())).secretString());
                assertTrue(current >= e.getValue(), e.getKey() + " holds " + current + " after the crash, but "
                        + e.getValue() + " was acknowledged (seed " + seed + ")");
                acknowledged.put(e.getKey(), current);
            }
            for (int i = 0; i < 2; i++) {
                String name = "replicated-" + i;
                String primary = east.getSecretValue(b -> b.secretId(name)).secretString();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                String replica = null;
                while (System.nanoTime() < deadline && !primary.equals(replica)) {
                    replica = west.getSecretValue(b -> b.secretId(name)).secretString();
                }
                assertEquals(primary, replica, name + "'s replica converges to its primary (seed " + seed + ")");
            }
        }
    }

    private static SecretsManagerClient client(URI endpoint, String region) {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    /** The standalone server in a child JVM. */
    private record Server(Process process, URI endpoint) {
        static Server start(Path data, boolean pauseSnapshots) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            if (pauseSnapshots) cmd.add("-Dsmlocal.test.snapshotPause=PT30S");
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "--port", "0",
                    "--regions", String.join(",", REGIONS), "--data-dir", data.toString(),
                    "--compact-after-bytes", "30000"));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // the banner, printed once the port listens (or null if it exited)
            if (line == null) {
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the server did not start; exit status " + (p.isAlive() ? "none" : p.exitValue()));
            }
            Matcher m = LISTENING.matcher(line);
            if (!m.find()) throw new AssertionError("unexpected first line: " + line);
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe empty
                    }
                } catch (java.io.IOException ignored) {
                    // the process is gone
                }
            });
            drain.setDaemon(true);
            drain.start();
            return new Server(p, URI.create(m.group(1)));
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the killed server is gone");
        }
    }
}
