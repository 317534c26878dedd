package dev.smlocal.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.kms.KeyInfo;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.observe.EventLog;
import dev.smlocal.server.secrets.SecretsApi.ReplicationStatusEntry;
import dev.smlocal.server.secrets.SecretsService.SecretSummary;
import dev.smlocal.server.secrets.SecretsService.SecretView;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dashboard: the page at {@code /_smlocal/ui} (plain HTML, CSS and JS shipped in the jar) and
 * the read-only JSON views it polls ({@code estate}, {@code estate/secret}, {@code events/tail},
 * {@code cost}). Everything the page changes goes through the ordinary admin routes of
 * {@link AdminRoutes}, so a drill by hand and a drill by a test are the same calls.
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
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    static final int MAX_TAIL = 1000;

    private DashboardRoutes() {}

    static void mount(Router router, Emulator emulator) {
        router.get(AdminRoutes.PREFIX + "/ui").handler(rc -> file(rc, "index.html"));
        router.get(AdminRoutes.PREFIX + "/ui/").handler(rc -> file(rc, "index.html"));
        router.get(AdminRoutes.PREFIX + "/ui/:file").handler(rc -> file(rc, rc.pathParam("file")));
        // estate, a secret and cost visit every store (taking each one's lock in turn): off the event loop
        router.get(AdminRoutes.PREFIX + "/estate").handler(rc -> AdminRoutes.guarded(rc, () -> {
            String account = param(rc, "account");
            String region = param(rc, "region");
            String q = param(rc, "q");
            String status = param(rc, "status");
            int offset = intParam(rc, "offset", 0, Integer.MAX_VALUE, 0);
            int limit = intParam(rc, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
            offLoop(rc, () -> estate(emulator, account, region, q, status, offset, limit));
        }));
        router.get(AdminRoutes.PREFIX + "/estate/secret").handler(rc -> AdminRoutes.guarded(rc, () -> {
            String account = param(rc, "account");
            String region = param(rc, "region");
            String name = param(rc, "name");
            if (account == null || region == null || name == null) {
                throw new AdminRoutes.AdminError(400, "account, region and name are required");
            }
            offLoop(rc, () -> secret(emulator, account, region, name));
        }));
        router.get(AdminRoutes.PREFIX + "/events/tail").handler(rc -> AdminRoutes.guarded(rc, () -> {
            // from=N: the events after the last one seen; last=N: the newest N (a poller's first call)
            long from = param(rc, "last") == null ? longParam(rc, "from")
                    : Math.max(0, emulator.events().nextSequence() - intParam(rc, "last", 1, EventLog.CAPACITY, 1));
            EventLog.Tail t = emulator.events().since(from, intParam(rc, "limit", 1, MAX_TAIL, MAX_TAIL));
            ObjectNode n = AdminRoutes.JSON.createObjectNode().put("next", t.next()).put("first", t.first());
            n.set("events", AdminRoutes.JSON.valueToTree(t.events()));
            compact(rc, n);
        }));
        router.get(AdminRoutes.PREFIX + "/cost").handler(rc ->
                offLoop(rc, () -> AdminRoutes.JSON.valueToTree(CostEstimate.of(emulator))));
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

    /**
     * One row per secret (its primary), with its replicas across regions; filtered by account,
     * region (the primary's or a replica's), name substring and replica status; sorted by account
     * and name; one page of it. Also the accounts × regions grid with counts and outages.
     */
    static ObjectNode estate(Emulator e, String account, String region, String q, String status, int offset, int limit) {
        List<SecretSummary> all = e.secrets().summaries();
        Map<String, Row> rows = new TreeMap<>();
        Map<String, Map<String, Integer>> grid = new TreeMap<>();
        List<SecretSummary> replicaCopies = new ArrayList<>();
        for (SecretSummary s : all) {
            grid.computeIfAbsent(s.account(), k -> new TreeMap<>()).merge(s.region(), 1, Integer::sum);
            if (isPrimary(s)) rows.put(rowKey(s.account(), s.name(), s.region()), new Row(s));
            else replicaCopies.add(s);
        }
        for (SecretSummary r : replicaCopies) {
            Row row = rows.get(rowKey(r.account(), r.name(), r.primaryRegion()));
            if (row != null) row.copies.put(r.region(), r);
        }
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        List<Row> matched = new ArrayList<>();
        for (Row row : rows.values()) {
            SecretSummary p = row.primary;
            if (account != null && !account.equals(p.account())) continue;
            if (region != null && !region.equals(p.region()) && !hasReplicaIn(p, region)) continue;
            if (needle != null && !p.name().toLowerCase(Locale.ROOT).contains(needle)) continue;
            if (status != null && (p.replicationStatus() == null
                    || p.replicationStatus().stream().noneMatch(x -> status.equals(x.status())))) continue;
            matched.add(row);
        }
        matched.sort(Comparator.comparing((Row r) -> r.primary.account()).thenComparing(r -> r.primary.name())
                .thenComparing(r -> r.primary.region()));

        ObjectNode n = AdminRoutes.JSON.createObjectNode();
        n.set("clock", AdminRoutes.clock(e));
        ArrayNode regions = n.putArray("regions");
        e.regions().forEach(regions::add);
        Map<String, FaultRule> outages = new LinkedHashMap<>();
        for (FaultRule f : e.faults().list()) if (f.action().equals("outage")) outages.putIfAbsent(f.region(), f);
        ArrayNode out = n.putArray("outages");
        outages.values().forEach(f -> out.addObject().put("region", f.region()).put("id", f.id())
                .put("mode", f.attributes().getOrDefault("mode", "503")));
        ArrayNode accounts = n.putArray("accounts");
        grid.keySet().forEach(accounts::add);
        ArrayNode cells = n.putArray("grid");
        grid.forEach((acct, byRegion) -> byRegion.forEach((reg, count) ->
                cells.addObject().put("account", acct).put("region", reg).put("secrets", count)));
        n.put("totalSecrets", rows.size());
        n.put("matched", matched.size());
        n.put("offset", offset);
        n.put("limit", limit);

        List<KeyInfo> keys = e.kmsOperations().allKeys();
        ArrayNode list = n.putArray("rows");
        for (int i = offset; i < matched.size() && i < (long) offset + limit; i++) {
            list.add(row(e, matched.get(i), keys));
        }
        return n;
    }

    private static boolean isPrimary(SecretSummary s) {
        return s.primaryRegion() == null || s.primaryRegion().equals(s.region());
    }

    private static boolean hasReplicaIn(SecretSummary p, String region) {
        return p.replicationStatus() != null && p.replicationStatus().stream().anyMatch(r -> region.equals(r.region()));
    }

    private static String rowKey(String account, String name, String primaryRegion) {
        return account + "\u0000" + name + "\u0000" + primaryRegion;
    }

    private static final class Row {
        final SecretSummary primary;
        final Map<String, SecretSummary> copies = new TreeMap<>();

        Row(SecretSummary primary) {
            this.primary = primary;
        }
    }

    private static ObjectNode row(Emulator e, Row row, List<KeyInfo> keys) {
        SecretSummary p = row.primary;
        ObjectNode o = summary(p);
        o.set("kmsKey", key(e, p.account(), p.region(), p.kmsKeyId(), keys));
        ArrayNode replicas = o.putArray("replicas");
        if (p.replicationStatus() != null) {
            for (ReplicationStatusEntry r : p.replicationStatus()) {
                ObjectNode x = replicas.addObject().put("region", r.region()).put("status", r.status());
                if (r.statusMessage() != null) x.put("statusMessage", r.statusMessage());
                x.set("kmsKey", key(e, p.account(), r.region(), r.kmsKeyId(), keys));
                SecretSummary copy = row.copies.get(r.region());
                x.put("present", copy != null);
                if (copy != null && copy.lastChangedDate() != null) x.put("lastChangedDate", copy.lastChangedDate().toString());
            }
        }
        return o;
    }

    private static ObjectNode summary(SecretSummary p) {
        ObjectNode o = AdminRoutes.JSON.createObjectNode();
        o.put("account", p.account()).put("region", p.region()).put("name", p.name()).put("arn", p.arn());
        o.put("deleted", p.deleted()).put("versions", p.versions());
        if (p.createdDate() != null) o.put("createdDate", p.createdDate().toString());
        if (p.lastChangedDate() != null) o.put("lastChangedDate", p.lastChangedDate().toString());
        o.put("rotationEnabled", p.rotationEnabled());
        if (p.lastRotatedDate() != null) o.put("lastRotatedDate", p.lastRotatedDate().toString());
        if (p.nextRotationDate() != null) o.put("nextRotationDate", p.nextRotationDate().toString());
        return o;
    }

    /**
     * A key reference as the page shows it: the reference, and when it names an existing key, that
     * key's id, state and, for a multi-Region key, the regions holding a key with the same id.
     */
    private static ObjectNode key(Emulator e, String account, String region, String ref, List<KeyInfo> keys) {
        ObjectNode k = AdminRoutes.JSON.createObjectNode();
        String shown = ref == null ? "alias/aws/secretsmanager" : ref;
        k.put("ref", shown);
        if (ref == null || ref.startsWith("alias/aws/")) {
            k.put("awsManaged", true);
            return k;
        }
        KeyInfo info;
        try {
            info = e.kms().resolve(account, region, ref);
        } catch (RuntimeException notThere) {
            k.put("missing", true);
            return k;
        }
        k.put("keyId", info.keyId()).put("arn", info.arn()).put("state", String.valueOf(info.state()))
                .put("awsManaged", info.awsManaged()).put("multiRegion", info.multiRegion());
        if (info.multiRegion()) {
            TreeSet<String> regions = new TreeSet<>();
            for (KeyInfo other : keys) {
                if (other.keyId().equals(info.keyId()) && other.account().equals(info.account())) regions.add(other.region());
            }
            ArrayNode r = k.putArray("mrkRegions");
            regions.forEach(r::add);
        }
        return k;
    }

    /** One secret: its metadata, versions and stages, policy, and the events that name it (oldest first). */
    static ObjectNode secret(Emulator e, String account, String region, String name) {
        SecretView v = e.secrets().view(account, region, name);
        if (v == null) throw new AdminRoutes.AdminError(404, "no secret " + name + " in " + account + "/" + region);
        ObjectNode n = summary(v.summary());
        n.set("kmsKey", key(e, account, region, v.summary().kmsKeyId(), e.kmsOperations().allKeys()));
        if (v.description() != null) n.put("description", v.description());
        if (v.resourcePolicy() != null) n.put("resourcePolicy", v.resourcePolicy());
        if (v.rotationLambdaArn() != null) n.put("rotationLambdaArn", v.rotationLambdaArn());
        if (v.rotationSchedule() != null) n.put("rotationSchedule", v.rotationSchedule());
        n.set("replicationStatus", AdminRoutes.JSON.valueToTree(
                v.summary().replicationStatus() == null ? List.of() : v.summary().replicationStatus()));
        n.set("versions", AdminRoutes.JSON.valueToTree(v.versions()));
        String arn = v.summary().arn();
        List<Event> mine = new ArrayList<>();
        for (Event ev : e.events().all()) {
            if (!account.equals(ev.recipientAccountId()) || ev.requestParameters() == null) continue;
            if (names(ev.requestParameters(), arn, name, region, ev.awsRegion())) mine.add(ev);
        }
        if (mine.size() > 500) mine = mine.subList(mine.size() - 500, mine.size());
        n.set("events", AdminRoutes.JSON.valueToTree(mine));
        return n;
    }

    /** Whether an event's parameters name this secret: by ARN anywhere, by name only in its own region. */
    private static boolean names(Map<String, Object> params, String arn, String name, String region, String eventRegion) {
        for (Map.Entry<String, Object> p : params.entrySet()) {
            if (!(p.getValue() instanceof String s)) continue;
            if (s.equals(arn)) return true;
            String k = p.getKey();
            if (s.equals(name) && region.equals(eventRegion)
                    && (k.equals("SecretId") || k.equals("Name") || k.equals("secretId"))) return true;
        }
        return false;
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
