package dev.smlocal.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For random resource and identity policies (Allow/Deny, Principal/NotPrincipal, Action/NotAction,
 * Resource/NotResource with {@code *} and {@code ?}) and random requests, {@link PolicyEvaluator}
 * decides as a straightforward reference written here: policies as plain Java values, wildcards as
 * regular expressions, AWS's rules spelled out one by one.
 */
class PolicyEvaluatorPropertyTest {
    static final String A = "111111111111";
    static final String B = "222222222222";

    static final List<String> CALLERS = List.of("arn:aws:iam::" + A + ":root", "arn:aws:iam::" + A + ":role/Reader",
            "arn:aws:iam::" + B + ":root", "arn:aws:iam::" + B + ":user/ci");
    static final List<String> POLICY_PRINCIPALS = List.of("*", A, B, "arn:aws:iam::" + A + ":root",
            "arn:aws:iam::" + B + ":root", "arn:aws:iam::" + A + ":role/Reader", "arn:aws:iam::" + B + ":user/ci",
            "arn:aws:iam::" + B + ":role/Other");
    static final List<String> ACTIONS = List.of("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
            "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy");
    static final List<String> ACTION_PATTERNS = List.of("*", "secretsmanager:*", "secretsmanager:Get*",
            "secretsmanager:?etSecretValue", "secretsmanager:GetSecretValue", "SecretsManager:putsecretvalue",
            "secretsmanager:Describe*", "kms:Decrypt", "secretsmanager:*Secret*");
    static final List<String> RESOURCES = List.of(
            "arn:aws:secretsmanager:us-east-1:" + A + ":secret:app/db-AbCdEf",
            "arn:aws:secretsmanager:us-east-1:" + A + ":secret:other-123456",
            "arn:aws:secretsmanager:eu-west-1:" + A + ":secret:app/api-xYz123");
    static final List<String> RESOURCE_PATTERNS = List.of("*", "arn:aws:secretsmanager:*:" + A + ":secret:app/*",
            "arn:aws:secretsmanager:us-east-1:*:secret:*", "arn:aws:secretsmanager:us-east-1:" + A + ":secret:other-??????",
            "arn:aws:secretsmanager:us-east-1:" + A + ":secret:other-?????", "arn:aws:secretsmanager:*:*:secret:app/db-*",
            "ARN:aws:secretsmanager:*");

    /** One statement as plain values; {@code principals} null in identity policies. */
    record St(boolean allow, List<String> principals, boolean notPrincipal, List<String> actions, boolean notAction,
              List<String> resources, boolean notResource) {
        String json() {
            StringBuilder sb = new StringBuilder("{\"Effect\":\"").append(allow ? "Allow" : "Deny").append('"');
            if (principals != null) {
                sb.append(",\"").append(notPrincipal ? "NotPrincipal" : "Principal").append("\":");
                sb.append(principals.equals(List.of("*")) && !notPrincipal ? "\"*\"" : "{\"AWS\":" + array(principals) + "}");
            }
            sb.append(",\"").append(notAction ? "NotAction" : "Action").append("\":").append(array(actions));
            if (resources != null) sb.append(",\"").append(notResource ? "NotResource" : "Resource").append("\":").append(array(resources));
            return sb.append('}').toString();
        }
    }

    record Req(String caller, String action, String resource) {}

