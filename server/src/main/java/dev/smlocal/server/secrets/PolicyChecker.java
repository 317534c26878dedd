package dev.smlocal.server.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.smlocal.server.aws.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resource-policy checks for PutResourcePolicy and ValidateResourcePolicy (AWS-BEHAVIOUR §5, §10).
 *
 * <p>Grammar accepted (anything else is {@link Errors#policyInvalidSyntax()}): a JSON object with
 * optional {@code Version} ({@code 2012-10-17} or {@code 2008-10-17}), optional string {@code Id}, and
 * {@code Statement}, an object or a non-empty array of objects. Each statement has {@code Effect}
 * {@code Allow}|{@code Deny}; exactly one of {@code Principal}/{@code NotPrincipal} ({@code "*"} or a
 * map of principal types to a string or non-empty string array); exactly one of
 * {@code Action}/{@code NotAction} ({@code "*"} or {@code service:action}, string or non-empty array);
 * at most one of {@code Resource}/{@code NotResource}; optional {@code Condition} (operator → key →
 * scalar or array of scalars); optional string {@code Sid}; no other members. Duplicate JSON keys are
 * rejected.
 *
 * <p>Principals: a principal type other than {@code AWS}, {@code Service}, {@code Federated},
 * {@code CanonicalUser}, or an {@code AWS} principal that is not {@code *}, a 12-digit account id or an
 * IAM/STS ARN ({@code arn:aws:iam::123456789012:...}), is {@link Errors#policyUnsupportedPrincipal()}.
 * Whether named principals exist is not checked.
 *
 * <p>Public access is decided by the compiled policy ({@code auth/Policy.grantsPublicAccess}), the one
 * BlockPublicPolicy and ValidateResourcePolicy both use.
 */
public final class PolicyChecker {
    private PolicyChecker() {}

    /** The check name ValidateResourcePolicy reports for a public policy (AWS's own name is unknown). */
    public static final String PUBLIC_ACCESS_CHECK = "PUBLIC_ACCESS_CHECK";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final Set<String> POLICY_MEMBERS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_MEMBERS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern IAM_ARN =
            Pattern.compile("arn:aws(-cn|-us-gov|-iso|-iso-b)?:(iam|sts)::\\d{12}:\\S+");
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[^:\\s]+");

    /** Throws {@code MalformedPolicyDocumentException} unless the policy is well formed (see class comment). */
    public static void requireWellFormed(String policyJson) {
        parse(policyJson);
    }

    // ---- grammar -------------------------------------------------------------------------------

    private static JsonNode parse(String policyJson) {
        if (policyJson == null) {
            throw Errors.policyInvalidSyntax();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(policyJson);
        } catch (JsonProcessingException e) {
            throw Errors.policyInvalidSyntax();
        }
        if (root == null || !root.isObject()) {
            throw Errors.policyInvalidSyntax();
        }
        onlyMembers(root, POLICY_MEMBERS);
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual() && VERSIONS.contains(version.textValue()))) {
            throw Errors.policyInvalidSyntax();
        }
        optionalText(root, "Id");
        JsonNode statement = root.get("Statement");
        if (statement == null || !(statement.isObject() || statement.isArray() && !statement.isEmpty())) {
            throw Errors.policyInvalidSyntax();
        }
        for (JsonNode st : statements(root)) {
            checkStatement(st);
        }
        return root;
    }

    private static List<JsonNode> statements(JsonNode root) {
        JsonNode statement = root.get("Statement");
        List<JsonNode> out = new ArrayList<>();
        if (statement.isObject()) {
            out.add(statement);
        } else {
            statement.forEach(out::add);
        }
        return out;
    }

    private static void checkStatement(JsonNode st) {
        if (!st.isObject()) {
            throw Errors.policyInvalidSyntax();
        }
        onlyMembers(st, STATEMENT_MEMBERS);
        optionalText(st, "Sid");
        JsonNode effect = st.get("Effect");
        if (effect == null || !effect.isTextual()
                || !(effect.textValue().equals("Allow") || effect.textValue().equals("Deny"))) {
            throw Errors.policyInvalidSyntax();
        }
        JsonNode principal = exactlyOne(st, "Principal", "NotPrincipal");
        checkPrincipal(principal);
        JsonNode action = exactlyOne(st, "Action", "NotAction");
        for (String a : stringOrList(action)) {
            if (!ACTION.matcher(a).matches()) {
                throw Errors.policyInvalidSyntax();
            }
        }
        if (st.has("Resource") && st.has("NotResource")) {
            throw Errors.policyInvalidSyntax();
        }
        JsonNode resource = st.has("Resource") ? st.get("Resource") : st.get("NotResource");
        if (resource != null) {
            stringOrList(resource);
        }
        JsonNode condition = st.get("Condition");
        if (condition != null) {
            checkCondition(condition);
        }
    }

    private static void checkPrincipal(JsonNode principal) {
        if (principal.isTextual()) {
            if (!principal.textValue().equals("*")) {
                throw Errors.policyInvalidSyntax();
            }
            return;
        }
        if (!principal.isObject() || principal.isEmpty()) {
            throw Errors.policyInvalidSyntax();
        }
        for (Map.Entry<String, JsonNode> e : principal.properties()) {
            List<String> ids = stringOrList(e.getValue());
            if (!PRINCIPAL_TYPES.contains(e.getKey())) {
                throw Errors.policyUnsupportedPrincipal();
            }
            if (e.getKey().equals("AWS")) {
                for (String id : ids) {
                    if (!(id.equals("*") || ACCOUNT_ID.matcher(id).matches() || IAM_ARN.matcher(id).matches())) {
                        throw Errors.policyUnsupportedPrincipal();
                    }
                }
            }
        }
    }

    private static void checkCondition(JsonNode condition) {
        if (!condition.isObject()) {
            throw Errors.policyInvalidSyntax();
        }
        for (JsonNode block : condition) {
            if (!block.isObject()) {
                throw Errors.policyInvalidSyntax();
            }
            for (JsonNode value : block) {
                if (value.isArray()) {
                    for (JsonNode v : value) {
                        scalar(v);
                    }
                } else {
                    scalar(value);
                }
            }
        }
    }

    private static void scalar(JsonNode v) {
        if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
            throw Errors.policyInvalidSyntax();
        }
    }

    /** A non-empty string, or a non-empty array of non-empty strings. */
    private static List<String> stringOrList(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.textValue());
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode n : node) {
                if (!n.isTextual()) {
                    throw Errors.policyInvalidSyntax();
                }
                out.add(n.textValue());
            }
        } else {
            throw Errors.policyInvalidSyntax();
        }
        for (String s : out) {
            if (s.isEmpty()) {
                throw Errors.policyInvalidSyntax();
            }
        }
        return out;
    }

    private static JsonNode exactlyOne(JsonNode st, String a, String b) {
        boolean hasA = st.has(a);
        if (hasA == st.has(b)) {
            throw Errors.policyInvalidSyntax();
        }
        return st.get(hasA ? a : b);
    }

    private static void onlyMembers(JsonNode node, Set<String> allowed) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                throw Errors.policyInvalidSyntax();
            }
        }
    }

    private static void optionalText(JsonNode node, String member) {
        JsonNode v = node.get(member);
        if (v != null && !v.isTextual()) {
            throw Errors.policyInvalidSyntax();
        }
    }
}
