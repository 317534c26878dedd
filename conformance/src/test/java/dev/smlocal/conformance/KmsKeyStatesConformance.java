package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * KMS key states as Secrets Manager sees them (AWS-BEHAVIOUR §9): which key references a secret accepts, and
 * how a disabled or deletion-pending key refuses writes (EncryptionFailure) and reads
 * (DecryptionFailure), quoting KMS.
 */
class KmsKeyStatesConformance extends ConformanceCheck {
    static final String CANT_ENCRYPT = "Secrets Manager can't encrypt the secret value: ";
    static final String CANT_DECRYPT = "Secrets Manager can't decrypt the secret value: ";

    /** A secret with a value under a fresh customer key; answers the key's metadata. */
    KeyMetadata secretUnderNewKey(String n) {
        KeyMetadata key = createKey("conformance: " + n).keyMetadata();
        track(n);
        sm().createSecret(b -> b.name(n).secretString("v").kmsKeyId(key.arn()));
        return key;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"key id", "key ARN", "alias name", "alias ARN"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.1 [D][V] — key id, key ARN, alias/ name and alias ARN are accepted")
    @CreatesKeys(1)
    void everyKeyReferenceFormIsAccepted(String form) {
        KeyMetadata key = createKey("conformance: key forms").keyMetadata();
        String alias = "alias/" + scenario().scope().replace("/", "-").replace(".", "-") + "k";
        kms().createAlias(b -> b.aliasName(alias).targetKeyId(key.keyId()));
        try {
            String ref = switch (form) {
                case "key id" -> key.keyId();
                case "key ARN" -> key.arn();
                case "alias name" -> alias;
                default -> key.arn().substring(0, key.arn().indexOf(":key/")) + ":" + alias;
            };
            String n = name("s");
            track(n);

            sm().createSecret(b -> b.name(n).secretString("v").kmsKeyId(ref));

            assertEquals("v", sm().getSecretValue(b -> b.secretId(n)).secretString());
        } finally {
            kms().deleteAlias(b -> b.aliasName(alias));
        }
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.1 [D] — alias/aws/secretsmanager is the AWS managed key, usable by name")
    void awsManagedAliasIsAccepted() {
        String n = name("s");
        track(n);

        sm().createSecret(b -> b.name(n).secretString("v").kmsKeyId("alias/aws/secretsmanager"));

        assertEquals("v", sm().getSecretValue(b -> b.secretId(n)).secretString());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.2/§9.3 [D] — a disabled key refuses new values; type EncryptionFailure [U], KMS text [D][V]")
    @CreatesKeys(1)
    void disabledKeyRefusesNewValues() {
        String n = name("s");
        KeyMetadata key = secretUnderNewKey(n);
        kms().disableKey(b -> b.keyId(key.keyId()));

        unchanged(n, () -> {
            Expect.that(raw("PutSecretValue", json("SecretId", n, "SecretString", "w", "ClientRequestToken", token())))
                    .status(400).type("EncryptionFailure").messageStartsWith(CANT_ENCRYPT + key.arn() + " is disabled.").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [D] — a disabled key refuses reads with DecryptionFailure; message [U]")
    @CreatesKeys(1)
    void disabledKeyRefusesReads() {
        String n = name("s");
        KeyMetadata key = secretUnderNewKey(n);
        kms().disableKey(b -> b.keyId(key.keyId()));

        unchanged(n, () -> {
            Expect.that(raw("GetSecretValue", json("SecretId", n))).status(400).type("DecryptionFailure")
                    .messageStartsWith(CANT_DECRYPT + key.arn() + " is disabled.").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [D] — re-enabling the key makes the secret readable again")
    @CreatesKeys(1)
    void reEnabledKeyServesTheValueAgain() {
        String n = name("s");
        KeyMetadata key = secretUnderNewKey(n);
        kms().disableKey(b -> b.keyId(key.keyId()));

        kms().enableKey(b -> b.keyId(key.keyId()));

        assertEquals("v", sm().getSecretValue(b -> b.secretId(n)).secretString());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [D][V] — '<key ARN> is pending deletion.' inside the can't-encrypt text; type [U]")
    @CreatesKeys(1)
    void keyPendingDeletionRefusesNewValues() {
        String n = name("s");
        KeyMetadata key = secretUnderNewKey(n);
        kms().scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7));

        unchanged(n, () -> {
            Expect.that(raw("PutSecretValue", json("SecretId", n, "SecretString", "w", "ClientRequestToken", token())))
                    .status(400).type("EncryptionFailure")
                    .messageStartsWith(CANT_ENCRYPT + key.arn() + " is pending deletion.").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [D] — a key pending deletion refuses reads with DecryptionFailure; message [U]")
    @CreatesKeys(1)
    void keyPendingDeletionRefusesReads() {
        String n = name("s");
        KeyMetadata key = secretUnderNewKey(n);
        kms().scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7));

        unchanged(n, () -> {
            Expect.that(raw("GetSecretValue", json("SecretId", n))).status(400).type("DecryptionFailure")
                    .messageStartsWith(CANT_DECRYPT + key.arn() + " is pending deletion.").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.2 [D] — key problems surface synchronously on CreateSecret; type [U]")
    @CreatesKeys(1)
    void createSecretUnderADisabledKeyIsRefused() {
        KeyMetadata key = createKey("conformance: disabled").keyMetadata();
        kms().disableKey(b -> b.keyId(key.keyId()));
        String n = name("s");

        unchanged(n, () -> {
            Expect.that(raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", token(),
                    "KmsKeyId", key.arn()))).status(400).type("EncryptionFailure")
                    .messageStartsWith(CANT_ENCRYPT + key.arn() + " is disabled.").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [V] KMS text 'Alias ... is not found.' inside the invalid-KMS-key prefix [V]")
    void unknownAliasIsInvalidParameterQuotingKms() {
        String n = name("s");
        String alias = "alias/smlocal-conformance-no-such-alias";

        unchanged(n, () -> {
            Expect.that(raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", token(),
                    "KmsKeyId", alias))).status(400).type("InvalidParameterException")
                    .messageMatches("The operation failed because of an invalid KMS key: Alias arn:aws:kms:" + target.region()
                            + ":\\d{12}:" + alias + " is not found\\..*").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [V] KMS 'Invalid arn <region>' for a key ARN of another region, within the invalid-KMS-key prefix")
    @CreatesKeys(1)
    void keyArnOfAnotherRegionIsInvalidParameter() {
        KeyMetadata key = createKey("conformance: other region").keyMetadata();
        String elsewhere = key.arn().replace(":" + target.region() + ":", ":" + SecretIdConformance.otherRegionThan(target.region()) + ":");
        String n = name("s");

        unchanged(n, () -> {
            Expect.that(raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", token(),
                    "KmsKeyId", elsewhere))).status(400).type("InvalidParameterException")
                    .messageStartsWith("The operation failed because of an invalid KMS key: Invalid arn").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.1 [U] — DescribeSecret echoes the KmsKeyId as given")
    @CreatesKeys(1)
    void describeShowsTheCustomerKey() {
        String n = name("s");
        KeyMetadata key = secretUnderNewKey(n);

        assertEquals(key.arn(), sm().describeSecret(b -> b.secretId(n)).kmsKeyId());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 / KMS key-state docs [D] — cancelling a deletion leaves the key Disabled")
    @CreatesKeys(1)
    void cancellingKeyDeletionLeavesTheKeyDisabledAndTheSecretUnreadable() {
        String n = name("s");
        KeyMetadata key = secretUnderNewKey(n);
        kms().scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7));

        kms().cancelKeyDeletion(b -> b.keyId(key.keyId()));

        assertEquals(KeyState.DISABLED, kms().describeKey(b -> b.keyId(key.keyId())).keyMetadata().keyState());
        Expect.that(raw("GetSecretValue", json("SecretId", n))).status(400).type("DecryptionFailure").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 UpdateSecret [D] — switching to a disabled key is refused at once; type [U]")
    @CreatesKeys(1)
    void updateToADisabledKeyIsRefused() {
        String n = name("s");
        createSecret(n, "v");
        KeyMetadata key = createKey("conformance: disabled target").keyMetadata();
        kms().disableKey(b -> b.keyId(key.keyId()));

        unchanged(n, () -> {
            Expect.that(raw("UpdateSecret", json("SecretId", n, "KmsKeyId", key.arn()))).status(400).type("EncryptionFailure")
                    .messageStartsWith(CANT_ENCRYPT).verify();
        });
        assertTrue(sm().describeSecret(b -> b.secretId(n)).kmsKeyId() == null, "the key did not change");
    }
}
