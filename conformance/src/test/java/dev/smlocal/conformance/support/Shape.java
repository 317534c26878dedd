package dev.smlocal.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What two targets' answers must share: the HTTP status, {@code __type} (namespace stripped), the
 * normalised message text, and every member path present with its JSON type
 * ({@code ARN: string}, {@code Versions[].CreatedDate: number}, {@code VersionIdsToStages.<uuid>[]: string}).
 * Values other than the message are not compared: they differ by design (names, dates, ids).
 */
public record Shape(int status, String type, String message, SortedMap<String, String> fields) {

    public static Shape of(RawAnswer a) {
        SortedMap<String, String> fields = new TreeMap<>();
        collect("", a.body(), fields);
        return new Shape(a.status(), a.type(), Normaliser.text(a.message()), fields);
    }

    private static void collect(String prefix, JsonNode node, SortedMap<String, String> into) {
        if (node == null || node.isMissingNode()) return;
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = prefix.isEmpty() ? Normaliser.text(e.getKey()) : prefix + "." + Normaliser.text(e.getKey());
                into.put(path, typeOf(e.getValue()));
                collect(path, e.getValue(), into);
            }
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                into.put(prefix + "[]", typeOf(n));
                collect(prefix + "[]", n, into);
            }
        }
    }

    static String typeOf(JsonNode n) {
        if (n.isObject()) return "object";
        if (n.isArray()) return "array";
        if (n.isNumber()) return "number";
        if (n.isBoolean()) return "boolean";
        if (n.isNull()) return "null";
        return "string";
    }

    /** The top-level member names. */
    public List<String> topLevel() {
        List<String> out = new ArrayList<>();
        for (String p : fields.keySet()) if (!p.contains(".") && !p.contains("[]")) out.add(p);
        return out;
    }

    /** Every way {@code this} (what came) differs from {@code expected}; empty when they match. */
    public List<String> differencesFrom(Shape expected) {
        List<String> d = new ArrayList<>();
        if (status != expected.status) d.add("status: expected " + expected.status + ", was " + status);
        if (!Objects.equals(type, expected.type)) d.add("__type: expected " + expected.type + ", was " + type);
        if (!Objects.equals(message, expected.message)) {
            d.add("message: expected \"" + expected.message + "\", was \"" + message + "\"");
        }
        for (Map.Entry<String, String> e : expected.fields.entrySet()) {
            String mine = fields.get(e.getKey());
            if (mine == null) d.add("missing member " + e.getKey());
            else if (!mine.equals(e.getValue())) d.add("member " + e.getKey() + ": expected " + e.getValue() + ", was " + mine);
        }
        for (String k : fields.keySet()) if (!expected.fields.containsKey(k)) d.add("unexpected member " + k);
        return d;
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("status", status);
        if (type != null) n.put("type", type);
        if (message != null) n.put("message", message);
        ObjectNode f = n.putObject("fields");
        fields.forEach(f::put);
        return n;
    }

    public static Shape fromJson(JsonNode n) {
        SortedMap<String, String> fields = new TreeMap<>();
        n.path("fields").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
        return new Shape(n.path("status").asInt(), n.hasNonNull("type") ? n.get("type").asText() : null,
                n.hasNonNull("message") ? n.get("message").asText() : null, fields);
    }
}
