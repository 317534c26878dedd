package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.observe.Event;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Who may do what, through the SDK: resource policies, identity policies of declared principals,
 * key policies, and the seed's cross-account design (security account's secret under a customer
 * managed key, shared with a workload account) with the three ways it breaks.
 */
class AuthorizationWireTest extends WireSupport {
    static final String SECURITY = "444455556666";
    static final String WORKLOAD = OTHER_ACCOUNT; // 111122223333
    static final String WORKLOAD_ROOT = "arn:aws:iam::" + WORKLOAD + ":root";

    @AfterEach
    void forgetPrincipals() {
        emulator.principals().clear(); // reset keeps declared principals on purpose
    }

    static String allow(String principal, String... actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + principal
                + "\"},\"Action\":" + array(actions) + ",\"Resource\":\"*\"}]}";
    }

    static String array(String... xs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < xs.length; i++) sb.append(i == 0 ? "" : ",").append('"').append(xs[i]).append('"');
        return sb.append(']').toString();
    }

    /** AWS's default key policy plus a statement granting {@code actions} to {@code grantee}. */
    static String keyPolicy(String owner, String grantee, String... actions) {
        String root = "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + owner + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
        String grant = grantee == null ? "" : ",{\"Sid\":\"Workload\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + grantee + "\"},\"Action\":" + array(actions) + ",\"Resource\":\"*\"}";
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + root + grant + "]}";
    }

    static AwsServiceException denied(Executable call) {
        AwsServiceException e = assertThrows(AwsServiceException.class, call);
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode(), e.getMessage());
        assertEquals(400, e.statusCode());
        return e;
    }

    static String message(AwsServiceException e) {
        return e.awsErrorDetails().errorMessage();
    }

    // ---- the seed's design -----------------------------------------------------------------------

    /** Security account: a customer managed key granting the workload Decrypt, a secret under it, a resource policy. */
    String shareFromSecurityAccount() {
        String keyArn = kms("us-east-1", SECURITY).createKey(b -> b.description("shared secrets")
                .policy(keyPolicy(SECURITY, WORKLOAD_ROOT, "kms:Decrypt", "kms:DescribeKey"))).keyMetadata().arn();
        String arn = sm("us-east-1", SECURITY).createSecret(b -> b.name("prod/db").kmsKeyId(keyArn)
                .secretString("s3cr3t")).arn();
        sm("us-east-1", SECURITY).putResourcePolicy(b -> b.secretId(arn)
                .resourcePolicy(allow(WORKLOAD_ROOT, "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")));
        return arn;
    }

    @Test
    void workloadReadsTheSharedSecretByArn() {
        String arn = shareFromSecurityAccount();

        assertEquals("s3cr3t", sm("us-east-1", WORKLOAD).getSecretValue(b -> b.secretId(arn)).secretString());
        assertEquals("prod/db", sm("us-east-1", WORKLOAD).describeSecret(b -> b.secretId(arn)).name());
    }

    @Test
    void withoutTheResourcePolicyTheReadIsRefused() {
        String arn = shareFromSecurityAccount();
        sm("us-east-1", SECURITY).deleteResourcePolicy(b -> b.secretId(arn));

        AwsServiceException e = denied(() -> sm("us-east-1", WORKLOAD).getSecretValue(b -> b.secretId(arn)));

        assertEquals("User: " + WORKLOAD_ROOT + " is not authorized to perform: secretsmanager:GetSecretValue on "
                + "resource: " + arn + " because no resource-based policy allows the secretsmanager:GetSecretValue action",
                message(e));
    }

    @Test
    void withoutTheKeyPolicyGrantTheReadIsRefusedByKms() {
        String arn = shareFromSecurityAccount();
        String keyId = sm("us-east-1", SECURITY).describeSecret(b -> b.secretId(arn)).kmsKeyId();
        kms("us-east-1", SECURITY).putKeyPolicy(b -> b.keyId(keyId).policyName("default").policy(keyPolicy(SECURITY, null)));

        AwsServiceException e = denied(() -> sm("us-east-1", WORKLOAD).getSecretValue(b -> b.secretId(arn)));

        assertEquals("Access to KMS is not allowed", message(e));
        assertEquals("prod/db", sm("us-east-1", WORKLOAD).describeSecret(b -> b.secretId(arn)).name(),
                "metadata needs no key");
    }

    @Test
    void underTheDefaultKeyTheReadFailsWithAwsMessage() {
        String arn = shareFromSecurityAccount();
        sm("us-east-1", SECURITY).updateSecret(b -> b.secretId(arn).kmsKeyId("alias/aws/secretsmanager"));

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> sm("us-east-1", WORKLOAD).getSecretValue(b -> b.secretId(arn)));

        assertEquals("You can't access a secret from a different AWS account if you encrypt the secret with the "
                + "default KMS service key.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void writesAcrossAccountsNeedTheirOwnGrants() {
        String arn = shareFromSecurityAccount();

        AwsServiceException noPolicy = denied(() -> sm("us-east-1", WORKLOAD).putSecretValue(b -> b.secretId(arn)
                .secretString("overwritten")));
        sm("us-east-1", SECURITY).putResourcePolicy(b -> b.secretId(arn)
                .resourcePolicy(allow(WORKLOAD, "secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue")));
        AwsServiceException noKey = denied(() -> sm("us-east-1", WORKLOAD).putSecretValue(b -> b.secretId(arn)
                .secretString("overwritten")));

        assertTrue(message(noPolicy).endsWith("because no resource-based policy allows the secretsmanager:PutSecretValue action"),
                message(noPolicy));
        assertEquals("Access to KMS is not allowed", message(noKey));
        assertEquals("s3cr3t", sm("us-east-1", SECURITY).getSecretValue(b -> b.secretId(arn)).secretString());
    }

    @Test
    void choosingAKeyWhosePolicyDoesNotAdmitTheCallerIsRefused() {
        String keyArn = kms("us-east-1").createKey(b -> b.policy(keyPolicy("444455556666", null))).keyMetadata().arn();
        sm().createSecret(b -> b.name("plain").secretString("v"));

        AwsServiceException create = denied(() -> sm().createSecret(b -> b.name("k").kmsKeyId(keyArn).secretString("v")));
        AwsServiceException update = denied(() -> sm().updateSecret(b -> b.secretId("plain").kmsKeyId(keyArn)));

        assertEquals("Access to KMS is not allowed", message(create));
        assertEquals("Access to KMS is not allowed", message(update));
        assertEquals(1, sm().listSecrets(b -> { }).secretList().size());
        assertNull(sm().describeSecret(b -> b.secretId("plain")).kmsKeyId());
    }

    // ---- resource policies -------------------------------------------------------------------------

    @Test
    void anotherAccountWithoutAPolicyCanNeitherReadNorChangeNorSee() {
        String arn = sm("us-east-1", SECURITY).createSecret(b -> b.name("private").secretString("v")).arn();

        AwsServiceException describe = denied(() -> sm("us-east-1", WORKLOAD).describeSecret(b -> b.secretId(arn)));
        denied(() -> sm("us-east-1", WORKLOAD).tagResource(b -> b.secretId(arn).tags(t -> t.key("k").value("v"))));
        denied(() -> sm("us-east-1", WORKLOAD).deleteSecret(b -> b.secretId(arn).forceDeleteWithoutRecovery(true)));

        assertEquals("User: " + WORKLOAD_ROOT + " is not authorized to perform: secretsmanager:DescribeSecret on "
                + "resource: " + arn + " because no resource-based policy allows the secretsmanager:DescribeSecret action",
                message(describe));
        assertTrue(sm("us-east-1", WORKLOAD).listSecrets(b -> { }).secretList().isEmpty());
        assertTrue(sm("us-east-1", SECURITY).describeSecret(b -> b.secretId(arn)).tags().isEmpty(), "not tagged");
    }

    @Test
    void anExplicitDenyWinsEvenInTheOwnAccount() {
        sm().createSecret(b -> b.name("locked").secretString("v"));
        sm().putResourcePolicy(b -> b.secretId("locked").resourcePolicy("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"));

        AwsServiceException e = denied(() -> sm().getSecretValue(b -> b.secretId("locked")));

        assertEquals("User: arn:aws:iam::000000000000:root is not authorized to perform: secretsmanager:GetSecretValue"
                + " on resource: locked with an explicit deny in a resource-based policy", message(e));
        assertEquals("locked", sm().describeSecret(b -> b.secretId("locked")).name(), "only the denied action");
    }

    @Test
    void aPolicyRequiringAwsCurrentRefusesAReadThatNamesNoStage() {
        String arn = shareFromSecurityAccount();
        sm("us-east-1", SECURITY).putResourcePolicy(b -> b.secretId(arn).resourcePolicy("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + WORKLOAD + "\"},"
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\",\"Condition\":{"
                + "\"ForAnyValue:StringEquals\":{\"secretsmanager:VersionStage\":\"AWSCURRENT\"}}}]}"));

        denied(() -> sm("us-east-1", WORKLOAD).getSecretValue(b -> b.secretId(arn)));

        assertEquals("s3cr3t", sm("us-east-1", WORKLOAD).getSecretValue(b -> b.secretId(arn).versionStage("AWSCURRENT"))
                .secretString());
    }

    @Test
    void tagConditionsFollowTheSecretsTags() {
        String arn = shareFromSecurityAccount();
        sm("us-east-1", SECURITY).putResourcePolicy(b -> b.secretId(arn).resourcePolicy("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + WORKLOAD_ROOT + "\"},"
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\",\"Condition\":{"
                + "\"StringEquals\":{\"secretsmanager:ResourceTag/share\":\"workload\"}}}]}"));

        denied(() -> sm("us-east-1", WORKLOAD).getSecretValue(b -> b.secretId(arn)));
        sm("us-east-1", SECURITY).tagResource(b -> b.secretId(arn).tags(t -> t.key("share").value("workload")));

        assertEquals("s3cr3t", sm("us-east-1", WORKLOAD).getSecretValue(b -> b.secretId(arn)).secretString());
    }

    @Test
    void aConditionTheEmulatorCannotEvaluateIsRefusedWhenStored() {
        sm().createSecret(b -> b.name("s"));
        String orgCondition = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\",\"Condition\":{"
                + "\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}}]}";

        MalformedPolicyDocumentException put = assertThrows(MalformedPolicyDocumentException.class,
                () -> sm().putResourcePolicy(b -> b.secretId("s").resourcePolicy(orgCondition)));
        MalformedPolicyDocumentException validate = assertThrows(MalformedPolicyDocumentException.class,
                () -> sm().validateResourcePolicy(b -> b.resourcePolicy(orgCondition)));

        assertTrue(put.awsErrorDetails().errorMessage().contains("aws:PrincipalOrgID"), put.getMessage());
        assertTrue(validate.awsErrorDetails().errorMessage().contains("aws:PrincipalOrgID"), validate.getMessage());
        assertNull(sm().getResourcePolicy(b -> b.secretId("s")).resourcePolicy());
    }

    @Test
    void batchGetReportsRefusedSecretsOneByOne() {
        String shared = shareFromSecurityAccount();
        String hidden = sm("us-east-1", SECURITY).createSecret(b -> b.name("hidden").secretString("h")).arn();

        BatchGetSecretValueResponse r = sm("us-east-1", WORKLOAD).batchGetSecretValue(b -> b.secretIdList(shared, hidden));

        assertEquals(List.of("s3cr3t"), r.secretValues().stream().map(v -> v.secretString()).toList());
        assertEquals(1, r.errors().size());
        assertEquals(hidden, r.errors().get(0).secretId());
        assertEquals("AccessDeniedException", r.errors().get(0).errorCode());
    }

    @Test
    void everyRefusalIsAnEventNamingWhoWhatWhereAndWhy() {
        String arn = sm("us-east-1", SECURITY).createSecret(b -> b.name("private").secretString("v")).arn();

        denied(() -> sm("us-east-1", WORKLOAD).getSecretValue(b -> b.secretId(arn)));

        Event e = emulator.events().all().stream().filter(x -> x.eventName().equals("AccessDenied")).findFirst()
                .orElseThrow();
        assertEquals(WORKLOAD_ROOT, e.requestParameters().get("principal"));
        assertEquals("secretsmanager:GetSecretValue", e.requestParameters().get("action"));
        assertEquals(arn, e.requestParameters().get("resource"));
        assertEquals("because no resource-based policy allows the secretsmanager:GetSecretValue action",
                e.requestParameters().get("reason"));
        assertFalse(e.toString().contains("\"v\""));
    }

    // ---- declared principals and identity policies ----------------------------------------------

    @Test
    void aDeclaredRoleIsLimitedByItsIdentityPolicy() {
        emulator.principals().declare(new Principals.Declared("AKIAREADER", "arn:aws:iam::000000000000:role/Reader", null,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"secretsmanager:GetSecretValue\","
                        + "\"secretsmanager:Describe*\"],\"Resource\":\"arn:aws:secretsmanager:*:*:secret:app/*\"},"
                        + "{\"Effect\":\"Deny\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\",\"Condition\":"
                        + "{\"StringEquals\":{\"secretsmanager:ResourceTag/tier\":\"admin\"}}}]}"));
        sm().createSecret(b -> b.name("app/db").secretString("a"));
        sm().createSecret(b -> b.name("app/root").secretString("r").tags(t -> t.key("tier").value("admin")));
        sm().createSecret(b -> b.name("ops/key").secretString("o"));

        assertEquals("a", sm("us-east-1", "AKIAREADER").getSecretValue(b -> b.secretId("app/db")).secretString());
        AwsServiceException write = denied(() -> sm("us-east-1", "AKIAREADER").putSecretValue(b -> b.secretId("app/db")
                .secretString("x")));
        AwsServiceException elsewhere = denied(() -> sm("us-east-1", "AKIAREADER").getSecretValue(b -> b.secretId("ops/key")));
        AwsServiceException tagged = denied(() -> sm("us-east-1", "AKIAREADER").getSecretValue(b -> b.secretId("app/root")));
        AwsServiceException list = denied(() -> sm("us-east-1", "AKIAREADER").listSecrets(b -> { }));

        assertEquals("User: arn:aws:iam::000000000000:role/Reader is not authorized to perform: "
                + "secretsmanager:PutSecretValue on resource: app/db because no identity-based policy allows the "
                + "secretsmanager:PutSecretValue action", message(write));
        assertTrue(message(elsewhere).endsWith("because no identity-based policy allows the secretsmanager:GetSecretValue action"));
        assertTrue(message(tagged).endsWith("with an explicit deny in an identity-based policy"), message(tagged));
        assertTrue(message(list).contains("secretsmanager:ListSecrets on resource: *"), message(list));
    }

    @Test
    void aRoleInAnotherAccountNeedsBothPolicies() {
        String arn = shareFromSecurityAccount();
        String role = "arn:aws:iam::" + WORKLOAD + ":role/App";
        emulator.principals().declare(new Principals.Declared("AKIAAPP", role, null,
                "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:DescribeSecret\",\"Resource\":\"*\"}}"));

        assertEquals("prod/db", sm("us-east-1", "AKIAAPP").describeSecret(b -> b.secretId(arn)).name());
        AwsServiceException e = denied(() -> sm("us-east-1", "AKIAAPP").getSecretValue(b -> b.secretId(arn)));

        assertEquals("User: " + role + " is not authorized to perform: secretsmanager:GetSecretValue on resource: "
                + arn + " because no identity-based policy allows the secretsmanager:GetSecretValue action", message(e));
    }

    @Test
    void principalsAreDeclaredThroughTheAdminApiAndSurviveReset() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(admin("principals/AKIAOPS"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"arn\":\"arn:aws:iam::000000000000:user/ops\","
                        + "\"secretAccessKey\":\"hush\",\"policy\":{\"Statement\":{\"Effect\":\"Allow\","
                        + "\"Action\":\"secretsmanager:CreateSecret\",\"Resource\":\"*\"}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(admin("principals/AKIABAD"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"arn\":\"arn:aws:iam::000000000000:group/x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        emulator.reset();
        JsonNode listed = json.readTree(HTTP.send(HttpRequest.newBuilder(admin("principals")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());

        assertEquals(200, put.statusCode(), put.body());
        assertEquals(400, bad.statusCode());
        assertEquals("arn:aws:iam::000000000000:user/ops", listed.path("principals").get(0).path("arn").asText());
        assertTrue(listed.path("principals").get(0).path("hasSecretAccessKey").asBoolean());
        assertFalse(listed.toString().contains("hush"), "the secret access key is never shown");
        assertEquals("hush", emulator.principals().secretKeyOf("AKIAOPS").orElseThrow());
        sm("us-east-1", "AKIAOPS").createSecret(b -> b.name("made-by-ops"));
        denied(() -> sm("us-east-1", "AKIAOPS").describeSecret(b -> b.secretId("made-by-ops")));

        HttpResponse<String> delete = HTTP.send(HttpRequest.newBuilder(admin("principals/AKIAOPS"))
                        .header("Content-Type", "application/json").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, delete.statusCode());
        assertTrue(emulator.principals().all().isEmpty());
    }

    // ---- KMS key policies ---------------------------------------------------------------------

    @Test
    void keysCarryAwsDefaultPolicyAndAcceptANewOne() {
        String keyId = kms("us-east-1").createKey(b -> { }).keyMetadata().keyId();

        String policy = kms("us-east-1").getKeyPolicy(b -> b.keyId(keyId).policyName("default")).policy();
        assertTrue(policy.contains("\"Sid\" : \"Enable IAM User Permissions\""), policy);
        assertTrue(policy.contains("arn:aws:iam::000000000000:root"), policy);
        assertEquals(List.of("default"), kms("us-east-1").listKeyPolicies(b -> b.keyId(keyId)).policyNames());

        String granting = keyPolicy("000000000000", WORKLOAD_ROOT, "kms:Decrypt");
        kms("us-east-1").putKeyPolicy(b -> b.keyId(keyId).policyName("default").policy(granting));
        assertEquals(granting, kms("us-east-1").getKeyPolicy(b -> b.keyId(keyId).policyName("default")).policy());
        KmsException malformed = assertThrows(KmsException.class,
                () -> kms("us-east-1").putKeyPolicy(b -> b.keyId(keyId).policyName("default").policy("{\"nope\":1}")));
        assertEquals("MalformedPolicyDocumentException", malformed.awsErrorDetails().errorCode());
    }

    @Test
    void kmsCallsAcrossAccountsFollowTheKeyPolicy() {
        String keyArn = kms("us-east-1", SECURITY).createKey(b -> b.policy(keyPolicy(SECURITY, WORKLOAD_ROOT, "kms:Decrypt")))
                .keyMetadata().arn();
        SdkBytes blob = kms("us-east-1", SECURITY).encrypt(b -> b.keyId(keyArn).plaintext(SdkBytes.fromUtf8String("p")))
                .ciphertextBlob();

        assertEquals("p", kms("us-east-1", WORKLOAD).decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String());
        KmsException encrypt = assertThrows(KmsException.class, () -> kms("us-east-1", WORKLOAD)
                .encrypt(b -> b.keyId(keyArn).plaintext(SdkBytes.fromUtf8String("q"))));

        assertEquals("AccessDeniedException", encrypt.awsErrorDetails().errorCode());
        assertEquals("User: " + WORKLOAD_ROOT + " is not authorized to perform: kms:Encrypt on resource: " + keyArn
                + " because no resource-based policy allows the kms:Encrypt action", encrypt.awsErrorDetails().errorMessage());
    }

    @Test
    void theSecretsManagerClientSeesAnUnmodeledAccessDenied() {
        String arn = sm("us-east-1", SECURITY).createSecret(b -> b.name("private").secretString("v")).arn();

        SecretsManagerException e = assertThrows(SecretsManagerException.class,
                () -> sm("us-east-1", WORKLOAD).getSecretValue(b -> b.secretId(arn)));

        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
    }
}