    static String array(List<String> xs) {
        return xs.stream().map(x -> "\"" + x + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    static String policyJson(List<St> sts) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + sts.stream().map(St::json).collect(Collectors.joining(",")) + "]}";
    }

    // ---- generators ----------------------------------------------------------------------------

    static Arbitrary<List<String>> someOf(List<String> pool) {
        return Arbitraries.of(pool).list().ofMinSize(1).ofMaxSize(3);
    }

    static Arbitrary<St> statement(boolean resourcePolicy) {
        Arbitrary<List<String>> principals = resourcePolicy ? someOf(POLICY_PRINCIPALS) : Arbitraries.just(null);
        Arbitrary<List<String>> resources = resourcePolicy
                ? Arbitraries.oneOf(Arbitraries.just(null), someOf(RESOURCE_PATTERNS))
                : someOf(RESOURCE_PATTERNS);
        return Combinators.combine(Arbitraries.of(true, false), principals,
                Arbitraries.of(false, false, false, true), someOf(ACTION_PATTERNS),
                Arbitraries.of(false, false, false, true), resources, Arbitraries.of(false, false, false, true))
                .as((allow, ps, np, as, na, rs, nr) -> new St(allow, ps, resourcePolicy && np, as, na, rs, rs != null && nr));
    }

    @Provide
    Arbitrary<List<St>> resourcePolicies() {
        return Arbitraries.oneOf(Arbitraries.just(List.of()), statement(true).list().ofMinSize(1).ofMaxSize(4));
    }

    @Provide
    Arbitrary<List<St>> identityPolicies() {
        return Arbitraries.oneOf(Arbitraries.just(List.of()), statement(false).list().ofMinSize(1).ofMaxSize(3));
    }

    @Provide
    Arbitrary<Req> requests() {
        return Combinators.combine(Arbitraries.of(CALLERS), Arbitraries.of(ACTIONS), Arbitraries.of(RESOURCES))
                .as(Req::new);
    }

    // ---- the property --------------------------------------------------------------------------

    /** Empty lists stand for "no policy". */
    @Property(tries = 2000)
    void evaluatorDecidesLikeTheReference(@ForAll("resourcePolicies") List<St> resource,
                                          @ForAll("identityPolicies") List<St> identity,
                                          @ForAll("requests") Req req) {
        Policy res = resource.isEmpty() ? null : Policy.compile(policyJson(resource), Policy.Kind.RESOURCE);
        Policy id = identity.isEmpty() ? null : Policy.compile(policyJson(identity), Policy.Kind.IDENTITY);
        String account = req.caller().substring(13, 25);
        AuthRequest r = new AuthRequest(req.caller(), account, req.action(), req.resource(), A, null);

        assertEquals(reference(resource.isEmpty() ? null : resource, identity.isEmpty() ? null : identity, req),
                PolicyEvaluator.decide(r, id, res),
                () -> "resource " + policyJson(resource) + "\nidentity " + policyJson(identity) + "\n" + req);
    }

    // ---- the reference -------------------------------------------------------------------------

    static PolicyEvaluator.Decision reference(List<St> resource, List<St> identity, Req req) {
        String callerAccount = req.caller().substring(13, 25);
        boolean sameAccount = callerAccount.equals(A); // every resource here belongs to account A

        if (identity != null && anyMatch(identity, false, false, req)) return PolicyEvaluator.Decision.EXPLICIT_DENY_IDENTITY;
        if (resource != null && anyMatch(resource, false, false, req)) return PolicyEvaluator.Decision.EXPLICIT_DENY_RESOURCE;

        boolean identityAllows = identity == null || anyMatch(identity, true, false, req);
        boolean resourceAllows = resource != null && anyMatch(resource, true, false, req);
        boolean resourceNamesCaller = resource != null && anyMatch(resource, true, true, req);

        if (sameAccount) {
            return identityAllows || resourceNamesCaller ? PolicyEvaluator.Decision.ALLOW
                    : PolicyEvaluator.Decision.NO_IDENTITY_ALLOW;
        }
        if (!resourceAllows) return PolicyEvaluator.Decision.NO_RESOURCE_ALLOW;
        return identityAllows ? PolicyEvaluator.Decision.ALLOW : PolicyEvaluator.Decision.NO_IDENTITY_ALLOW;
    }

    /** Whether some statement with effect {@code allow} applies to the request. */
    static boolean anyMatch(List<St> sts, boolean allow, boolean callerItself, Req req) {
        for (St st : sts) {
            if (st.allow() != allow) continue;
            if (st.principals() != null) {
                if (st.notPrincipal()) {
                    if (names(st.principals(), req.caller(), false)) continue;
                } else if (!names(st.principals(), req.caller(), callerItself)) {
                    continue;
                }
            }
            boolean action = st.actions().stream().anyMatch(p -> wildcard(p, true).matcher(req.action()).matches());
            if (action == st.notAction()) continue;
            if (st.resources() != null) {
                boolean res = st.resources().stream().anyMatch(p -> wildcard(p, false).matcher(req.resource()).matches());
                if (res == st.notResource()) continue;
            }
            return true;
        }
        return false;
    }

    /** A principal list names the caller: {@code *}, its ARN, or (unless only the caller itself counts) its account. */
    static boolean names(List<String> principals, String caller, boolean callerItself) {
        String account = caller.substring(13, 25);
        List<String> names = new ArrayList<>(List.of("*", caller));
        if (!callerItself) names.addAll(List.of(account, "arn:aws:iam::" + account + ":root"));
        return principals.stream().anyMatch(names::contains);
    }

    static Pattern wildcard(String glob, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL);
    }
}
