package dev.smlocal.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Emulator powers of an out-of-process smlocal, through its admin API (design.md, "The admin API").
 * Advancing the clock needs manual mode: the first advance switches a system-clock server to manual
 * and {@link #restore()} switches it back when the run ends.
 */
final class AdminPowers implements EmulatorPowers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final String adminToken;
    private boolean switchedToManual;

    private AdminPowers(URI base, String adminToken) {
        this.base = base;
        this.adminToken = adminToken;
    }

    /**
     * The admin API of {@code endpoint}, or null when its health route does not answer like smlocal's;
     * {@code adminToken} (null: none) is sent on every admin call, for a server run with {@code --admin-token}.
     */
    static AdminPowers probe(URI endpoint, String adminToken) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/_smlocal/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return null;
            JsonNode n = JSON.readTree(r.body());
            return "ok".equals(n.path("status").asText()) ? new AdminPowers(endpoint, adminToken) : null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public Instant now() {
        return Instant.parse(call("GET", "clock", null).path("now").asText());
    }

    @Override
    public synchronized void advance(Duration amount) {
        if (!switchedToManual && "system".equals(call("GET", "clock", null).path("mode").asText())) {
            call("POST", "clock", JSON.createObjectNode().put("mode", "manual"));
            switchedToManual = true;
        }
        call("POST", "clock", JSON.createObjectNode().put("advance", amount.toString()));
    }

    @Override
    public String addFault(Map<String, String> rule) {
        ObjectNode body = JSON.createObjectNode();
        rule.forEach((k, v) -> {
            if (k.equals("probability")) body.put(k, Double.parseDouble(v));
            else if (k.equals("count")) body.put(k, Integer.parseInt(v));
            else body.put(k, v);
        });
        return call("POST", "faults", body).path("id").asText();
    }

    /** A rule with a count may have removed itself already; that is fine. */
    @Override
    public void removeFault(String id) {
        try {
            call("DELETE", "faults/" + id, null);
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("answered 404")) throw e;
        }
    }

    @Override
    public void replicationRoutes(java.util.List<Route> routes) {
        ObjectNode body = JSON.createObjectNode();
        var list = body.putArray("routes");
        for (Route r : routes) list.addObject().put("from", r.from()).put("to", r.to()).put("lag", r.lag().toString());
        call("PUT", "replication", body);
    }

    @Override
    public void registerFunction(String name, URI url) {
        call("PUT", "functions/" + name, JSON.createObjectNode().put("url", url.toString()));
    }

    /** A function already gone is fine. */
    @Override
    public void removeFunction(String name) {
        try {
            call("DELETE", "functions/" + name, null);
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("answered 404")) throw e;
        }
    }

    synchronized void restore() {
        if (switchedToManual) {
            try {
                call("POST", "clock", JSON.createObjectNode().put("mode", "system"));
            } catch (RuntimeException ignored) {
                // the server may be gone already
            }
            switchedToManual = false;
        }
    }

    private JsonNode call(String method, String path, JsonNode body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/_smlocal/" + path)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json");
            if (adminToken != null) b.header("Authorization", "Bearer " + adminToken);
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("admin " + method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("admin " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
