package dev.smlocal.bench;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.secrets.SecretsApi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * smlocal against its anchor: a bare Vert.x HTTP server in the same JVM answering a fixed body of
 * the same size as smlocal's answer. Both are loaded by the same external generator ({@code wrk
 * -t2 -c64}), alternately, several rounds; medians are printed with the ratio. Needs {@code wrk}
 * on the PATH. Requests carry a SigV4-shaped Authorization header (smlocal reads its scope; it does
 * not check signatures).
 */
final class WireBench {
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/secretsmanager/aws4_request, "
            + "SignedHeaders=host, Signature=0";

    private WireBench() {}

    record Op(String name, String target, String body, boolean uniqueToken) {}

    static final List<Op> OPS = List.of(
            new Op("GetSecretValue", "secretsmanager.GetSecretValue", "{\"SecretId\":\"bench/7\"}", false),
            new Op("DescribeSecret", "secretsmanager.DescribeSecret", "{\"SecretId\":\"bench/7\"}", false),
            new Op("ListSecrets (100-secret page)", "secretsmanager.ListSecrets", "{\"MaxResults\":100}", false),
            new Op("PutSecretValue", "secretsmanager.PutSecretValue",
                    "{\"SecretId\":\"bench/put\",\"SecretString\":\"{\\\"password\\\":\\\"value-put\\\"}\"", true));

    /** {@code only}: operation names to run (GetSecretValue, ListSecrets, ...); empty runs them all. */
    static Bench.Result run(int seconds, int rounds, int connections, int loops, List<String> only) throws Exception {
        List<Bench.Row> rows = new ArrayList<>();
        try (Emulator e = Emulator.start(Bench.config().toBuilder().eventLoops(loops).build())) {
            try (SecretsManagerClient c = Bench.client(e, "us-east-1")) {
                for (int i = 0; i < 100; i++) {
                    int n = i;
                    c.createSecret(b -> b.name("bench/" + n).secretString("{\"password\":\"value-" + n + "\"}"));
                }
                c.createSecret(b -> b.name("bench/put").secretString("{\"password\":\"value-put\"}"));
            }
            Vertx vertx = Vertx.vertx();
            try {
                for (Op op : OPS) {
                    if (!only.isEmpty() && only.stream().noneMatch(o -> op.name().startsWith(o))) continue;
                    URI smlocal = e.endpoint().resolve("/");
                    byte[] answer = sample(smlocal, op);
                    Buffer fixed = Buffer.buffer(answer);
                    int anchorPort = ColdStart.freePort(); // Vert.x shares a bound port between its servers, never port 0
                    String anchorId = vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
                        @Override
                        public io.vertx.core.Future<?> start() {
                            return vertx.createHttpServer().requestHandler(req -> req.response()
                                    .putHeader("Content-Type", "application/x-amz-json-1.1")
                                    .putHeader("x-amzn-RequestId", UUID.randomUUID().toString()).end(fixed))
                                    .listen(anchorPort, "127.0.0.1");
                        }
                    }, new io.vertx.core.DeploymentOptions().setInstances(loops))
                            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    URI bare = URI.create("http://127.0.0.1:" + anchorPort + "/");
                    Path script = script(op);
                    List<Double> sRate = new ArrayList<>(), aRate = new ArrayList<>(), sP99 = new ArrayList<>(), aP99 = new ArrayList<>();
                    List<Double> sCpu = new ArrayList<>(), aCpu = new ArrayList<>();
                    long bad = 0;
                    warm(bare, script, connections); // both JITs reach their steady state before a round counts
                    warm(smlocal, script, connections);
                    for (int r = 0; r < rounds; r++) {
                        Wrk a = wrk(bare, script, seconds, connections);
                        Wrk s = wrk(smlocal, script, seconds, connections);
                        aRate.add(a.rate());
                        aP99.add(a.p99Ms());
                        sRate.add(s.rate());
                        sP99.add(s.p99Ms());
                        aCpu.add(a.cpuMicros());
                        sCpu.add(s.cpuMicros());
                        bad += s.non2xx();
                    }
                    vertx.undeploy(anchorId).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    double s = Bench.median(sRate), a = Bench.median(aRate);
                    String what = op.name() + " (" + answer.length + " B answer), wrk -t2 -c" + connections
                            + (loops == 1 ? "" : ", " + loops + " event loops each");
                    rows.add(Bench.row(what + ": smlocal", s, "req/s"));
                    rows.add(Bench.row(what + ": bare Vert.x anchor", a, "req/s"));
                    rows.add(Bench.row(what + ": ratio smlocal / anchor", 100 * s / a, "%"));
                    rows.add(Bench.row(what + ": smlocal p99", Bench.median(sP99), "ms"));
                    rows.add(Bench.row(what + ": anchor p99", Bench.median(aP99), "ms"));
                    rows.add(Bench.row(what + ": smlocal CPU per request (this JVM, all threads)", Bench.median(sCpu), "µs"));
                    rows.add(Bench.row(what + ": anchor CPU per request (this JVM, all threads)", Bench.median(aCpu), "µs"));
                    if (bad > 0) rows.add(Bench.row(what + ": smlocal non-2xx answers (a broken run)", bad, "answers"));
                }
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        Bench.Result result = new Bench.Result("wire (median of " + rounds + " rounds of " + seconds + " s)", rows);
        result.print();
        return result;
    }

