package dev.smlocal.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.Errors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP server: {@code POST /} goes to the {@link AwsJsonDispatcher}, {@code /_smlocal/}
 * to the admin routes. The only place, with {@code admin/}, that knows Vert.x.
 */
public final class HttpFront implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HttpFront.class.getName());
    /** Larger than any valid request (a 64 KiB value is 87 KiB in base64 JSON). */
    public static final long BODY_LIMIT = 1024 * 1024;
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** Request headers beyond this get a 431 with a JSON body, before any route runs. */
    public static final int MAX_HEADER_SIZE = 64 * 1024;
    /** Longest request line (method, path, version) accepted. */
    public static final int MAX_LINE = 16 * 1024;

    /** Header names and the content type as pre-encoded ASCII strings: no encoding or hashing per answer. */
    private static final CharSequence CONTENT_TYPE_NAME = io.vertx.core.http.HttpHeaders.createOptimized("Content-Type");
    private static final CharSequence CONTENT_TYPE_VALUE = io.vertx.core.http.HttpHeaders.createOptimized(CONTENT_TYPE);
    private static final CharSequence REQUEST_ID_NAME = io.vertx.core.http.HttpHeaders.createOptimized("x-amzn-RequestId");

    private final Vertx vertx;
    /** One server per event loop, all on the same port; Vert.x balances accepted connections across them. */
    private final java.util.List<HttpServer> servers;
    private static final int SLOT = 16; // longs: 128 bytes
    /** Requests each server (each event loop) has taken, in deployment order, one every {@link #SLOT}. */
    private final java.util.concurrent.atomic.AtomicLongArray served;

    private HttpFront(Vertx vertx, java.util.List<HttpServer> servers, java.util.concurrent.atomic.AtomicLongArray served) {
        this.vertx = vertx;
        this.servers = java.util.List.copyOf(servers);
        this.served = served;
    }

    /**
     * Starts the server. Every request first passes the {@code perimeter} (Host, Origin, admin
     * token, admin media type); with a {@code verifier}, data plane requests must carry a valid
     * SigV4 signature.
     *
     * <p>{@code idleTimeout}: an inbound connection without reads or writes for that long is closed
     * (0: never). It concerns inbound connections only: rotation function calls are outbound and
     * bounded by the rotation timeout. A call held by a {@code timeout}-mode outage has no traffic
     * either, so it ends at whichever comes first, the fault's hold or the idle timeout; both close
     * the connection without an answer, which the SDK reports as a connection error and retries.
     *
     * <p>{@code eventLoops}: how many HTTP server instances serve the port, each deployed in its own
     * verticle and so on its own event loop; Vert.x hands accepted connections to them in turn and a
     * connection stays on its loop.
     */
    public static HttpFront start(String host, int port, java.time.Duration idleTimeout, int eventLoops,
                                  AwsJsonDispatcher dispatcher,
                                  Consumer<Router> admin, Perimeter perimeter, SigV4Verifier verifier) {
        if (eventLoops < 1) throw new IllegalArgumentException("event loops must be at least 1, was: " + eventLoops);
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setMaxEventLoopExecuteTime(2).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
                .setWarningExceptionTime(10).setWarningExceptionTimeUnit(TimeUnit.SECONDS));
        vertx.exceptionHandler(Fatal::check);
        Router router = Router.router(vertx);
        admin.accept(router);
        // POST / does not reach the router: guard answers it directly (see direct)
        router.route().last().handler(HttpFront::elsewhere);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host).setPort(port).setMaxInitialLineLength(MAX_LINE).setMaxHeaderSize(MAX_HEADER_SIZE)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                // an admin route's body handler decodes form bodies (application/x-www-form-urlencoded) as it reads them;
                // its own caps (an 8 KiB field, 256 fields, 1 KiB buffered) would fail a form body far below
                // BODY_LIMIT with a transport error (a 500 and a SEVERE log). BODY_LIMIT alone bounds a body:
                // a form under it reaches the dispatcher, which refuses it as any non-JSON body, and a
                // chunked one over it is the 413 every over-limit body gets
                .setMaxFormAttributeSize(-1).setMaxFormFields(-1).setMaxFormBufferedBytes(-1);
        // the same header limit for clients that upgrade to h2c (java.net.http does), not HTTP/2's 8 KiB default
        options.getInitialSettings().setMaxHeaderListSize(MAX_HEADER_SIZE);
        java.util.List<HttpServer> servers = java.util.Collections.synchronizedList(new java.util.ArrayList<>(eventLoops));
        // one slot per loop, SLOT apart so two loops never write the same cache line
        java.util.concurrent.atomic.AtomicLongArray served = new java.util.concurrent.atomic.AtomicLongArray(eventLoops * SLOT);
        for (int attempt = 1; ; attempt++) {
            try {
                // Vert.x shares a bound port between servers listening on the same host and port, but never
                // port 0: with several loops a free port is found first. Another process may take it in
                // between; then the deployment (rolled back whole by Vert.x) is tried again on a new port
                if (eventLoops > 1 && port == 0) options.setPort(freePort(host));
                deploy(vertx, options, eventLoops, servers, served, perimeter, router, dispatcher, verifier);
                break;
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (eventLoops > 1 && port == 0 && cause instanceof java.net.BindException && attempt < 5) {
                    servers.clear();
                    continue;
                }
                vertx.close();
                throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
            }
        }
        return new HttpFront(vertx, servers, served);
    }

    private static int freePort(String host) throws java.io.IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return probe.getLocalPort();
        }
    }

    /**
     * Deploys {@code instances} verticles, each listening with its own server on its own event loop
     * and counting the requests it takes in its own slot of {@code served}.
     */
    private static void deploy(Vertx vertx, HttpServerOptions options, int instances, java.util.List<HttpServer> servers,
                               java.util.concurrent.atomic.AtomicLongArray served,
                               Perimeter perimeter, Router router, AwsJsonDispatcher dispatcher, SigV4Verifier verifier)
            throws Exception {
        HttpServerOptions copy = new HttpServerOptions(options);
        java.util.concurrent.atomic.AtomicInteger slots = new java.util.concurrent.atomic.AtomicInteger();
        vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
            @Override
            public io.vertx.core.Future<?> start() {
                int slot = slots.getAndIncrement();
                return vertx.createHttpServer(copy)
                        .requestHandler(req -> {
                            served.incrementAndGet(slot * SLOT);
                            guard(req, perimeter, router, vertx, dispatcher, verifier);
                        })
                        .invalidRequestHandler(HttpFront::unparsable)
                        .listen().onSuccess(servers::add);
            }
        }, new io.vertx.core.DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The perimeter, before any route: a refused request gets its JSON answer and touches nothing. */
    private static void guard(HttpServerRequest req, Perimeter perimeter, Router router, Vertx vertx,
                              AwsJsonDispatcher dispatcher, SigV4Verifier verifier) {
        String origin = req.getHeader("Origin");
        Perimeter.Refusal refusal = perimeter.check(req.method().name(), req.path(), host(req), origin,
                req.getHeader("Content-Type"), req.getHeader("Authorization"));
        if (refusal != null) {
            refuse(req, refusal);
            return;
        }
        if (origin != null) {
            // a loopback or allowed origin: CORS for it, and for nobody else
            req.response().putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin")
                    .putHeader("Access-Control-Expose-Headers", "x-amzn-RequestId");
            String preflight = req.getHeader("Access-Control-Request-Method");
            if (req.method() == HttpMethod.OPTIONS && preflight != null) {
                String headers = req.getHeader("Access-Control-Request-Headers");
                req.response().setStatusCode(204)
                        .putHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
                        .putHeader("Access-Control-Max-Age", "600");
                if (headers != null) req.response().putHeader("Access-Control-Allow-Headers", headers);
                req.response().end();
                return;
            }
        }
        if (req.method() == HttpMethod.POST && isRoot(req.path())) {
            direct(req, vertx, dispatcher, verifier);
            return;
        }
        router.handle(req);
    }

    /** {@code /}, or a path the Router matched as {@code /} (it compares paths with dot segments removed). */
    private static boolean isRoot(String path) {
        return "/".equals(path) || (path != null && "/".equals(io.vertx.core.internal.net.RFC3986.normalizePath(path)));
    }

    /**
     * {@code POST /}, the whole data plane, answered without the Router and its BodyHandler (issue 12:
     * a routing context, its route matching and the body handler's set-up per request were a visible
     * share of a GetSecretValue). Same answers as the route: a body over {@link #BODY_LIMIT} (by its
     * Content-Length, or found while reading a chunked body) is the AWS-shaped 413, and the rest of it
     * is read and dropped; a body is never decoded as a form, so any non-JSON body is the dispatcher's
     * SerializationException; an unexpected failure is the 500 the route's failure handler gave.
     */
    private static void direct(HttpServerRequest req, Vertx vertx, AwsJsonDispatcher dispatcher,
                               SigV4Verifier verifier) {
        String length = req.getHeader("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException ignored) {
                declared = -1; // the HTTP decoder has already refused a malformed length
            }
        }
        DirectBody body = new DirectBody(req, vertx, dispatcher, verifier,
                declared > 0 && declared <= BODY_LIMIT ? (int) declared : 256);
        String expect = req.getHeader("Expect");
        if (declared > BODY_LIMIT) {
            body.tooLarge();
        } else if (expect != null) {
            // as the body handler did: a client waiting for 100 Continue is told to send its body;
            // any other expectation is the client's mistake: 417 with a JSON body, not a logged 500
            if (!expect.equalsIgnoreCase("100-continue")) {
                send(vertx, req, AwsJsonDispatcher.error(Errors.expectationFailed(expect),
                        java.util.UUID.randomUUID().toString()));
                return;
            }
            if (req.version() != io.vertx.core.http.HttpVersion.HTTP_1_0) req.response().writeContinue();
        }
        req.handler(body);
        req.endHandler(body::end);
        req.exceptionHandler(e -> Fatal.check(e)); // a connection lost mid-body: nobody left to answer
    }

    /** The body of one direct request, read up to {@link #BODY_LIMIT}, then answered at its end. */
    private static final class DirectBody implements io.vertx.core.Handler<io.vertx.core.buffer.Buffer> {
        private final HttpServerRequest req;
        private final Vertx vertx;
        private final AwsJsonDispatcher dispatcher;
        private final SigV4Verifier verifier;
        private io.vertx.core.buffer.Buffer buffer;
        private boolean over;

        DirectBody(HttpServerRequest req, Vertx vertx, AwsJsonDispatcher dispatcher, SigV4Verifier verifier,
                   int expected) {
            this.req = req;
            this.vertx = vertx;
            this.dispatcher = dispatcher;
            this.verifier = verifier;
            this.buffer = io.vertx.core.buffer.Buffer.buffer(expected);
        }

        @Override
        public void handle(io.vertx.core.buffer.Buffer chunk) {
            if (over) return;
            if ((long) buffer.length() + chunk.length() > BODY_LIMIT) {
                tooLarge();
                return;
            }
            buffer.appendBuffer(chunk);
        }

        void tooLarge() {
            if (over) return;
            over = true;
            buffer = null;
            send(vertx, req, AwsJsonDispatcher.error(Errors.requestTooLarge(BODY_LIMIT),
                    java.util.UUID.randomUUID().toString()));
        }

        void end(Void ignored) {
            if (over) return;
            try {
                answer(vertx, req, buffer.getBytes(), dispatcher, verifier);
            } catch (RuntimeException | Error e) {
                Fatal.check(e);
                String requestId = java.util.UUID.randomUUID().toString();
                LOG.log(Level.SEVERE, "request " + requestId + " failed in transport: " + e.getClass().getName());
                send(vertx, req, AwsJsonDispatcher.error(Errors.internal(), requestId));
            }
        }
    }

    private static String host(HttpServerRequest req) {
        String host = req.getHeader("Host");
        if (host == null && req.authority() != null) host = req.authority().toString();
        return host;
    }

    private static void refuse(HttpServerRequest req, Perimeter.Refusal refusal) {
        String requestId = java.util.UUID.randomUUID().toString();
        byte[] body;
        String contentType;
        if (Perimeter.isAdminPath(req.path())) {
            var n = Json.MAPPER.createObjectNode().put("error", refusal.message()).put("status", refusal.status());
            body = n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            contentType = "application/json";
        } else {
            body = AwsJsonDispatcher.error(refusal.error(), requestId).body();
            contentType = CONTENT_TYPE;
        }
        var response = req.response().setStatusCode(refusal.status()).putHeader("Content-Type", contentType)
                .putHeader("x-amzn-RequestId", requestId).putHeader("Connection", "close");
        if (refusal.status() == 401) response.putHeader("WWW-Authenticate", "Bearer realm=\"smlocal\"");
        response.end(io.vertx.core.buffer.Buffer.buffer(body));
    }

    /** Where the browser's GET / is pointed: health, dashboard, documentation. */
    static final String HOME_PAGE = "<!doctype html><html><head><meta charset=\"utf-8\"><title>smlocal</title></head><body>"
            + "<h1>smlocal</h1><p>A local AWS Secrets Manager and KMS. SDKs and the AWS CLI talk to it with POST /.</p><ul>"
            + "<li><a href=\"/_smlocal/health\">/_smlocal/health</a>: is it up, which regions</li>"
            + "<li><a href=\"/_smlocal/ui\">/_smlocal/ui</a>: the dashboard</li>"
            + "<li>README.md in smlocal's sources: setup, the admin API, flags</li>"
            + "</ul></body></html>";

    /**
     * Any request that is not {@code POST /} nor admin (issue 11): a browser's {@code GET /} gets a
     * short HTML page; a request carrying X-Amz-Target on another path is told the path is wrong;
     * anything else gets AWS's unknown-operation error for a missing target. Always a body.
     */
    private static void elsewhere(RoutingContext rc) {
        var req = rc.request();
        String accept = req.getHeader("Accept");
        if (req.method() == io.vertx.core.http.HttpMethod.GET && "/".equals(req.path())
                && accept != null && accept.contains("text/html")) {
            rc.response().setStatusCode(200).putHeader("Content-Type", "text/html; charset=utf-8").end(HOME_PAGE);
            return;
        }
        String target = req.getHeader("X-Amz-Target");
        AwsException e = target != null && !target.isBlank() && !"/".equals(req.path())
                ? Errors.wrongPath(req.method().name(), req.path()) : Errors.missingTarget();
        send(rc, AwsJsonDispatcher.error(e, java.util.UUID.randomUUID().toString()));
    }

    /**
     * Requests the HTTP decoder rejected (headers over {@link #MAX_HEADER_SIZE}, a request line over
     * {@link #MAX_LINE}, garbage): the transport's bare status would have no body; answer the same
     * status with a JSON error body in the usual shape, logging nothing (bad input is no fault of ours).
     */
    private static void unparsable(io.vertx.core.http.HttpServerRequest req) {
        Throwable cause = req.decoderResult() == null ? null : req.decoderResult().cause();
        AwsException e = cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException
                ? Errors.headersTooLarge(MAX_HEADER_SIZE)
                : cause instanceof io.netty.handler.codec.http.TooLongHttpLineException
                ? Errors.requestLineTooLong(MAX_LINE) : Errors.malformedRequest();
        AwsJsonDispatcher.Result r = AwsJsonDispatcher.error(e, java.util.UUID.randomUUID().toString());
        req.response().setStatusCode(r.status()).putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("x-amzn-RequestId", r.requestId()).putHeader("Connection", "close")
                .end(io.vertx.core.buffer.Buffer.buffer(r.body()))
                .onComplete(done -> req.connection().close());
    }

    private static void answer(Vertx vertx, HttpServerRequest req, byte[] body, AwsJsonDispatcher dispatcher,
                               SigV4Verifier verifier) {
        String authorization = req.getHeader("Authorization");
        if (authorization == null && SigV4Verifier.isPresigned(req.query())) {
            // a presigned request names its scope in the query; route it by that scope
            String credential = SigV4Verifier.presignedCredential(req.query());
            if (credential != null) authorization = "Credential=" + credential;
        }
        if (verifier != null) {
            try {
                verifier.verify(new SigV4Verifier.Request(req.method().name(), req.path(), req.query(),
                        name -> name.equals("host") && req.getHeader("Host") == null && host(req) != null
                                ? java.util.List.of(host(req)) : req.headers().getAll(name), body));
            } catch (AwsException e) {
                send(vertx, req, AwsJsonDispatcher.error(e, java.util.UUID.randomUUID().toString()));
                return;
            }
        }
        AwsJsonDispatcher.Result result = dispatcher.dispatch(req.getHeader("X-Amz-Target"), authorization,
                req.getHeader("Host"), body);
        send(vertx, req, result);
    }

    static void send(RoutingContext rc, AwsJsonDispatcher.Result result) {
        send(rc.vertx(), rc.request(), result);
    }

    static void send(Vertx vertx, HttpServerRequest req, AwsJsonDispatcher.Result result) {
        if (req.response().ended()) return;
        if (result.durable() != null && !result.durable().isDone()) {
            // --data-dir: answer once the request's journal records are on disk, back on this context
            io.vertx.core.Context context = vertx.getOrCreateContext();
            result.durable().whenComplete((ok, failed) -> context.runOnContext(v -> send(vertx, req, result)));
            return;
        }
        if (result.durable() != null && result.durable().isCompletedExceptionally()) {
            LOG.log(Level.SEVERE, "request " + result.requestId() + " is not acknowledged: its journal write failed");
            write(req, AwsJsonDispatcher.error(Errors.internal(), result.requestId()));
            return;
        }
        switch (result.transport()) {
            case RESET:
                req.connection().close();
                return;
            case TIMEOUT:
                // hold the connection without an answer; injected wall time is bounded by the fault
                vertx.setTimer(Math.max(1, result.millis()), id -> req.connection().close());
                return;
            case DELAY:
                if (result.millis() > 0) {
                    vertx.setTimer(result.millis(), id -> write(req, result));
                    return;
                }
                break;
            default:
                break;
        }
        write(req, result);
    }

    private static void write(HttpServerRequest req, AwsJsonDispatcher.Result result) {
        if (req.response().ended() || req.response().closed()) return;
        req.response().setStatusCode(result.status())
                .putHeader(CONTENT_TYPE_NAME, CONTENT_TYPE_VALUE)
                .putHeader(REQUEST_ID_NAME, result.requestId())
                // the answer's bytes wrapped, not copied: nothing writes to them after the dispatcher returns
                .end(io.vertx.core.internal.buffer.BufferInternal.buffer(io.netty.buffer.Unpooled.wrappedBuffer(result.body())));
    }

    public int port() {
        return servers.get(0).actualPort();
    }

    /** Requests taken by each event loop's server since the start (a diagnostic: how connections were spread). */
    public long[] requestsPerEventLoop() {
        long[] out = new long[served.length() / SLOT];
        for (int i = 0; i < out.length; i++) out[i] = served.get(i * SLOT);
        return out;
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        try {
            for (HttpServer server : servers) server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
