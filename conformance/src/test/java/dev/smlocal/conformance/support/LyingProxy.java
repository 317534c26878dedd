package dev.smlocal.conformance.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * A deliberately wrong target: forwards every request (admin API included) to an honest endpoint
 * and lies as its {@link Lie} says (rewritten answers, rewritten requests, writes applied and then
 * refused). The discrimination test points a slice of
 * the suite at it to prove that the checks notice.
 */
public final class LyingProxy implements AutoCloseable {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "lying-proxy");
        t.setDaemon(true);
        return t;
    });

    private LyingProxy(HttpServer server) {
        this.server = server;
    }

    /** One request as the proxy received it. */
    public record Call(String method, String path, Map<String, List<String>> headers, String body) {
        /** The operation named by {@code X-Amz-Target} ({@code TagResource}), or empty. */
        public String operation() {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase("x-amz-target") && !h.getValue().isEmpty()) {
                    String t = h.getValue().get(0);
                    return t.substring(t.lastIndexOf('.') + 1);
                }
            }
            return "";
        }

        public Call withBody(String newBody) {
            return new Call(method, path, headers, newBody);
        }

        /** The same call signed for another region (the emulator routes by the credential scope; nothing checks the signature). */
        public Call inRegion(String from, String to) {
            Map<String, List<String>> h = new java.util.LinkedHashMap<>();
            headers.forEach((k, v) -> h.put(k, k.equalsIgnoreCase("authorization")
                    ? v.stream().map(x -> x.replace("/" + from + "/", "/" + to + "/")).toList() : v));
            return new Call(method, path, h, body);
        }

        /** The same request (path, credentials) for another Secrets Manager operation. */
        public Call as(String operation, String newBody) {
            Map<String, List<String>> h = new java.util.LinkedHashMap<>();
            headers.forEach((k, v) -> {
                if (!k.equalsIgnoreCase("x-amz-target")) h.put(k, v);
            });
            h.put("X-Amz-Target", List.of("secretsmanager." + operation));
            return new Call(method, path, h, newBody);
        }
    }

    /** One answer, from upstream or made up. */
    public record Reply(int status, Map<String, List<String>> headers, String body) {
        public Reply withBody(String newBody) {
            return new Reply(status, headers, newBody);
        }
    }

    /** How the proxy lies: it answers a call, given a way to forward calls to the honest upstream. */
    @FunctionalInterface
    public interface Lie {
        Reply answer(Call call, java.util.function.Function<Call, Reply> upstream);
    }

    /** Forwards every call and rewrites each answer's body. */
    public static Lie rewritingAnswers(UnaryOperator<String> rewrite) {
        return (call, upstream) -> {
            Reply r = upstream.apply(call);
            return r.withBody(rewrite.apply(r.body()));
        };
    }

    /** Rewrites {@code "__type":"ResourceNotFoundException"} and the text of one message. */
    public static UnaryOperator<String> wrongTypeAndOneMessage() {
        return body -> body.replace("\"__type\":\"ResourceNotFoundException\"", "\"__type\":\"ResourceNotFound\"")
                .replace("You can't create this secret because a secret with this name is already scheduled for deletion.",
                        "A secret with this name is scheduled for deletion.");
    }

    /**
     * Rewords what the multi-Region and rotation checks read: the replica status message, the replica
     * refusal and the missing-Lambda refusal.
     */
    public static UnaryOperator<String> rewordedReplicationAndRotation() {
        return body -> body.replace("\"Replication succeeded\"", "\"Replication complete\"")
                .replace("Operation not permitted on a replica secret.", "Operation not allowed on a replica.")
                .replace("No Lambda rotation function ARN is associated with this secret.",
                        "This secret has no rotation function.");
    }

    /**
     * A broken ListSecrets negation: the {@code !} of every filter value is dropped, so {@code !x}
     * filters as {@code x}.
     */
    public static Lie ignoredNegation() {
        return (call, upstream) -> upstream.apply(call.operation().equals("ListSecrets")
                ? call.withBody(call.body().replace("\"!", "\"")) : call);
    }

    /** The writes {@link #appliedThenRefused()} applies before refusing them. */
    public static final Set<String> APPLIED_WRITES = Set.of("TagResource", "UntagResource", "PutResourcePolicy",
            "DeleteResourcePolicy", "UpdateSecret", "PutSecretValue");

    /**
     * A write on a secret scheduled for deletion is refused with the right error, but applied all the
     * same: the proxy restores the secret, sends the write, schedules the deletion again, and answers
     * the original refusal.
     */
    public static Lie appliedThenRefused() {
        return (call, upstream) -> {
            Reply r = upstream.apply(call);
            if (r.status() == 400 && r.body().contains("marked for deletion") && APPLIED_WRITES.contains(call.operation())) {
                String id = secretId(call.body());
                String idJson = com.fasterxml.jackson.databind.node.TextNode.valueOf(id).toString();
                upstream.apply(call.as("RestoreSecret", "{\"SecretId\":" + idJson + "}"));
                upstream.apply(call);
                upstream.apply(call.as("DeleteSecret", "{\"SecretId\":" + idJson + ",\"RecoveryWindowInDays\":7}"));
            }
            return r;
        };
    }

    /**
     * A write on a replica is refused with the right error, but applied all the same, to the primary
     * (from where it would replicate): the proxy asks the replica for its primary region and sends
     * the write there, signed for that region, then answers the original refusal.
     */
    public static Lie appliedOnThePrimaryThenRefused() {
        return (call, upstream) -> {
            Reply r = upstream.apply(call);
            if (r.status() == 400 && r.body().contains("Operation not permitted on a replica secret")
                    && APPLIED_WRITES.contains(call.operation())) {
                String id = secretId(call.body());
                String idJson = com.fasterxml.jackson.databind.node.TextNode.valueOf(id).toString();
                Reply d = upstream.apply(call.as("DescribeSecret", "{\"SecretId\":" + idJson + "}"));
                String primary = field(d.body(), "PrimaryRegion");
                String here = signedRegion(call);
                if (!primary.isEmpty() && !here.isEmpty()) upstream.apply(call.inRegion(here, primary));
            }
            return r;
        };
    }

    private static String field(String json, String name) {
        try {
            return RawClient.JSON.readTree(json).path(name).asText();
        } catch (IOException e) {
            return "";
        }
    }

    /** The region of the call's SigV4 credential scope ({@code Credential=AKID/date/REGION/service/…}). */
    static String signedRegion(Call call) {
        for (Map.Entry<String, List<String>> h : call.headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("authorization") || h.getValue().isEmpty()) continue;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Credential=[^/]+/[^/]+/([^/]+)/").matcher(h.getValue().get(0));
            if (m.find()) return m.group(1);
        }
        return "";
    }

    private static String secretId(String body) {
        try {
            return RawClient.JSON.readTree(body).path("SecretId").asText();
        } catch (IOException e) {
            return "";
        }
    }

    /** Passes answers through unchanged but hides the admin API: a plain endpoint, without emulator powers. */
    public static LyingProxy withoutAdminApi(URI upstream) {
        return start(upstream, (call, up) -> up.apply(call), true);
    }

    public static LyingProxy start(URI upstream, UnaryOperator<String> rewrite) {
        return start(upstream, rewritingAnswers(rewrite), false);
    }

    public static LyingProxy start(URI upstream, Lie lie) {
        return start(upstream, lie, false);
    }

    private static LyingProxy start(URI upstream, Lie lie, boolean hideAdmin) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            LyingProxy p = new LyingProxy(s);
            s.createContext("/", ex -> {
                if (hideAdmin && ex.getRequestURI().getPath().startsWith("/_smlocal/")) {
                    try (ex) {
                        ex.sendResponseHeaders(404, -1);
                    }
                    return;
                }
                p.forward(ex, upstream, lie);
            });
            s.setExecutor(p.pool);
            s.start();
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the proxy", e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void forward(HttpExchange ex, URI upstream, Lie lie) throws IOException {
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                if (!RESTRICTED.contains(h.getKey().toLowerCase())) headers.put(h.getKey(), h.getValue());
            }
            Reply r = lie.answer(new Call(ex.getRequestMethod(), ex.getRequestURI().toString(), headers, body),
                    call -> send(upstream, call));
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            r.headers().forEach((k, vs) -> {
                if (!RESTRICTED.contains(k.toLowerCase()) && !k.equals(":status")) ex.getResponseHeaders().put(k, vs);
            });
            ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    private static Reply send(URI upstream, Call call) {
        HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(call.path()))
                .timeout(Duration.ofSeconds(60))
                .method(call.method(), call.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        call.headers().forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
