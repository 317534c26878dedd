package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.*;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/** The emulated KMS through the SDK's {@link KmsClient}: keys, aliases, key states, cryptography, multi-Region keys. */
class KmsWireTest extends WireSupport {
    private static final Duration REPLICA_KEY_DELAY = dev.smlocal.server.EmulatorConfig.DEFAULT_REPLICA_KEY_DELAY;
    private static final String ACCOUNT = "000000000000";

    private KmsClient east() {
        return kms("us-east-1");
    }

    private KmsClient west() {
        return kms("eu-west-1");
    }

    private static String arn(String region, String keyId) {
        return "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + keyId;
    }

    private static SdkBytes utf8(String s) {
        return SdkBytes.fromString(s, StandardCharsets.UTF_8);
    }

    // ---- keys ----------------------------------------------------------------------------------

    @Test
    void createKeyAndDescribeKeyShowTheKeyMetadata() {
        KeyMetadata created = east().createKey(b -> b.description("orders")).keyMetadata();

        KeyMetadata described = east().describeKey(b -> b.keyId(created.keyId())).keyMetadata();

        assertTrue(created.keyId().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), created.keyId());
        assertEquals(created, described);
        assertEquals(ACCOUNT, described.awsAccountId());
        assertEquals(arn("us-east-1", created.keyId()), described.arn());
        assertEquals(START, described.creationDate());
        assertEquals(Boolean.TRUE, described.enabled());
        assertEquals("orders", described.description());
        assertEquals(KeyUsageType.ENCRYPT_DECRYPT, described.keyUsage());
        assertEquals(KeyState.ENABLED, described.keyState());
        assertNull(described.deletionDate());
        assertEquals(OriginType.AWS_KMS, described.origin());
        assertEquals(KeyManagerType.CUSTOMER, described.keyManager());
        assertEquals(KeySpec.SYMMETRIC_DEFAULT, described.keySpec());
        assertEquals(List.of(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT), described.encryptionAlgorithms());
        assertEquals(Boolean.FALSE, described.multiRegion());
        assertNull(described.multiRegionConfiguration());
    }

    @Test
    void describeKeyAcceptsKeyIdArnAliasNameAndAliasArn() {
        String id = east().createKey(b -> { }).keyMetadata().keyId();
        east().createAlias(b -> b.aliasName("alias/orders").targetKeyId(id));

        for (String ref : List.of(id, arn("us-east-1", id), "alias/orders",
                "arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/orders")) {
            assertEquals(id, east().describeKey(b -> b.keyId(ref)).keyMetadata().keyId(), ref);
        }
    }

    @Test
    void unknownKeysAndAliasesAreNotFound() {
        String missing = "11111111-2222-3333-4444-555555555555";

        NotFoundException noKey = assertThrows(NotFoundException.class, () -> east().describeKey(b -> b.keyId(missing)));
        NotFoundException badId = assertThrows(NotFoundException.class, () -> east().describeKey(b -> b.keyId("not-a-key")));
        NotFoundException noAlias = assertThrows(NotFoundException.class,
                () -> east().describeKey(b -> b.keyId("alias/nothing")));
        NotFoundException otherRegion = assertThrows(NotFoundException.class,
                () -> east().describeKey(b -> b.keyId(arn("eu-west-1", missing))));

        assertEquals("Key '" + arn("us-east-1", missing) + "' does not exist", noKey.awsErrorDetails().errorMessage());
        assertEquals("Invalid keyId 'not-a-key'", badId.awsErrorDetails().errorMessage());
        assertEquals("Alias arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/nothing is not found.",
                noAlias.awsErrorDetails().errorMessage());
        assertEquals("Invalid arn eu-west-1", otherRegion.awsErrorDetails().errorMessage());
    }

    @Test
    void listKeysPagesThroughEveryKeyOnceInKeyIdOrder() {
        TreeSet<String> ids = new TreeSet<>();
        for (int i = 0; i < 5; i++) ids.add(east().createKey(b -> { }).keyMetadata().keyId());

        List<String> seen = new ArrayList<>();
        List<Boolean> truncated = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            ListKeysResponse page = east().listKeys(b -> b.limit(2).marker(m));
            page.keys().forEach(k -> {
                seen.add(k.keyId());
                assertEquals(arn("us-east-1", k.keyId()), k.keyArn());
            });
            truncated.add(page.truncated());
            marker = page.nextMarker();
            assertEquals(page.truncated(), marker != null);
        } while (marker != null);

        assertEquals(new ArrayList<>(ids), seen);
        assertEquals(List.of(true, true, false), truncated);
        assertEquals(5, east().listKeysPaginator(b -> b.limit(2)).keys().stream().count());
        assertTrue(west().listKeys(b -> { }).keys().isEmpty(), "keys are regional");
    }

    @Test
    void badMarkerIsRefused() {
        InvalidMarkerException e = assertThrows(InvalidMarkerException.class, () -> east().listKeys(b -> b.marker("zzz")));

        assertEquals("The request was rejected because the marker that specifies where pagination should next begin is not valid.",
                e.awsErrorDetails().errorMessage());
    }

    // ---- aliases -------------------------------------------------------------------------------

    @Test
    void createListAndDeleteAliases() {
        String a = east().createKey(b -> { }).keyMetadata().keyId();
        String b2 = east().createKey(b -> { }).keyMetadata().keyId();
        east().createAlias(b -> b.aliasName("alias/one").targetKeyId(a));
        east().createAlias(b -> b.aliasName("alias/two").targetKeyId(arn("us-east-1", b2)));

        List<AliasListEntry> all = east().listAliases(b -> { }).aliases();
        List<AliasListEntry> ofA = east().listAliases(b -> b.keyId(a)).aliases();
        east().deleteAlias(b -> b.aliasName("alias/one"));
        List<AliasListEntry> after = east().listAliases(b -> { }).aliases();

        assertEquals(List.of("alias/one", "alias/two"), all.stream().map(AliasListEntry::aliasName).toList());
        assertEquals("arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/one", all.get(0).aliasArn());
        assertEquals(a, all.get(0).targetKeyId());
        assertEquals(b2, all.get(1).targetKeyId());
        assertEquals(START, all.get(0).creationDate());
        assertEquals(List.of("alias/one"), ofA.stream().map(AliasListEntry::aliasName).toList());
        assertEquals(List.of("alias/two"), after.stream().map(AliasListEntry::aliasName).toList());
        NotFoundException gone = assertThrows(NotFoundException.class, () -> east().deleteAlias(b -> b.aliasName("alias/one")));
        assertEquals("Alias arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/one is not found.", gone.awsErrorDetails().errorMessage());
    }

    @Test
    void aliasNameRulesAreEnforced() {
        String id = east().createKey(b -> { }).keyMetadata().keyId();
        east().createAlias(b -> b.aliasName("alias/taken").targetKeyId(id));

        InvalidAliasNameException reserved = assertThrows(InvalidAliasNameException.class,
                () -> east().createAlias(b -> b.aliasName("alias/aws/mine").targetKeyId(id)));
        InvalidAliasNameException reservedDelete = assertThrows(InvalidAliasNameException.class,
                () -> east().deleteAlias(b -> b.aliasName("alias/aws/secretsmanager")));
        AlreadyExistsException taken = assertThrows(AlreadyExistsException.class,
                () -> east().createAlias(b -> b.aliasName("alias/taken").targetKeyId(id)));
        KmsException noPrefix = assertThrows(KmsException.class,
                () -> east().createAlias(b -> b.aliasName("plain").targetKeyId(id)));

        String reservedText = "Alias names cannot begin with alias/aws/; that prefix is reserved for AWS managed keys.";
        assertEquals(reservedText, reserved.awsErrorDetails().errorMessage());
        assertEquals(reservedText, reservedDelete.awsErrorDetails().errorMessage());
        assertEquals("An alias with the name arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/taken already exists",
                taken.awsErrorDetails().errorMessage());
        assertEquals("ValidationException", noPrefix.awsErrorDetails().errorCode());
        assertEquals("Alias must start with the prefix \"alias/\". Please see "
                + "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html", noPrefix.awsErrorDetails().errorMessage());
    }

    @Test
    void managedSecretsManagerKeyAppearsInListAliasesOnceASecretExists() {
        sm().createSecret(b -> b.name("s").secretString("v"));

        AliasListEntry managed = east().listAliases(b -> { }).aliases().stream()
                .filter(a -> a.aliasName().equals("alias/aws/secretsmanager")).findFirst().orElseThrow();
        KeyMetadata key = east().describeKey(b -> b.keyId("alias/aws/secretsmanager")).keyMetadata();

        assertEquals("arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/aws/secretsmanager", managed.aliasArn());
        assertEquals(key.keyId(), managed.targetKeyId());
        assertEquals(KeyManagerType.AWS, key.keyManager());
        assertEquals(Boolean.FALSE, key.multiRegion());
        assertTrue(west().listAliases(b -> { }).aliases().isEmpty(), "the managed key is per region");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> east().disableKey(b -> b.keyId(key.keyId())));
        assertEquals(key.arn() + " is an AWS managed key and cannot be modified.", e.awsErrorDetails().errorMessage());
    }

    // ---- key states ----------------------------------------------------------------------------

    @Test
    void disableAndEnableKey() {
        KeyMetadata k = east().createKey(b -> { }).keyMetadata();

        east().disableKey(b -> b.keyId(k.keyId()));
        KeyMetadata disabled = east().describeKey(b -> b.keyId(k.keyId())).keyMetadata();
        DisabledException e = assertThrows(DisabledException.class,
                () -> east().encrypt(b -> b.keyId(k.keyId()).plaintext(utf8("x"))));
        east().enableKey(b -> b.keyId(k.keyId()));

        assertEquals(KeyState.DISABLED, disabled.keyState());
        assertEquals(Boolean.FALSE, disabled.enabled());
        assertEquals(k.arn() + " is disabled.", e.awsErrorDetails().errorMessage());
        assertEquals(KeyState.ENABLED, east().describeKey(b -> b.keyId(k.keyId())).keyMetadata().keyState());
        assertNotNull(east().encrypt(b -> b.keyId(k.keyId()).plaintext(utf8("x"))).ciphertextBlob());
    }

    @Test
    void scheduleAndCancelKeyDeletion() {
        KeyMetadata k = east().createKey(b -> { }).keyMetadata();

        ScheduleKeyDeletionResponse scheduled = east().scheduleKeyDeletion(b -> b.keyId(k.keyId()).pendingWindowInDays(7));
        KeyMetadata pending = east().describeKey(b -> b.keyId(k.keyId())).keyMetadata();
        KmsInvalidStateException encrypt = assertThrows(KmsInvalidStateException.class,
                () -> east().encrypt(b -> b.keyId(k.keyId()).plaintext(utf8("x"))));
        KmsInvalidStateException enable = assertThrows(KmsInvalidStateException.class,
                () -> east().enableKey(b -> b.keyId(k.keyId())));
        CancelKeyDeletionResponse cancelled = east().cancelKeyDeletion(b -> b.keyId(k.keyId()));
        KeyMetadata afterCancel = east().describeKey(b -> b.keyId(k.keyId())).keyMetadata();

        assertEquals(k.arn(), scheduled.keyId());
        assertEquals(KeyState.PENDING_DELETION, scheduled.keyState());
        assertEquals(START.plus(Duration.ofDays(7)), scheduled.deletionDate());
        assertEquals(7, scheduled.pendingWindowInDays());
        assertEquals(KeyState.PENDING_DELETION, pending.keyState());
        assertEquals(START.plus(Duration.ofDays(7)), pending.deletionDate());
        assertEquals(Boolean.FALSE, pending.enabled());
        assertEquals(k.arn() + " is pending deletion.", encrypt.awsErrorDetails().errorMessage());
        assertEquals(k.arn() + " is pending deletion.", enable.awsErrorDetails().errorMessage());
        assertEquals(k.arn(), cancelled.keyId());
        assertEquals(KeyState.DISABLED, afterCancel.keyState(), "AWS leaves a cancelled key disabled");
        assertNull(afterCancel.deletionDate());
        KmsInvalidStateException notPending = assertThrows(KmsInvalidStateException.class,
                () -> east().cancelKeyDeletion(b -> b.keyId(k.keyId())));
        assertEquals(k.arn() + " is not pending deletion.", notPending.awsErrorDetails().errorMessage());
    }

    @Test
    void keyIsDeletedWhenItsWindowElapsesOnTheEmulatorClock() {
        KeyMetadata k = east().createKey(b -> { }).keyMetadata();
        east().createAlias(b -> b.aliasName("alias/doomed").targetKeyId(k.keyId()));
        east().scheduleKeyDeletion(b -> b.keyId(k.keyId()));

        advance(Duration.ofDays(30).minusMillis(1));
        assertEquals(KeyState.PENDING_DELETION, east().describeKey(b -> b.keyId(k.keyId())).keyMetadata().keyState());
        advance(Duration.ofMillis(1));

        NotFoundException e = assertThrows(NotFoundException.class, () -> east().describeKey(b -> b.keyId(k.keyId())));
        assertEquals("Key '" + k.arn() + "' does not exist", e.awsErrorDetails().errorMessage());
        assertTrue(east().listAliases(b -> { }).aliases().isEmpty(), "the key's aliases go with it");
        assertTrue(east().listKeys(b -> { }).keys().isEmpty());
    }

    @Test
    void pendingWindowOutsideSevenToThirtyDaysIsRefused() {
        String id = east().createKey(b -> { }).keyMetadata().keyId();

        KmsException e = assertThrows(KmsException.class,
                () -> east().scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(6)));

        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 7 and less than or equal to 30",
                e.awsErrorDetails().errorMessage());
    }

    // ---- cryptography --------------------------------------------------------------------------

    @Test
    void encryptDecryptRoundTripWithEncryptionContext() {
        KeyMetadata k = east().createKey(b -> { }).keyMetadata();
        Map<String, String> context = Map.of("purpose", "test", "tenant", "a");

        EncryptResponse enc = east().encrypt(b -> b.keyId(k.keyId()).plaintext(utf8("hello")).encryptionContext(context));
        DecryptResponse dec = east().decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob()).encryptionContext(context));
        DecryptResponse decNamed = east().decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob()).encryptionContext(context)
                .keyId(k.arn()));

        assertEquals(k.arn(), enc.keyId());
        assertEquals(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, enc.encryptionAlgorithm());
        assertFalse(new String(enc.ciphertextBlob().asByteArray(), StandardCharsets.ISO_8859_1).contains("hello"));
        assertEquals("hello", dec.plaintext().asUtf8String());
        assertEquals(k.arn(), dec.keyId());
        assertEquals("hello", decNamed.plaintext().asUtf8String());
    }

    @Test
    void encryptionContextMismatchIsInvalidCiphertext() {
        String id = east().createKey(b -> { }).keyMetadata().keyId();
        SdkBytes blob = east().encrypt(b -> b.keyId(id).plaintext(utf8("hello")).encryptionContext(Map.of("k", "v")))
                .ciphertextBlob();

        InvalidCiphertextException other = assertThrows(InvalidCiphertextException.class,
                () -> east().decrypt(b -> b.ciphertextBlob(blob).encryptionContext(Map.of("k", "w"))));
        InvalidCiphertextException none = assertThrows(InvalidCiphertextException.class,
                () -> east().decrypt(b -> b.ciphertextBlob(blob)));
        InvalidCiphertextException extra = assertThrows(InvalidCiphertextException.class,
                () -> east().decrypt(b -> b.ciphertextBlob(blob).encryptionContext(Map.of("k", "v", "x", "y"))));

        assertEquals("The ciphertext is invalid.", other.awsErrorDetails().errorMessage());
        assertEquals("InvalidCiphertextException", none.awsErrorDetails().errorCode());
        assertEquals("InvalidCiphertextException", extra.awsErrorDetails().errorCode());
    }

    @Test
    void decryptNamingAnotherKeyIsIncorrectKey() {
        String a = east().createKey(b -> { }).keyMetadata().keyId();
        String other = east().createKey(b -> { }).keyMetadata().keyId();
        SdkBytes blob = east().encrypt(b -> b.keyId(a).plaintext(utf8("x"))).ciphertextBlob();

        IncorrectKeyException e = assertThrows(IncorrectKeyException.class,
                () -> east().decrypt(b -> b.ciphertextBlob(blob).keyId(other)));

        assertEquals("The key ID in the request does not identify a CMK that can perform this operation.",
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void generateDataKeyRoundTrips() {
        KeyMetadata k = east().createKey(b -> { }).keyMetadata();
        Map<String, String> context = Map.of("SecretARN", "arn:x", "SecretVersionId", "v1");

        GenerateDataKeyResponse aes = east().generateDataKey(b -> b.keyId(k.keyId()).keySpec(DataKeySpec.AES_256)
                .encryptionContext(context));
        GenerateDataKeyResponse bytes = east().generateDataKey(b -> b.keyId(k.keyId()).numberOfBytes(64));
        DecryptResponse opened = east().decrypt(b -> b.ciphertextBlob(aes.ciphertextBlob()).encryptionContext(context));

        assertEquals(32, aes.plaintext().asByteArray().length);
        assertEquals(64, bytes.plaintext().asByteArray().length);
        assertEquals(k.arn(), aes.keyId());
        assertArrayEquals(aes.plaintext().asByteArray(), opened.plaintext().asByteArray());
        assertEquals(64, east().decrypt(b -> b.ciphertextBlob(bytes.ciphertextBlob())).plaintext().asByteArray().length);
        assertThrows(InvalidCiphertextException.class,
                () -> east().decrypt(b -> b.ciphertextBlob(aes.ciphertextBlob()).encryptionContext(Map.of("SecretARN", "arn:x"))));
    }

    // ---- multi-Region keys ---------------------------------------------------------------------

    @Test
    void multiRegionKeyReplicatesAndDescribesItsSetInBothRegions() {
        KeyMetadata primary = east().createKey(b -> b.multiRegion(true).description("global")).keyMetadata();
        String id = primary.keyId();

        ReplicateKeyResponse rep = east().replicateKey(b -> b.keyId(id).replicaRegion("eu-west-1").description("copy"));
        KeyMetadata inEast = east().describeKey(b -> b.keyId(id)).keyMetadata();
        KeyMetadata inWest = west().describeKey(b -> b.keyId(id)).keyMetadata();

        assertTrue(id.matches("mrk-[0-9a-f]{32}"), id);
        assertEquals(Boolean.TRUE, primary.multiRegion());
        assertEquals(MultiRegionKeyType.PRIMARY, primary.multiRegionConfiguration().multiRegionKeyType());
        assertEquals(List.of(), primary.multiRegionConfiguration().replicaKeys());
        KeyMetadata replica = rep.replicaKeyMetadata();
        assertEquals(id, replica.keyId());
        assertEquals(arn("eu-west-1", id), replica.arn());
        assertEquals("copy", replica.description());
        assertNotNull(rep.replicaPolicy());
        MultiRegionKey primaryRef = MultiRegionKey.builder().arn(arn("us-east-1", id)).region("us-east-1").build();
        MultiRegionKey replicaRef = MultiRegionKey.builder().arn(arn("eu-west-1", id)).region("eu-west-1").build();
        assertEquals(MultiRegionKeyType.PRIMARY, inEast.multiRegionConfiguration().multiRegionKeyType());
        assertEquals(primaryRef, inEast.multiRegionConfiguration().primaryKey());
        assertEquals(List.of(replicaRef), inEast.multiRegionConfiguration().replicaKeys());
        assertEquals(MultiRegionKeyType.REPLICA, inWest.multiRegionConfiguration().multiRegionKeyType());
        assertEquals(primaryRef, inWest.multiRegionConfiguration().primaryKey());
        assertEquals(List.of(replicaRef), inWest.multiRegionConfiguration().replicaKeys());
        assertEquals(Boolean.TRUE, inWest.multiRegion());
        assertEquals("global", inEast.description());
        assertEquals("copy", inWest.description(), "descriptions are independent");
    }

    @Test
    void aNewReplicaKeyIsCreatingUntilTheDelayPassesOnTheEmulatorClock() {
        String id = east().createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
        SdkBytes blob = east().encrypt(b -> b.keyId(id).plaintext(utf8("x"))).ciphertextBlob();

        KeyMetadata answered = east().replicateKey(b -> b.keyId(id).replicaRegion("eu-west-1")).replicaKeyMetadata();
        advance(REPLICA_KEY_DELAY.minusMillis(1));
        KeyMetadata justBefore = west().describeKey(b -> b.keyId(id)).keyMetadata();
        KmsInvalidStateException encrypt = assertThrows(KmsInvalidStateException.class,
                () -> west().encrypt(b -> b.keyId(id).plaintext(utf8("y"))));
        KmsInvalidStateException decrypt = assertThrows(KmsInvalidStateException.class,
                () -> west().decrypt(b -> b.ciphertextBlob(blob)));
        KmsInvalidStateException disable = assertThrows(KmsInvalidStateException.class,
                () -> west().disableKey(b -> b.keyId(id)));
        advance(Duration.ofMillis(1));
        KeyMetadata after = west().describeKey(b -> b.keyId(id)).keyMetadata();

        assertEquals(KeyState.CREATING, answered.keyState());
        assertEquals(Boolean.FALSE, answered.enabled());
        assertEquals(KeyState.CREATING, justBefore.keyState());
        for (KmsInvalidStateException e : List.of(encrypt, decrypt, disable)) {
            assertEquals(arn("eu-west-1", id) + " is creating.", e.awsErrorDetails().errorMessage());
        }
        assertEquals(KeyState.ENABLED, after.keyState());
        assertEquals(Boolean.TRUE, after.enabled());
        assertEquals("x", west().decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String());
    }

    @Test
    void ciphertextFromOneRegionDecryptsInTheOther() {
        String id = east().createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
        east().replicateKey(b -> b.keyId(id).replicaRegion("eu-west-1"));
        advance(REPLICA_KEY_DELAY);
        Map<String, String> context = Map.of("app", "orders");

        SdkBytes fromEast = east().encrypt(b -> b.keyId(id).plaintext(utf8("east")).encryptionContext(context)).ciphertextBlob();
        SdkBytes fromWest = west().encrypt(b -> b.keyId(id).plaintext(utf8("west")).encryptionContext(context)).ciphertextBlob();
        DecryptResponse inWest = west().decrypt(b -> b.ciphertextBlob(fromEast).encryptionContext(context));
        DecryptResponse inEast = east().decrypt(b -> b.ciphertextBlob(fromWest).encryptionContext(context));

        assertEquals("east", inWest.plaintext().asUtf8String());
        assertEquals(arn("eu-west-1", id), inWest.keyId(), "decrypted by the related key in the caller's region");
        assertEquals("west", inEast.plaintext().asUtf8String());
        assertEquals(arn("us-east-1", id), inEast.keyId());
    }

    @Test
    void updatePrimaryRegionSwapsRoles() {
        String id = east().createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
        east().replicateKey(b -> b.keyId(id).replicaRegion("eu-west-1"));

        east().updatePrimaryRegion(b -> b.keyId(id).primaryRegion("eu-west-1"));

        MultiRegionConfiguration west = west().describeKey(b -> b.keyId(id)).keyMetadata().multiRegionConfiguration();
        MultiRegionConfiguration east = east().describeKey(b -> b.keyId(id)).keyMetadata().multiRegionConfiguration();
        assertEquals(MultiRegionKeyType.PRIMARY, west.multiRegionKeyType());
        assertEquals("eu-west-1", west.primaryKey().region());
        assertEquals(List.of("us-east-1"), west.replicaKeys().stream().map(MultiRegionKey::region).toList());
        assertEquals(MultiRegionKeyType.REPLICA, east.multiRegionKeyType());
        assertEquals("eu-west-1", east.primaryKey().region());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> east().replicateKey(b -> b.keyId(id).replicaRegion("us-west-2")));
        assertEquals(arn("us-east-1", id) + " is not a multi-region primary key.", e.awsErrorDetails().errorMessage());
        assertEquals(arn("us-west-2", id), west().replicateKey(b -> b.keyId(id).replicaRegion("us-west-2"))
                .replicaKeyMetadata().arn(), "the new primary replicates");
    }

    @Test
    void replicatingAReplicaOrASingleRegionKeyIsUnsupported() {
        String mrk = east().createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
        east().replicateKey(b -> b.keyId(mrk).replicaRegion("eu-west-1"));
        KeyMetadata single = east().createKey(b -> { }).keyMetadata();

        UnsupportedOperationException replica = assertThrows(UnsupportedOperationException.class,
                () -> west().replicateKey(b -> b.keyId(mrk).replicaRegion("us-west-2")));
        UnsupportedOperationException notMrk = assertThrows(UnsupportedOperationException.class,
                () -> east().replicateKey(b -> b.keyId(single.keyId()).replicaRegion("eu-west-1")));
        AlreadyExistsException twice = assertThrows(AlreadyExistsException.class,
                () -> east().replicateKey(b -> b.keyId(mrk).replicaRegion("eu-west-1")));

        assertEquals(arn("eu-west-1", mrk) + " is not a multi-region primary key.", replica.awsErrorDetails().errorMessage());
        assertEquals(single.arn() + " is not a multi-region key.", notMrk.awsErrorDetails().errorMessage());
        assertEquals("Replica key " + arn("eu-west-1", mrk) + " already exists in eu-west-1.",
                twice.awsErrorDetails().errorMessage());
    }

    @Test
    void enabledStateIsIndependentPerRegion() {
        String id = east().createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
        east().replicateKey(b -> b.keyId(id).replicaRegion("eu-west-1"));
        advance(REPLICA_KEY_DELAY);

        west().disableKey(b -> b.keyId(id));

        assertEquals(KeyState.ENABLED, east().describeKey(b -> b.keyId(id)).keyMetadata().keyState());
        assertEquals(KeyState.DISABLED, west().describeKey(b -> b.keyId(id)).keyMetadata().keyState());
        SdkBytes blob = east().encrypt(b -> b.keyId(id).plaintext(utf8("x"))).ciphertextBlob();
        DisabledException e = assertThrows(DisabledException.class, () -> west().decrypt(b -> b.ciphertextBlob(blob)));
        assertEquals(arn("eu-west-1", id) + " is disabled.", e.awsErrorDetails().errorMessage());
    }
}