    private static byte[] sample(URI smlocal, Op op) throws Exception {
        String body = op.uniqueToken() ? op.body() + ",\"ClientRequestToken\":\"" + UUID.randomUUID() + "\"}" : op.body();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(smlocal)
                .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", op.target())
                .header("Authorization", AUTH).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException(op.name() + " answered " + r.statusCode());
        return r.body();
    }

    private static Path script(Op op) throws Exception {
        StringBuilder lua = new StringBuilder();
        lua.append("wrk.method = \"POST\"\n");
        lua.append("wrk.headers[\"Content-Type\"] = \"application/x-amz-json-1.1\"\n");
        lua.append("wrk.headers[\"X-Amz-Target\"] = \"").append(op.target()).append("\"\n");
        lua.append("wrk.headers[\"Authorization\"] = \"").append(AUTH).append("\"\n");
        if (op.uniqueToken()) {
            // a fresh ClientRequestToken per request: every PutSecretValue makes a new version
            lua.append("local n = 0\nlocal t = math.random(1, 2147483647)\n");
            lua.append("request = function()\n  n = n + 1\n");
            lua.append("  local body = '").append(lua(op.body())).append(",\"ClientRequestToken\":\"' .. ");
            lua.append("string.format('%08x-0000-4000-8000-%012x', t, n) .. '\"}'\n");
            lua.append("  return wrk.format(nil, nil, nil, body)\nend\n");
            lua.append("init = function(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)); "
                    + "t = math.random(1, 2147483647) end\n");
        } else {
            lua.append("wrk.body = '").append(lua(op.body())).append("'\n");
        }
        Path f = Files.createTempFile("smlocal-bench", ".lua");
        Files.writeString(f, lua.toString());
        f.toFile().deleteOnExit();
        return f;
    }

