package dev.smlocal.conformance;

import static dev.smlocal.conformance.ResourcePolicyConformance.account;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Who may do what (docs/AUTHORIZATION.md): resource policies, key policies, and AWS's
 * AccessDeniedException shapes. Checks that need a second account use the emulator's access-key
 * mapping and are {@code @EmulatorOnly}; the single-account ones run against AWS too.
 */
class AuthorizationConformance extends ConformanceCheck {
    static final String OTHER = CrossAccountConformance.OTHER;

    /** AWS's default key policy for {@code owner}, plus kms:Decrypt and kms:GenerateDataKey for {@code grantee}. */
    static String keyPolicy(String owner, String grantee) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + owner + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
                + "{\"Sid\":\"Grantee\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + grantee + ":root\"},"
                + "\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey\"],\"Resource\":\"*\"}]}";
    }

    SecretsManagerClient other() {
        return target.secretsAs(powers().credentialsOf(OTHER), target.region());
    }

    static String deny(String action) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":\"secretsmanager:" + action + "\",\"Resource\":\"*\"}]}";
    }

    @Test
    @AwsUnverified(reason = "AWS IAM policy evaluation: an explicit Deny in a resource policy overrides any Allow; "
            + "message shape from public error reports [V], see docs/AUTHORIZATION.md")
    void anExplicitDenyInTheResourcePolicyRefusesTheOwner() {
        String n = name("s");
        createSecret(n, "v");
        sm().putResourcePolicy(b -> b.secretId(n).resourcePolicy(deny("GetSecretValue")));

        SecretsManagerException e = refused(SecretsManagerException.class, "AccessDeniedException", null,
                () -> sm().getSecretValue(b -> b.secretId(n)));

        String m = e.awsErrorDetails().errorMessage();
        assertTrue(m.startsWith("User: arn:aws:"), m);
        assertTrue(m.endsWith(" is not authorized to perform: secretsmanager:GetSecretValue on resource: " + n
                + " with an explicit deny in a resource-based policy"), m);
        assertEquals(n, sm().describeSecret(b -> b.secretId(n)).name(), "only the denied action is refused");
    }

    @Test
    @EmulatorOnly("a second account (the emulator's access-key mapping); message shape [V] public error reports")
    void anotherAccountWithoutAResourcePolicyIsRefused() {
        String n = name("s");
        String arn = createSecret(n, "v").arn();

        refused(SecretsManagerException.class, "AccessDeniedException", "User: arn:aws:iam::" + OTHER + ":root is not "
                + "authorized to perform: secretsmanager:GetSecretValue on resource: " + arn + " because no "
                + "resource-based policy allows the secretsmanager:GetSecretValue action",
                () -> other().getSecretValue(b -> b.secretId(arn)));
        refused(SecretsManagerException.class, "AccessDeniedException", null,
                () -> other().putSecretValue(b -> b.secretId(arn).secretString("overwritten")));
        assertEquals("v", sm().getSecretValue(b -> b.secretId(n)).secretString());
    }

    @Test
    @EmulatorOnly("a second account (the emulator's access-key mapping); behaviour [D] public boto3/aws-cli threads")
    @CreatesKeys(1)
    void aPolicyRequiringAwsCurrentRefusesAReadThatNamesNoStage() {
        String n = name("s");
        String keyArn = createKey("conformance: stage condition").keyMetadata().arn();
        kms().putKeyPolicy(b -> b.keyId(keyArn).policyName("default").policy(keyPolicy(account(keyArn), OTHER)));
        track(n);
        String arn = sm().createSecret(b -> b.name(n).secretString("v").kmsKeyId(keyArn)).arn();
        sm().putResourcePolicy(b -> b.secretId(arn).resourcePolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{"
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + OTHER + "\"},\"Action\":\"secretsmanager:GetSecretValue\","
                + "\"Resource\":\"*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"secretsmanager:VersionStage\":"
                + "\"AWSCURRENT\"}}}]}"));

        refused(SecretsManagerException.class, "AccessDeniedException", null,
                () -> other().getSecretValue(b -> b.secretId(arn)));
        assertEquals("v", other().getSecretValue(b -> b.secretId(arn).versionStage("AWSCURRENT")).secretString());
    }

    @Test
    @EmulatorOnly("a second account (the emulator's access-key mapping); message [V] spec KMS mapping")
    @CreatesKeys(1)
    void aKeyPolicyWithoutAGrantRefusesTheValueToAnotherAccount() {
        String n = name("s");
        String keyArn = createKey("conformance: no grant").keyMetadata().arn();
        track(n);
        String arn = sm().createSecret(b -> b.name(n).secretString("v").kmsKeyId(keyArn)).arn();
        sm().putResourcePolicy(b -> b.secretId(arn).resourcePolicy(ResourcePolicyConformance.policy(OTHER)));

        refused(SecretsManagerException.class, "AccessDeniedException", "Access to KMS is not allowed",
                () -> other().getSecretValue(b -> b.secretId(arn)));
    }

    @Test
    @EmulatorOnly("smlocal refuses condition keys it cannot evaluate (AWS accepts aws:PrincipalOrgID)")
    void aConditionTheEmulatorCannotEvaluateIsMalformed() {
        String n = name("s");
        createSecret(n, "v");

        refused(MalformedPolicyDocumentException.class, "MalformedPolicyDocumentException", null,
                () -> sm().putResourcePolicy(b -> b.secretId(n).resourcePolicy("{\"Version\":\"2012-10-17\",\"Statement\":"
                        + "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\","
                        + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-1\"}}}]}")));
    }

    @Test
    @AwsUnverified(reason = "KMS default key policy [D] AWS KMS developer guide, 'Default key policy'")
    @CreatesKeys(1)
    void aNewKeyCarriesTheDefaultPolicyUnderTheNameDefault() {
        String keyId = createKey("conformance: default policy").keyMetadata().keyId();
        String owner = account(kms().describeKey(b -> b.keyId(keyId)).keyMetadata().arn());

        String policy = kms().getKeyPolicy(b -> b.keyId(keyId).policyName("default")).policy();

        assertEquals(java.util.List.of("default"), kms().listKeyPolicies(b -> b.keyId(keyId)).policyNames());
        assertTrue(policy.contains("Enable IAM User Permissions"), policy);
        assertTrue(policy.contains("arn:aws:iam::" + owner + ":root"), policy);
        assertTrue(policy.contains("kms:*"), policy);
    }
}
