package dev.smlocal.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A policy document compiled once, when it is stored, and matched on every request without parsing
 * or compiling anything: a resource policy (a secret's, a KMS key's: statements name a
 * {@code Principal}) or an identity policy (a declared principal's: no {@code Principal}).
 *
 * <p>Compiles {@code Effect}, {@code Principal}/{@code NotPrincipal}, {@code Action}/{@code NotAction},
 * {@code Resource}/{@code NotResource} and {@code Condition}. Condition operators and keys outside
 * {@link #OPERATORS} and {@link #KEYS} are refused with {@link Invalid}: a condition the emulator
 * cannot evaluate must never turn into a silent allow. See docs/AUTHORIZATION.md.
 */
public final class Policy {
    /** Which kind of document: resource policies need a principal, identity policies must not have one. */
    public enum Kind { RESOURCE, IDENTITY }

    /** Why a document cannot be compiled; the caller turns it into its service's error. */
    public static final class Invalid extends RuntimeException {
        private final boolean syntax;

        Invalid(String message, boolean syntax) {
            super(message, null, false, false);
            this.syntax = syntax;
        }

        /** True for a grammar error (invalid syntax), false for an unsupported condition operator or key. */
        public boolean syntax() { return syntax; }
    }

    /** The base condition operators understood (each also with {@code IfExists}, and {@code ForAnyValue:}/{@code ForAllValues:}). */
    public static final Set<String> OPERATORS = Set.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike",
            "ArnNotLike", "Bool", "Null");

    /** The condition keys understood (lower case; keys are case-insensitive). Tag keys follow a {@code /}. */
    public static final Set<String> KEYS = Set.of("aws:principalaccount", "aws:principalarn", "aws:sourceaccount",
            "secretsmanager:secretid", "secretsmanager:versionstage", "secretsmanager:versionid",
            "kms:calleraccount", "kms:viaservice");

    /** Condition keys with a tag key after the slash. */
    public static final List<String> TAG_KEY_PREFIXES = List.of("secretsmanager:resourcetag/", "aws:resourcetag/");

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Kind kind;
    private final List<Statement> statements;

    private Policy(Kind kind, List<Statement> statements) {
        this.kind = kind;
        this.statements = List.copyOf(statements);
    }

    public Kind kind() { return kind; }

    /** Compiles {@code json}; throws {@link Invalid} when it is malformed or names an unsupported condition. */
    public static Policy compile(String json, Kind kind) {
        if (json == null) throw syntax("the policy is missing");
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw syntax("the policy is not valid JSON");
        }
        if (root == null || !root.isObject()) throw syntax("the policy must be a JSON object");
        JsonNode st = root.get("Statement");
        if (st == null) throw syntax("the policy has no Statement");
        List<Statement> out = new ArrayList<>();
        if (st.isObject()) {
            out.add(statement(st, kind));
        } else if (st.isArray() && !st.isEmpty()) {
            for (JsonNode s : st) out.add(statement(s, kind));
        } else {
            throw syntax("Statement must be an object or a non-empty array");
        }
        return new Policy(kind, out);
    }

    // ---- evaluation ----------------------------------------------------------------------------

    /** What the statements of one policy say about one request. */
    public enum Match { DENY, ALLOW, NONE }

    /**
     * Explicit {@code DENY} if a matching Deny statement exists, else {@code ALLOW} if a matching
     * Allow statement exists, else {@code NONE}. For a resource policy a statement matches only if
     * its principal names the caller; {@code directOnly} restricts Allow statements to those that
     * name the caller itself (its ARN or {@code *}), not merely its account.
     */
    public Match match(AuthRequest r, boolean directOnly) {
        boolean allowed = false;
        for (Statement s : statements) {
            if (!s.allow) {
                if (s.matches(r, false)) return Match.DENY;
            } else if (!allowed && s.matches(r, directOnly)) {
                allowed = true;
            }
        }
        return allowed ? Match.ALLOW : Match.NONE;
    }

    /**
     * Public access (AWS-BEHAVIOUR §10's heuristic [U]): an Allow statement whose principal is
     * everyone ({@code *}, or an {@code AWS} entry that is or contains {@code *}) and which carries
     * no condition. BlockPublicPolicy and ValidateResourcePolicy both ask this.
     */
    public boolean grantsPublicAccess() {
        for (Statement s : statements) {
            if (s.allow && s.conditions.isEmpty() && !s.notPrincipal && s.principals != null
                    && s.principals.contains("*")) {
                return true;
            }
        }
        return false;
    }

    // ---- compiled pieces -----------------------------------------------------------------------

    private record Statement(boolean allow, List<String> principals, boolean notPrincipal, List<String> actions,
                             boolean notAction, List<String> resources, boolean notResource,
                             List<Condition> conditions) {
        boolean matches(AuthRequest r, boolean directOnly) {
            if (principals != null) {
                // NotPrincipal grants everyone it does not name: a direct grant, whatever it lists
                boolean named = principalMatches(r, directOnly && !notPrincipal);
                if (named == notPrincipal) return false;
            }
            if (anyGlob(actions, r.action(), true) == notAction) return false;
            if (resources != null && anyGlob(resources, r.resource(), false) == notResource) return false;
            for (Condition c : conditions) {
                if (!c.holds(r)) return false;
            }
            return true;
        }

        private boolean principalMatches(AuthRequest r, boolean directOnly) {
            for (String p : principals) {
                if (p.equals("*") || p.equals(r.principalArn())) return true;
                if (directOnly) continue;
                if (p.equals(r.principalAccount()) || p.equals(Principal.rootArn(r.principalAccount()))) return true;
            }
            return false;
        }
    }

    private static boolean anyGlob(List<String> patterns, String value, boolean ignoreCase) {
        for (String p : patterns) {
            if (Glob.matches(p, value, ignoreCase)) return true;
        }
        return false;
    }

    /** One operator applied to one key with its policy values. */
    private record Condition(String base, boolean ifExists, int set, String key, List<String> values) {
        static final int SINGLE = 0, ANY = 1, ALL = 2;

        boolean holds(AuthRequest r) {
            List<String> present = r.values(key);
            if (base.equals("Null")) {
                boolean absent = present == null || present.isEmpty();
                for (String v : values) {
                    if (Boolean.parseBoolean(v) == absent) return true;
                }
                return false;
            }
            if (present == null || present.isEmpty()) {
                if (ifExists || set == ALL) return true;
                if (set == ANY) return false;
                return negated(); // a negated operator holds for an absent key
            }
            if (set == ALL) {
                for (String v : present) {
                    if (!one(v)) return false;
                }
                return true;
            }
            for (String v : present) {
                if (one(v)) return true;
            }
            return false;
        }

        private boolean negated() {
            return base.contains("Not");
        }

        /** The operator on one request value against the policy values. */
        private boolean one(String v) {
            boolean any = false;
            for (String p : values) {
                if (positive(p, v)) {
                    any = true;
                    break;
                }
            }
            return negated() != any;
        }

        private boolean positive(String p, String v) {
            return switch (base) {
                case "StringEquals", "StringNotEquals" -> p.equals(v);
                case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" -> p.equalsIgnoreCase(v);
                case "StringLike", "StringNotLike", "ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals" ->
                        Glob.matches(p, v, false);
                case "Bool" -> p.equalsIgnoreCase(v);
                default -> false;
            };
        }
    }

    // ---- compilation ---------------------------------------------------------------------------

    private static Statement statement(JsonNode st, Kind kind) {
        if (!st.isObject()) throw syntax("a statement must be an object");
        JsonNode effect = st.get("Effect");
        if (effect == null || !effect.isTextual()
                || !(effect.textValue().equals("Allow") || effect.textValue().equals("Deny"))) {
            throw syntax("Effect must be Allow or Deny");
        }
        List<String> principals = null;
        boolean notPrincipal = false;
        if (kind == Kind.RESOURCE) {
            JsonNode pr = st.has("Principal") ? st.get("Principal") : st.get("NotPrincipal");
            if (pr == null) throw syntax("a resource policy statement needs Principal or NotPrincipal");
            notPrincipal = !st.has("Principal");
            principals = principals(pr);
        } else if (st.has("Principal") || st.has("NotPrincipal")) {
            throw syntax("an identity policy statement must not name a Principal");
        }
        boolean notAction = !st.has("Action");
        JsonNode action = notAction ? st.get("NotAction") : st.get("Action");
        if (action == null) throw syntax("a statement needs Action or NotAction");
        List<String> actions = strings(action);
        boolean notResource = !st.has("Resource") && st.has("NotResource");
        JsonNode resource = notResource ? st.get("NotResource") : st.get("Resource");
        if (resource == null && kind == Kind.IDENTITY) throw syntax("an identity policy statement needs Resource");
        List<String> resources = resource == null ? null : strings(resource);
        List<Condition> conditions = new ArrayList<>();
        JsonNode cond = st.get("Condition");
        if (cond != null) {
            if (!cond.isObject()) throw syntax("Condition must be an object");
            for (Map.Entry<String, JsonNode> op : cond.properties()) {
                if (!op.getValue().isObject()) throw syntax("a condition operator needs an object of keys");
                for (Map.Entry<String, JsonNode> k : op.getValue().properties()) {
                    conditions.add(condition(op.getKey(), k.getKey(), k.getValue()));
                }
            }
        }
        return new Statement(effect.textValue().equals("Allow"), principals, notPrincipal, actions, notAction,
                resources, notResource, conditions);
    }

    /** {@code "*"} or {@code {"AWS": ...}} entries; other principal types match no emulated caller. */
    private static List<String> principals(JsonNode pr) {
        if (pr.isTextual()) {
            if (!pr.textValue().equals("*")) throw syntax("Principal must be \"*\" or an object");
            return List.of("*");
        }
        if (!pr.isObject() || pr.isEmpty()) throw syntax("Principal must be \"*\" or an object");
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : pr.properties()) {
            List<String> ids = strings(e.getValue());
            if (e.getKey().equals("AWS")) out.addAll(ids);
        }
        return out;
    }

    private static Condition condition(String operator, String key, JsonNode value) {
        String op = operator;
        int set = Condition.SINGLE;
        if (op.startsWith("ForAnyValue:")) {
            set = Condition.ANY;
            op = op.substring("ForAnyValue:".length());
        } else if (op.startsWith("ForAllValues:")) {
            set = Condition.ALL;
            op = op.substring("ForAllValues:".length());
        }
        boolean ifExists = op.endsWith("IfExists") && !op.equals("NullIfExists");
        if (ifExists) op = op.substring(0, op.length() - "IfExists".length());
        if (!OPERATORS.contains(op) || op.equals("Null") && set != Condition.SINGLE) {
            throw unsupported("This policy contains the condition operator " + operator
                    + ", which smlocal does not evaluate.");
        }
        String k = key.toLowerCase(Locale.ROOT);
        if (!KEYS.contains(k) && !isTagKey(k)) {
            throw unsupported("This policy contains the condition key " + key + ", which smlocal does not evaluate.");
        }
        List<String> values = new ArrayList<>();
        if (value.isArray()) {
            if (value.isEmpty()) throw syntax("a condition needs at least one value");
            for (JsonNode v : value) values.add(scalar(v));
        } else {
            values.add(scalar(value));
        }
        return new Condition(op, ifExists, set, k, List.copyOf(values));
    }

    static boolean isTagKey(String lowerKey) {
        for (String p : TAG_KEY_PREFIXES) {
            if (lowerKey.startsWith(p) && lowerKey.length() > p.length()) return true;
        }
        return false;
    }

    private static String scalar(JsonNode v) {
        if (v.isTextual()) return v.textValue();
        if (v.isNumber() || v.isBoolean()) return v.asText();
        throw syntax("a condition value must be a string, number or boolean");
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.textValue());
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode n : node) {
                if (!n.isTextual()) throw syntax("expected a string or an array of strings");
                out.add(n.textValue());
            }
        } else {
            throw syntax("expected a string or an array of strings");
        }
        return List.copyOf(out);
    }

    private static Invalid syntax(String why) {
        return new Invalid(why, true);
    }

    private static Invalid unsupported(String why) {
        return new Invalid(why, false);
    }
}
