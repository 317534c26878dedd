package dev.smlocal.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Map;

/**
 * One HTTP answer as it came off the wire: status, headers and the body, parsed as JSON when it is
 * JSON (else {@link MissingNode}).
 */
public record RawAnswer(String operation, int status, Map<String, List<String>> headers, String text, JsonNode body) {

    /** The header's first value, matched case-insensitively, or null. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) return e.getValue().get(0);
        }
        return null;
    }

    /** {@code __type} without the {@code namespace#} prefix AWS sometimes sends, or null. */
    public String type() {
        JsonNode t = body.get("__type");
        if (t == null || !t.isTextual()) return null;
        String s = t.asText();
        return s.contains("#") ? s.substring(s.lastIndexOf('#') + 1) : s;
    }

    /** The error text under {@code Message} or {@code message}, or null. */
    public String message() {
        JsonNode m = body.has("Message") ? body.get("Message") : body.get("message");
        return m == null || m.isNull() ? null : m.asText();
    }

    public boolean isError() {
        return status >= 400;
    }

    @Override
    public String toString() {
        return operation + " -> " + status + " " + (text.length() > 600 ? text.substring(0, 600) + "…" : text);
    }
}
