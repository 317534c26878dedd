package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.secretsmanager.model.*;

/**
 * KMS key choices and key states as Secrets Manager sees them (AWS-BEHAVIOUR §9): the accepted KmsKeyId
 * forms, invalid keys on CreateSecret/UpdateSecret, disabled and pending-deletion keys on writes
 * and reads, and key changes through UpdateSecret.
 */
class KmsKeysInSecretsWireTest extends WireSupport {
    private static final String ACCOUNT = "000000000000";
    private static final String INVALID_KEY = "The operation failed because of an invalid KMS key: ";
    private static final String CANNOT_ENCRYPT = "Secrets Manager can't encrypt the secret value: ";
    private static final String CANNOT_DECRYPT = "Secrets Manager can't decrypt the secret value: ";

    private KmsClient kms() {
        return kms("us-east-1");
    }

    private KeyMetadata newKey() {
        return kms().createKey(b -> { }).keyMetadata();
    }

    /**
     * Secrets Manager quotes the KMS failure the way the AWS SDK for Java prints it (AWS-BEHAVIOUR §9.3,
     * real capture: {@code ... does not exist (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: ...)}).
     */
    private static void assertQuotesKms(String prefix, String kmsText, String kmsCode, String actual) {
        String expected = Pattern.quote(prefix + kmsText + " (Service: AWSKMS; Status Code: 400; Error Code: " + kmsCode
                + "; Request ID: ") + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\)";
        assertTrue(actual.matches(expected), "message was: " + actual);
    }

    private List<String> keyIdsOf(String secretId, String versionId) {
        return sm().listSecretVersionIds(b -> b.secretId(secretId).includeDeprecated(true)).versions().stream()
                .filter(v -> v.versionId().equals(versionId)).findFirst().orElseThrow().kmsKeyIds();
    }

    // ---- accepted forms ------------------------------------------------------------------------

    @Test
    void everyKmsKeyIdFormWorksAndIsEchoed() {
        KeyMetadata key = newKey();
        kms().createAlias(b -> b.aliasName("alias/app").targetKeyId(key.keyId()));
        List<String> forms = List.of(key.keyId(), key.arn(), "alias/app",
                "arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/app");

        for (int i = 0; i < forms.size(); i++) {
            String name = "s" + i;
            String form = forms.get(i);
            String versionId = sm().createSecret(b -> b.name(name).secretString("value-" + name).kmsKeyId(form)).versionId();

            assertEquals("value-" + name, sm().getSecretValue(b -> b.secretId(name)).secretString(), form);
            assertEquals(form, sm().describeSecret(b -> b.secretId(name)).kmsKeyId(), form);
            assertEquals(List.of(key.arn()), keyIdsOf(name, versionId), form);
        }
        assertEquals(forms, sm().listSecrets(b -> { }).secretList().stream().map(SecretListEntry::kmsKeyId).toList());
    }

    @Test
    void noKmsKeyIdMeansTheManagedKey() {
        String versionId = sm().createSecret(b -> b.name("s").secretString("v")).versionId();

        assertNull(sm().describeSecret(b -> b.secretId("s")).kmsKeyId());
        assertEquals(List.of("DefaultEncryptionKey"), keyIdsOf("s", versionId));
    }

    // ---- invalid keys --------------------------------------------------------------------------

    @Test
    void unknownMalformedAndMissingAliasKeysAreInvalidParameters() {
        String missing = "11111111-2222-3333-4444-555555555555";

        InvalidParameterException unknown = assertThrows(InvalidParameterException.class,
                () -> sm().createSecret(b -> b.name("a").secretString("v").kmsKeyId(missing)));
        InvalidParameterException malformed = assertThrows(InvalidParameterException.class,
                () -> sm().createSecret(b -> b.name("b").secretString("v").kmsKeyId("app")));
        InvalidParameterException noAlias = assertThrows(InvalidParameterException.class,
                () -> sm().createSecret(b -> b.name("c").kmsKeyId("alias/nope")));
        InvalidParameterException otherRegion = assertThrows(InvalidParameterException.class,
                () -> sm().createSecret(b -> b.name("d").secretString("v").kmsKeyId(
                        "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/" + missing)));

        assertEquals(INVALID_KEY + "Key 'arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + missing + "' does not exist",
                unknown.awsErrorDetails().errorMessage());
        assertEquals(INVALID_KEY + "Invalid keyId 'app'", malformed.awsErrorDetails().errorMessage());
        assertEquals(INVALID_KEY + "Alias arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/nope is not found.",
                noAlias.awsErrorDetails().errorMessage());
        assertEquals(INVALID_KEY + "Invalid arn eu-west-1", otherRegion.awsErrorDetails().errorMessage());
        assertTrue(sm().listSecrets(b -> { }).secretList().isEmpty(), "nothing was created");
    }

    @Test
    void keyOfAnotherRegionIsRefusedEvenWhenItExistsThere() {
        KeyMetadata westKey = kms("eu-west-1").createKey(b -> { }).keyMetadata();

        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> sm().createSecret(b -> b.name("s").secretString("v").kmsKeyId(westKey.arn())));

        assertEquals(INVALID_KEY + "Invalid arn eu-west-1", e.awsErrorDetails().errorMessage());
        sm("eu-west-1").createSecret(b -> b.name("s").secretString("v").kmsKeyId(westKey.arn()));
        assertEquals("v", sm("eu-west-1").getSecretValue(b -> b.secretId("s")).secretString(),
                "the same ARN works in its own region");
    }

    @Test
    void updateSecretWithAnUnknownKeyIsAnInvalidParameter() {
        sm().createSecret(b -> b.name("s").secretString("v"));

        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> sm().updateSecret(b -> b.secretId("s").kmsKeyId("alias/nope")));

        assertEquals(INVALID_KEY + "Alias arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/nope is not found.",
                e.awsErrorDetails().errorMessage());
        assertNull(sm().describeSecret(b -> b.secretId("s")).kmsKeyId());
    }

    // ---- key states ----------------------------------------------------------------------------

    @Test
    void disabledKeyFailsWritesAndReadsUntilReEnabled() {
        KeyMetadata key = newKey();
        sm().createSecret(b -> b.name("s").secretString("one").kmsKeyId(key.keyId()));

        kms().disableKey(b -> b.keyId(key.keyId()));
        EncryptionFailureException put = assertThrows(EncryptionFailureException.class,
                () -> sm().putSecretValue(b -> b.secretId("s").secretString("two")));
        DecryptionFailureException get = assertThrows(DecryptionFailureException.class,
                () -> sm().getSecretValue(b -> b.secretId("s")));
        kms().enableKey(b -> b.keyId(key.keyId()));

        assertEquals(400, put.statusCode());
        assertQuotesKms(CANNOT_ENCRYPT, key.arn() + " is disabled.", "DisabledException", put.awsErrorDetails().errorMessage());
        assertQuotesKms(CANNOT_DECRYPT, key.arn() + " is disabled.", "DisabledException", get.awsErrorDetails().errorMessage());
        assertEquals("one", sm().getSecretValue(b -> b.secretId("s")).secretString());
        assertEquals(1, sm().listSecretVersionIds(b -> b.secretId("s").includeDeprecated(true)).versions().size(),
                "the failed put left no version behind");
        sm().putSecretValue(b -> b.secretId("s").secretString("two"));
        assertEquals("two", sm().getSecretValue(b -> b.secretId("s")).secretString());
    }

    @Test
    void createSecretWithADisabledKeyIsAnEncryptionFailure() {
        KeyMetadata key = newKey();
        kms().disableKey(b -> b.keyId(key.keyId()));

        EncryptionFailureException e = assertThrows(EncryptionFailureException.class,
                () -> sm().createSecret(b -> b.name("s").secretString("v").kmsKeyId(key.arn())));

        assertQuotesKms(CANNOT_ENCRYPT, key.arn() + " is disabled.", "DisabledException", e.awsErrorDetails().errorMessage());
        assertTrue(sm().listSecrets(b -> { }).secretList().isEmpty());
    }

    @Test
    void failedUpdateSecretValueChangesNothing() {
        KeyMetadata key = newKey();
        sm().createSecret(b -> b.name("s").secretString("one").description("before").kmsKeyId(key.keyId()));
        kms().disableKey(b -> b.keyId(key.keyId()));

        assertThrows(EncryptionFailureException.class,
                () -> sm().updateSecret(b -> b.secretId("s").secretString("two").description("after")));
        kms().enableKey(b -> b.keyId(key.keyId()));

        assertEquals("before", sm().describeSecret(b -> b.secretId("s")).description());
        assertEquals("one", sm().getSecretValue(b -> b.secretId("s")).secretString());
    }

    @Test
    void pendingDeletionKeyFailsWritesAndReadsUntilCancelledAndEnabled() {
        KeyMetadata key = newKey();
        sm().createSecret(b -> b.name("s").secretString("one").kmsKeyId(key.keyId()));

        kms().scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7));
        EncryptionFailureException put = assertThrows(EncryptionFailureException.class,
                () -> sm().putSecretValue(b -> b.secretId("s").secretString("two")));
        DecryptionFailureException get = assertThrows(DecryptionFailureException.class,
                () -> sm().getSecretValue(b -> b.secretId("s")));
        kms().cancelKeyDeletion(b -> b.keyId(key.keyId()));
        DecryptionFailureException stillDisabled = assertThrows(DecryptionFailureException.class,
                () -> sm().getSecretValue(b -> b.secretId("s")));
        kms().enableKey(b -> b.keyId(key.keyId()));

        assertQuotesKms(CANNOT_ENCRYPT, key.arn() + " is pending deletion.", "KMSInvalidStateException",
                put.awsErrorDetails().errorMessage());
        assertQuotesKms(CANNOT_DECRYPT, key.arn() + " is pending deletion.", "KMSInvalidStateException",
                get.awsErrorDetails().errorMessage());
        assertQuotesKms(CANNOT_DECRYPT, key.arn() + " is disabled.", "DisabledException",
                stillDisabled.awsErrorDetails().errorMessage());
        assertEquals("one", sm().getSecretValue(b -> b.secretId("s")).secretString());
    }

    @Test
    void deletedKeyLeavesTheValueUnreadable() {
        KeyMetadata key = newKey();
        sm().createSecret(b -> b.name("s").secretString("one").kmsKeyId(key.keyId()));
        kms().scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7));

        advance(Duration.ofDays(7));

        DecryptionFailureException get = assertThrows(DecryptionFailureException.class,
                () -> sm().getSecretValue(b -> b.secretId("s")));
        EncryptionFailureException put = assertThrows(EncryptionFailureException.class,
                () -> sm().putSecretValue(b -> b.secretId("s").secretString("two")));
        assertQuotesKms(CANNOT_DECRYPT, "Key '" + key.arn() + "' does not exist", "NotFoundException",
                get.awsErrorDetails().errorMessage());
        assertQuotesKms(CANNOT_ENCRYPT, "Key '" + key.arn() + "' does not exist", "NotFoundException",
                put.awsErrorDetails().errorMessage());
    }

    // ---- key changes ---------------------------------------------------------------------------

    @Test
    void updateSecretKmsKeyIdReEncryptsLabelledVersionsUnderTheNewKey() {
        KeyMetadata oldKey = newKey();
        KeyMetadata newKey = newKey();
        String v1 = sm().createSecret(b -> b.name("s").secretString("one").kmsKeyId(oldKey.keyId())).versionId();
        String v2 = sm().putSecretValue(b -> b.secretId("s").secretString("two")).versionId();
        String v3 = sm().putSecretValue(b -> b.secretId("s").secretString("three")).versionId();

        UpdateSecretResponse updated = sm().updateSecret(b -> b.secretId("s").kmsKeyId(newKey.arn()));

        assertNull(updated.versionId(), "a key change alone creates no version");
        assertEquals(newKey.arn(), sm().describeSecret(b -> b.secretId("s")).kmsKeyId());
        assertEquals(List.of(oldKey.arn(), newKey.arn()), keyIdsOf("s", v3), "AWSCURRENT");
        assertEquals(List.of(oldKey.arn(), newKey.arn()), keyIdsOf("s", v2), "AWSPREVIOUS");
        assertEquals(List.of(oldKey.arn()), keyIdsOf("s", v1), "a deprecated version stays on the old key");
        assertEquals("three", sm().getSecretValue(b -> b.secretId("s")).secretString());
        assertEquals("two", sm().getSecretValue(b -> b.secretId("s").versionStage("AWSPREVIOUS")).secretString());
        assertEquals("one", sm().getSecretValue(b -> b.secretId("s").versionId(v1)).secretString());

        kms().disableKey(b -> b.keyId(oldKey.keyId()));

        assertEquals("three", sm().getSecretValue(b -> b.secretId("s")).secretString(), "no longer needs the old key");
        assertEquals("two", sm().getSecretValue(b -> b.secretId("s").versionStage("AWSPREVIOUS")).secretString());
        assertThrows(DecryptionFailureException.class, () -> sm().getSecretValue(b -> b.secretId("s").versionId(v1)));
        String v4 = sm().putSecretValue(b -> b.secretId("s").secretString("four")).versionId();
        assertEquals(List.of(newKey.arn()), keyIdsOf("s", v4), "new versions use the new key");
    }

    /** Spec §5 UpdateSecret: re-encrypted versions keep a copy under the old key, so either key decrypts them. */
    @Test
    void afterAKeyChangeEitherKeyDecryptsTheReEncryptedVersions() {
        KeyMetadata oldKey = newKey();
        KeyMetadata newKey = newKey();
        sm().createSecret(b -> b.name("s").secretString("one").kmsKeyId(oldKey.keyId()));
        sm().updateSecret(b -> b.secretId("s").kmsKeyId(newKey.keyId()));
        String v2 = sm().putSecretValue(b -> b.secretId("s").secretString("two").versionStages("AWSPENDING")).versionId();

        kms().disableKey(b -> b.keyId(newKey.keyId()));
        String withOldKeyOnly = sm().getSecretValue(b -> b.secretId("s")).secretString();
        DecryptionFailureException newVersion = assertThrows(DecryptionFailureException.class,
                () -> sm().getSecretValue(b -> b.secretId("s").versionId(v2)));
        kms().disableKey(b -> b.keyId(oldKey.keyId()));
        DecryptionFailureException neither = assertThrows(DecryptionFailureException.class,
                () -> sm().getSecretValue(b -> b.secretId("s")));
        kms().enableKey(b -> b.keyId(newKey.keyId()));

        assertEquals("one", withOldKeyOnly);
        assertQuotesKms(CANNOT_DECRYPT, newKey.arn() + " is disabled.", "DisabledException",
                newVersion.awsErrorDetails().errorMessage());
        assertQuotesKms(CANNOT_DECRYPT, newKey.arn() + " is disabled.", "DisabledException",
                neither.awsErrorDetails().errorMessage());
        assertEquals("one", sm().getSecretValue(b -> b.secretId("s")).secretString(), "with the new key only");
        assertEquals("two", sm().getSecretValue(b -> b.secretId("s").versionId(v2)).secretString());
    }

    @Test
    void emptyKmsKeyIdReturnsToTheManagedKey() {
        KeyMetadata key = newKey();
        sm().createSecret(b -> b.name("s").secretString("one").kmsKeyId(key.keyId()));

        sm().updateSecret(b -> b.secretId("s").kmsKeyId(""));
        String v2 = sm().putSecretValue(b -> b.secretId("s").secretString("two")).versionId();
        kms().disableKey(b -> b.keyId(key.keyId()));

        assertNull(sm().describeSecret(b -> b.secretId("s")).kmsKeyId());
        assertEquals(List.of("DefaultEncryptionKey"), keyIdsOf("s", v2));
        assertEquals("two", sm().getSecretValue(b -> b.secretId("s")).secretString());
        assertEquals("one", sm().getSecretValue(b -> b.secretId("s").versionStage("AWSPREVIOUS")).secretString(),
                "AWSPREVIOUS was re-encrypted under the managed key");
    }

    @Test
    void updateSecretWithValueAndNewKeyEncryptsTheNewVersionUnderTheNewKey() {
        KeyMetadata oldKey = newKey();
        KeyMetadata newKey = newKey();
        sm().createSecret(b -> b.name("s").secretString("one").kmsKeyId(oldKey.keyId()));

        String v2 = sm().updateSecret(b -> b.secretId("s").secretString("two").kmsKeyId(newKey.keyId()))
                .versionId();

        assertEquals(List.of(newKey.arn()), keyIdsOf("s", v2));
        assertEquals("two", sm().getSecretValue(b -> b.secretId("s")).secretString());
    }
}
