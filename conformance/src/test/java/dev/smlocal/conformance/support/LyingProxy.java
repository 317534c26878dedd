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
 * and rewrites each response body with {@code rewrite}. The discrimination test points a slice of
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

    /** Passes answers through unchanged but hides the admin API: a plain endpoint, without emulator powers. */
    public static LyingProxy withoutAdminApi(URI upstream) {
        return start(upstream, UnaryOperator.identity(), true);
    }

    public static LyingProxy start(URI upstream, UnaryOperator<String> rewrite) {
        return start(upstream, rewrite, false);
    }

    private static LyingProxy start(URI upstream, UnaryOperator<String> rewrite, boolean hideAdmin) {
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
                p.forward(ex, upstream, rewrite);
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

    private void forward(HttpExchange ex, URI upstream, UnaryOperator<String> rewrite) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(ex.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(60))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                if (RESTRICTED.contains(h.getKey().toLowerCase())) continue;
                for (String v : h.getValue()) b.header(h.getKey(), v);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            byte[] out = rewrite.apply(r.body()).getBytes(StandardCharsets.UTF_8);
            r.headers().map().forEach((k, vs) -> {
                if (!RESTRICTED.contains(k.toLowerCase()) && !k.equals(":status")) ex.getResponseHeaders().put(k, vs);
            });
            ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
