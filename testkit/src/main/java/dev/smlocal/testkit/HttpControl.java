package dev.smlocal.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link SmLocalControl} over the {@code /_smlocal/} admin API of a running server (a standalone
 * jar, the Docker image, or another JVM's emulator), with {@code java.net.http} and Jackson. It
 * never stops the server it talks to.
 */
final class HttpControl implements SmLocalControl {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final URI admin;
    private final HttpClient http;
    private final String adminToken;

    private HttpControl(URI endpoint, String adminToken) {
        this.adminToken = adminToken;
        String base = endpoint.toString();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        this.endpoint = URI.create(base);
        this.admin = URI.create(base + "/_smlocal/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Attaches to the server at {@code endpoint}, checking that it answers its health route;
     * {@code adminToken} (null: none) goes on every admin call as {@code Authorization: Bearer}.
     */
    static HttpControl attach(URI endpoint, String adminToken) {
        HttpControl c = new HttpControl(endpoint, adminToken);
        JsonNode health = c.call("GET", "health", null);
        if (!"ok".equals(health.path("status").asText())) {
            throw new IllegalStateException("smlocal at " + endpoint + " is not healthy: " + health);
        }
        return c;
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public List<String> regions() {
        List<String> out = new ArrayList<>();
        call("GET", "health", null).path("regions").forEach(r -> out.add(r.asText()));
        return out;
    }

    @Override
    public void reset() {
        call("POST", "reset", null);
    }

    @Override
    public Instant now() {
        return Instant.parse(call("GET", "clock", null).path("now").asText());
    }

    @Override
    public List<PendingTask> pending() {
        List<PendingTask> out = new ArrayList<>();
        call("GET", "clock", null).path("pending").forEach(p ->
                out.add(new PendingTask(p.path("name").asText(), Instant.parse(p.path("dueAt").asText()))));
        return out;
    }

    @Override
    public int advance(Duration amount) {
        if (amount.isNegative()) throw new IllegalArgumentException("cannot advance by a negative duration: " + amount);
        return moveClock("advance", amount.toString());
    }

    @Override
    public int set(Instant instant) {
        // the admin route answers 409 for this as for a system clock; refuse it as the scheduler does in-process
        Instant now = now();
        if (instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).isBefore(now)) {
            throw new IllegalArgumentException("time cannot go backwards: now " + now + ", asked " + instant);
        }
        return moveClock("set", instant.toString());
    }

    @Override
    public int advanceUntilIdle(Duration limit) {
        return moveClock("advanceUntilIdle", limit.toString());
    }

    private int moveClock(String field, String value) {
        ObjectNode body = JSON.createObjectNode().put(field, value);
        return call("POST", "clock", body).path("tasksRun").asInt();
    }

    @Override
    public String addFault(FaultSpec s) {
        ObjectNode b = JSON.createObjectNode();
        b.put("action", s.action().wireName());
        putIf(b, "name", s.name());
        putIf(b, "region", s.region());
        putIf(b, "operation", s.operation());
        putIf(b, "account", s.account());
        putIf(b, "from", s.from());
        putIf(b, "to", s.to());
        b.put("probability", s.probability());
        if (s.count() != null) b.put("count", s.count());
        ObjectNode attributes = b.putObject("attributes");
        s.attributes().forEach(attributes::put);
        return call("POST", "faults", b).path("id").asText();
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) n.put(field, value);
    }

    @Override
    public boolean removeFault(String id) {
        HttpResponse<String> r = send("DELETE", "faults/" + id, null);
        if (r.statusCode() == 404) return false;
        check("DELETE", "faults/" + id, r);
        return true;
    }

    @Override
    public void clearFaults() {
        call("POST", "faults/reset", null);
    }

    @Override
    public List<ActiveRule> faults() {
        List<ActiveRule> out = new ArrayList<>();
        for (JsonNode r : call("GET", "faults", null)) {
            Map<String, String> attributes = new LinkedHashMap<>();
            r.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
            out.add(new ActiveRule(r.path("id").asText(), new FaultSpec(text(r, "name"),
                    FaultSpec.Action.fromWireName(r.path("action").asText()), text(r, "region"), text(r, "operation"),
                    text(r, "account"), text(r, "from"), text(r, "to"), r.path("probability").asDouble(1.0),
                    r.hasNonNull("count") ? r.get("count").asInt() : null, attributes)));
        }
        return out;
    }

    @Override
    public List<EmulatorEvent> events() {
        List<EmulatorEvent> out = new ArrayList<>();
        for (JsonNode e : call("GET", "events", null)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> params = e.hasNonNull("requestParameters")
                    ? JSON.convertValue(e.get("requestParameters"), LinkedHashMap.class) : null;
            out.add(new EmulatorEvent(e.hasNonNull("eventTime") ? Instant.parse(e.get("eventTime").asText()) : null,
                    text(e, "eventSource"), text(e, "eventName"), text(e, "awsRegion"), text(e, "recipientAccountId"),
                    text(e, "requestId"), params, text(e, "errorCode"), text(e, "errorMessage")));
        }
        return out;
    }

    @Override
    public String metrics() {
        HttpResponse<String> r = send("GET", "metrics", null);
        check("GET", "metrics", r);
        return r.body();
    }

    @Override
    public void close() {
        // the server is not ours to stop
    }

    @Override
    public String toString() {
        return "smlocal attached at " + endpoint;
    }

    @Override
    public void registerFunction(String name, dev.smlocal.server.rotation.RotationFunction function) {
        throw new UnsupportedOperationException("an in-process rotation function needs an in-process smlocal; "
                + "against " + admin + " serve the function over HTTP and use rotation().registerHttp(name, url)");
    }

    @Override
    public void registerHttpFunction(String name, URI url) {
        call("PUT", "functions/" + name, JSON.createObjectNode().put("url", url.toString()));
    }

    @Override
    public void unregisterFunction(String name) {
        HttpResponse<String> r = send("DELETE", "functions/" + name, null);
        if (r.statusCode() != 404) check("DELETE", "functions/" + name, r);
    }

    @Override
    public void declarePrincipal(DeclaredPrincipal p) {
        ObjectNode body = JSON.createObjectNode().put("arn", p.arn());
        putIf(body, "secretAccessKey", p.secretAccessKey());
        putIf(body, "policy", p.policy());
        call("PUT", "principals/" + p.accessKeyId(), body);
    }

    @Override
    public List<DeclaredPrincipal> principals() {
        List<DeclaredPrincipal> out = new ArrayList<>();
        for (JsonNode p : call("GET", "principals", null).path("principals")) {
            out.add(new DeclaredPrincipal(text(p, "accessKeyId"), text(p, "arn"), null, text(p, "policy")));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpResponse<String> r = send(method, path, body);
        check(method, path, r);
        try {
            return r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(method + " " + admin.resolve(path) + " answered non-JSON: " + r.body(), e);
        }
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        URI uri = admin.resolve(path);
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
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
            JsonNode n = JSON.readTree(r.body());
            if (n.hasNonNull("error")) message = n.get("error").asText();
        } catch (IOException | RuntimeException ignored) {
            // not the admin error shape: keep the raw body
        }
        String text = "smlocal admin " + method + " /_smlocal/" + path + " answered " + status + ": " + message;
        if (status == 400) throw new IllegalArgumentException(text);
        throw new IllegalStateException(text);
    }
}
