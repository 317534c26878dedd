package dev.smlocal.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Replaces what differs between two runs or two targets by placeholders, so their answers compare:
 * the run's name prefix, ARN suffixes, UUIDs (version ids, key ids, request ids), multi-Region key
 * ids, account ids, epoch timestamps and opaque values (tokens, passwords, ciphertext).
 */
public final class Normaliser {
    private static final Pattern RUN = Pattern.compile(RunNames.PATTERN);
    private static final Pattern SECRET_ARN_SUFFIX = Pattern.compile(
            "(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]*:[^:\\s]*:secret:[^\\s'\",\\]\\[]*?)-[A-Za-z0-9]{6}(?![A-Za-z0-9])");
    private static final Pattern MRK = Pattern.compile("mrk-[0-9a-f]{32}");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ACCOUNT = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
    /** Members whose values are random or opaque by design. */
    static final Set<String> OPAQUE = Set.of("RandomPassword", "CiphertextBlob", "Plaintext", "NextToken",
            "NextMarker", "SecretBinary");
    public static final String EPOCH = "<epoch>";
    public static final String OPAQUE_VALUE = "<opaque>";

    private Normaliser() {}

    public static String text(String s) {
        if (s == null) return null;
        String out = RUN.matcher(s).replaceAll("<run>/");
        out = SECRET_ARN_SUFFIX.matcher(out).replaceAll("$1-<suffix>");
        out = MRK.matcher(out).replaceAll("mrk-<id>");
        out = UUID.matcher(out).replaceAll("<uuid>");
        out = ACCOUNT.matcher(out).replaceAll("<account>");
        return out;
    }

    public static JsonNode body(JsonNode node) {
        return value(null, node);
    }

    private static JsonNode value(String member, JsonNode node) {
        if (node == null || node.isMissingNode()) return node;
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(text(e.getKey()), value(e.getKey(), e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode n : node) out.add(value(member, n));
            return out;
        }
        if (member != null && OPAQUE.contains(member)) return TextNode.valueOf(OPAQUE_VALUE);
        if (node.isNumber() && member != null && member.endsWith("Date")) return TextNode.valueOf(EPOCH);
        if (node.isTextual()) return TextNode.valueOf(text(node.asText()));
        return node;
    }
}
