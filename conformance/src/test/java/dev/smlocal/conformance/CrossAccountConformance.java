package dev.smlocal.conformance;

import static dev.smlocal.conformance.ResourcePolicyConformance.account;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import dev.smlocal.conformance.support.RawClient;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;

/**
 * A secret reached from another account through its full ARN (AWS-BEHAVIOUR §9.2, §10), once the owner's
 * resource policy (and, for values, the key policy) lets that account in. Against AWS this
 * needs a second account's credentials, which the suite does not handle yet; an emulator provides
 * one through its access-key mapping, hence {@code @EmulatorOnly}.
 */
class CrossAccountConformance extends ConformanceCheck {
    static final String OTHER = "111122223333";
    static final String DEFAULT_KEY = "You can't access a secret from a different AWS account if you encrypt the secret with "
            + "the default KMS service key.";

    SecretsManagerClient other() {
        return target.secretsAs(powers().credentialsOf(OTHER), target.region());
    }

    /** The resource policy AWS needs before another account may call {@code actions} on the secret. */
    void shareWithOther(String arn, String... actions) {
        StringBuilder list = new StringBuilder();
        for (String a : actions) list.append(list.length() == 0 ? "" : ",").append("\"secretsmanager:").append(a).append('"');
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + OTHER + ":root\"},\"Action\":[" + list + "],\"Resource\":\"*\"}]}";
        sm().putResourcePolicy(b -> b.secretId(arn).resourcePolicy(policy));
    }

    @Test
    @EmulatorOnly("a second account (the emulator's access-key mapping); AWS-BEHAVIOUR §9.2 [V] LocalStack snapshot")
    void valueUnderTheDefaultKeyIsRefusedToAnotherAccount() {
        String n = name("s");
        String arn = createSecret(n, "v").arn();
        shareWithOther(arn, "GetSecretValue");

        refused(InvalidRequestException.class, "InvalidRequestException", DEFAULT_KEY,
                () -> other().getSecretValue(b -> b.secretId(arn)));
        Expect.error(new RawClient(target.endpoint("secretsmanager", target.region()), target.region(), "secretsmanager",
                powers().credentialsOf(OTHER)).call("GetSecretValue", json("SecretId", arn)), 400, "InvalidRequestException",
                DEFAULT_KEY);
    }

    @Test
    @EmulatorOnly("a second account (the emulator's access-key mapping); AWS-BEHAVIOUR §9.2 [V] LocalStack snapshot")
    void writingUnderTheDefaultKeyIsRefusedToAnotherAccount() {
        String n = name("s");
        String arn = createSecret(n, "v").arn();
        shareWithOther(arn, "PutSecretValue");

        refused(InvalidRequestException.class, "InvalidRequestException", DEFAULT_KEY,
                () -> other().putSecretValue(b -> b.secretId(arn).secretString("w")));
    }

    @Test
    @EmulatorOnly("a second account (the emulator's access-key mapping); AWS-BEHAVIOUR §10 [V]")
    void metadataIsReachableFromAnotherAccountByFullArn() {
        String n = name("s");
        String arn = createSecret(n, "v").arn();
        shareWithOther(arn, "DescribeSecret");

        assertEquals(arn, other().describeSecret(b -> b.secretId(arn)).arn());
    }

    @Test
    @EmulatorOnly("a second account (the emulator's access-key mapping); AWS-BEHAVIOUR §10 [V]")
    void anotherAccountNeverListsTheSecret() {
        String n = name("s");
        createSecret(n, "v");

        var listed = other().listSecrets(b -> b.filters(f -> f.key("name").values(scenario().scope()))).secretList();

        assertTrue(listed.isEmpty(), listed.toString());
    }

    @Test
    @EmulatorOnly("a second account (the emulator's access-key mapping); AWS-BEHAVIOUR §9.2/§10 [V]: value operations need a customer key")
    @CreatesKeys(1)
    void valueUnderACustomerKeyIsReadableFromAnotherAccount() {
        String n = name("s");
        String keyArn = createKey("conformance: cross-account").keyMetadata().arn();
        kms().putKeyPolicy(b -> b.keyId(keyArn).policyName("default").policy(AuthorizationConformance.keyPolicy(
                account(keyArn), OTHER)));
        track(n);
        String arn = sm().createSecret(b -> b.name(n).secretString("shared").kmsKeyId(keyArn)).arn();
        shareWithOther(arn, "GetSecretValue");

        assertEquals("shared", other().getSecretValue(b -> b.secretId(arn)).secretString());
    }
}
