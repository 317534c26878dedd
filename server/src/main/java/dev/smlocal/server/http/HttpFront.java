package dev.smlocal.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import dev.smlocal.server.Fatal;
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
    /** Request headers beyond this get the transport's bare 431, before any route runs. */
    public static final int MAX_HEADER_SIZE = 64 * 1024;

    private final Vertx vertx;
    private final HttpServer server;

    private HttpFront(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static HttpFront start(String host, int port, AwsJsonDispatcher dispatcher, Consumer<Router> admin) {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setMaxEventLoopExecuteTime(2).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
                .setWarningExceptionTime(10).setWarningExceptionTimeUnit(TimeUnit.SECONDS));
        vertx.exceptionHandler(Fatal::check);
        Router router = Router.router(vertx);
        admin.accept(router);
        router.post("/").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
                .handler(rc -> answer(rc, dispatcher))
                .failureHandler(HttpFront::failure);
        router.route().last().handler(rc -> {
            // anything else: AWS answers a GET / or an unknown path with an unknown-operation error
            send(rc, AwsJsonDispatcher.error(Errors.missingTarget(), java.util.UUID.randomUUID().toString()));
        });
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host).setPort(port).setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(MAX_HEADER_SIZE);
        // the same header limit for clients that upgrade to h2c (java.net.http does), not HTTP/2's 8 KiB default
        options.getInitialSettings().setMaxHeaderListSize(MAX_HEADER_SIZE);
        HttpServer server = vertx.createHttpServer(options).requestHandler(router);
        try {
            server = server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
        }
        return new HttpFront(vertx, server);
    }

    private static void answer(RoutingContext rc, AwsJsonDispatcher dispatcher) {
        var req = rc.request();
        byte[] body = rc.body() == null || rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
        AwsJsonDispatcher.Result result = dispatcher.dispatch(req.getHeader("X-Amz-Target"),
                req.getHeader("Authorization"), req.getHeader("Host"), body);
        send(rc, result);
    }

    static void send(RoutingContext rc, AwsJsonDispatcher.Result result) {
        if (rc.response().ended()) return;
        switch (result.transport()) {
            case RESET:
                rc.request().connection().close();
                return;
            case TIMEOUT:
                // hold the connection without an answer; injected wall time is bounded by the fault
                rc.vertx().setTimer(Math.max(1, result.millis()), id -> rc.request().connection().close());
                return;
            case DELAY:
                if (result.millis() > 0) {
                    rc.vertx().setTimer(result.millis(), id -> write(rc, result));
                    return;
                }
                break;
            default:
                break;
        }
        write(rc, result);
    }

    private static void write(RoutingContext rc, AwsJsonDispatcher.Result result) {
        if (rc.response().ended() || rc.response().closed()) return;
        rc.response().setStatusCode(result.status())
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("x-amzn-RequestId", result.requestId())
                .end(io.vertx.core.buffer.Buffer.buffer(result.body()));
    }

    private static void failure(RoutingContext rc) {
        Fatal.check(rc.failure());
        String requestId = java.util.UUID.randomUUID().toString();
        if (rc.statusCode() == 413) {
            send(rc, AwsJsonDispatcher.error(Errors.requestTooLarge(BODY_LIMIT), requestId));
            return;
        }
        LOG.log(Level.SEVERE, "request " + requestId + " failed in transport: "
                + (rc.failure() == null ? rc.statusCode() : rc.failure().getClass().getName()));
        send(rc, AwsJsonDispatcher.error(Errors.internal(), requestId));
    }

    public int port() {
        return server.actualPort();
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
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
