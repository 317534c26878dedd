package dev.smlocal.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.auth.PolicyEvaluator.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Conditions, the grammar the evaluator compiles, and the reasons it gives. */
class PolicyTest {
    static final String OWNER = "111111111111";
    static final String OTHER = "222222222222";
    static final String ARN = "arn:aws:secretsmanager:us-east-1:" + OWNER + ":secret:db-AbCdEf";
    static final String GET = "secretsmanager:GetSecretValue";

    static Policy resource(String condition) {
        return Policy.compile("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + OTHER + "\"},"
                + "\"Action\":\"" + GET + "\",\"Resource\":\"*\",\"Condition\":" + condition + "}}", Policy.Kind.RESOURCE);
    }

    static AuthRequest request(Map<String, List<String>> facts) {
        return new AuthRequest("arn:aws:iam::" + OTHER + ":role/App", OTHER, GET, ARN, OWNER, facts::get);
    }

    static Decision decide(String condition, Map<String, List<String>> facts) {
        return PolicyEvaluator.decide(request(facts), null, resource(condition));
    }

    @Test
    void versionStageConditionRefusesARequestThatNamesNoStage() {
        String onlyCurrent = "{\"ForAnyValue:StringEquals\":{\"secretsmanager:VersionStage\":\"AWSCURRENT\"}}";

        assertEquals(Decision.NO_RESOURCE_ALLOW, decide(onlyCurrent, Map.of()));
        assertEquals(Decision.ALLOW, decide(onlyCurrent, Map.of("secretsmanager:versionstage", List.of("AWSCURRENT"))));
        assertEquals(Decision.NO_RESOURCE_ALLOW,
                decide(onlyCurrent, Map.of("secretsmanager:versionstage", List.of("AWSPREVIOUS"))));
    }