    /** {@code s} inside a single-quoted Lua string. */
    private static String lua(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    /**
     * One wrk run: {@code cpuMicros} is this JVM's CPU time (all threads: event loop, GC, JIT) per
     * answered request during the run. wrk runs in its own process, so on a shared machine this
     * moves far less than the rate does: other builds take wall time from both servers alike.
     */
    record Wrk(double rate, double p99Ms, long non2xx, double cpuMicros) {}

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([\\d.]+)(us|ms|s)");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    /**
     * Loads {@code url} in 2 s runs until two runs in a row are within 5 % of each other (at most
     * 8 runs). A GetSecretValue path is still being compiled after the first 10 s here (its rate
     * climbed from 20 k to 35 k req/s over three 6 s runs), so a fixed 2 s warm-up measured the
     * JIT, not the server.
     */
    static void warm(URI url, Path script, int connections) throws Exception {
        double last = wrk(url, script, 2, connections).rate();
        for (int i = 1; i < 8; i++) {
            double now = wrk(url, script, 2, connections).rate();
            if (Math.abs(now - last) <= 0.05 * Math.max(now, last)) return;
            last = now;
        }
    }

    static Wrk wrk(URI url, Path script, int seconds, int connections) throws Exception {
        long cpuBefore = processCpuNanos();
        Process p = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), url.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        long cpu = processCpuNanos() - cpuBefore;
        Matcher rate = RATE.matcher(out), p99 = P99.matcher(out), bad = NON2XX.matcher(out), n = REQUESTS.matcher(out);
        if (!rate.find() || !p99.find()) throw new IllegalStateException("unreadable wrk output:\n" + out);
        double v = Double.parseDouble(p99.group(1));
        double ms = switch (p99.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
        long requests = n.find() ? Long.parseLong(n.group(1)) : 0;
        return new Wrk(Double.parseDouble(rate.group(1)), ms, bad.find() ? Long.parseLong(bad.group(1)) : 0,
                requests == 0 ? Double.NaN : cpu / 1000.0 / requests);
    }

    /**
     * {@code secrets} secrets with 1 KiB values in each of {@code regions} (created through the
     * service, not HTTP, to keep the set-up short), then: heap after GC and per secret, a filtered
     * ListSecrets page and GetSecretValue over HTTP, both as medians of single calls.
     */
    static Bench.Result scale(int secrets, List<String> regions) throws Exception {
        try (Emulator e = Emulator.start(Bench.config())) {
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long before = rt.totalMemory() - rt.freeMemory();
            String value = "v".repeat(1024);
            List<Double> getSmall = getMedianRun(e, regions.get(0), 1, value, true);
            long t0 = System.nanoTime();
            for (String region : regions) {
                RequestContext ctx = new RequestContext(RequestContext.DEFAULT_ACCOUNT, region, "bench");
                for (int i = region.equals(regions.get(0)) ? 1 : 0; i < secrets; i++) { // scale/0 exists there
                    e.secrets().createSecret(ctx, new SecretsApi.CreateSecretRequest("scale/" + i, UUID.randomUUID().toString(),
                            null, null, null, value, null, null, null, null));
                }
            }
            double createSeconds = (System.nanoTime() - t0) / 1e9;
            System.gc();
            long after = rt.totalMemory() - rt.freeMemory();
            List<Double> list = new ArrayList<>();
            List<Double> get = getMedianRun(e, regions.get(0), secrets, value, false);
            try (SecretsManagerClient c = Bench.client(e, regions.get(0))) {
                for (int i = 0; i < 30; i++) {
                    int n = i;
                    long a = System.nanoTime();
                    c.listSecrets(b -> b.maxResults(100).filters(f -> f.key("name").values("scale/9999" + (n % 10))));
                    list.add(Bench.ms(System.nanoTime() - a));
                }
            }
            int total = secrets * regions.size();
            Bench.Result r = new Bench.Result("scale", List.of(
                    Bench.row(total + " secrets (" + secrets + " x " + regions.size() + " regions, 1 KiB values) created in-process", total / createSeconds, "secrets/s"),
                    Bench.row("heap in use after GC with them (max heap " + rt.maxMemory() / (1024 * 1024) + " MiB)", after / (1024.0 * 1024), "MiB"),
                    Bench.row("heap per secret", (after - before) / (double) total, "bytes"),
                    Bench.row("ListSecrets with a name filter over " + secrets + " secrets, median of 30 (one SDK client)", Bench.median(list), "ms"),
                    Bench.row("GetSecretValue among them, median of 2,000 (one SDK client)", Bench.median(get), "ms"),
                    Bench.row("GetSecretValue with one secret stored, same client and count", Bench.median(getSmall), "ms")));
            r.print();
            return r;
        }
    }

    /** Single GetSecretValue calls over HTTP (after 500 to warm up); {@code create} first makes the one secret. */
    private static List<Double> getMedianRun(Emulator e, String region, int secrets, String value, boolean create) {
        List<Double> out = new ArrayList<>();
        try (SecretsManagerClient c = Bench.client(e, region)) {
            if (create) c.createSecret(b -> b.name("scale/0").secretString(value));
            for (int i = 0; i < 2_500; i++) {
                int n = i * 397 % secrets;
                long a = System.nanoTime();
                c.getSecretValue(b -> b.secretId("scale/" + n));
                if (i >= 500) out.add(Bench.ms(System.nanoTime() - a));
            }
        }
        return out;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
