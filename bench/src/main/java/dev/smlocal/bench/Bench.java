package dev.smlocal.bench;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * The load harness. Prints numbers; asserts nothing. Every scenario starts its own in-process
 * emulator on a free loopback port and talks to it through the AWS SDK v2 over real HTTP.
 *
 * <pre>
 *   mvn -B -q -pl bench -am package -DskipTests
 *   java -cp "bench/target/smlocal-bench.jar" dev.smlocal.bench.Bench all
 *   java -cp ... dev.smlocal.bench.Bench startup | get [threads] [seconds] | replication [secrets] | put [threads] [seconds]
 *   java -jar bench/target/smlocal-bench.jar wire [seconds] [rounds] [--loops N] [operation...]   (needs wrk: smlocal beside a bare Vert.x anchor)
 *   java -Xmx1g -jar bench/target/smlocal-bench.jar scale [secrets]     (secrets x 3 regions, 1 KiB values)
 *   java -jar bench/target/smlocal-bench.jar dispatch [operation] [calls]   (in-process dispatch, no HTTP: ns per call)
 *   java -jar bench/target/smlocal-bench.jar start [runs] [jar] [jvm-option...]   (cold starts of the standalone jar)
 * </pre>
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "all" : args[0];
        switch (what) {
            case "startup":
                startup(20);
                break;
            case "start":
                ColdStart.run(args.length > 1 ? Integer.parseInt(args[1]) : 10, args.length > 2 ? args[2] : ColdStart.DEFAULT_JAR,
                        args.length > 3 ? List.of(args).subList(3, args.length) : List.of());
                break;
            case "get":
                get(args.length > 1 ? Integer.parseInt(args[1]) : 4, args.length > 2 ? Integer.parseInt(args[2]) : 10);
                break;
            case "replication":
                replication(args.length > 1 ? Integer.parseInt(args[1]) : 10_000, List.of("eu-west-1", "ap-southeast-2", "us-west-2"));
                break;
            case "put":
                put(args.length > 1 ? Integer.parseInt(args[1]) : 4, args.length > 2 ? Integer.parseInt(args[2]) : 5);
                break;
            case "wire": {
                // "--loops N" anywhere after "wire": smlocal and the anchor both served by N event loops
                List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
                int loops = 1;
                int at = rest.indexOf("--loops");
                if (at >= 0 && at + 1 < rest.size()) {
                    loops = Integer.parseInt(rest.get(at + 1));
                    rest.subList(at, at + 2).clear();
                }
                WireBench.run(rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 5, rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 3, 64,
                        loops, rest.size() > 2 ? rest.subList(2, rest.size()) : List.of());
                break;
            }
            case "dispatch":
                DispatchBench.run(args.length > 1 ? args[1] : "DescribeSecret", args.length > 2 ? Integer.parseInt(args[2]) : 300_000);
                break;
            case "scale":
                WireBench.scale(args.length > 1 ? Integer.parseInt(args[1]) : 100_000, List.of("us-east-1", "eu-west-1", "us-west-2"));
                break;
            case "all":
                startup(20);
                get(4, 10);
                replication(10_000, List.of("eu-west-1", "ap-southeast-2", "us-west-2"));
                put(4, 5);
                break;
            default:
                System.err.println("usage: Bench " + ColdStart.describe());
                System.err.println("usage: Bench [all | startup | get [threads] [seconds] | replication [secrets] | put [threads] [seconds] | dispatch [operation] [calls] | wire [seconds] [rounds] [--loops N] [operation...] | scale [secrets]]");
                System.exit(2);
        }
    }

    static EmulatorConfig config() {
        return EmulatorConfig.defaults().withPort(0).withQuiet(true).withClock("manual", Instant.parse("2026-01-01T00:00:00Z"))
                .withRegions(List.of("us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"));
    }

    static SecretsManagerClient client(Emulator e, String region) {
        return SecretsManagerClient.builder().endpointOverride(e.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "x")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Start of an in-process emulator until its first answered SDK request, and reset cost. */
    public static Result startup(int rounds) {
        List<Double> starts = new ArrayList<>();
        List<Double> resets = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            try (Emulator e = Emulator.start(config()); SecretsManagerClient c = client(e, "us-east-1")) {
                c.listSecrets(b -> { });
                starts.add(ms(System.nanoTime() - t0));
                c.createSecret(b -> b.name("s").secretString("v"));
                long r0 = System.nanoTime();
                e.reset();
                resets.add(ms(System.nanoTime() - r0));
            }
        }
        Result r = new Result("startup", List.of(
                row("in-process start to first answered request, first run", starts.get(0), "ms"),
                row("in-process start to first answered request, median of later runs", median(starts.subList(1, starts.size())), "ms"),
                row("reset (POST /_smlocal/reset equivalent), median", median(resets), "ms")));
        r.print();
        return r;
    }

    /** GetSecretValue throughput and latency with {@code threads} SDK clients for {@code seconds}. */
    public static Result get(int threads, int seconds) throws Exception {
        try (Emulator e = Emulator.start(config())) {
            try (SecretsManagerClient setup = client(e, "us-east-1")) {
                for (int i = 0; i < 100; i++) {
                    int n = i;
                    setup.createSecret(b -> b.name("bench/" + n).secretString("{\"password\":\"value-" + n + "\"}"));
                }
            }
            AtomicLong count = new AtomicLong();
            List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    try (SecretsManagerClient c = client(e, "us-east-1")) {
                        int i = seed;
                        while (System.nanoTime() < end) {
                            int n = (i++) % 100;
                            long t0 = System.nanoTime();
                            c.getSecretValue(b -> b.secretId("bench/" + n));
                            long dt = System.nanoTime() - t0;
                            if (count.incrementAndGet() % 10 == 0) samples.add(dt);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            List<Long> sorted = new ArrayList<>(samples);
            sorted.sort(null);
            Result r = new Result("get", List.of(
                    row("GetSecretValue throughput, " + threads + " client threads, " + seconds + " s", count.get() / (double) seconds, "req/s"),
                    row("GetSecretValue latency p50", ms(percentile(sorted, 0.50)), "ms"),
                    row("GetSecretValue latency p99", ms(percentile(sorted, 0.99)), "ms")));
            r.print();
            return r;
        }
    }

    /**
     * PutSecretValue throughput with {@code threads} SDK clients for {@code seconds}, in memory and
     * with {@code --data-dir} (a temporary directory), in the same run, and their ratio.
     */
    public static Result put(int threads, int seconds) throws Exception {
        double memory = putRate(config(), threads, seconds);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("smlocal-bench");
        double durable = putRate(config().toBuilder().dataDir(dir.resolve("data")).build(), threads, seconds);
        Result r = new Result("put", List.of(
                row("PutSecretValue throughput in memory, " + threads + " client threads, " + seconds + " s", memory, "req/s"),
                row("PutSecretValue throughput with --data-dir (" + dir + ")", durable, "req/s"),
                row("--data-dir / in memory", durable / memory, "ratio")));
        r.print();
        return r;
    }

    private static double putRate(EmulatorConfig config, int threads, int seconds) throws Exception {
        try (Emulator e = Emulator.start(config)) {
            try (SecretsManagerClient setup = client(e, "us-east-1")) {
                for (int i = 0; i < threads; i++) {
                    int n = i;
                    setup.createSecret(b -> b.name("put/" + n).secretString("0"));
                }
            }
            AtomicLong count = new AtomicLong();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int n = t;
                fs.add(pool.submit(() -> {
                    try (SecretsManagerClient c = client(e, "us-east-1")) {
                        for (int i = 1; System.nanoTime() < end; i++) {
                            int v = i;
                            c.putSecretValue(b -> b.secretId("put/" + n).secretString("value-" + v));
                            count.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            return count.get() / (double) seconds;
        }
    }

    /**
     * Creates {@code secrets} secrets in us-east-1, each with replicas in {@code regions}, then
     * advances the manual clock past the lag and measures until every replica is InSync.
     */
    public static Result replication(int secrets, List<String> regions) throws Exception {
        try (Emulator e = Emulator.start(config())) {
            int threads = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<ReplicaRegionType> replicas = new ArrayList<>();
            for (String r : regions) replicas.add(ReplicaRegionType.builder().region(r).build());
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int part = t;
                fs.add(pool.submit(() -> {
                    try (SecretsManagerClient c = client(e, "us-east-1")) {
                        for (int i = part; i < secrets; i += threads) {
                            int n = i;
                            c.createSecret(b -> b.name("r/" + n).secretString("value-" + n).addReplicaRegions(replicas));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            long created = System.nanoTime();
            int pending = e.scheduler().pending().size();
            long a0 = System.nanoTime();
            e.scheduler().advance(e.replicator().defaultLag());
            long applied = System.nanoTime();
            long inSync;
            try (SecretsManagerClient c = client(e, "us-east-1")) {
                int ok = 0;
                for (int i = 0; i < secrets; i += Math.max(1, secrets / 200)) {
                    int n = i;
                    for (ReplicationStatusType s : c.describeSecret(b -> b.secretId("r/" + n)).replicationStatus()) {
                        if (s.status() == StatusType.IN_SYNC) ok++;
                    }
                }
                inSync = ok;
            }
            Runtime rt = Runtime.getRuntime();
            rt.gc();
            double heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
            Result r = new Result("replication", List.of(
                    row("CreateSecret with " + regions.size() + " replica regions, " + secrets + " secrets over HTTP (4 threads)",
                            secrets / ((created - t0) / 1e9), "secrets/s"),
                    row("replication deliveries applied when the lag elapsed (" + pending + " deliveries)",
                            ms(applied - a0), "ms"),
                    row("replica deliveries per second", pending / ((applied - a0) / 1e9), "deliveries/s"),
                    row("sampled replicas InSync afterwards", inSync, "replicas"),
                    row("heap in use after GC, " + secrets * (regions.size() + 1) + " secrets in 4 regions", heapMb, "MiB")));
            r.print();
            return r;
        }
    }

    /** One measurement. */
    public record Row(String what, double value, String unit) {}

    public record Result(String scenario, List<Row> rows) {
        void print() {
            System.out.println("| " + scenario + " | value | unit |");
            System.out.println("|---|---:|---|");
            for (Row r : rows) {
                System.out.println(String.format(Locale.ROOT, "| %s | %.1f | %s |", r.what(), r.value(), r.unit()));
            }
            System.out.println();
        }
    }

    static Row row(String what, double value, String unit) {
        return new Row(what, value, unit);
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) return 0;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }
}
