package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Await;
import dev.smlocal.conformance.support.Expect;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.kms.model.ReplicateKeyResponse;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/**
 * The KMS API basics Secrets Manager users touch (AWS-BEHAVIOUR §9.3, §9.4): key metadata, the NotFound
 * family of messages, state errors, envelope round trips and multi-Region keys. KMS error bodies'
 * message key casing is not asserted (AWS-BEHAVIOUR records it for Secrets Manager only).
 */
class KmsConformance extends ConformanceCheck {
    static final String V_LS = "AWS-BEHAVIOUR §9.3 [V] — LocalStack KMS snapshot against AWS, not yet run by this suite";

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [D][V] — DescribeKey of a single-Region symmetric key")
    @CreatesKeys(1)
    void newKeyIsAnEnabledSymmetricSingleRegionCustomerKey() {
        KeyMetadata k = createKey("conformance: metadata").keyMetadata();

        var raw = rawKms("DescribeKey", json("KeyId", k.keyId()));

        Expect.that(raw).status(200).fields("KeyMetadata").has("KeyMetadata.KeyId", "KeyMetadata.Arn",
                "KeyMetadata.CreationDate", "KeyMetadata.KeyState", "KeyMetadata.KeyUsage", "KeyMetadata.KeySpec",
                "KeyMetadata.MultiRegion", "KeyMetadata.KeyManager", "KeyMetadata.Enabled", "KeyMetadata.AWSAccountId")
                .lacks("KeyMetadata.MultiRegionConfiguration").memberType("KeyMetadata.CreationDate", "number").verify();
        var m = raw.body().get("KeyMetadata");
        assertEquals("Enabled", m.get("KeyState").asText());
        assertEquals("ENCRYPT_DECRYPT", m.get("KeyUsage").asText());
        assertEquals("SYMMETRIC_DEFAULT", m.get("KeySpec").asText());
        assertEquals("CUSTOMER", m.get("KeyManager").asText());
        assertEquals(false, m.get("MultiRegion").asBoolean());
        assertTrue(k.keyId().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), k.keyId());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [V] — LocalStack snapshot of a multi-Region primary")
    @CreatesKeys(1)
    void multiRegionKeyHasAnMrkIdAndIsThePrimary() {
        KeyMetadata k = createMultiRegionKey("conformance: mrk").keyMetadata();

        assertTrue(k.keyId().matches("mrk-[0-9a-f]{32}"), k.keyId());
        assertEquals(true, k.multiRegion());
        assertEquals(MultiRegionKeyType.PRIMARY, k.multiRegionConfiguration().multiRegionKeyType());
        assertEquals(target.region(), k.multiRegionConfiguration().primaryKey().region());
        assertEquals(k.arn(), k.multiRegionConfiguration().primaryKey().arn());
    }

    @Test
    @AwsUnverified(reason = V_LS)
    void malformedKeyIdIsNotFoundInvalidKeyId() {
        Expect.that(rawKms("DescribeKey", json("KeyId", "not-a-key"))).status(400).type("NotFoundException")
                .message("Invalid keyId 'not-a-key'").verify();
    }

    @Test
    @AwsUnverified(reason = V_LS)
    void unknownKeyIsNotFoundNamingItsArn() {
        String id = "0b6a3a3f-1d7e-4c0a-9f41-5d2a9d7e0c11";

        Expect.that(rawKms("DescribeKey", json("KeyId", id))).status(400).type("NotFoundException")
                .messageMatches("Key 'arn:aws:kms:" + target.region() + ":\\d{12}:key/" + id + "' does not exist").verify();
    }

