package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.secretsmanager.model.PublicPolicyException;
import software.amazon.awssdk.services.secretsmanager.model.ValidateResourcePolicyResponse;

/** Put/Get/Delete/ValidateResourcePolicy (AWS-BEHAVIOUR §5, §10). */
class ResourcePolicyConformance extends ConformanceCheck {
    /** A well-formed policy for checks that never store it (their SecretId is refused first). */
    static final String ACCOUNT_POLICY = policy("123456789012");
    static final String PUBLIC_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
            + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";

    /** Lets the account's own root read the secret: what AWS's examples attach. */
    static String policy(String account) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + account + ":root\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
    }

    /** The secret's own account, from its ARN. */
    static String account(String arn) {
        return arn.split(":")[4];
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 PutResourcePolicy [V] — LocalStack snapshot: answers ARN and Name")
    void putAnswersArnAndNameAndGetReturnsThePolicy() {
        String n = name("s");
        String p = policy(account(createSecret(n, "v").arn()));

        var put = raw("PutResourcePolicy", json("SecretId", n, "ResourcePolicy", p));
        var get = raw("GetResourcePolicy", json("SecretId", n));

        Expect.ok(put, "ARN", "Name");
        Expect.ok(get, "ARN", "Name", "ResourcePolicy");
        assertTrue(get.body().get("ResourcePolicy").asText().contains("secretsmanager:GetSecretValue"));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 GetResourcePolicy [V/E] — no policy: ResourcePolicy is omitted, not an error")
    void getWithoutAPolicyOmitsResourcePolicy() {
        String n = name("s");
        createSecret(n, "v");

        Expect.ok(raw("GetResourcePolicy", json("SecretId", n)), "ARN", "Name");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DeleteResourcePolicy [D] — answers ARN and Name; the policy is gone")
    void deleteRemovesThePolicy() {
        String n = name("s");
        String p = policy(account(createSecret(n, "v").arn()));
        sm().putResourcePolicy(b -> b.secretId(n).resourcePolicy(p));

        var del = raw("DeleteResourcePolicy", json("SecretId", n));

        Expect.ok(del, "ARN", "Name");
        Expect.ok(raw("GetResourcePolicy", json("SecretId", n)), "ARN", "Name");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DeleteResourcePolicy [U] — idempotent without a policy")
    void deleteWithoutAPolicySucceeds() {
        String n = name("s");
        createSecret(n, "v");

        Expect.ok(raw("DeleteResourcePolicy", json("SecretId", n)), "ARN", "Name");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not json", "{\"Statement\": 5}", "[]", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\","
            + "\"Principal\":\"*\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}]}"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 PutResourcePolicy [V] — bad JSON or grammar is MalformedPolicyDocumentException; message [U]")
    void malformedPolicyIsMalformedPolicyDocument(String policy) {
        String n = name("s");
        createSecret(n, "v");

        unchanged(n, () -> {
            assertThrowsMalformed(() -> sm().putResourcePolicy(b -> b.secretId(n).resourcePolicy(policy)));
            Expect.that(raw("PutResourcePolicy", json("SecretId", n, "ResourcePolicy", policy))).status(400)
                    .type("MalformedPolicyDocumentException").fields("__type", "Message").verify();
        });
    }

    private static void assertThrowsMalformed(org.junit.jupiter.api.function.Executable call) {
        var e = org.junit.jupiter.api.Assertions.assertThrows(MalformedPolicyDocumentException.class, call);
        assertEquals("MalformedPolicyDocumentException", e.awsErrorDetails().errorCode());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 PutResourcePolicy [V] — 'This resource policy contains an unsupported principal' (terraform-provider-aws retries on it); the trigger here is a malformed principal [U]")
    void unsupportedPrincipalIsMalformedPolicyDocument() {
        String n = name("s");
        createSecret(n, "v");
        String p = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"not-a-principal\"},"
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";

        unchanged(n, () -> {
            Expect.that(raw("PutResourcePolicy", json("SecretId", n, "ResourcePolicy", p))).status(400)
                    .type("MalformedPolicyDocumentException").messageContains("This resource policy contains an unsupported principal")
                    .verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §10 [D] — BlockPublicPolicy=true refuses a public policy with PublicPolicyException; message [U]")
    void blockedPublicPolicyIsPublicPolicyAndNotStored() {
        String n = name("s");
        createSecret(n, "v");

        unchanged(n, () -> {
            var e = org.junit.jupiter.api.Assertions.assertThrows(PublicPolicyException.class,
                    () -> sm().putResourcePolicy(b -> b.secretId(n).resourcePolicy(PUBLIC_POLICY).blockPublicPolicy(true)));
            assertEquals("PublicPolicyException", e.awsErrorDetails().errorCode());
        });
        Expect.ok(raw("GetResourcePolicy", json("SecretId", n)), "ARN", "Name");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ValidateResourcePolicy [V example] — a clean policy passes with no errors")
    void validateAcceptsACleanPolicy() {
        String n = name("s");
        String p = policy(account(createSecret(n, "v").arn()));

        var raw = raw("ValidateResourcePolicy", json("SecretId", n, "ResourcePolicy", p));

        Expect.ok(raw, "PolicyValidationPassed", "ValidationErrors");
        assertTrue(raw.body().get("PolicyValidationPassed").asBoolean());
        assertEquals(0, raw.body().get("ValidationErrors").size());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ValidateResourcePolicy [D] — broad access fails validation with an entry; CheckName [U]")
    void validateReportsAPublicPolicy() {
        ValidateResourcePolicyResponse r = sm().validateResourcePolicy(b -> b.resourcePolicy(PUBLIC_POLICY));

        assertFalse(r.policyValidationPassed());
        assertFalse(r.validationErrors().isEmpty());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ValidateResourcePolicy [D] — syntax errors are MalformedPolicyDocumentException")
    void validateRefusesMalformedJson() {
        Expect.that(raw("ValidateResourcePolicy", json("ResourcePolicy", "{not json"))).status(400)
                .type("MalformedPolicyDocumentException").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §6 [U] — marked-for-deletion text on PutResourcePolicy")
    void putOnASecretScheduledForDeletionIsInvalidRequest() {
        String n = name("s");
        String p = policy(account(createSecret(n, "v").arn()));
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        unchanged(n, () -> {
            refused(InvalidRequestException.class, "InvalidRequestException", MARKED_FOR_DELETION,
                    () -> sm().putResourcePolicy(b -> b.secretId(n).resourcePolicy(p)));
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GetResourcePolicy", "PutResourcePolicy", "DeleteResourcePolicy"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 [D] — unknown secret, the common not-found text [V]")
    void unknownSecretIsResourceNotFound(String operation) {
        String n = name("missing");

        unchanged(n, () -> {
            Expect.error(raw(operation, SecretIdConformance.BY_SECRET_ID.get(operation).apply(n)), 400,
                    "ResourceNotFoundException", NOT_FOUND);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.4 [D] — policies up to 20,480 characters (model); ValidationException template [V]")
    void policyOver20480CharactersIsAValidationException() {
        String n = name("s");
        createSecret(n, "v");
        String big = "{\"Version\":\"2012-10-17\",\"Id\":\"" + "x".repeat(20480) + "\",\"Statement\":[]}";

        Expect.that(raw("PutResourcePolicy", json("SecretId", n, "ResourcePolicy", big))).status(400)
                .type("ValidationException").messageContains("resourcePolicy").verify();
    }
}
