package dev.smlocal.server.admin;

import dev.smlocal.server.control.EmulatorControl;
import dev.smlocal.server.observe.EventLog;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The dashboard: the page at {@code /_smlocal/ui} (plain HTML, CSS and JS shipped in the jar) and
 * the read-only JSON views it polls ({@code estate}, {@code estate/secret}, {@code events/tail},
 * {@code cost}), each one {@link EmulatorControl} call. Everything the page changes goes through
 * the ordinary admin routes of {@link AdminRoutes}, so a drill by hand and a drill by a test are
 * the same calls.
 */
final class DashboardRoutes {
    /** The page's files, served from the jar; nothing else under {@code ui/} exists. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");
    /** Same origin only: no inline script, no framing, nothing fetched from elsewhere. */
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    static final int MAX_TAIL = 1000;

    private DashboardRoutes() {}

    static void mount(Router router, EmulatorControl control) {
        router.get(AdminRoutes.PREFIX + "/ui").handler(rc -> file(rc, "index.html"));
        router.get(AdminRoutes.PREFIX + "/ui/").handler(rc -> file(rc, "index.html"));
        router.get(AdminRoutes.PREFIX + "/ui/:file").handler(rc -> file(rc, rc.pathParam("file")));
        // estate, a secret and cost visit every store (taking each one's lock in turn): off the event loop
        router.get(AdminRoutes.PREFIX + "/estate").handler(rc -> AdminRoutes.guarded(rc, () -> {
            EmulatorControl.EstateQuery query = new EmulatorControl.EstateQuery(param(rc, "account"),
                    param(rc, "region"), param(rc, "q"), param(rc, "status"),
                    intParam(rc, "offset", 0, Integer.MAX_VALUE, 0),
                    intParam(rc, "limit", 1, EmulatorControl.EstateQuery.MAX_LIMIT,
                            EmulatorControl.EstateQuery.DEFAULT_LIMIT));
            offLoop(rc, () -> control.estate(query));
        }));
        router.get(AdminRoutes.PREFIX + "/estate/secret").handler(rc -> AdminRoutes.guarded(rc, () -> {
            String account = param(rc, "account");
            String region = param(rc, "region");
            String name = param(rc, "name");
            if (account == null || region == null || name == null) {
                throw new AdminRoutes.AdminError(400, "account, region and name are required");
            }
            offLoop(rc, () -> control.secret(account, region, name).orElseThrow(() ->
                    new AdminRoutes.AdminError(404, "no secret " + name + " in " + account + "/" + region)));
        }));
        router.get(AdminRoutes.PREFIX + "/events/tail").handler(rc -> AdminRoutes.guarded(rc, () -> {
            // from=N: the events after the last one seen; last=N: the newest N (a poller's first call)
            EventLog.Tail t;
            if (param(rc, "last") == null) {
                long from = longParam(rc, "from");
                t = control.eventsSince(from, intParam(rc, "limit", 1, MAX_TAIL, MAX_TAIL));
            } else {
                int last = intParam(rc, "last", 1, EventLog.CAPACITY, 1);
                t = control.lastEvents(last, intParam(rc, "limit", 1, MAX_TAIL, MAX_TAIL));
            }
            compact(rc, AdminRoutes.JSON.valueToTree(t));
        }));
        router.get(AdminRoutes.PREFIX + "/cost").handler(rc ->
                offLoop(rc, () -> AdminRoutes.JSON.valueToTree(control.cost())));
    }

    /** Computes an answer on a worker thread (unordered: polls need not queue behind each other), answers compact JSON. */
    private static void offLoop(RoutingContext rc, java.util.concurrent.Callable<com.fasterxml.jackson.databind.JsonNode> work) {
        rc.vertx().executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) compact(rc, ar.result());
            else if (ar.cause() instanceof AdminRoutes.AdminError ae) AdminRoutes.error(rc, ae.status, ae.getMessage());
            else AdminRoutes.error(rc, 500, "dashboard view failed: " + ar.cause().getClass().getSimpleName());
        });
    }

    /** JSON without the pretty printer: the views the page polls are read by code, and smaller is faster. */
    private static void compact(RoutingContext rc, com.fasterxml.jackson.databind.JsonNode body) {
        try {
            rc.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(AdminRoutes.JSON.writeValueAsBytes(body)));
        } catch (IOException ex) {
            AdminRoutes.error(rc, 500, "cannot write the answer");
        }
    }

    private static void file(RoutingContext rc, String name) {
        String type = FILES.get(name);
        if (type == null) {
            AdminRoutes.error(rc, 404, "no dashboard file " + name);
            return;
        }
        byte[] bytes;
        try (InputStream in = DashboardRoutes.class.getResourceAsStream("/smlocal-ui/" + name)) {
            if (in == null) {
                AdminRoutes.error(rc, 500, "the dashboard is missing from this build: " + name);
                return;
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            AdminRoutes.error(rc, 500, "cannot read the dashboard file " + name);
            return;
        }
        rc.response().putHeader("Content-Type", type)
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-cache")
                .end(Buffer.buffer(bytes));
    }

    private static String param(RoutingContext rc, String name) {
        String v = rc.queryParams().get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int intParam(RoutingContext rc, String name, int min, int max, int dflt) {
        String v = param(rc, name);
        if (v == null) return dflt;
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException ex) {
            throw new AdminRoutes.AdminError(400, name + " must be a whole number from " + min + " to " + max);
        }
    }

    private static long longParam(RoutingContext rc, String name) {
        String v = param(rc, name);
        if (v == null) return 0;
        try {
            long l = Long.parseLong(v);
            if (l < 0) throw new NumberFormatException();
            return l;
        } catch (NumberFormatException ex) {
            throw new AdminRoutes.AdminError(400, name + " must be a whole number, 0 or more");
        }
    }
}