    @Test
    @AwsUnverified(reason = V_LS)
    @CreatesKeys(1)
    void keyArnOfAnotherRegionIsNotFoundInvalidArn() {
        KeyMetadata k = createKey("conformance: arn region").keyMetadata();
        String other = SecretIdConformance.otherRegionThan(target.region());

        Expect.that(rawKms("DescribeKey", json("KeyId", k.arn().replace(":" + target.region() + ":", ":" + other + ":"))))
                .status(400).type("NotFoundException").messageMatches("Invalid arn [a-z0-9-]+").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [V] — 'Alias arn:... is not found.' (segmentio/chamber#355, LocalStack snapshot)")
    void unknownAliasIsNotFoundNamingItsArn() {
        Expect.that(rawKms("DescribeKey", json("KeyId", "alias/smlocal-conformance-no-such-alias"))).status(400)
                .type("NotFoundException").messageMatches("Alias arn:aws:kms:" + target.region()
                        + ":\\d{12}:alias/smlocal-conformance-no-such-alias is not found\\.").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [D][V] — '<key ARN> is disabled.' (fugue/credstash#86)")
    @CreatesKeys(1)
    void disabledKeyRefusesEncryptWithDisabledException() {
        KeyMetadata k = createKey("conformance: disabled").keyMetadata();
        kms().disableKey(b -> b.keyId(k.keyId()));

        Expect.that(rawKms("Encrypt", json("KeyId", k.keyId(), "Plaintext", "aGVsbG8="))).status(400)
                .type("DisabledException").message(k.arn() + " is disabled.").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [D][V] — '<key ARN> is pending deletion.' as KMSInvalidStateException (cloudposse/docs#152)")
    @CreatesKeys(1)
    void keyPendingDeletionRefusesEncryptWithInvalidState() {
        KeyMetadata k = createKey("conformance: pending").keyMetadata();
        kms().scheduleKeyDeletion(b -> b.keyId(k.keyId()).pendingWindowInDays(7));

        Expect.that(rawKms("Encrypt", json("KeyId", k.keyId(), "Plaintext", "aGVsbG8="))).status(400)
                .type("KMSInvalidStateException").message(k.arn() + " is pending deletion.").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.2 [D] — encrypt/decrypt round trip under an encryption context")
    @CreatesKeys(1)
    void encryptThenDecryptWithTheSameContext() {
        KeyMetadata k = createKey("conformance: round trip").keyMetadata();
        Map<String, String> ctx = Map.of("SecretARN", "arn:x", "SecretVersionId", "v1");
        SdkBytes blob = kms().encrypt(b -> b.keyId(k.keyId()).plaintext(SdkBytes.fromUtf8String("hello"))
                .encryptionContext(ctx)).ciphertextBlob();

        var d = kms().decrypt(b -> b.ciphertextBlob(blob).encryptionContext(ctx));

        assertEquals("hello", d.plaintext().asUtf8String());
        assertEquals(k.arn(), d.keyId());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.2 [D] — a different encryption context does not decrypt")
    @CreatesKeys(1)
    void decryptWithAnotherContextIsInvalidCiphertext() {
        KeyMetadata k = createKey("conformance: context").keyMetadata();
        SdkBytes blob = kms().encrypt(b -> b.keyId(k.keyId()).plaintext(SdkBytes.fromUtf8String("hello"))
                .encryptionContext(Map.of("a", "1"))).ciphertextBlob();

        assertThrows(InvalidCiphertextException.class,
                () -> kms().decrypt(b -> b.ciphertextBlob(blob).encryptionContext(Map.of("a", "2"))));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.2 [D] — GenerateDataKey AES_256 gives 32 bytes and their ciphertext")
    @CreatesKeys(1)
    void generateDataKeyGivesThirtyTwoBytesThatDecrypt() {
        KeyMetadata k = createKey("conformance: data key").keyMetadata();

        var dk = kms().generateDataKey(b -> b.keyId(k.keyId()).keySpec("AES_256"));

        assertEquals(32, dk.plaintext().asByteArray().length);
        assertArrayEquals(dk.plaintext().asByteArray(),
                kms().decrypt(b -> b.ciphertextBlob(dk.ciphertextBlob())).plaintext().asByteArray());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.3 [V] — LocalStack KMS snapshot quotes this ValidationException")
    @CreatesKeys(1)
    void moreThan1024DataKeyBytesIsAValidationException() {
        KeyMetadata k = createKey("conformance: 1025").keyMetadata();

        Expect.that(rawKms("GenerateDataKey", json("KeyId", k.keyId(), "NumberOfBytes", 1025))).status(400)
                .type("ValidationException").message("1 validation error detected: Value '1025' at 'numberOfBytes' failed to "
                        + "satisfy constraint: Member must have value less than or equal to 1024").verify();
    }

    @Test
    @AwsUnverified(reason = "KMS key-state docs [D] — scheduling deletion: PendingDeletion with a date; cancelling: Disabled")
    @CreatesKeys(1)
    void scheduleThenCancelDeletion() {
        KeyMetadata k = createKey("conformance: schedule").keyMetadata();

        var s = kms().scheduleKeyDeletion(b -> b.keyId(k.keyId()).pendingWindowInDays(7));
        KeyMetadata pending = kms().describeKey(b -> b.keyId(k.keyId())).keyMetadata();
        kms().cancelKeyDeletion(b -> b.keyId(k.keyId()));
        KeyMetadata cancelled = kms().describeKey(b -> b.keyId(k.keyId())).keyMetadata();

        assertEquals(KeyState.PENDING_DELETION, s.keyState());
        assertNotNull(s.deletionDate());
        assertEquals(KeyState.PENDING_DELETION, pending.keyState());
        assertEquals(KeyState.DISABLED, cancelled.keyState());
        assertEquals(false, cancelled.enabled());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [V][D] — a replica has the same key id; ARNs differ only in the region")
    @CreatesKeys(2)
    void replicaKeySharesTheIdAndDiffersOnlyInRegion() {
        KeyMetadata k = createMultiRegionKey("conformance: replicate").keyMetadata();
        String other = target.otherRegion();

        ReplicateKeyResponse r = kms().replicateKey(b -> b.keyId(k.keyId()).replicaRegion(other));
        trackKey(other, k.keyId());

        assertEquals(k.keyId(), r.replicaKeyMetadata().keyId());
        assertEquals(k.arn().replace(":" + target.region() + ":", ":" + other + ":"), r.replicaKeyMetadata().arn());
        assertEquals(MultiRegionKeyType.REPLICA, r.replicaKeyMetadata().multiRegionConfiguration().multiRegionKeyType());
        assertNotNull(r.replicaPolicy());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [V][D] — ReplicateKey answers the replica's metadata, its policy and its tags")
    @CreatesKeys(2)
    void replicateKeyAnswersMetadataPolicyAndTags() {
        KeyMetadata k = createMultiRegionKey("conformance: replicate answer").keyMetadata();
        String other = target.otherRegion();

        var raw = rawKms("ReplicateKey", json("KeyId", k.keyId(), "ReplicaRegion", other));
        trackKey(other, k.keyId());

        Expect.that(raw).status(200).fields("ReplicaKeyMetadata", "ReplicaPolicy", "ReplicaTags")
                .has("ReplicaKeyMetadata.MultiRegionConfiguration.PrimaryKey.Arn",
                        "ReplicaKeyMetadata.MultiRegionConfiguration.MultiRegionKeyType").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [V] — the primary's DescribeKey lists its replicas")
    @CreatesKeys(2)
    void primaryListsItsReplicas() {
        KeyMetadata k = createMultiRegionKey("conformance: replica list").keyMetadata();
        String other = target.otherRegion();
        kms().replicateKey(b -> b.keyId(k.keyId()).replicaRegion(other));
        trackKey(other, k.keyId());

        var config = kms().describeKey(b -> b.keyId(k.keyId())).keyMetadata().multiRegionConfiguration();

        assertEquals(1, config.replicaKeys().size());
        assertEquals(other, config.replicaKeys().get(0).region());
        assertEquals(k.arn().replace(":" + target.region() + ":", ":" + other + ":"), config.replicaKeys().get(0).arn());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [V] — '<key ARN> is not a multi-region primary key.' (LocalStack snapshot)")
    @CreatesKeys(2)
    void replicatingAReplicaIsUnsupported() {
        KeyMetadata k = createMultiRegionKey("conformance: replica of replica").keyMetadata();
        String other = target.otherRegion();
        kms().replicateKey(b -> b.keyId(k.keyId()).replicaRegion(other));
        trackKey(other, k.keyId());
        String replicaArn = k.arn().replace(":" + target.region() + ":", ":" + other + ":");
        awaitEnabled(other, k.keyId());

        var e = assertThrows(UnsupportedOperationException.class,
                () -> kms(other).replicateKey(b -> b.keyId(k.keyId()).replicaRegion(target.region())));

        assertEquals(replicaArn + " is not a multi-region primary key.", e.awsErrorDetails().errorMessage());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [D] — a single-Region key cannot be replicated")
    @CreatesKeys(1)
    void replicatingASingleRegionKeyIsUnsupported() {
        KeyMetadata k = createKey("conformance: single").keyMetadata();

        assertThrows(UnsupportedOperationException.class,
                () -> kms().replicateKey(b -> b.keyId(k.keyId()).replicaRegion(target.otherRegion())));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [D] — related multi-Region keys decrypt each other's ciphertext")
    @CreatesKeys(2)
    void replicaDecryptsThePrimarysCiphertext() {
        KeyMetadata k = createMultiRegionKey("conformance: mrk decrypt").keyMetadata();
        String other = target.otherRegion();
        kms().replicateKey(b -> b.keyId(k.keyId()).replicaRegion(other));
        trackKey(other, k.keyId());
        SdkBytes blob = kms().encrypt(b -> b.keyId(k.keyId()).plaintext(SdkBytes.fromUtf8String("across"))).ciphertextBlob();
        awaitEnabled(other, k.keyId());

        var d = kms(other).decrypt(b -> b.ciphertextBlob(blob).keyId(k.keyId()));

        assertEquals("across", d.plaintext().asUtf8String());
    }

    @Test
    @AwsUnverified(reason = "KMS API [D] — an alias names its key in ListAliases and works for Encrypt")
    @CreatesKeys(1)
    void aliasIsListedAndUsable() {
        KeyMetadata k = createKey("conformance: alias").keyMetadata();
        String alias = "alias/" + scenario().scope().replace("/", "-").replace(".", "-") + "a";
        kms().createAlias(b -> b.aliasName(alias).targetKeyId(k.keyId()));
        try {
            var listed = kms().listAliases(b -> b.keyId(k.keyId())).aliases();
            var enc = kms().encrypt(b -> b.keyId(alias).plaintext(SdkBytes.fromUtf8String("x")));

            assertEquals(1, listed.size());
            assertEquals(alias, listed.get(0).aliasName());
            assertEquals(k.keyId(), listed.get(0).targetKeyId());
            assertEquals(k.arn(), enc.keyId());
        } finally {
            kms().deleteAlias(b -> b.aliasName(alias));
        }
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.1 [D] — the Secrets Manager default key is an AWS managed single-Region key")
    void secretsManagerDefaultKeyIsAwsManaged() {
        createSecret(name("s"), "v");

        KeyMetadata m = kms().describeKey(b -> b.keyId("alias/aws/secretsmanager")).keyMetadata();

        assertEquals(KeyManagerType.AWS, m.keyManager());
        assertEquals(false, m.multiRegion());
        assertEquals(KeyState.ENABLED, m.keyState());
    }

    @Test
    @AwsUnverified(reason = "docs/AWS-BEHAVIOUR.md, replica KMS keys: ReplicateKey answers Creating (KMS API reference, "
            + "LocalStack snapshot); not yet run by this suite")
    @CreatesKeys(2)
    void newReplicaKeyStartsCreating() {
        KeyMetadata k = createMultiRegionKey("conformance: creating").keyMetadata();
        String other = target.otherRegion();

        ReplicateKeyResponse r = kms().replicateKey(b -> b.keyId(k.keyId()).replicaRegion(other));
        trackKey(other, k.keyId());

        assertEquals(KeyState.CREATING, r.replicaKeyMetadata().keyState());
        assertEquals(false, r.replicaKeyMetadata().enabled());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [D] — a region that already has a related key: AlreadyExistsException")
    @CreatesKeys(2)
    void replicatingIntoARegionTwiceIsAlreadyExists() {
        KeyMetadata k = createMultiRegionKey("conformance: twice").keyMetadata();
        String other = target.otherRegion();
        kms().replicateKey(b -> b.keyId(k.keyId()).replicaRegion(other));
        trackKey(other, k.keyId());

        Expect.that(rawKms("ReplicateKey", json("KeyId", k.keyId(), "ReplicaRegion", other))).status(400)
                .type("AlreadyExistsException").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.4 [D] — a primary with live replicas waits in PendingReplicaDeletion")
    @CreatesKeys(2)
    void primaryWithReplicasWaitsForThemBeforeDeletion() {
        KeyMetadata k = createMultiRegionKey("conformance: pending replica deletion").keyMetadata();
        String other = target.otherRegion();
        kms().replicateKey(b -> b.keyId(k.keyId()).replicaRegion(other));
        trackKey(other, k.keyId());
        awaitEnabled(other, k.keyId());

        var s = kms().scheduleKeyDeletion(b -> b.keyId(k.keyId()).pendingWindowInDays(7));

        assertEquals(KeyState.PENDING_REPLICA_DELETION, s.keyState());
    }

    @Test
    @AwsUnverified(reason = "KMS API reference [D] — CreateAlias with a name in use: AlreadyExistsException")
    @CreatesKeys(1)
    void aliasNameInUseIsAlreadyExists() {
        KeyMetadata k = createKey("conformance: alias twice").keyMetadata();
        String alias = "alias/" + scenario().scope().replace("/", "-").replace(".", "-") + "dup";
        kms().createAlias(b -> b.aliasName(alias).targetKeyId(k.keyId()));
        try {
            Expect.that(rawKms("CreateAlias", json("AliasName", alias, "TargetKeyId", k.keyId()))).status(400)
                    .type("AlreadyExistsException").verify();
        } finally {
            kms().deleteAlias(b -> b.aliasName(alias));
        }
    }

    @Test
    @AwsUnverified(reason = "KMS key-state docs [D] — CancelKeyDeletion of a key not pending deletion: KMSInvalidStateException")
    @CreatesKeys(1)
    void cancellingDeletionOfAnEnabledKeyIsInvalidState() {
        KeyMetadata k = createKey("conformance: cancel enabled").keyMetadata();

        Expect.that(rawKms("CancelKeyDeletion", json("KeyId", k.keyId()))).status(400).type("KMSInvalidStateException").verify();
    }

    /** A new replica key is Creating for a few seconds in AWS; the emulator makes it Enabled at once. */
    /** A new replica key is Creating for a while: the emulator clock is advanced, AWS is polled. */
    void awaitEnabled(String region, String keyId) {
        Await.until(target.powers(), "replica key " + keyId + " in " + region + " is Enabled",
                () -> kms(region).describeKey(b -> b.keyId(keyId)).keyMetadata().keyState() == KeyState.ENABLED,
                Duration.ofMillis(50), Duration.ofMinutes(2));
    }
}
