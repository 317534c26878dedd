package dev.smlocal.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.rotation.RotationFunctions;
import dev.smlocal.server.time.EmulatorClock;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * The {@code /_smlocal/} control API. Thin: every route calls the same {@link Emulator} methods the
 * in-process testkit calls. Its own errors are {@code {"error": ..., "status": ...}}, never AWS-shaped,
 * so the two families cannot be confused.
 */
public final class AdminRoutes {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
            .addSerializer(Instant.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer(Instant.class)))
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
    public static final String PREFIX = "/_smlocal";

    private AdminRoutes() {}

    public static void mount(Router router, Emulator emulator) {
        router.route(PREFIX + "/*").handler(BodyHandler.create(false).setBodyLimit(256 * 1024))
                .failureHandler(AdminRoutes::transportFailure);
        router.get(PREFIX + "/health").handler(rc -> json(rc, 200, health(emulator)));
        router.post(PREFIX + "/reset").handler(rc -> blocking(rc, () -> {
            emulator.reset();
            return JSON.createObjectNode().put("reset", true);
        }));
        router.get(PREFIX + "/clock").handler(rc -> json(rc, 200, clock(emulator)));
        router.post(PREFIX + "/clock").handler(rc -> blocking(rc, () -> {
            JsonNode b = body(rc);
            ObjectNode moved = moveClock(emulator, b);
            audit(emulator, "ClockMoved", null, b);
            return moved;
        }));
        router.get(PREFIX + "/state").handler(rc -> json(rc, 200, state(emulator)));
        router.get(PREFIX + "/events").handler(rc -> json(rc, 200, JSON.valueToTree(emulator.events().all())));
        router.get(PREFIX + "/metrics").handler(rc -> rc.response().putHeader("Content-Type",
                "text/plain; version=0.0.4").end(emulator.metrics().prometheus()));
        router.get(PREFIX + "/replication").handler(rc -> json(rc, 200, replication(emulator)));
        router.put(PREFIX + "/replication").handler(rc -> guarded(rc, () -> {
            JsonNode b = body(rc);
            try {
                if (b.hasNonNull("defaultLag")) {
                    emulator.replicator().setDefaultLag(Duration.parse(b.get("defaultLag").asText()));
                }
                if (b.has("routes")) {
                    java.util.List<Replicator.Route> routes = new java.util.ArrayList<>();
                    for (JsonNode r : b.get("routes")) {
                        routes.add(new Replicator.Route(r.path("from").asText(), r.path("to").asText(),
                                Duration.parse(r.path("lag").asText())));
                    }
                    emulator.replicator().setRoutes(routes);
                }
            } catch (java.time.format.DateTimeParseException | IllegalArgumentException e) {
                throw new AdminError(400, "bad replication settings: " + e.getMessage());
            }
            audit(emulator, "ReplicationSettingsChanged", null, b);
            json(rc, 200, replication(emulator));
        }));
        router.get(PREFIX + "/faults").handler(rc -> json(rc, 200, JSON.valueToTree(emulator.faults().list())));
        router.post(PREFIX + "/faults").handler(rc -> guarded(rc, () -> {
            FaultRule added = emulator.faults().add(faultRule(body(rc)));
            audit(emulator, "FaultAdded", added.region(), JSON.valueToTree(added));
            json(rc, 200, JSON.valueToTree(added));
        }));
        // removing faults releases held replication, which may run due tasks (rotations): off the event loop
        router.delete(PREFIX + "/faults/:id").handler(rc -> blocking(rc, () -> {
            if (!emulator.faults().remove(rc.pathParam("id"))) throw new AdminError(404, "no fault " + rc.pathParam("id"));
            audit(emulator, "FaultRemoved", null, JSON.createObjectNode().put("id", rc.pathParam("id")));
            return JSON.createObjectNode().put("removed", true);
        }));
        router.delete(PREFIX + "/faults").handler(rc -> blocking(rc, () -> {
            emulator.faults().clear();
            audit(emulator, "FaultsCleared", null, JSON.createObjectNode());
            return JSON.createObjectNode().put("removed", true);
        }));
        router.post(PREFIX + "/faults/reset").handler(rc -> blocking(rc, () -> {
            emulator.faults().clear();
            audit(emulator, "FaultsCleared", null, JSON.createObjectNode());
            return JSON.createObjectNode().put("removed", true);
        }));
        router.post(PREFIX + "/regions/:region/outage").handler(rc -> guarded(rc, () -> {
            JsonNode b = body(rc);
            ObjectNode rule = JSON.createObjectNode().put("action", "outage").put("region", rc.pathParam("region"));
            if (b.has("mode")) rule.putObject("attributes").put("mode", b.get("mode").asText())
                    .put("timeoutMillis", b.path("timeoutMillis").asText("30000"));
            FaultRule added = emulator.faults().add(faultRule(rule));
            audit(emulator, "OutageStarted", added.region(), JSON.valueToTree(added));
            json(rc, 200, JSON.valueToTree(added));
        }));
        router.delete(PREFIX + "/regions/:region/outage").handler(rc -> blocking(rc, () -> {
            int healed = emulator.faults().heal(rc.pathParam("region"));
            audit(emulator, "OutageHealed", rc.pathParam("region"), JSON.createObjectNode().put("healed", healed));
            return JSON.createObjectNode().put("healed", healed);
        }));
        router.get(PREFIX + "/functions").handler(rc -> json(rc, 200, functions(emulator)));
        router.put(PREFIX + "/functions/:name").handler(rc -> guarded(rc, () -> {
            JsonNode b = body(rc);
            String url = b.path("url").asText(null);
            if (url == null || url.isBlank()) throw new AdminError(400, "a function needs a url");
            try {
                emulator.rotationFunctions().registerHttp(rc.pathParam("name"), java.net.URI.create(url.trim()));
            } catch (IllegalArgumentException e) {
                throw new AdminError(400, e.getMessage());
            }
            json(rc, 200, JSON.createObjectNode().put("name", rc.pathParam("name")).put("kind", "http")
                    .put("url", url.trim()));
        }));
        router.delete(PREFIX + "/functions/:name").handler(rc -> {
            String name = rc.pathParam("name");
            RotationFunctions fns = emulator.rotationFunctions();
            if (fns.unregisterHttp(name) || fns.unregister(name)) {
                json(rc, 200, JSON.createObjectNode().put("removed", true));
            } else if (fns.builtIn(name) != null) {
                error(rc, 409, "built-in function " + name + " cannot be removed");
            } else {
                error(rc, 404, "no function " + name);
            }
        });
        router.get(PREFIX + "/principals").handler(rc -> json(rc, 200, principals(emulator)));
        router.put(PREFIX + "/principals/:accessKeyId").handler(rc -> guarded(rc, () -> {
            Principals.Declared d;
            try {
                d = emulator.principals().declare(Principals.parseOne(rc.pathParam("accessKeyId"), body(rc)));
            } catch (IllegalArgumentException e) {
                throw new AdminError(400, e.getMessage());
            }
            json(rc, 200, principal(d));
        }));
        router.delete(PREFIX + "/principals/:accessKeyId").handler(rc -> {
            if (emulator.principals().remove(rc.pathParam("accessKeyId"))) {
                json(rc, 200, JSON.createObjectNode().put("removed", true));
            } else {
                error(rc, 404, "no principal declared for access key " + rc.pathParam("accessKeyId"));
            }
        });
        DashboardRoutes.mount(router, emulator);
        router.route(PREFIX + "/*").last().handler(rc -> error(rc, 404, "no admin route " + rc.request().method()
                + " " + rc.request().path()));
    }

    /** Declared principals; a secret access key is never shown, only whether there is one. */
    static ObjectNode principals(Emulator e) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode list = n.putArray("principals");
        for (Principals.Declared d : e.principals().all()) list.add(principal(d));
        n.put("authorization", e.authorizer().enabled() ? "on" : "off");
        return n;
    }

    static ObjectNode principal(Principals.Declared d) {
        ObjectNode p = JSON.createObjectNode().put("accessKeyId", d.accessKeyId()).put("arn", d.arn())
                .put("hasSecretAccessKey", d.secretAccessKey() != null);
        if (d.policy() != null) p.put("policy", d.policy());
        return p;
    }

    /**
     * Records a control action (fault, outage, clock, replication settings) in the event stream, so
     * a drill shows up next to the calls it affected. Source {@code smlocal}, parameters as given.
     */
    static void audit(Emulator e, String name, String region, JsonNode params) {
        java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
        params.fields().forEachRemaining(f -> p.put(f.getKey(), f.getValue().isValueNode()
                ? f.getValue().asText() : f.getValue().toString()));
        e.events().add(new dev.smlocal.server.observe.Event(e.clock().now(), "smlocal", name, region, null, null, p,
                null, null));
    }

    static ObjectNode functions(Emulator e) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode list = n.putArray("functions");
        for (RotationFunctions.Registration r : e.rotationFunctions().list()) {
            ObjectNode f = list.addObject().put("name", r.name()).put("kind", r.kind().name().toLowerCase().replace('_', '-'));
            if (r.url() != null) f.put("url", r.url().toString());
        }
        n.put("timeout", e.rotator().functionTimeout().toString());
        return n;
    }

    static ObjectNode health(Emulator e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", "ok");
        n.put("version", Emulator.VERSION);
        ArrayNode regions = n.putArray("regions");
        e.regions().forEach(regions::add);
        return n;
    }

    static ObjectNode clock(Emulator e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("mode", e.clock().mode().name().toLowerCase());
        n.put("now", e.clock().now().toString());
        ArrayNode pending = n.putArray("pending");
        e.scheduler().pending().forEach(p -> pending.addObject().put("name", p.name()).put("dueAt", p.dueAt().toString()));
        return n;
    }

    static ObjectNode moveClock(Emulator e, JsonNode body) {
        if (body.hasNonNull("mode")) {
            String mode = body.get("mode").asText();
            if (!mode.equals("system") && !mode.equals("manual")) throw new AdminError(400, "mode must be system or manual");
            e.scheduler().switchMode(mode.equals("manual") ? EmulatorClock.Mode.MANUAL : EmulatorClock.Mode.SYSTEM);
        }
        int ran = 0;
        try {
            if (body.hasNonNull("advance")) ran += e.scheduler().advance(Duration.parse(body.get("advance").asText()));
            if (body.hasNonNull("set")) ran += e.scheduler().setTime(Instant.parse(body.get("set").asText()));
            if (body.hasNonNull("advanceUntilIdle")) {
                ran += e.scheduler().advanceUntilIdle(Duration.parse(body.get("advanceUntilIdle").asText()));
            }
        } catch (java.time.format.DateTimeParseException ex) {
            throw new AdminError(400, "bad duration or instant: " + ex.getParsedString());
        } catch (IllegalStateException | IllegalArgumentException ex) {
            throw new AdminError(409, ex.getMessage());
        }
        ObjectNode n = clock(e);
        n.put("tasksRun", ran);
        return n;
    }

    static ObjectNode replication(Emulator e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("defaultLag", e.replicator().defaultLag().toString());
        ArrayNode routes = n.putArray("routes");
        for (Replicator.Route r : e.replicator().routes()) {
            routes.addObject().put("from", r.from()).put("to", r.to()).put("lag", r.lag().toString());
        }
        ArrayNode pending = n.putArray("pending");
        e.scheduler().pending().stream().filter(p -> p.name().startsWith("replicate "))
                .forEach(p -> pending.addObject().put("name", p.name()).put("dueAt", p.dueAt().toString()));
        ArrayNode parked = n.putArray("waitingForOutage");
        e.replicator().parked().forEach(parked::add);
        return n;
    }

    static ObjectNode state(Emulator e) {
        ObjectNode n = JSON.createObjectNode();
        n.set("clock", clock(e));
        ArrayNode regions = n.putArray("regions");
        e.regions().forEach(regions::add);
        n.set("secrets", JSON.valueToTree(e.secrets().summaries()));
        n.set("keys", JSON.valueToTree(e.kmsOperations().allKeys()));
        return n;
    }

    /** A fault rule from its admin JSON form (see design.md, "The admin API"). */
    static FaultRule faultRule(JsonNode b) {
        java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
        b.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        for (String k : new String[] {"errorType", "message", "millis", "mode", "timeoutMillis"}) {
            if (b.hasNonNull(k)) attributes.put(k, b.get(k).asText());
        }
        String action = b.path("action").asText(b.path("type").asText(null));
        if (action == null) throw new AdminError(400, "a fault needs an action");
        try {
            return new FaultRule(null, text(b, "name"), action, text(b, "region"), text(b, "operation"),
                    text(b, "account"), text(b, "from"), text(b, "to"), b.path("probability").asDouble(1.0),
                    b.hasNonNull("count") ? b.get("count").asInt() : null, attributes);
        } catch (IllegalArgumentException e) {
            throw new AdminError(400, e.getMessage());
        }
    }

    private static String text(JsonNode b, String field) {
        return b.hasNonNull(field) ? b.get(field).asText() : null;
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

    static void json(RoutingContext rc, int status, JsonNode body) {
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
