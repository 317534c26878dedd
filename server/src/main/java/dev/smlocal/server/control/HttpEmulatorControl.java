package dev.smlocal.server.control;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.faults.FaultJson;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.observe.EventLog;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.time.EmulatorClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link EmulatorControl} over the {@code /_smlocal/} admin API of a running server (the standalone
 * jar, the Docker image, another JVM's emulator), with {@code java.net.http} and {@link ControlJson}:
 * each method is one admin call. Refusals as the interface says: an admin 400 is an
 * {@link IllegalArgumentException}, any other refusal an {@link IllegalStateException}; a 404 where
 * the interface answers "not there" (a removed fault, function or principal, an unknown secret) is
 * that answer. It never stops the server it talks to.
 */
public final class HttpEmulatorControl implements EmulatorControl {
    /** A clock move may run many due tasks (rotations call their functions): allow it time. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final URI admin;
    private final String adminToken;
    private final HttpClient http;

    /**
     * The admin API of the server at {@code endpoint} ({@code http://host:port}); {@code adminToken}
     * (null: none) goes on every call as {@code Authorization: Bearer}, for a server run with
     * {@code --admin-token}. Makes no call: see {@link #attach} and {@link #probe}.
     */
    public HttpEmulatorControl(URI endpoint, String adminToken) {
        String base = endpoint.toString();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        this.endpoint = URI.create(base);
        this.admin = URI.create(base + "/_smlocal/");
        this.adminToken = adminToken;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The admin API of {@code endpoint}, checked to answer its health route.
     *
     * @throws IllegalStateException when it does not answer like a healthy smlocal
     * @throws UncheckedIOException when nothing answers
     */
    public static HttpEmulatorControl attach(URI endpoint, String adminToken) {
        HttpEmulatorControl c = new HttpEmulatorControl(endpoint, adminToken);
        JsonNode health = c.call("GET", "health", null);
        if (!"ok".equals(health.path("status").asText())) {
            throw new IllegalStateException("smlocal at " + endpoint + " is not healthy: " + health);
        }
        return c;
    }

    /** The admin API of {@code endpoint} when it answers like smlocal's, else empty (another emulator, AWS). */
    public static Optional<HttpEmulatorControl> probe(URI endpoint, String adminToken) {
        try {
            return Optional.of(attach(endpoint, adminToken));
        } catch (RuntimeException notSmlocal) {
            return Optional.empty();
        }
    }

    /** The server's base address, {@code http://host:port}. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public Health health() {
        return read(call("GET", "health", null), Health.class);
    }

    @Override
    public void reset() {
        call("POST", "reset", null);
    }

    @Override
    public ClockState clock() {
        return read(call("GET", "clock", null), ClockState.class);
    }

    @Override
    public void clockMode(EmulatorClock.Mode mode) {
        call("POST", "clock", object().put("mode", mode.name().toLowerCase(Locale.ROOT)));
    }

    @Override
    public int advance(Duration amount) {
        // the route answers 409 for any refusal; refuse bad input here as the scheduler does in process
        if (amount.isNegative()) throw new IllegalArgumentException("cannot advance by a negative duration: " + amount);
        return moveClock("advance", amount.toString());
    }

    @Override
    public int setTime(Instant instant) {
        ClockState now = clock();
        if (now.mode().equals("manual") && instant.isBefore(now.now())) {
            throw new IllegalArgumentException("time cannot go backwards: now " + now.now() + ", asked " + instant);
        }
        return moveClock("set", instant.toString());
    }

    @Override
    public int advanceUntilIdle(Duration limit) {
        return moveClock("advanceUntilIdle", limit.toString());
    }

    private int moveClock(String field, String value) {
        return call("POST", "clock", object().put(field, value)).path("tasksRun").asInt();
    }

    @Override
    public List<FaultRule> faults() {
        List<FaultRule> out = new ArrayList<>();
        for (JsonNode r : call("GET", "faults", null)) out.add(FaultJson.parse(r));
        return out;
    }

    @Override
    public FaultRule addFault(FaultRule rule) {
        ObjectNode body = FaultJson.render(rule);
        body.remove("id");
        return FaultJson.parse(call("POST", "faults", body));
    }

    @Override
    public boolean removeFault(String id) {
        return removed("DELETE", "faults/" + segment(id));
    }

    @Override
    public void clearFaults() {
        call("POST", "faults/reset", null);
    }

    @Override
    public FaultRule startOutage(String region, String mode, String timeoutMillis) {
        ObjectNode body = object();
        if (mode != null) {
            body.put("mode", mode);
            if (timeoutMillis != null) body.put("timeoutMillis", timeoutMillis);
        }
        return FaultJson.parse(call("POST", "regions/" + segment(region) + "/outage", body));
    }

    @Override
    public int heal(String region) {
        return call("DELETE", "regions/" + segment(region) + "/outage", null).path("healed").asInt();
    }

    @Override
    public ReplicationState replication() {
        return read(call("GET", "replication", null), ReplicationState.class);
    }

    @Override
    public ReplicationState configureReplication(Duration defaultLag, List<Replicator.Route> routes) {
        ObjectNode body = object();
        if (defaultLag != null) body.put("defaultLag", defaultLag.toString());
        if (routes != null) body.set("routes", ControlJson.MAPPER.valueToTree(routes));
        return read(call("PUT", "replication", body), ReplicationState.class);
    }

    @Override
    public Functions functions() {
        return read(call("GET", "functions", null), Functions.class);
    }

    @Override
    public void registerHttpFunction(String name, URI url) {
        call("PUT", "functions/" + segment(name), object().put("url", url.toString()));
    }

    @Override
    public boolean removeFunction(String name) {
        return removed("DELETE", "functions/" + segment(name));
    }

    @Override
    public PrincipalsState principals() {
        return read(call("GET", "principals", null), PrincipalsState.class);
    }

    @Override
    public PrincipalInfo declarePrincipal(Principals.Declared p) {
        ObjectNode body = object().put("arn", p.arn());
        if (p.secretAccessKey() != null) body.put("secretAccessKey", p.secretAccessKey());
        if (p.policy() != null) body.put("policy", p.policy());
        return read(call("PUT", "principals/" + segment(p.accessKeyId()), body), PrincipalInfo.class);
    }

    @Override
    public boolean removePrincipal(String accessKeyId) {
        return removed("DELETE", "principals/" + segment(accessKeyId));
    }

    @Override
    public List<Event> events() {
        return read(call("GET", "events", null), new TypeReference<List<Event>>() {});
    }

    @Override
    public EventLog.Tail eventsSince(long from, int limit) {
        return read(call("GET", "events/tail?from=" + from + "&limit=" + limit, null), EventLog.Tail.class);
    }

    @Override
    public EventLog.Tail lastEvents(int last, int limit) {
        return read(call("GET", "events/tail?last=" + last + "&limit=" + limit, null), EventLog.Tail.class);
    }

    @Override
    public String metrics() {
        HttpResponse<String> r = send("GET", "metrics", null);
        check("GET", "metrics", r);
        return r.body();
    }

    @Override
    public State state() {
        return read(call("GET", "state", null), State.class);
    }

    @Override
    public JsonNode exportState(boolean clearValues) {
        return call("GET", clearValues ? "snapshot?values=clear" : "snapshot", null);
    }

    @Override
    public void importState(JsonNode document) {
        call("PUT", "snapshot", document);
    }

    @Override
    public JsonNode estate(EstateQuery q) {
        StringBuilder path = new StringBuilder("estate?offset=").append(q.offset()).append("&limit=").append(q.limit());
        param(path, "account", q.account());
        param(path, "region", q.region());
        param(path, "q", q.q());
        param(path, "status", q.status());
        return call("GET", path.toString(), null);
    }

    @Override
    public Optional<JsonNode> secret(String account, String region, String name) {
        StringBuilder path = new StringBuilder("estate/secret?");
        param(path, "account", account);
        param(path, "region", region);
        param(path, "name", name);
        String p = path.toString();
        HttpResponse<String> r = send("GET", p, null);
        if (r.statusCode() == 404) return Optional.empty();
        return Optional.of(body("GET", p, r));
    }

    @Override
    public CostEstimate cost() {
        return read(call("GET", "cost", null), CostEstimate.class);
    }

    @Override
    public String toString() {
        return "smlocal admin API at " + admin;
    }

    // ---- the wire --------------------------------------------------------------------------------

    private static ObjectNode object() {
        return ControlJson.MAPPER.createObjectNode();
    }

    private static void param(StringBuilder path, String name, String value) {
        if (value == null) return;
        char last = path.charAt(path.length() - 1);
        if (last != '?' && last != '&') path.append('&');
        path.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static <T> T read(JsonNode n, Class<T> type) {
        try {
            return ControlJson.MAPPER.treeToValue(n, type);
        } catch (IOException e) {
            throw new IllegalStateException("unexpected admin answer for " + type.getSimpleName() + ": " + n, e);
        }
    }

    private static <T> T read(JsonNode n, TypeReference<T> type) {
        try {
            return ControlJson.MAPPER.readValue(ControlJson.MAPPER.treeAsTokens(n), type);
        } catch (IOException e) {
            throw new IllegalStateException("unexpected admin answer: " + n, e);
        }
    }

    /** A DELETE answered 200 (true) or 404 (false: not there); anything else is a refusal. */
    private boolean removed(String method, String path) {
        HttpResponse<String> r = send(method, path, null);
        if (r.statusCode() == 404) return false;
        check(method, path, r);
        return true;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        return body(method, path, send(method, path, body));
    }

    private JsonNode body(String method, String path, HttpResponse<String> r) {
        check(method, path, r);
        try {
            return r.body() == null || r.body().isBlank() ? object() : ControlJson.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + admin.resolve(path) + " answered non-JSON: " + r.body(), e);
        }
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        URI uri = admin.resolve(path);
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(ControlJson.MAPPER.writeValueAsString(body));
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(method, publisher);
            // every admin write is JSON, even without a body: the server refuses other media types
            if (!method.equals("GET")) b.header("Content-Type", "application/json");
            if (adminToken != null) b.header("Authorization", "Bearer " + adminToken);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("smlocal admin call " + method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during smlocal admin call " + method + " " + uri, e);
        }
    }

    private void check(String method, String path, HttpResponse<String> r) {
        int status = r.statusCode();
        if (status / 100 == 2) return;
        String message = r.body();
        try {
            JsonNode n = ControlJson.MAPPER.readTree(r.body());
            if (n.hasNonNull("error")) message = n.get("error").asText();
        } catch (IOException | RuntimeException ignored) {
            // not the admin error shape: keep the raw body
        }
        String text = "smlocal admin " + method + " /_smlocal/" + path + " answered " + status + ": " + message;
        if (status == 400) throw new IllegalArgumentException(text);
        throw new IllegalStateException(text);
    }
}
