package dev.smlocal.testkit.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.smlocal.testkit.InAccount;
import dev.smlocal.testkit.SmLocalExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Drill (f): cross-account sharing, the seed write-up's design. A security account owns the secret,
 * encrypted under a customer managed key; a workload account's application role reads it by ARN.
 * Three things must all say yes: the secret's resource policy (it names the workload account), the
 * key policy (it grants the workload account {@code kms:Decrypt}), and the role's own identity
 * policy (it allows {@code secretsmanager:GetSecretValue} and {@code kms:Decrypt}). The drill shows
 * the working setup, then each of the three ways it breaks and the error each one gives.
 */
class CrossAccountSharingDrillTest {
    static final String SECURITY = "444455556666";
    static final String WORKLOAD = "111122223333";
    static final String APP_ROLE = "arn:aws:iam::" + WORKLOAD + ":role/App";

    /** The workload role may read secrets and decrypt with keys of the security account, nothing else. */
    static final String APP_IDENTITY_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
               "Resource": "arn:aws:secretsmanager:us-east-1:444455556666:secret:*"},
              {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:444455556666:key/*"}]}
            """;

    @RegisterExtension
    static final SmLocalExtension SMLOCAL = SmLocalExtension.builder()
            .principal("AKIAWORKLOADAPP", APP_ROLE, APP_IDENTITY_POLICY)
            .build();

    /** The secret's resource policy: the workload account may read it (its roles still need their own grant). */
    static final String RESOURCE_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
               "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
            """;

    /** AWS's default key policy, plus Decrypt for the workload account when {@code shared}. */
    static String keyPolicy(boolean shared) {
        String owner = """
                {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:*", "Resource": "*"}""";
        String workload = """
                ,{"Sid": "Workload reads", "Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "*"}""";
        return "{\"Version\": \"2012-10-17\", \"Statement\": [" + owner + (shared ? workload : "") + "]}";
    }

    /** The security account's setup: key, secret under it, resource policy. Answers the secret's ARN. */
    static String share(SecretsManagerClient security, KmsClient securityKms) {
        String keyArn = securityKms.createKey(b -> b.description("shared secrets").policy(keyPolicy(true)))
                .keyMetadata().arn();
        String arn = security.createSecret(b -> b.name("prod/db").kmsKeyId(keyArn).secretString("s3cr3t")).arn();
        security.putResourcePolicy(b -> b.secretId(arn).resourcePolicy(RESOURCE_POLICY));
        return arn;
    }

    @Test
    void theWorkloadRoleReadsTheSharedSecretByArn(
            @InAccount(SECURITY) SecretsManagerClient security, @InAccount(SECURITY) KmsClient securityKms,
            @InAccount(value = WORKLOAD, principal = "role/App") SecretsManagerClient app) {
        String arn = share(security, securityKms);

        // Act: the workload reads by full ARN (a name would look in its own account)
        String value = app.getSecretValue(b -> b.secretId(arn)).secretString();

        assertEquals("s3cr3t", value);
    }

    @Test
    void withoutTheResourcePolicyTheWorkloadIsRefused(
            @InAccount(SECURITY) SecretsManagerClient security, @InAccount(SECURITY) KmsClient securityKms,
            @InAccount(value = WORKLOAD, principal = "role/App") SecretsManagerClient app) {
        String arn = share(security, securityKms);
        security.deleteResourcePolicy(b -> b.secretId(arn));

        SecretsManagerException e = assertThrows(SecretsManagerException.class,
                () -> app.getSecretValue(b -> b.secretId(arn)));

        // AccessDeniedException is not in the Secrets Manager model: match the error code
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertEquals("User: " + APP_ROLE + " is not authorized to perform: secretsmanager:GetSecretValue on resource: "
                + arn + " because no resource-based policy allows the secretsmanager:GetSecretValue action",
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void withoutTheKeyPolicyGrantKmsRefuses(
            @InAccount(SECURITY) SecretsManagerClient security, @InAccount(SECURITY) KmsClient securityKms,
            @InAccount(value = WORKLOAD, principal = "role/App") SecretsManagerClient app) {
        String arn = share(security, securityKms);
        String keyArn = security.describeSecret(b -> b.secretId(arn)).kmsKeyId();
        securityKms.putKeyPolicy(b -> b.keyId(keyArn).policyName("default").policy(keyPolicy(false)));

        SecretsManagerException e = assertThrows(SecretsManagerException.class,
                () -> app.getSecretValue(b -> b.secretId(arn)));

        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertEquals("Access to KMS is not allowed", e.awsErrorDetails().errorMessage());
    }

    @Test
    void underTheDefaultKeyNoPolicyCanShareTheValue(
            @InAccount(SECURITY) SecretsManagerClient security, @InAccount(SECURITY) KmsClient securityKms,
            @InAccount(value = WORKLOAD, principal = "role/App") SecretsManagerClient app) {
        String arn = share(security, securityKms);
        // the AWS managed key's policy cannot be changed, so it can never grant another account
        security.updateSecret(b -> b.secretId(arn).kmsKeyId("alias/aws/secretsmanager"));

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> app.getSecretValue(b -> b.secretId(arn)));

        assertEquals("You can't access a secret from a different AWS account if you encrypt the secret with the "
                + "default KMS service key.", e.awsErrorDetails().errorMessage());
    }
}
