package dev.smlocal.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who an access key acts as. A declared key maps to its principal ARN (root, role or user), with an
 * optional secret access key and an optional identity policy; an undeclared 12-digit key is its
 * account's root; any other key is the root of {@code 000000000000}. The identity policy belongs to
 * the principal ARN (on AWS it is the role's or user's, not the key's): when several keys declare
 * the same ARN, the latest declaration's policy applies to all of them. The emulator reset keeps
 * declarations.
 */
public final class Principals {
    public static final String DEFAULT_ACCOUNT = "000000000000";

    /** One declaration as given (the policy as its JSON text). */
    public record Declared(String accessKeyId, String arn, String secretAccessKey, String policy) {}

    private record Entry(Declared declared, Policy policy, long order) {}

    private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Policy> policyByArn = new ConcurrentHashMap<>();
    private long order;

    /**
     * Declares (or replaces) {@code d}. Throws {@link IllegalArgumentException} naming the problem
     * when the key is empty, the ARN is not a root, role or user ARN, or the policy does not compile.
     */
    public synchronized Declared declare(Declared d) {
        if (d.accessKeyId() == null || d.accessKeyId().isBlank()) {
            throw new IllegalArgumentException("accessKeyId must not be empty");
        }
        if (!Principal.isValidArn(d.arn())) {
            throw new IllegalArgumentException("principal must be arn:aws:iam::ACCOUNT:root, "
                    + "arn:aws:iam::ACCOUNT:role/NAME or arn:aws:iam::ACCOUNT:user/NAME, was: " + d.arn());
        }
        Policy policy = null;
        if (d.policy() != null) {
            try {
                policy = Policy.compile(d.policy(), Policy.Kind.IDENTITY);
            } catch (Policy.Invalid e) {
                throw new IllegalArgumentException("identity policy of " + d.arn() + ": " + e.getMessage());
            }
        }
        byKey.put(d.accessKeyId(), new Entry(d, policy, ++order));
        recompute(d.arn());
        return d;
    }

    /** Forgets a declaration; true if there was one. */
    public synchronized boolean remove(String accessKeyId) {
        Entry e = byKey.remove(accessKeyId);
        if (e == null) return false;
        recompute(e.declared().arn());
        return true;
    }

    /** Forgets every declaration. */
    public synchronized void clear() {
        byKey.clear();
        policyByArn.clear();
    }

    private void recompute(String arn) {
        Entry latest = null;
        for (Entry e : byKey.values()) {
            if (e.declared().arn().equals(arn) && (latest == null || e.order() > latest.order())) latest = e;
        }
        if (latest == null || latest.policy() == null) policyByArn.remove(arn);
        else policyByArn.put(arn, latest.policy());
    }

    /** Every declaration, ordered by access key id. */
    public List<Declared> all() {
        List<Declared> out = new ArrayList<>();
        for (Entry e : byKey.values()) out.add(e.declared());
        out.sort(Comparator.comparing(Declared::accessKeyId));
        return out;
    }

    public Optional<Declared> get(String accessKeyId) {
        Entry e = accessKeyId == null ? null : byKey.get(accessKeyId);
        return e == null ? Optional.empty() : Optional.of(e.declared());
    }

    /** The secret access key declared for {@code accessKeyId} (for signature checks), if any. */
    public Optional<String> secretKeyOf(String accessKeyId) {
        return get(accessKeyId).map(Declared::secretAccessKey);
    }

    /** The principal ARN {@code accessKeyId} acts as (null or unknown: a root, see the class comment). */
    public String principalArnOf(String accessKeyId) {
        Entry e = accessKeyId == null ? null : byKey.get(accessKeyId);
        if (e != null) return e.declared().arn();
        return Principal.rootArn(isAccountId(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT);
    }

    /** The identity policy of a principal, or null when it has none (everything in its own account). */
    public Policy identityPolicyOf(String principalArn) {
        return principalArn == null ? null : policyByArn.get(principalArn);
    }

    private static boolean isAccountId(String s) {
        if (s == null || s.length() != 12) return false;
        for (int i = 0; i < 12; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    // ---- JSON form (--principals FILE, the admin API) -------------------------------------------

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /**
     * Parses {@code {"principals": [{"accessKeyId", "arn", "secretAccessKey"?, "policy"?}, ...]}} (or
     * the bare array); {@code policy} is a policy object or its JSON text. Throws
     * {@link IllegalArgumentException} naming the problem.
     */
    public static List<Declared> parseList(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("principals: not valid JSON");
        }
        JsonNode list = root != null && root.isObject() ? root.get("principals") : root;
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("principals: expected {\"principals\": [...]} or an array");
        }
        List<Declared> out = new ArrayList<>();
        for (JsonNode n : list) {
            JsonNode key = n.get("accessKeyId");
            if (key == null || !key.isTextual()) throw new IllegalArgumentException("principals: each entry needs accessKeyId");
            out.add(parseOne(key.textValue(), n));
        }
        return out;
    }

    /** One declaration's body: {@code {"arn", "secretAccessKey"?, "policy"?}}. */
    public static Declared parseOne(String accessKeyId, JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("a principal must be a JSON object");
        JsonNode arn = n.get("arn");
        if (arn == null || !arn.isTextual()) throw new IllegalArgumentException("a principal needs \"arn\"");
        JsonNode secret = n.get("secretAccessKey");
        if (secret != null && !secret.isNull() && !secret.isTextual()) {
            throw new IllegalArgumentException("secretAccessKey must be a string");
        }
        JsonNode policy = n.get("policy");
        String policyText = null;
        if (policy != null && !policy.isNull()) policyText = policy.isTextual() ? policy.textValue() : policy.toString();
        return new Declared(accessKeyId, arn.textValue(), secret == null || secret.isNull() ? null : secret.textValue(),
                policyText);
    }
}
