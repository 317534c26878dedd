package dev.smlocal.server.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one conversion between a fault rule and its admin JSON form ({@code POST /_smlocal/faults},
 * {@code GET /_smlocal/faults}); every other place (admin routes, the HTTP control client, the
 * testkit, conformance) goes through {@link #parse} and {@link #render}.
 */
public final class FaultJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    private FaultJson() {}

    /**
     * A fault rule from its JSON form: {@code action} (or {@code type}), scope fields, {@code
     * probability}, {@code count}, and type settings either under {@code attributes} or flat
     * ({@code errorType}, {@code message}, {@code millis}, {@code mode}, {@code timeoutMillis}).
     * An {@code id} is kept when present (a listed rule read back); {@code FaultPlan.add} assigns its own.
     *
     * @throws IllegalArgumentException when the rule is not valid; the message says why
     */
    public static FaultRule parse(JsonNode b) {
        Map<String, String> attributes = new LinkedHashMap<>();
        b.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        for (String k : new String[] {"errorType", "message", "millis", "mode", "timeoutMillis"}) {
            if (b.hasNonNull(k)) attributes.put(k, b.get(k).asText());
        }
        String action = b.path("action").asText(b.path("type").asText(null));
        if (action == null) throw new IllegalArgumentException("a fault needs an action");
        return new FaultRule(text(b, "id"), text(b, "name"), action, text(b, "region"), text(b, "operation"),
                text(b, "account"), text(b, "from"), text(b, "to"), b.path("probability").asDouble(1.0),
                b.hasNonNull("count") ? b.get("count").asInt() : null, attributes);
    }

    /** A fault rule's JSON form, as the admin API lists it (absent fields left out). */
    public static ObjectNode render(FaultRule rule) {
        return JSON.valueToTree(rule);
    }

    private static String text(JsonNode b, String field) {
        return b.hasNonNull(field) ? b.get(field).asText() : null;
    }
}
