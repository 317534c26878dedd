package dev.smlocal.server.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.faults.FaultRule.ConnectionReset;
import dev.smlocal.server.faults.FaultRule.ErrorFault;
import dev.smlocal.server.faults.FaultRule.Latency;
import dev.smlocal.server.faults.FaultRule.Outage;
import dev.smlocal.server.faults.FaultRule.OutageMode;
import dev.smlocal.server.faults.FaultRule.ReplicationFailure;
import dev.smlocal.server.faults.FaultRule.Scope;
import dev.smlocal.server.faults.FaultRule.Throttle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON form of a {@link FaultRule}: the body of {@code POST /_smlocal/faults} and each
 * element of {@code GET /_smlocal/faults}.
 *
 * <pre>{@code
 * {"id": "f1", "name": "error_us-east-1", "action": "error", "region": "us-east-1",
 *  "operation": "GetSecretValue", "account": "...", "from": "...", "to": "...",
 *  "probability": 0.5, "count": 3, "attributes": {"errorType": "InternalServiceError"}}
 * }</pre>
 * Absent scope fields match anything; {@code type} is accepted for {@code action}. A kind's own
 * settings are strings in {@code attributes} or the same names at the top level (which win):
 * {@code mode} and {@code timeoutMillis} (outage), {@code errorType} and {@code message} (error),
 * {@code millis} (latency), {@code message} (fail-replication). Settings a kind does not have are
 * ignored. A bad rule is an {@link IllegalArgumentException} whose message the admin API answers.
 */
public final class FaultJson {
    /** The kind settings, in the order they render. */
    private static final List<String> ATTRIBUTES = List.of("errorType", "message", "millis", "mode", "timeoutMillis");

    private FaultJson() {}

    /** The rule a JSON object describes; its {@code id}, when present (a listed rule read back), is kept: {@code FaultPlan.add} gives a new one anyway. */
    public static FaultRule parse(JsonNode b) {
        Map<String, String> a = new LinkedHashMap<>();
        b.path("attributes").fields().forEachRemaining(e -> a.put(e.getKey(), e.getValue().asText()));
        for (String k : ATTRIBUTES) {
            if (b.hasNonNull(k)) a.put(k, b.get(k).asText());
        }
        String action = b.path("action").asText(b.path("type").asText(null));
        if (action == null) throw new IllegalArgumentException("a fault needs an action");
        if (!FaultRule.ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action must be one of " + FaultRule.ACTIONS + ", was: " + action);
        }
        Scope scope = new Scope(text(b, "id"), text(b, "name"), text(b, "region"), text(b, "operation"), text(b, "account"),
                text(b, "from"), text(b, "to"), b.path("probability").asDouble(1.0),
                b.hasNonNull("count") ? b.get("count").asInt() : null);
        switch (action) {
            case Outage.ACTION:
                return new Outage(scope, OutageMode.parse(a.get("mode")), millis(a, "timeoutMillis"));
            case ErrorFault.ACTION:
                return new ErrorFault(scope, a.get("errorType"), a.get("message"));
            case Throttle.ACTION:
                return new Throttle(scope);
            case Latency.ACTION:
                Long ms = millis(a, "millis");
                return new Latency(scope, ms == null ? 0 : ms);
            case ConnectionReset.ACTION:
                return new ConnectionReset(scope);
            case ReplicationFailure.ACTION:
                return new ReplicationFailure(scope, a.get("message"));
            default:
                throw new IllegalStateException("an action in ACTIONS without a parser: " + action);
        }
    }

    /** The JSON object of a rule: scope fields that are set, probability, count, and the kind's settings as strings. */
    public static ObjectNode render(FaultRule r) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        Scope s = r.scope();
        putIf(n, "id", s.id());
        putIf(n, "name", s.name());
        n.put("action", r.action());
        putIf(n, "region", s.region());
        putIf(n, "operation", s.operation());
        putIf(n, "account", s.account());
        putIf(n, "from", s.from());
        putIf(n, "to", s.to());
        n.put("probability", s.probability());
        if (s.count() != null) n.put("count", s.count().intValue());
        ObjectNode a = n.putObject("attributes");
        r.match(new FaultRule.Cases<Void>() {
            @Override
            public Void outage(Outage f) {
                if (f.mode() != null) a.put("mode", f.mode().wireName());
                if (f.timeoutMillis() != null) a.put("timeoutMillis", f.timeoutMillis().toString());
                return null;
            }

            @Override
            public Void error(ErrorFault f) {
                putIf(a, "errorType", f.errorType());
                putIf(a, "message", f.message());
                return null;
            }

            @Override
            public Void throttle(Throttle f) {
                return null;
            }

            @Override
            public Void latency(Latency f) {
                a.put("millis", Long.toString(f.millis()));
                return null;
            }

            @Override
            public Void connectionReset(ConnectionReset f) {
                return null;
            }

            @Override
            public Void replicationFailure(ReplicationFailure f) {
                putIf(a, "message", f.message());
                return null;
            }
        });
        return n;
    }

    private static Long millis(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) return null;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number of milliseconds, was: " + v);
        }
    }

    private static String text(JsonNode b, String field) {
        return b.hasNonNull(field) ? b.get(field).asText() : null;
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) n.put(field, value);
    }
}
