package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyCheckerTest {
    private static final String SYNTAX = "This policy has invalid syntax.";
    private static final String PRINCIPAL = "This resource policy contains an unsupported principal.";

    /** A policy with one statement whose members are {@code members} (JSON object body). */
    private static String policy(String members) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{" + members + "}]}";
    }

    private static final String GOOD = policy("\"Sid\":\"s1\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/reader\"},"
            + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"");

    private static void assertMalformed(String json, String message) {
        AwsException e = assertThrows(AwsException.class, () -> PolicyChecker.requireWellFormed(json), json);
        assertEquals(ErrorType.MALFORMED_POLICY_DOCUMENT, e.type());
        assertEquals(message, e.getMessage());
    }

    @Test
    void wellFormedPolicies() {
        PolicyChecker.requireWellFormed(GOOD);
        // the AWS user-guide style example: single statement object, list principal, conditions
        PolicyChecker.requireWellFormed("""
                {
                  "Version": "2012-10-17",
                  "Id": "p1",
                  "Statement": {
                    "Effect": "Deny",
                    "NotPrincipal": {"AWS": ["123456789012", "arn:aws:sts::123456789012:assumed-role/r/s"],
                                     "Service": "rotation.amazonaws.com"},
                    "NotAction": ["secretsmanager:Describe*", "kms:Decrypt"],
                    "NotResource": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf"],
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-1"], "x:n": 3},
                                  "Bool": {"aws:SecureTransport": false}}
                  }
                }""");
        PolicyChecker.requireWellFormed("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\"}}");
        PolicyChecker.requireWellFormed(policy("\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                + "\"Action\":\"secretsmanager:*\",\"Resource\":\"*\""));
        PolicyChecker.requireWellFormed(policy("\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws-us-gov:iam::123456789012:root\"},\"Action\":\"*\""));
        PolicyChecker.requireWellFormed("{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                + "\"Principal\":{\"CanonicalUser\":\"abc\"},\"Action\":\"*\"}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "not json", "[]", "\"text\"", "42", "null",
            "{\"Statement\":[]", // truncated
            "{}", // no Statement
            "{\"Statement\":[]}",
            "{\"Statement\":\"x\"}",
            "{\"Statement\":[\"x\"]}",
            "{\"Version\":\"2019-10-19\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\"}}",
            "{\"Version\":20121017,\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\"}}",
            "{\"Id\":1,\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\"}}",
            "{\"Extra\":1,\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\"}} trailing",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\"}}",
    })
    void malformedDocuments(String json) {
        assertMalformed(json, SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"Principal\":\"*\",\"Action\":\"*\"", // no Effect
            "\"Effect\":\"allow\",\"Principal\":\"*\",\"Action\":\"*\"",
            "\"Effect\":\"Permit\",\"Principal\":\"*\",\"Action\":\"*\"",
            "\"Effect\":\"Allow\",\"Action\":\"*\"", // no principal
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotPrincipal\":\"*\",\"Action\":\"*\"",
            "\"Effect\":\"Allow\",\"Principal\":\"*\"", // no action
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"NotAction\":\"*\"",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[]",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"GetSecretValue\"",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"a:b:c\"",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s:a\",1]",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\",\"NotResource\":\"*\"",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":{}",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"\"",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Condition\":\"x\"",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Condition\":{\"Bool\":\"x\"}",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Condition\":{\"Bool\":{\"k\":{}}}",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Sid\":1",
            "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Unknown\":1",
            "\"Effect\":\"Allow\",\"Principal\":\"123456789012\",\"Action\":\"*\"",
            "\"Effect\":\"Allow\",\"Principal\":{},\"Action\":\"*\"",
            "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[]},\"Action\":\"*\"",
            "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"\"},\"Action\":\"*\"",
            "\"Effect\":\"Allow\",\"Principal\":[\"*\"],\"Action\":\"*\"",
    })
    void malformedStatements(String members) {
        assertMalformed(policy(members), SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"AWS\":\"alice\"}",
            "{\"AWS\":\"12345678901\"}",
            "{\"AWS\":\"arn:aws:iam::12345:root\"}",
            "{\"AWS\":\"arn:aws:s3:::bucket\"}",
            "{\"AWS\":[\"123456789012\",\"nobody\"]}",
            "{\"Everyone\":\"*\"}",
    })
    void unsupportedPrincipals(String principal) {
        String json = policy("\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":\"*\"");
        AwsException e = assertThrows(AwsException.class, () -> PolicyChecker.requireWellFormed(json));
        assertEquals(ErrorType.MALFORMED_POLICY_DOCUMENT, e.type());
        assertTrue(e.getMessage().contains(PRINCIPAL), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"*\"",
            "{\"AWS\":\"*\"}",
            "{\"AWS\":[\"123456789012\",\"*\"]}",
            "{\"AWS\":\"*\",\"Service\":\"x.amazonaws.com\"}",
    })
    void publicPrincipalsOnAllowWithoutCondition(String principal) {
        String json = policy("\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"");
        assertTrue(grantsPublicAccess(json));
        String emptyCondition = policy("\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":\"*\",\"Condition\":{}");
        assertTrue(grantsPublicAccess(emptyCondition));
    }

    @Test
    void notPublic() {
        assertFalse(grantsPublicAccess(GOOD));
        assertFalse(grantsPublicAccess(
                policy("\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\"")));
        assertFalse(grantsPublicAccess(policy("\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":\"123456789012\"}}")));
        assertFalse(grantsPublicAccess(
                policy("\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"*\"},\"Action\":\"*\"")));
        assertFalse(grantsPublicAccess(
                policy("\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"*\"},\"Action\":\"*\"")));
    }

    @Test
    void onePublicStatementAmongOthersIsEnough() {
        String json = "{\"Statement\":[" + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"*\"}]}";
        assertTrue(grantsPublicAccess(json));
    }

    @Test
    void grantsPublicAccessRejectsMalformedInput() {
        assertThrows(AwsException.class, () -> grantsPublicAccess("{"));
    }

    @Test
    void validateThrowsOnMalformed() {
        AwsException e = assertThrows(AwsException.class, () -> grantsPublicAccess("{]"));
        assertEquals(ErrorType.MALFORMED_POLICY_DOCUMENT, e.type());
        assertDoesNotThrow(() -> grantsPublicAccess(GOOD));
    }

    /** The public-access test BlockPublicPolicy and ValidateResourcePolicy use: the compiled policy's. */
    private static boolean grantsPublicAccess(String json) {
        return SecretsService.compileResourcePolicy(json).grantsPublicAccess();
    }

    @Test
    void deeplyNestedInputIsRejectedNotCrashed() {
        String deep = "{\"Statement\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertMalformed(deep, SYNTAX);
    }
}
