package dev.smlocal.server.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What Secrets Manager relies on from any {@link Kms}: envelope round trips, encryption context
 * binding, key states and the exact KMS error texts of AWS-BEHAVIOUR §9.3, every key reference form, and
 * multi-Region key sharing. An implementation supplies {@link #kms()} and the few fixtures that need
 * its management side.
 */
public interface KmsContract {
    String ACCOUNT = "111122223333";
    String OTHER_ACCOUNT = "444455556666";
    String REGION = "us-east-1";
    String REPLICA_REGION = "eu-west-1";
    String THIRD_REGION = "ap-south-1";
    Map<String, String> CONTEXT = Map.of("SecretARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbCdEf",
            "SecretVersionId", "v1");
    byte[] SECRET = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    /** The same instance for the whole test. */
    Kms kms();

    /** Creates an enabled single-Region customer managed key; returns its id. */
    String createKey(String account, String region);

    void disableKey(String account, String region, String keyId);

    void scheduleKeyDeletion(String account, String region, String keyId);

    void createAlias(String account, String region, String aliasName, String keyId);

    /** Creates a multi-Region primary in {@code primaryRegion} replicated to {@code replicaRegion}; returns its id. */
    String createReplicatedKey(String account, String primaryRegion, String replicaRegion);

    static String keyArn(String account, String region, String keyId) {
        return "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
    }

    static void assertKmsError(ErrorType type, String message, Executable call) {
        AwsException e = assertThrows(AwsException.class, call);
        assertEquals(type, e.type(), e.toString());
        assertEquals(message, e.getMessage());
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    private Envelope.Sealed seal(String keyRef) {
        return Envelope.seal(kms(), ACCOUNT, REGION, keyRef, CONTEXT, SECRET);
    }

    private byte[] open(Envelope.Sealed sealed) {
        return Envelope.open(kms(), ACCOUNT, REGION, sealed, CONTEXT);
    }

    // ---- round trips ---------------------------------------------------------------------------

    @Test
    default void envelopeRoundTripUnderCustomerKey() {
        String id = createKey(ACCOUNT, REGION);
        Envelope.Sealed sealed = seal(id);
        assertEquals(keyArn(ACCOUNT, REGION, id), sealed.keyArn());
        assertArrayEquals(SECRET, open(sealed));
    }

    @Test
    default void emptyKeyReferenceIsTheManagedSecretsManagerKey() {
        KeyInfo byNull = kms().resolve(ACCOUNT, REGION, null);
        assertEquals(byNull, kms().resolve(ACCOUNT, REGION, ""));
        assertEquals(byNull, kms().resolve(ACCOUNT, REGION, Kms.SECRETS_MANAGER_ALIAS));
        assertTrue(byNull.awsManaged());
        assertFalse(byNull.multiRegion());
        assertEquals(KeyState.Enabled, byNull.state());
        assertEquals(keyArn(ACCOUNT, REGION, byNull.keyId()), byNull.arn());
        assertNotEquals(byNull.keyId(), kms().resolve(ACCOUNT, REPLICA_REGION, null).keyId());
        assertNotEquals(byNull.keyId(), kms().resolve(OTHER_ACCOUNT, REGION, null).keyId());

        Envelope.Sealed sealed = seal(null);
        assertEquals(byNull.arn(), sealed.keyArn());
        assertArrayEquals(SECRET, open(sealed));
    }

    @Test
    default void wrongContextDoesNotDecrypt() {
        Envelope.Sealed sealed = seal(createKey(ACCOUNT, REGION));
        for (Map<String, String> other : Arrays.<Map<String, String>>asList(Map.of(), null,
                Map.of("SecretARN", CONTEXT.get("SecretARN"), "SecretVersionId", "v2"),
                Map.of("SecretARN", CONTEXT.get("SecretARN"), "SecretVersionId", "v1", "extra", "x"))) {
            assertKmsError(ErrorType.KMS_INVALID_CIPHERTEXT, "The ciphertext is invalid.",
                    () -> Envelope.open(kms(), ACCOUNT, REGION, sealed, other));
        }
    }

    @Test
    default void garbageCiphertextIsInvalid() {
        byte[] blob = kms().generateDataKey(ACCOUNT, REGION, createKey(ACCOUNT, REGION), CONTEXT).ciphertextBlob();
        byte[] flipped = blob.clone();
        flipped[flipped.length - 1] ^= 1;
        for (byte[] bad : new byte[][] {new byte[0], new byte[64], Arrays.copyOf(blob, blob.length - 20), flipped}) {
            assertKmsError(ErrorType.KMS_INVALID_CIPHERTEXT, "The ciphertext is invalid.",
                    () -> kms().decrypt(ACCOUNT, REGION, bad, CONTEXT));
        }
    }

    @Test
    default void ciphertextDoesNotContainPlaintext() {
        Kms.DataKey dk = kms().generateDataKey(ACCOUNT, REGION, createKey(ACCOUNT, REGION), CONTEXT);
        assertEquals(32, dk.plaintext().length);
        assertFalse(contains(dk.ciphertextBlob(), dk.plaintext()));
        assertArrayEquals(dk.plaintext(), kms().decrypt(ACCOUNT, REGION, dk.ciphertextBlob(), CONTEXT));

        Envelope.Sealed sealed = seal(null);
        assertFalse(contains(sealed.box(), SECRET));
        assertFalse(contains(sealed.wrappedKey(), SECRET));
    }

    // ---- key states ----------------------------------------------------------------------------

    @Test
    default void disabledKeyFailsWithExactMessage() {
        String id = createKey(ACCOUNT, REGION);
        Envelope.Sealed sealed = seal(id);
        disableKey(ACCOUNT, REGION, id);
        String message = keyArn(ACCOUNT, REGION, id) + " is disabled.";
        assertKmsError(ErrorType.KMS_DISABLED, message, () -> seal(id));
        assertKmsError(ErrorType.KMS_DISABLED, message, () -> open(sealed));
        assertEquals(KeyState.Disabled, kms().resolve(ACCOUNT, REGION, id).state(), "resolve does not check state");
    }

    @Test
    default void pendingDeletionFailsWithExactMessage() {
        String id = createKey(ACCOUNT, REGION);
        Envelope.Sealed sealed = seal(id);
        scheduleKeyDeletion(ACCOUNT, REGION, id);
        String message = keyArn(ACCOUNT, REGION, id) + " is pending deletion.";
        assertKmsError(ErrorType.KMS_INVALID_STATE, message, () -> seal(id));
        assertKmsError(ErrorType.KMS_INVALID_STATE, message, () -> open(sealed));
        assertEquals(KeyState.PendingDeletion, kms().resolve(ACCOUNT, REGION, id).state());
    }

    // ---- key references ------------------------------------------------------------------------

    @Test
    default void malformedKeyIdsAreInvalid() {
        for (String bad : new String[] {"my-key", "1234abcd", "mrk-1234", "aws/secretsmanager",
                "arn:aws:kms:us-east-1:111122223333:key/not-a-key", "arn:aws:kms:us-east-1:bad:key/" + java.util.UUID.randomUUID()}) {
            assertKmsError(ErrorType.KMS_NOT_FOUND, "Invalid keyId '" + bad + "'", () -> kms().resolve(ACCOUNT, REGION, bad));
            assertKmsError(ErrorType.KMS_NOT_FOUND, "Invalid keyId '" + bad + "'",
                    () -> kms().generateDataKey(ACCOUNT, REGION, bad, CONTEXT));
        }
    }

    @Test
    default void missingKeysNameTheKeyArn() {
        String uuid = "0b5c1a3e-1111-4222-8333-444455556666";
        String mrk = "mrk-0123456789abcdef0123456789abcdef";
        for (String id : new String[] {uuid, mrk}) {
            String message = "Key '" + keyArn(ACCOUNT, REGION, id) + "' does not exist";
            assertKmsError(ErrorType.KMS_NOT_FOUND, message, () -> kms().resolve(ACCOUNT, REGION, id));
            assertKmsError(ErrorType.KMS_NOT_FOUND, message, () -> kms().resolve(ACCOUNT, REGION, keyArn(ACCOUNT, REGION, id)));
            assertKmsError(ErrorType.KMS_NOT_FOUND, message, () -> kms().generateDataKey(ACCOUNT, REGION, id, CONTEXT));
        }
        String otherAccount = "Key '" + keyArn(OTHER_ACCOUNT, REGION, uuid) + "' does not exist";
        assertKmsError(ErrorType.KMS_NOT_FOUND, otherAccount,
                () -> kms().resolve(ACCOUNT, REGION, keyArn(OTHER_ACCOUNT, REGION, uuid)));
    }

    @Test
    default void missingAliasesNameTheAliasArn() {
        String message = "Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found.";
        assertKmsError(ErrorType.KMS_NOT_FOUND, message, () -> kms().resolve(ACCOUNT, REGION, "alias/nope"));
        assertKmsError(ErrorType.KMS_NOT_FOUND, message,
                () -> kms().resolve(ACCOUNT, REGION, "arn:aws:kms:us-east-1:111122223333:alias/nope"));
        assertKmsError(ErrorType.KMS_NOT_FOUND, message, () -> kms().generateDataKey(ACCOUNT, REGION, "alias/nope", CONTEXT));
    }

    @Test
    default void arnOfAnotherRegionIsInvalid() {
        String id = createKey(ACCOUNT, "us-west-2");
        createAlias(ACCOUNT, "us-west-2", "alias/west", id);
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Invalid arn us-west-2",
                () -> kms().resolve(ACCOUNT, REGION, keyArn(ACCOUNT, "us-west-2", id)));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Invalid arn us-west-2",
                () -> kms().resolve(ACCOUNT, REGION, "arn:aws:kms:us-west-2:111122223333:alias/west"));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Invalid arn us-west-2",
                () -> kms().generateDataKey(ACCOUNT, REGION, keyArn(ACCOUNT, "us-west-2", id), CONTEXT));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Key '" + keyArn(ACCOUNT, REGION, id) + "' does not exist",
                () -> kms().resolve(ACCOUNT, REGION, id));
    }

    @Test
    default void aliasNameAndAliasArnResolveToTheKey() {
        String id = createKey(ACCOUNT, REGION);
        createAlias(ACCOUNT, REGION, "alias/app", id);
        KeyInfo byId = kms().resolve(ACCOUNT, REGION, id);
        assertEquals(byId, kms().resolve(ACCOUNT, REGION, "alias/app"));
        assertEquals(byId, kms().resolve(ACCOUNT, REGION, "arn:aws:kms:us-east-1:111122223333:alias/app"));
        assertEquals(byId, kms().resolve(ACCOUNT, REGION, keyArn(ACCOUNT, REGION, id)));
        assertEquals(new KeyInfo(id, keyArn(ACCOUNT, REGION, id), ACCOUNT, REGION, KeyState.Enabled, false, false), byId);

        Envelope.Sealed sealed = seal("alias/app");
        assertEquals(byId.arn(), sealed.keyArn());
        assertArrayEquals(SECRET, open(sealed));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Alias arn:aws:kms:eu-west-1:111122223333:alias/app is not found.",
                () -> kms().resolve(ACCOUNT, REPLICA_REGION, "alias/app"));
    }

    @Test
    default void crossAccountKeyArnAddressesTheOwnersKey() {
        String id = createKey(OTHER_ACCOUNT, REGION);
        String arn = keyArn(OTHER_ACCOUNT, REGION, id);
        assertEquals(OTHER_ACCOUNT, kms().resolve(ACCOUNT, REGION, arn).account());
        Envelope.Sealed sealed = seal(arn);
        assertEquals(arn, sealed.keyArn());
        assertArrayEquals(SECRET, open(sealed));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Key '" + keyArn(ACCOUNT, REGION, id) + "' does not exist",
                () -> kms().resolve(ACCOUNT, REGION, id));
    }

    // ---- multi-Region keys ---------------------------------------------------------------------

    @Test
    default void multiRegionBlobDecryptsInTheReplicaRegion() {
        String id = createReplicatedKey(ACCOUNT, REGION, REPLICA_REGION);
        assertTrue(id.matches("mrk-[0-9a-f]{32}"), id);
        KeyInfo replica = kms().resolve(ACCOUNT, REPLICA_REGION, id);
        assertTrue(replica.multiRegion());
        assertEquals(keyArn(ACCOUNT, REPLICA_REGION, id), replica.arn());

        Envelope.Sealed sealed = seal(id);
        assertArrayEquals(SECRET, Envelope.open(kms(), ACCOUNT, REPLICA_REGION, sealed, CONTEXT));
        Envelope.Sealed back = Envelope.seal(kms(), ACCOUNT, REPLICA_REGION, id, CONTEXT, SECRET);
        assertArrayEquals(SECRET, open(back));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Key '" + keyArn(ACCOUNT, THIRD_REGION, id) + "' does not exist",
                () -> Envelope.open(kms(), ACCOUNT, THIRD_REGION, sealed, CONTEXT));
    }

    @Test
    default void singleRegionBlobDoesNotDecryptElsewhere() {
        String id = createKey(ACCOUNT, REGION);
        Envelope.Sealed sealed = seal(id);
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Key '" + keyArn(ACCOUNT, REPLICA_REGION, id) + "' does not exist",
                () -> Envelope.open(kms(), ACCOUNT, REPLICA_REGION, sealed, CONTEXT));
    }

    @Test
    default void resetForgetsEveryKey() {
        String id = createKey(ACCOUNT, REGION);
        String managed = kms().resolve(ACCOUNT, REGION, null).keyId();
        kms().reset();
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Key '" + keyArn(ACCOUNT, REGION, id) + "' does not exist",
                () -> kms().resolve(ACCOUNT, REGION, id));
        assertNotEquals(managed, kms().resolve(ACCOUNT, REGION, null).keyId());
    }
}