    @ParameterizedTest(name = "{0} {1}={2} with {3} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "StringEquals|aws:PrincipalAccount|" + OTHER + "||true",
            "StringEquals|aws:PrincipalAccount|" + OWNER + "||false",
            "StringNotEquals|aws:PrincipalAccount|" + OWNER + "||true",
            "StringLike|aws:PrincipalArn|arn:aws:iam::*:role/A??||true",
            "StringLike|aws:PrincipalArn|arn:aws:iam::*:role/A?||false",
            "ArnLike|aws:PrincipalArn|arn:aws:iam::" + OTHER + ":role/*||true",
            "ArnEquals|aws:PrincipalArn|arn:aws:iam::" + OTHER + ":role/App||true",
            "StringEquals|secretsmanager:SecretId|" + ARN + "||true",
            "StringEquals|secretsmanager:ResourceTag/team|blue|blue|true",
            "StringEquals|secretsmanager:ResourceTag/team|blue|red|false",
            "StringEquals|secretsmanager:ResourceTag/team|blue||false",
            "StringEqualsIfExists|secretsmanager:ResourceTag/team|blue||true",
            "StringNotEquals|secretsmanager:ResourceTag/team|blue||true",
            "Null|secretsmanager:ResourceTag/team|true||true",
            "Null|secretsmanager:ResourceTag/team|false||false",
            "Null|secretsmanager:ResourceTag/team|false|red|true",
            "StringEquals|aws:SourceAccount|" + OTHER + "||false",
            "ForAllValues:StringEquals|secretsmanager:VersionStage|AWSCURRENT||true",
    })
    void conditionOperatorsOnTheSupportedKeys(String operator, String key, String value, String team, boolean allowed) {
        Map<String, List<String>> facts = team == null ? Map.of("secretsmanager:secretid", List.of(ARN))
                : Map.of("secretsmanager:secretid", List.of(ARN), "secretsmanager:resourcetag/team", List.of(team));

        Decision d = decide("{\"" + operator + "\":{\"" + key + "\":\"" + value + "\"}}", facts);

        assertEquals(allowed, d.allowed(), d.toString());
    }

    @Test
    void boolComparesTheTextOfTheValue() {
        Policy p = Policy.compile("{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\","
                + "\"Condition\":{\"Bool\":{\"secretsmanager:ResourceTag/locked\":true}}}}", Policy.Kind.RESOURCE);

        assertEquals(Policy.Match.DENY, p.match(request(Map.of("secretsmanager:resourcetag/locked", List.of("true"))), false));
        assertEquals(Policy.Match.NONE, p.match(request(Map.of("secretsmanager:resourcetag/locked", List.of("false"))), false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-123\"}}|condition key aws:PrincipalOrgID",
            "{\"NumericLessThan\":{\"aws:PrincipalAccount\":\"1\"}}|condition operator NumericLessThan",
            "{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}|condition operator DateGreaterThan",
            "{\"ForAnyValue:Null\":{\"aws:PrincipalArn\":\"true\"}}|condition operator ForAnyValue:Null",
    })
    void unsupportedOperatorsAndKeysAreRefusedNotIgnored(String condition, String named) {
        Policy.Invalid e = assertThrows(Policy.Invalid.class, () -> resource(condition));

        assertFalse(e.syntax());
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    @Test
    void identityPoliciesNameNoPrincipalAndResourcePoliciesNeedOne() {
        String withPrincipal = "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}}";
        String without = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";

        assertTrue(assertThrows(Policy.Invalid.class, () -> Policy.compile(withPrincipal, Policy.Kind.IDENTITY)).syntax());
        assertTrue(assertThrows(Policy.Invalid.class, () -> Policy.compile(without, Policy.Kind.RESOURCE)).syntax());
    }

    @Test
    void eachRefusalNamesAwsReason() {
        assertEquals("because no resource-based policy allows the secretsmanager:GetSecretValue action",
                Decision.NO_RESOURCE_ALLOW.reason(GET));
        assertEquals("because no identity-based policy allows the secretsmanager:GetSecretValue action",
                Decision.NO_IDENTITY_ALLOW.reason(GET));
        assertEquals("with an explicit deny in a resource-based policy", Decision.EXPLICIT_DENY_RESOURCE.reason(GET));
        assertEquals("with an explicit deny in an identity-based policy", Decision.EXPLICIT_DENY_IDENTITY.reason(GET));
    }

    @Test
    void keyPolicyMustAllowEvenInTheOwnAccountUnlessItAdmitsTheAccount() {
        Policy onlyRole = Policy.compile("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + OWNER + ":role/Admin\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}}", Policy.Kind.RESOURCE);
        Policy account = Policy.compile("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + OWNER + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}}", Policy.Kind.RESOURCE);
        Policy denyAll = Policy.compile("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:*\","
                + "\"Resource\":\"*\"}}", Policy.Kind.IDENTITY);
        AuthRequest root = new AuthRequest("arn:aws:iam::" + OWNER + ":root", OWNER, "kms:Decrypt", "k", OWNER, null);
        AuthRequest admin = new AuthRequest("arn:aws:iam::" + OWNER + ":role/Admin", OWNER, "kms:Decrypt", "k", OWNER, null);

        assertEquals(Decision.NO_RESOURCE_ALLOW, PolicyEvaluator.decideKey(root, null, onlyRole));
        assertEquals(Decision.ALLOW, PolicyEvaluator.decideKey(admin, denyAll, onlyRole));
        assertEquals(Decision.ALLOW, PolicyEvaluator.decideKey(root, null, account));
        assertEquals(Decision.NO_IDENTITY_ALLOW, PolicyEvaluator.decideKey(admin, denyAll, account));
    }

    @Test
    void globsMatchWithoutRegularExpressions() {
        assertTrue(Glob.matches("a*b?c", "aXXbYc", false));
        assertTrue(Glob.matches("*", "", false));
        assertFalse(Glob.matches("a?", "a", false));
        assertTrue(Glob.matches("SecretsManager:Get*", "secretsmanager:GetSecretValue", true));
        assertFalse(Glob.matches("SecretsManager:Get*", "secretsmanager:GetSecretValue", false));
        assertTrue(Glob.matches("*a*a*", "banana", false));
    }
}
