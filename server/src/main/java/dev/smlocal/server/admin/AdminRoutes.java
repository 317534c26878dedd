package dev.smlocal.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.control.ControlJson;
import dev.smlocal.server.control.EmulatorControl;
import dev.smlocal.server.faults.FaultJson;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.time.EmulatorClock;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The {@code /_smlocal/} control API: a thin route table over {@link EmulatorControl} (parse the
 * request, call, render the answer), so an admin call and an in-process call are the same
 * operation. Its own errors are {@code {"error": ..., "status": ...}}, never AWS-shaped, so the two
 * families cannot be confused. Control actions arriving here (clock, faults, outages, replication
 * settings) are also recorded as events, so a drill shows up next to the calls it affected.
 */
public final class AdminRoutes {
    static final ObjectMapper JSON = ControlJson.MAPPER;
    public static final String PREFIX = "/_smlocal";
    /** Routing-context key: the persistence an admin write waits for before its answer. */
    private static final String DURABLE = "smlocal.durable";

    private AdminRoutes() {}

    /** The largest state document {@code PUT /_smlocal/snapshot} accepts. */
    static final int SNAPSHOT_BODY_LIMIT = 256 * 1024 * 1024;

    /**
     * Mounts the admin and dashboard routes over {@code control}; {@code audit} records a control
     * action in the event stream (source {@code smlocal}). With {@code --data-dir}, {@code afterWrite}
     * makes what an admin write changed durable and completes then; the write is answered after it
     * (null: in memory, answered at once).
     */
    public static void mount(Router router, EmulatorControl control, Consumer<Event> audit,
                             java.util.function.Supplier<java.util.concurrent.CompletionStage<Void>> afterWrite) {
        Audit log = new Audit(control, audit);
        // a state document may be large: its own body limit, before the routes' general one
        router.put(PREFIX + "/snapshot").handler(BodyHandler.create(false).setBodyLimit(SNAPSHOT_BODY_LIMIT))
                .failureHandler(AdminRoutes::transportFailure);
        router.route(PREFIX + "/*").handler(BodyHandler.create(false).setBodyLimit(256 * 1024))
                .failureHandler(AdminRoutes::transportFailure);
        if (afterWrite != null) {
            router.route(PREFIX + "/*").handler(rc -> {
                if (rc.request().method() != io.vertx.core.http.HttpMethod.GET) rc.put(DURABLE, afterWrite);
                rc.next();
            });
        }
        router.get(PREFIX + "/health").handler(rc -> json(rc, 200, health(control.health())));
        router.post(PREFIX + "/reset").handler(rc -> blocking(rc, () -> {
            control.reset();
            return JSON.createObjectNode().put("reset", true);
        }));
        router.get(PREFIX + "/clock").handler(rc -> json(rc, 200, JSON.valueToTree(control.clock())));
        router.post(PREFIX + "/clock").handler(rc -> blocking(rc, () -> {
            JsonNode b = body(rc);
            ObjectNode moved = moveClock(control, b);
            log.record("ClockMoved", null, b);
            return moved;
        }));
        router.get(PREFIX + "/state").handler(rc -> json(rc, 200, JSON.valueToTree(control.state())));
        router.get(PREFIX + "/snapshot").handler(rc -> blocking(rc, () -> {
            String values = rc.queryParams().get("values");
            if (values != null && !values.equals("clear") && !values.equals("sealed")) {
                throw new AdminError(400, "values must be sealed or clear");
            }
            return control.exportState("clear".equals(values));
        }));
        router.put(PREFIX + "/snapshot").handler(rc -> blocking(rc, () -> {
            String text = rc.body() == null ? null : rc.body().asString();
            if (text == null || text.isBlank()) throw new AdminError(400, "the body must be a state document");
            badInput(() -> {
                control.importState(dev.smlocal.server.persist.StateCodec.parse(text));
                return null;
            });
            log.record("StateImported", null, JSON.createObjectNode());
            ObjectNode n = JSON.createObjectNode().put("imported", true);
            n.set("clock", JSON.valueToTree(control.clock()));
            return n;
        }));
        router.get(PREFIX + "/events").handler(rc -> json(rc, 200, JSON.valueToTree(control.events())));
        router.get(PREFIX + "/metrics").handler(rc -> rc.response().putHeader("Content-Type",
                "text/plain; version=0.0.4").end(control.metrics()));
        router.get(PREFIX + "/replication").handler(rc -> json(rc, 200, JSON.valueToTree(control.replication())));
        router.put(PREFIX + "/replication").handler(rc -> guarded(rc, () -> {
            JsonNode b = body(rc);
            EmulatorControl.ReplicationState now;
            try {
                Duration defaultLag = b.hasNonNull("defaultLag") ? Duration.parse(b.get("defaultLag").asText()) : null;
                java.util.List<Replicator.Route> routes = null;
                if (b.has("routes")) {
                    routes = new java.util.ArrayList<>();
                    for (JsonNode r : b.get("routes")) {
                        routes.add(new Replicator.Route(r.path("from").asText(), r.path("to").asText(),
                                Duration.parse(r.path("lag").asText())));
                    }
                }
                now = control.configureReplication(defaultLag, routes);
            } catch (java.time.format.DateTimeParseException | IllegalArgumentException e) {
                throw new AdminError(400, "bad replication settings: " + e.getMessage());
            }
            log.record("ReplicationSettingsChanged", null, b);
            json(rc, 200, JSON.valueToTree(now));
        }));
        router.get(PREFIX + "/faults").handler(rc -> {
            com.fasterxml.jackson.databind.node.ArrayNode list = JSON.createArrayNode();
            control.faults().forEach(f -> list.add(FaultJson.render(f)));
            json(rc, 200, list);
        });
        router.post(PREFIX + "/faults").handler(rc -> guarded(rc, () -> {
            FaultRule added = control.addFault(badInput(() -> FaultJson.parse(body(rc))));
            ObjectNode rendered = FaultJson.render(added);
            log.record("FaultAdded", added.region(), rendered);
            json(rc, 200, rendered);
        }));
        // removing faults releases held replication, which may run due tasks (rotations): off the event loop
        router.delete(PREFIX + "/faults/:id").handler(rc -> blocking(rc, () -> {
            if (!control.removeFault(rc.pathParam("id"))) throw new AdminError(404, "no fault " + rc.pathParam("id"));
            log.record("FaultRemoved", null, JSON.createObjectNode().put("id", rc.pathParam("id")));
            return JSON.createObjectNode().put("removed", true);
        }));
        router.delete(PREFIX + "/faults").handler(rc -> blocking(rc, () -> clearFaults(control, log)));
        router.post(PREFIX + "/faults/reset").handler(rc -> blocking(rc, () -> clearFaults(control, log)));
        router.post(PREFIX + "/regions/:region/outage").handler(rc -> guarded(rc, () -> {
            JsonNode b = body(rc);
            String mode = b.has("mode") ? b.get("mode").asText() : null;
            String timeoutMillis = b.path("timeoutMillis").asText("30000");
            FaultRule added = badInput(() -> control.startOutage(rc.pathParam("region"), mode, timeoutMillis));
            ObjectNode rendered = FaultJson.render(added);
            log.record("OutageStarted", added.region(), rendered);
            json(rc, 200, rendered);
        }));
        router.delete(PREFIX + "/regions/:region/outage").handler(rc -> blocking(rc, () -> {
            int healed = control.heal(rc.pathParam("region"));
            log.record("OutageHealed", rc.pathParam("region"), JSON.createObjectNode().put("healed", healed));
            return JSON.createObjectNode().put("healed", healed);
        }));
        router.get(PREFIX + "/functions").handler(rc -> json(rc, 200, JSON.valueToTree(control.functions())));
        router.put(PREFIX + "/functions/:name").handler(rc -> guarded(rc, () -> {
            JsonNode b = body(rc);
            String url = b.path("url").asText(null);
            if (url == null || url.isBlank()) throw new AdminError(400, "a function needs a url");
            badInput(() -> {
                control.registerHttpFunction(rc.pathParam("name"), java.net.URI.create(url.trim()));
                return null;
            });
            json(rc, 200, JSON.createObjectNode().put("name", rc.pathParam("name")).put("kind", "http")
                    .put("url", url.trim()));
        }));
        router.delete(PREFIX + "/functions/:name").handler(rc -> {
            String name = rc.pathParam("name");
            try {
                if (control.removeFunction(name)) json(rc, 200, JSON.createObjectNode().put("removed", true));
                else error(rc, 404, "no function " + name);
            } catch (IllegalStateException builtIn) {
                error(rc, 409, builtIn.getMessage());
            }
        });
        router.get(PREFIX + "/principals").handler(rc -> json(rc, 200, JSON.valueToTree(control.principals())));
        router.put(PREFIX + "/principals/:accessKeyId").handler(rc -> guarded(rc, () -> {
            EmulatorControl.PrincipalInfo d = badInput(() -> control.declarePrincipal(
                    Principals.parseOne(rc.pathParam("accessKeyId"), body(rc))));
            json(rc, 200, JSON.valueToTree(d));
        }));
        router.delete(PREFIX + "/principals/:accessKeyId").handler(rc -> {
            if (control.removePrincipal(rc.pathParam("accessKeyId"))) {
                json(rc, 200, JSON.createObjectNode().put("removed", true));
            } else {
                error(rc, 404, "no principal declared for access key " + rc.pathParam("accessKeyId"));
            }
        });
        DashboardRoutes.mount(router, control);
        router.route(PREFIX + "/*").last().handler(rc -> error(rc, 404, "no admin route " + rc.request().method()
                + " " + rc.request().path()));
    }

