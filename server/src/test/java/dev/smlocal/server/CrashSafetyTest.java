package dev.smlocal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;

/**
 * Crash safety of {@code --data-dir}, with a real process and a real SIGKILL. The server runs in a
 * child JVM with a small compaction threshold; writer threads put increasing counters into their
 * own secrets (two of them replicated to a second region) and record each write the server
 * acknowledged. Each round the process is killed ({@code destroyForcibly}) after a random number of
 * acknowledged writes; one round, chosen at random, kills it while a compaction's snapshot is still
 * a temporary file (a test-only pause holds it there) and writes keep being acknowledged. Restarted
 * on the same directory, every acknowledged write is there, nothing else is (at most the one write
 * each writer had in flight), and every replica converges to its primary.
 *
 * <p>The child is a real process: the test waits for it by bounded polling with deadlines, never a
 * fixed sleep. What bounds the run: {@link #ROUNDS} kills, the kill after at most {@link #MAX_WRITES}
 * acknowledged writes in a round (or at a deadline), a deadline on every wait. Where the time goes
 * (about 7 child JVM starts of 1.5-3 s CPU each, writes, reads) and why the flags: docs/PERSISTENCE.md.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashSafetyTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    /** Kills at a random moment; one of them (not the first) is the one mid-compaction. */
    private static final int ROUNDS = 6;
    private static final int MIN_WRITES = 100;
    private static final int MAX_WRITES = 400;
    /** Writers; the first {@link #REPLICATED} of them write secrets with a replica in eu-west-1. */
    private static final int WRITERS = 6;
    private static final int REPLICATED = 2;
    /** Puts per secret before a writer moves on to a new one: keeps each journal record small. */
    private static final int SERIES = 16;
    private static final long COMPACT_AFTER_BYTES = 150_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    /** Secret name → the highest counter value acknowledged for it. */
    private final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
    /** Acknowledged writes (creates and puts) of the current round. */
    private final AtomicInteger writesThisRound = new AtomicInteger();
    /** Set just before the kill: a call failing before that is a failure of the server, not the crash. */
    private final AtomicBoolean killing = new AtomicBoolean();
    private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
    private final List<Writer> writers = new ArrayList<>();
    private Server live;
    /** The temporary snapshot files the mid-compaction kill left behind. */
    private List<Path> killedTemporaries = List.of();

    @AfterEach
    void stopTheChild() throws InterruptedException {
        if (live != null) live.kill(); // a failed assertion must not leave a server running
    }

    @Test
    void noAcknowledgedWriteIsLostToSigkillEvenMidCompaction() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int midCompaction = 1 + random.nextInt(ROUNDS - 1);
        Path data = tmp.resolve("data");
        for (int t = 0; t < WRITERS; t++) writers.add(new Writer(t, t < REPLICATED));
        int total = 0;
        live = Server.start(data, false);
        for (int round = 0; round < ROUNDS; round++) {
            boolean mid = round == midCompaction;
            int target = MIN_WRITES + random.nextInt(MAX_WRITES - MIN_WRITES + 1);
            total += writeUntilKilled(data, mid, target, random, seed);
            live = Server.start(data, round + 1 == midCompaction);
            if (mid) {
                // only the killed compaction's file: the new server may already be writing a snapshot of
                // its own (the replica deliveries it resumed can pass the threshold), under a new number
                for (Path left : killedTemporaries) {
                    assertFalse(Files.exists(left), "the start removed the killed compaction's file " + left.getFileName());
                }
            }
            verify(live.endpoint, seed);
        }
        live.kill();
        live = null;
        System.err.printf("CrashSafetyTest: seed %d, %d kills (round %d mid-compaction), %d acknowledged writes, %d secrets%n",
                seed, ROUNDS, midCompaction, total, acknowledged.size());
    }

    /** Writes until the kill; returns how many writes were acknowledged in this round. */
    private int writeUntilKilled(Path data, boolean midCompaction, int target, Random random, long seed) throws Exception {
        writesThisRound.set(0);
        killing.set(false);
        AtomicBoolean stop = new AtomicBoolean();
        URI endpoint = live.endpoint;
        List<Thread> threads = new ArrayList<>();
        for (Writer w : writers) threads.add(new Thread(() -> w.writeUntilStopped(endpoint, stop), "writer-" + w.id));
        threads.forEach(Thread::start);
        boolean compacting = false;
        boolean writtenMeanwhile = false;
        if (midCompaction) {
            // a compaction starts once the journal passes the threshold; its snapshot then stays a
            // temporary file (the pause), while more writes are acknowledged into the next journal
            compacting = await(() -> hasTemporary(data) || !failures.isEmpty()) && failures.isEmpty();
            int after = writesThisRound.get() + 20 + random.nextInt(200);
            writtenMeanwhile = compacting && await(() -> writesThisRound.get() >= after || !failures.isEmpty());
        } else {
            // the kill comes at the target, or at the deadline on a very slow machine
            await(() -> writesThisRound.get() >= target || !failures.isEmpty());
        }
        killing.set(true);
        live.kill();
        live = null;
        stop.set(true);
        for (Thread t : threads) t.join(10_000);
        failures.forEach((writer, e) -> {
            throw new AssertionError(writer + " failed while the server was up (seed " + seed + ")", e);
        });
        if (midCompaction) {
            assertTrue(compacting, "a compaction's temporary snapshot appeared (seed " + seed + ")");
            assertTrue(writtenMeanwhile, "writes acknowledged during the compaction (seed " + seed + ")");
            assertTrue(hasTemporary(data), "killed while the compaction's snapshot was a temporary file");
            try (var files = Files.list(data)) {
                killedTemporaries = files.filter(CrashSafetyTest::isTemporary).toList();
            }
        }
        assertTrue(writesThisRound.get() > 0, "writes were acknowledged before the kill (seed " + seed + ")");
        return writesThisRound.get();
    }

    /** One writer: its own secrets, one at a time, each holding an increasing counter. */
    private final class Writer {
        final int id;
        final boolean replicated;
        int series;
        /** The secret being written and the value it holds (both null/0 before the first create). */
        String name;
        int value;

        Writer(int id, boolean replicated) {
            this.id = id;
            this.replicated = replicated;
        }

        void writeUntilStopped(URI endpoint, AtomicBoolean stop) {
            try (SecretsManagerClient c = client(endpoint, "us-east-1")) {
                while (!stop.get()) {
                    if (name == null || value >= SERIES) {
                        String fresh = "w" + id + "-" + (++series); // a new name even if this create is lost
                        c.createSecret(b -> {
                            b.name(fresh).secretString("0");
                            if (replicated) b.addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").build());
                        });
                        acknowledge(fresh, 0);
                        name = fresh;
                        value = 0;
                    } else {
                        int next = value + 1;
                        String current = name;
                        c.putSecretValue(b -> b.secretId(current).secretString(String.valueOf(next)));
                        acknowledge(current, next);
                        value = next;
                    }
                }
            } catch (RuntimeException e) {
                // after the kill: the server died under this call, which was not acknowledged
                if (!killing.get()) failures.put("writer-" + id, e);
            }
        }

        private void acknowledge(String secret, int v) {
            acknowledged.merge(secret, v, Math::max);
            writesThisRound.incrementAndGet();
        }
    }

    /**
     * Every acknowledged value is there after the restart, and nothing newer than the one write each
     * writer may have had in flight; every replica holds its primary's value (after bounded polling:
     * deliveries run on the restarted server's clock).
     */
    private void verify(URI endpoint, long seed) throws Exception {
        try (SecretsManagerClient east = client(endpoint, "us-east-1"); SecretsManagerClient west = client(endpoint, "eu-west-1")) {
            Map<String, String> primaries = values(east, List.copyOf(acknowledged.keySet()));
            for (var e : acknowledged.entrySet()) {
                String found = primaries.get(e.getKey());
                assertTrue(found != null, e.getKey() + " is gone after the crash, but it was acknowledged (seed " + seed + ")");
                int current = Integer.parseInt(found);
                assertTrue(current == e.getValue() || current == e.getValue() + 1, e.getKey() + " holds " + current
                        + " after the crash, but " + e.getValue() + " was the last acknowledged (seed " + seed + ")");
                acknowledged.put(e.getKey(), current);
            }
            for (Writer w : writers) {
                if (w.name != null) w.value = acknowledged.get(w.name); // resume after what is stored
            }
            List<String> replicated = acknowledged.keySet().stream()
                    .filter(n -> writers.get(Integer.parseInt(n.substring(1, n.indexOf('-')))).replicated).toList();
            AtomicReference<Map<String, String>> replicas = new AtomicReference<>();
            boolean converged = await(() -> {
                replicas.set(values(west, replicated));
                return replicated.stream().allMatch(n -> primaries.get(n).equals(replicas.get().get(n)));
            });
            if (!converged) {
                for (String n : replicated) {
                    assertEquals(primaries.get(n), replicas.get().get(n), n + "'s replica converges to its primary (seed " + seed + ")");
                }
            }
        }
    }

    /** The values of {@code names} (BatchGetSecretValue, 20 at a time); a missing secret is left out. */
    private static Map<String, String> values(SecretsManagerClient c, List<String> names) {
        Map<String, String> out = new ConcurrentHashMap<>();
        for (int i = 0; i < names.size(); i += 20) {
            List<String> chunk = names.subList(i, Math.min(names.size(), i + 20));
            for (SecretValueEntry v : c.batchGetSecretValue(b -> b.secretIdList(chunk)).secretValues()) {
                out.put(v.name(), v.secretString());
            }
        }
        return out;
    }

    private static boolean isTemporary(Path p) {
        return p.getFileName().toString().endsWith(".snap.tmp");
    }

    private static boolean hasTemporary(Path data) {
        try (var files = Files.list(data)) {
            return files.anyMatch(CrashSafetyTest::isTemporary);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bounded polling of a real process: true once {@code condition} holds, false at the deadline. */
    private static boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return condition.getAsBoolean();
    }

    private static SecretsManagerClient client(URI endpoint, String region) {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    /** The standalone server in a child JVM, ready once it prints its banner (no polling of the port). */
    private record Server(Process process, URI endpoint) {
        static Server start(Path data, boolean pauseCompactions) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // a short-lived server: C1 only, serial GC, no perf data file
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-XX:-UsePerfData", "-Xshare:auto"));
            if (pauseCompactions) cmd.add("-D" + dev.smlocal.server.persist.Persistence.PAUSE_PROPERTY + "=PT60S");
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "--port", "0",
                    "--regions", String.join(",", REGIONS), "--data-dir", data.toString(),
                    "--compact-after-bytes", String.valueOf(COMPACT_AFTER_BYTES)));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // the banner, printed once the port listens (or null if it exited)
            if (line == null) {
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the server did not start; exit status " + (p.isAlive() ? "none" : p.exitValue()));
            }
            Matcher m = LISTENING.matcher(line);
            if (!m.find()) {
                p.destroyForcibly();
                throw new AssertionError("unexpected first line: " + line);
            }
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe empty
                    }
                } catch (IOException ignored) {
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