    private static JsonNode clearFaults(EmulatorControl control, Audit log) {
        control.clearFaults();
        log.record("FaultsCleared", null, JSON.createObjectNode());
        return JSON.createObjectNode().put("removed", true);
    }

    /** Runs a control call whose {@link IllegalArgumentException} is the caller's bad input: 400 with its message. */
    private static <T> T badInput(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new AdminError(400, e.getMessage());
        }
    }

    /**
     * Records a control action (fault, outage, clock, replication settings) in the event stream, so
     * a drill shows up next to the calls it affected. Source {@code smlocal}, parameters as given.
     */
    private record Audit(EmulatorControl control, Consumer<Event> sink) {
        void record(String name, String region, JsonNode params) {
            java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
            params.fields().forEachRemaining(f -> p.put(f.getKey(), f.getValue().isValueNode()
                    ? f.getValue().asText() : f.getValue().toString()));
            sink.accept(new Event(control.now(), "smlocal", name, region, null, null, p, null, null));
        }
    }

    static ObjectNode moveClock(EmulatorControl control, JsonNode body) {
        if (body.hasNonNull("mode")) {
            String mode = body.get("mode").asText();
            if (!mode.equals("system") && !mode.equals("manual")) throw new AdminError(400, "mode must be system or manual");
            control.clockMode(mode.equals("manual") ? EmulatorClock.Mode.MANUAL : EmulatorClock.Mode.SYSTEM);
        }
        int ran = 0;
        try {
            if (body.hasNonNull("advance")) ran += control.advance(Duration.parse(body.get("advance").asText()));
            if (body.hasNonNull("set")) ran += control.setTime(Instant.parse(body.get("set").asText()));
            if (body.hasNonNull("advanceUntilIdle")) {
                ran += control.advanceUntilIdle(Duration.parse(body.get("advanceUntilIdle").asText()));
            }
        } catch (java.time.format.DateTimeParseException ex) {
            throw new AdminError(400, "bad duration or instant: " + ex.getParsedString());
        } catch (IllegalStateException | IllegalArgumentException ex) {
            throw new AdminError(409, ex.getMessage());
        }
        ObjectNode n = JSON.valueToTree(control.clock());
        n.put("tasksRun", ran);
        return n;
    }

    /** Runs a handler, turning an AdminError into its JSON answer. */
    static void guarded(RoutingContext rc, Runnable work) {
        try {
            work.run();
        } catch (AdminError e) {
            error(rc, e.status, e.getMessage());
        }
    }

    static JsonNode body(RoutingContext rc) {
        try {
            String text = rc.body() == null ? null : rc.body().asString();
            if (text == null || text.isBlank()) return JSON.createObjectNode();
            JsonNode n = JSON.readTree(text);
            if (!n.isObject()) throw new AdminError(400, "the body must be a JSON object");
            return n;
        } catch (java.io.IOException ex) {
            throw new AdminError(400, "the body is not valid JSON");
        }
    }

    /** Runs admin work that may run due tasks (replication, rotation functions) off the event loop. */
    static void blocking(RoutingContext rc, Callable<JsonNode> work) {
        Future<JsonNode> f = rc.vertx().executeBlocking(work, true);
        f.onComplete(ar -> {
            if (ar.succeeded()) json(rc, 200, ar.result());
            else if (ar.cause() instanceof AdminError ae) error(rc, ae.status, ae.getMessage());
            else error(rc, 500, "admin call failed: " + ar.cause().getClass().getSimpleName());
        });
    }

    /**
     * The health document, written member by member: it is the readiness probe of a cold start,
     * and {@code valueToTree} of the record would first make Jackson introspect it (about 130
     * classes and tens of milliseconds on a cold JVM; docs/PERFORMANCE.md, "Start"). The same
     * document as {@code JSON.valueToTree(health)} ({@code HealthDocumentTest}).
     */
    static ObjectNode health(EmulatorControl.Health health) {
        ObjectNode n = JSON.createObjectNode();
        if (health.status() != null) n.put("status", health.status());
        if (health.version() != null) n.put("version", health.version());
        if (health.regions() != null) {
            com.fasterxml.jackson.databind.node.ArrayNode regions = n.putArray("regions");
            for (String r : health.regions()) regions.add(r);
        }
        return n;
    }

    static void json(RoutingContext rc, int status, JsonNode body) {
        java.util.function.Supplier<java.util.concurrent.CompletionStage<Void>> p = rc.get(DURABLE);
        if (p != null) {
            // --data-dir: an admin write is answered once what it changed is on disk
            rc.remove(DURABLE);
            io.vertx.core.Context context = rc.vertx().getOrCreateContext();
            p.get().whenComplete((ok, failed) -> context.runOnContext(v -> {
                if (failed != null) error(rc, 500, "the change could not be written to the data directory");
                else json(rc, status, body);
            }));
            return;
        }
        try {
            rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        } catch (java.io.IOException ex) {
            rc.response().setStatusCode(500).end();
        }
    }

    /**
     * Failures before an admin handler runs (a body over the limit: 413; an unreadable one: 400)
     * answer JSON like every admin refusal, instead of Vert.x's plain text; bad input logs nothing.
     */
    private static void transportFailure(RoutingContext rc) {
        if (rc.response().ended()) return;
        int status = rc.statusCode() >= 400 ? rc.statusCode() : 500;
        String message = status == 413 ? "the request body exceeds 262144 bytes"
                : status < 500 ? "bad request" : "internal error";
        error(rc, status, message);
    }

    static void error(RoutingContext rc, int status, String message) {
        ObjectNode n = JSON.createObjectNode().put("error", message).put("status", status);
        json(rc, status, n);
    }

    /** An admin API refusal. */
    static final class AdminError extends RuntimeException {
        final int status;

        AdminError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
