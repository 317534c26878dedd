package dev.smlocal.server.kms;

import static dev.smlocal.server.kms.KmsContract.assertKmsError;
import static dev.smlocal.server.kms.KmsContract.keyArn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.kms.KmsApi.AliasListEntry;
import dev.smlocal.server.kms.KmsApi.CancelKeyDeletionRequest;
import dev.smlocal.server.kms.KmsApi.CreateAliasRequest;
import dev.smlocal.server.kms.KmsApi.CreateKeyRequest;
import dev.smlocal.server.kms.KmsApi.DecryptRequest;
import dev.smlocal.server.kms.KmsApi.DeleteAliasRequest;
import dev.smlocal.server.kms.KmsApi.DescribeKeyRequest;
import dev.smlocal.server.kms.KmsApi.DisableKeyRequest;
import dev.smlocal.server.kms.KmsApi.EnableKeyRequest;
import dev.smlocal.server.kms.KmsApi.EncryptRequest;
import dev.smlocal.server.kms.KmsApi.GenerateDataKeyRequest;
import dev.smlocal.server.kms.KmsApi.KeyListEntry;
import dev.smlocal.server.kms.KmsApi.KeyMetadata;
import dev.smlocal.server.kms.KmsApi.ListAliasesRequest;
import dev.smlocal.server.kms.KmsApi.ListAliasesResponse;
import dev.smlocal.server.kms.KmsApi.ListKeysRequest;
import dev.smlocal.server.kms.KmsApi.ListKeysResponse;
import dev.smlocal.server.kms.KmsApi.ListResourceTagsRequest;
import dev.smlocal.server.kms.KmsApi.MultiRegionConfiguration;
import dev.smlocal.server.kms.KmsApi.MultiRegionKey;
import dev.smlocal.server.kms.KmsApi.ReplicateKeyRequest;
import dev.smlocal.server.kms.KmsApi.ReplicateKeyResponse;
import dev.smlocal.server.kms.KmsApi.ScheduleKeyDeletionRequest;
import dev.smlocal.server.kms.KmsApi.ScheduleKeyDeletionResponse;
import dev.smlocal.server.kms.KmsApi.Tag;
import dev.smlocal.server.kms.KmsApi.TagResourceRequest;
import dev.smlocal.server.kms.KmsApi.UntagResourceRequest;
import dev.smlocal.server.kms.KmsApi.UpdatePrimaryRegionRequest;
import dev.smlocal.server.time.EmulatorClock;
import dev.smlocal.server.time.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmulatedKmsTest implements KmsContract {
    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private static final RequestContext CTX = new RequestContext(ACCOUNT, REGION, "req-1");
    private static final RequestContext REPLICA_CTX = CTX.inRegion(REPLICA_REGION);

    private final EmulatorClock clock = EmulatorClock.manual(T0);
    private final Scheduler scheduler = new Scheduler(clock);
    private final EmulatedKms kms = new EmulatedKms(clock);

    @AfterEach
    void closeScheduler() {
        scheduler.close();
    }

    // ---- KmsContract fixtures ------------------------------------------------------------------

    @Override
    public Kms kms() {
        return kms;
    }

    @Override
    public String createKey(String account, String region) {
        return kms.createKey(ctx(account, region), createRequest(null, false)).keyMetadata().keyId();
    }

    @Override
    public void disableKey(String account, String region, String keyId) {
        kms.disableKey(ctx(account, region), new DisableKeyRequest(keyId));
    }

    @Override
    public void scheduleKeyDeletion(String account, String region, String keyId) {
        kms.scheduleKeyDeletion(ctx(account, region), new ScheduleKeyDeletionRequest(keyId, null));
    }

    @Override
    public void createAlias(String account, String region, String aliasName, String keyId) {
        kms.createAlias(ctx(account, region), new CreateAliasRequest(aliasName, keyId));
    }

    @Override
    public String createReplicatedKey(String account, String primaryRegion, String replicaRegion) {
        String id = kms.createKey(ctx(account, primaryRegion), createRequest(null, true)).keyMetadata().keyId();
        kms.replicateKey(ctx(account, primaryRegion), new ReplicateKeyRequest(id, replicaRegion, null, null, null, null));
        return id;
    }

    private static RequestContext ctx(String account, String region) {
        return new RequestContext(account, region, "req");
    }

    private static CreateKeyRequest createRequest(String description, boolean multiRegion) {
        return new CreateKeyRequest(null, description, null, null, null, null, null, null, null, multiRegion, null);
    }

    private KeyMetadata describe(RequestContext ctx, String keyId) {
        return kms.describeKey(ctx, new DescribeKeyRequest(keyId, null)).keyMetadata();
    }

    private String newKey() {
        return createKey(ACCOUNT, REGION);
    }

    // ---- CreateKey / DescribeKey ---------------------------------------------------------------

    @Test
    void createKeyMetadataHasTheModelFields() {
        KeyMetadata m = kms.createKey(CTX, createRequest("app key", false)).keyMetadata();
        assertTrue(KeyRef.isKeyId(m.keyId()) && !m.keyId().startsWith("mrk-"), m.keyId());
        assertEquals(new KeyMetadata(ACCOUNT, m.keyId(), keyArn(ACCOUNT, REGION, m.keyId()), T0, true, "app key",
                "ENCRYPT_DECRYPT", KeyState.Enabled, null, "AWS_KMS", "CUSTOMER", "SYMMETRIC_DEFAULT",
                "SYMMETRIC_DEFAULT", List.of("SYMMETRIC_DEFAULT"), false, null, null), m);
        assertEquals(m, describe(CTX, m.keyId()));
        assertEquals("", describe(CTX, newKey()).description());
    }

    @Test
    void onlySymmetricEncryptionKeysAreSupported() {
        AwsException e = assertThrows(AwsException.class, () -> kms.createKey(CTX,
                new CreateKeyRequest(null, null, "SIGN_VERIFY", null, "RSA_2048", null, null, null, null, null, null)));
        assertEquals(ErrorType.KMS_UNSUPPORTED_OPERATION, e.type());
        String policy = "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ACCOUNT
                + "\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}}";
        kms.createKey(CTX, new CreateKeyRequest(policy, null, "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT", "SYMMETRIC_DEFAULT",
                "AWS_KMS", null, true, List.of(new Tag("team", "a")), false, null));
    }

    @Test
    void managedKeyIsDescribedAsAwsManaged() {
        KeyInfo info = kms.resolve(ACCOUNT, REGION, null);
        KeyMetadata m = describe(CTX, "alias/aws/secretsmanager");
        assertEquals(info.keyId(), m.keyId());
        assertEquals("AWS", m.keyManager());
        assertEquals(EmulatedKms.MANAGED_KEY_DESCRIPTION, m.description());
        assertFalse(m.multiRegion());
        assertNull(m.multiRegionConfiguration());
    }

    @Test
    void describeKeyWorksCrossAccountByArn() {
        String id = createKey(OTHER_ACCOUNT, REGION);
        assertEquals(OTHER_ACCOUNT, describe(CTX, keyArn(OTHER_ACCOUNT, REGION, id)).awsAccountId());
    }

    // ---- state machine -------------------------------------------------------------------------

    @Test
    void disableAndEnable() {
        String id = newKey();
        kms.disableKey(CTX, new DisableKeyRequest(id));
        KeyMetadata m = describe(CTX, id);
        assertEquals(KeyState.Disabled, m.keyState());
        assertFalse(m.enabled());
        kms.disableKey(CTX, new DisableKeyRequest(id));
        kms.enableKey(CTX, new EnableKeyRequest(id));
        assertEquals(KeyState.Enabled, describe(CTX, id).keyState());
        assertTrue(describe(CTX, id).enabled());
    }

    @Test
    void scheduleAndCancelDeletion() {
        String id = newKey();
        String arn = keyArn(ACCOUNT, REGION, id);
        ScheduleKeyDeletionResponse r = kms.scheduleKeyDeletion(CTX, new ScheduleKeyDeletionRequest(id, null));
        assertEquals(new ScheduleKeyDeletionResponse(arn, T0.plus(Duration.ofDays(30)), KeyState.PendingDeletion, 30), r);
        KeyMetadata m = describe(CTX, id);
        assertEquals(KeyState.PendingDeletion, m.keyState());
        assertEquals(T0.plus(Duration.ofDays(30)), m.deletionDate());
        assertFalse(m.enabled());
        assertNull(m.pendingDeletionWindowInDays());

        String pending = arn + " is pending deletion.";
        assertKmsError(ErrorType.KMS_INVALID_STATE, pending, () -> kms.scheduleKeyDeletion(CTX, new ScheduleKeyDeletionRequest(id, 7)));
        assertKmsError(ErrorType.KMS_INVALID_STATE, pending, () -> kms.enableKey(CTX, new EnableKeyRequest(id)));
        assertKmsError(ErrorType.KMS_INVALID_STATE, pending, () -> kms.disableKey(CTX, new DisableKeyRequest(id)));

        assertEquals(arn, kms.cancelKeyDeletion(CTX, new CancelKeyDeletionRequest(id)).keyId());
        m = describe(CTX, id);
        assertEquals(KeyState.Disabled, m.keyState());
        assertNull(m.deletionDate());
        assertKmsError(ErrorType.KMS_INVALID_STATE, arn + " is not pending deletion.",
                () -> kms.cancelKeyDeletion(CTX, new CancelKeyDeletionRequest(id)));
    }

    @Test
    void pendingWindowMustBeSevenToThirtyDays() {
        String id = newKey();
        for (int days : new int[] {6, 31, 365}) {
            AwsException e = assertThrows(AwsException.class,
                    () -> kms.scheduleKeyDeletion(CTX, new ScheduleKeyDeletionRequest(id, days)));
            assertEquals(ErrorType.VALIDATION, e.type());
            assertTrue(e.getMessage().contains("Value '" + days + "' at 'pendingWindowInDays'"), e.getMessage());
        }
        assertEquals(T0.plus(Duration.ofDays(7)),
                kms.scheduleKeyDeletion(CTX, new ScheduleKeyDeletionRequest(id, 7)).deletionDate());
    }

    @Test
    void keyIsDeletedAtItsDeletionDate() {
        String id = newKey();
        createAlias(ACCOUNT, REGION, "alias/doomed", id);
        kms.scheduleKeyDeletion(CTX, new ScheduleKeyDeletionRequest(id, 7));
        scheduler.advance(Duration.ofDays(7).minusMillis(1));
        assertEquals(KeyState.PendingDeletion, describe(CTX, id).keyState());
        scheduler.advance(Duration.ofMillis(1));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Key '" + keyArn(ACCOUNT, REGION, id) + "' does not exist",
                () -> describe(CTX, id));
        assertTrue(kms.keys(ACCOUNT, REGION).isEmpty());
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Alias arn:aws:kms:us-east-1:111122223333:alias/doomed is not found.",
                () -> kms.resolve(ACCOUNT, REGION, "alias/doomed"));
    }

    @Test
    void awsManagedKeyCannotBeModified() {
        String id = kms.resolve(ACCOUNT, REGION, null).keyId();
        String message = keyArn(ACCOUNT, REGION, id) + " is an AWS managed key and cannot be modified.";
        assertKmsError(ErrorType.KMS_UNSUPPORTED_OPERATION, message, () -> kms.disableKey(CTX, new DisableKeyRequest(id)));
        assertKmsError(ErrorType.KMS_UNSUPPORTED_OPERATION, message, () -> kms.enableKey(CTX, new EnableKeyRequest(id)));
        assertKmsError(ErrorType.KMS_UNSUPPORTED_OPERATION, message,
                () -> kms.scheduleKeyDeletion(CTX, new ScheduleKeyDeletionRequest(id, 7)));
        assertKmsError(ErrorType.KMS_UNSUPPORTED_OPERATION, message,
                () -> kms.createAlias(CTX, new CreateAliasRequest("alias/mine", id)));
        assertKmsError(ErrorType.KMS_UNSUPPORTED_OPERATION, message,
                () -> kms.tagResource(CTX, new TagResourceRequest(id, List.of(new Tag("k", "v")))));
    }

    // ---- aliases -------------------------------------------------------------------------------

    @Test
    void aliasNameRules() {
        String id = newKey();
        assertKmsError(ErrorType.VALIDATION, "Alias must start with the prefix \"alias/\". Please see "
                        + "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
                () -> kms.createAlias(CTX, new CreateAliasRequest("app", id)));
        assertEquals(ErrorType.KMS_INVALID_ALIAS_NAME, assertThrows(AwsException.class,
                () -> kms.createAlias(CTX, new CreateAliasRequest("alias/aws/mine", id))).type());
        assertEquals(ErrorType.KMS_INVALID_ALIAS_NAME, assertThrows(AwsException.class,
                () -> kms.deleteAlias(CTX, new DeleteAliasRequest("alias/aws/secretsmanager"))).type());
        assertKmsError(ErrorType.VALIDATION, "alias/a:b contains invalid characters for an alias",
                () -> kms.createAlias(CTX, new CreateAliasRequest("alias/a:b", id)));
        kms.createAlias(CTX, new CreateAliasRequest("alias/app", id));
        assertKmsError(ErrorType.VALIDATION, "Aliases must refer to keys. Not aliases",
                () -> kms.createAlias(CTX, new CreateAliasRequest("alias/other", "alias/app")));
        assertKmsError(ErrorType.KMS_ALREADY_EXISTS,
                "An alias with the name arn:aws:kms:us-east-1:111122223333:alias/app already exists",
                () -> kms.createAlias(CTX, new CreateAliasRequest("alias/app", newKey())));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Key '" + keyArn(ACCOUNT, REPLICA_REGION, id) + "' does not exist",
                () -> kms.createAlias(REPLICA_CTX, new CreateAliasRequest("alias/app", id)));
    }

    @Test
    void aliasOfKeyPendingDeletionIsRefused() {
        String id = newKey();
        kms.scheduleKeyDeletion(CTX, new ScheduleKeyDeletionRequest(id, null));
        assertKmsError(ErrorType.KMS_INVALID_STATE, keyArn(ACCOUNT, REGION, id) + " is pending deletion.",
                () -> kms.createAlias(CTX, new CreateAliasRequest("alias/late", id)));
    }

    @Test
    void deleteAlias() {
        String id = newKey();
        kms.createAlias(CTX, new CreateAliasRequest("alias/app", id));
        kms.deleteAlias(CTX, new DeleteAliasRequest("alias/app"));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Alias arn:aws:kms:us-east-1:111122223333:alias/app is not found.",
                () -> kms.deleteAlias(CTX, new DeleteAliasRequest("alias/app")));
        assertEquals(KeyState.Enabled, describe(CTX, id).keyState());
    }

    @Test
    void listAliasesShowsTheManagedAliasOnceItsKeyExists() {
        String id = newKey();
        kms.createAlias(CTX, new CreateAliasRequest("alias/b", id));
        kms.createAlias(CTX, new CreateAliasRequest("alias/a", id));
        assertEquals(List.of("alias/a", "alias/b"), aliasNames(kms.listAliases(CTX, new ListAliasesRequest(null, null, null))));

        String managed = kms.resolve(ACCOUNT, REGION, null).keyId();
        ListAliasesResponse all = kms.listAliases(CTX, new ListAliasesRequest(null, null, null));
        assertEquals(List.of("alias/a", "alias/aws/secretsmanager", "alias/b"), aliasNames(all));
        AliasListEntry entry = all.aliases().get(1);
        assertEquals(new AliasListEntry("alias/aws/secretsmanager",
                "arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager", managed, T0, T0), entry);
        assertFalse(all.truncated());
        assertNull(all.nextMarker());

        assertEquals(List.of("alias/a", "alias/b"), aliasNames(kms.listAliases(CTX, new ListAliasesRequest(id, null, null))));
        ListAliasesResponse first = kms.listAliases(CTX, new ListAliasesRequest(null, 2, null));
        assertEquals(List.of("alias/a", "alias/aws/secretsmanager"), aliasNames(first));
        assertTrue(first.truncated());
        assertEquals(List.of("alias/b"), aliasNames(kms.listAliases(CTX, new ListAliasesRequest(null, 2, first.nextMarker()))));
        assertTrue(aliasNames(kms.listAliases(REPLICA_CTX, new ListAliasesRequest(null, null, null))).isEmpty());
    }

    private static List<String> aliasNames(ListAliasesResponse r) {
        return r.aliases().stream().map(AliasListEntry::aliasName).toList();
    }

    // ---- ListKeys paging -----------------------------------------------------------------------

    @Test
    void listKeysPagesThroughEveryKeyOnce() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) created.add(newKey());
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            ListKeysResponse page = kms.listKeys(CTX, new ListKeysRequest(2, marker));
            pages++;
            for (KeyListEntry e : page.keys()) {
                seen.add(e.keyId());
                assertEquals(keyArn(ACCOUNT, REGION, e.keyId()), e.keyArn());
            }
            assertEquals(page.nextMarker() != null, page.truncated());
            marker = page.nextMarker();
        } while (marker != null);
        assertEquals(3, pages);
        assertEquals(5, seen.size());
        assertEquals(created, new HashSet<>(seen));
        assertEquals(seen.stream().sorted().toList(), seen);
        assertEquals(5, kms.listKeys(CTX, new ListKeysRequest(null, null)).keys().size());
    }

    @Test
    void badMarkersAreRejected() {
        newKey();
        newKey();
        kms.createAlias(CTX, new CreateAliasRequest("alias/x", newKey()));
        kms.createAlias(CTX, new CreateAliasRequest("alias/y", newKey()));
        String aliasMarker = kms.listAliases(CTX, new ListAliasesRequest(null, 1, null)).nextMarker();
        assertNotNull(aliasMarker);
        for (String bad : new String[] {"not*base64", "Zm9v", aliasMarker}) {
            assertEquals(ErrorType.KMS_INVALID_MARKER, assertThrows(AwsException.class,
                    () -> kms.listKeys(CTX, new ListKeysRequest(1, bad))).type(), bad);
        }
    }

    // ---- cryptographic API ---------------------------------------------------------------------

    @Test
    void encryptDecryptRoundTrip() {
        String id = newKey();
        kms.createAlias(CTX, new CreateAliasRequest("alias/app", id));
        String arn = keyArn(ACCOUNT, REGION, id);
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
        var enc = kms.encrypt(CTX, new EncryptRequest("alias/app", text, CONTEXT, null, null));
        assertEquals(arn, enc.keyId());
        assertEquals("SYMMETRIC_DEFAULT", enc.encryptionAlgorithm());
        assertFalse(KmsContract.contains(enc.ciphertextBlob(), text));

        var dec = kms.decrypt(CTX, new DecryptRequest(enc.ciphertextBlob(), CONTEXT, null, null, null));
        assertEquals(arn, dec.keyId());
        assertArrayEquals(text, dec.plaintext());
        assertArrayEquals(text, kms.decrypt(CTX, new DecryptRequest(enc.ciphertextBlob(), CONTEXT, null, "alias/app", null)).plaintext());
        assertArrayEquals(text, kms.decrypt(CTX, new DecryptRequest(enc.ciphertextBlob(), CONTEXT, null, arn, null)).plaintext());
        assertKmsError(ErrorType.KMS_INCORRECT_KEY,
                "The key ID in the request does not identify a CMK that can perform this operation.",
                () -> kms.decrypt(CTX, new DecryptRequest(enc.ciphertextBlob(), CONTEXT, null, newKey(), null)));
        assertKmsError(ErrorType.KMS_INVALID_CIPHERTEXT, "The ciphertext is invalid.",
                () -> kms.decrypt(CTX, new DecryptRequest(enc.ciphertextBlob(), Map.of(), null, null, null)));
    }

    @Test
    void generateDataKeySizes() {
        String id = newKey();
        var aes256 = kms.generateDataKey(CTX, new GenerateDataKeyRequest(id, null, null, "AES_256", null));
        assertEquals(32, aes256.plaintext().length);
        assertEquals(keyArn(ACCOUNT, REGION, id), aes256.keyId());
        assertArrayEquals(aes256.plaintext(), kms.decrypt(ACCOUNT, REGION, aes256.ciphertextBlob(), null));
        assertEquals(16, kms.generateDataKey(CTX, new GenerateDataKeyRequest(id, null, null, "AES_128", null)).plaintext().length);
        assertEquals(64, kms.generateDataKey(CTX, new GenerateDataKeyRequest(id, null, 64, null, null)).plaintext().length);
        assertEquals(ErrorType.VALIDATION, assertThrows(AwsException.class,
                () -> kms.generateDataKey(CTX, new GenerateDataKeyRequest(id, null, null, null, null))).type());
        assertEquals(ErrorType.VALIDATION, assertThrows(AwsException.class,
                () -> kms.generateDataKey(CTX, new GenerateDataKeyRequest(id, null, 32, "AES_256", null))).type());
    }

    @Test
    void blobFormatNamesAccountAndKeyButNotRegion() {
        String id = newKey();
        byte[] blob = kms.generateDataKey(ACCOUNT, REGION, id, CONTEXT).ciphertextBlob();
        assertEquals(CiphertextBlob.FORMAT_V1, blob[0]);
        CiphertextBlob.Parsed parsed = CiphertextBlob.parse(blob);
        assertEquals(ACCOUNT, parsed.account());
        assertEquals(id, parsed.keyId());
        assertFalse(KmsContract.contains(blob, REGION.getBytes(StandardCharsets.US_ASCII)));
    }

    // ---- multi-Region keys ---------------------------------------------------------------------

    @Test
    void multiRegionKeyConfigurationShape() {
        KeyMetadata primary = kms.createKey(CTX, createRequest("primary", true)).keyMetadata();
        String id = primary.keyId();
        assertTrue(id.matches("mrk-[0-9a-f]{32}"), id);
        assertTrue(primary.multiRegion());
        MultiRegionKey primaryKey = new MultiRegionKey(keyArn(ACCOUNT, REGION, id), REGION);
        assertEquals(new MultiRegionConfiguration("PRIMARY", primaryKey, List.of()), primary.multiRegionConfiguration());

        ReplicateKeyResponse r = kms.replicateKey(CTX, new ReplicateKeyRequest(id, REPLICA_REGION, null, null,
                "replica", List.of(new Tag("team", "b"))));
        MultiRegionKey replicaKey = new MultiRegionKey(keyArn(ACCOUNT, REPLICA_REGION, id), REPLICA_REGION);
        KeyMetadata replica = r.replicaKeyMetadata();
        assertEquals(id, replica.keyId());
        assertEquals(replicaKey.arn(), replica.arn());
        assertEquals(KeyState.Enabled, replica.keyState());
        assertEquals("replica", replica.description());
        assertEquals(new MultiRegionConfiguration("REPLICA", primaryKey, List.of(replicaKey)), replica.multiRegionConfiguration());
        assertEquals(List.of(new Tag("team", "b")), r.replicaTags());
        assertTrue(r.replicaPolicy().contains("arn:aws:iam::111122223333:root"), r.replicaPolicy());

        assertEquals(new MultiRegionConfiguration("PRIMARY", primaryKey, List.of(replicaKey)),
                describe(CTX, id).multiRegionConfiguration());
        assertEquals(replica, describe(REPLICA_CTX, id));
        assertEquals("primary", describe(CTX, id).description());

        kms.replicateKey(CTX, new ReplicateKeyRequest(id, THIRD_REGION, null, null, null, null));
        assertEquals(List.of(replicaKey, new MultiRegionKey(keyArn(ACCOUNT, THIRD_REGION, id), THIRD_REGION)),
                describe(REPLICA_CTX, id).multiRegionConfiguration().replicaKeys());
    }

    @Test
    void replicateKeyErrors() {
        String single = newKey();
        assertKmsError(ErrorType.KMS_UNSUPPORTED_OPERATION, keyArn(ACCOUNT, REGION, single) + " is not a multi-region key.",
                () -> kms.replicateKey(CTX, new ReplicateKeyRequest(single, REPLICA_REGION, null, null, null, null)));
        String id = createReplicatedKey(ACCOUNT, REGION, REPLICA_REGION);
        assertKmsError(ErrorType.KMS_UNSUPPORTED_OPERATION,
                keyArn(ACCOUNT, REPLICA_REGION, id) + " is not a multi-region primary key.",
                () -> kms.replicateKey(REPLICA_CTX, new ReplicateKeyRequest(id, THIRD_REGION, null, null, null, null)));
        assertKmsError(ErrorType.KMS_ALREADY_EXISTS,
                "Replica key " + keyArn(ACCOUNT, REPLICA_REGION, id) + " already exists in " + REPLICA_REGION + ".",
                () -> kms.replicateKey(CTX, new ReplicateKeyRequest(id, REPLICA_REGION, null, null, null, null)));
        assertEquals(ErrorType.KMS_ALREADY_EXISTS, assertThrows(AwsException.class,
                () -> kms.replicateKey(CTX, new ReplicateKeyRequest(id, REGION, null, null, null, null))).type());
        assertEquals(ErrorType.VALIDATION, assertThrows(AwsException.class,
                () -> kms.replicateKey(CTX, new ReplicateKeyRequest(id, "mars", null, null, null, null))).type());
    }

    @Test
    void enabledStateIsPerRegion() {
        String id = createReplicatedKey(ACCOUNT, REGION, REPLICA_REGION);
        kms.disableKey(REPLICA_CTX, new DisableKeyRequest(id));
        assertEquals(KeyState.Disabled, describe(REPLICA_CTX, id).keyState());
        assertEquals(KeyState.Enabled, describe(CTX, id).keyState());
        Kms.DataKey dk = kms.generateDataKey(ACCOUNT, REGION, id, CONTEXT);
        assertKmsError(ErrorType.KMS_DISABLED, keyArn(ACCOUNT, REPLICA_REGION, id) + " is disabled.",
                () -> kms.decrypt(ACCOUNT, REPLICA_REGION, dk.ciphertextBlob(), CONTEXT));
    }

    @Test
    void updatePrimaryRegionSwapsRoles() {
        String id = createReplicatedKey(ACCOUNT, REGION, REPLICA_REGION);
        kms.replicateKey(CTX, new ReplicateKeyRequest(id, THIRD_REGION, null, null, null, null));
        assertKmsError(ErrorType.KMS_UNSUPPORTED_OPERATION,
                keyArn(ACCOUNT, REPLICA_REGION, id) + " is not a multi-region primary key.",
                () -> kms.updatePrimaryRegion(REPLICA_CTX, new UpdatePrimaryRegionRequest(id, REGION)));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Key '" + keyArn(ACCOUNT, "us-west-2", id) + "' does not exist",
                () -> kms.updatePrimaryRegion(CTX, new UpdatePrimaryRegionRequest(id, "us-west-2")));

        kms.updatePrimaryRegion(CTX, new UpdatePrimaryRegionRequest(id, REPLICA_REGION));
        MultiRegionKey newPrimary = new MultiRegionKey(keyArn(ACCOUNT, REPLICA_REGION, id), REPLICA_REGION);
        List<MultiRegionKey> replicas = List.of(new MultiRegionKey(keyArn(ACCOUNT, REGION, id), REGION),
                new MultiRegionKey(keyArn(ACCOUNT, THIRD_REGION, id), THIRD_REGION));
        assertEquals(new MultiRegionConfiguration("REPLICA", newPrimary, replicas), describe(CTX, id).multiRegionConfiguration());
        assertEquals(new MultiRegionConfiguration("PRIMARY", newPrimary, replicas),
                describe(REPLICA_CTX, id).multiRegionConfiguration());

        assertKmsError(ErrorType.KMS_UNSUPPORTED_OPERATION, keyArn(ACCOUNT, REGION, id) + " is not a multi-region primary key.",
                () -> kms.replicateKey(CTX, new ReplicateKeyRequest(id, "us-west-2", null, null, null, null)));
        kms.replicateKey(REPLICA_CTX, new ReplicateKeyRequest(id, "us-west-2", null, null, null, null));
        assertEquals("REPLICA", describe(ctx(ACCOUNT, "us-west-2"), id).multiRegionConfiguration().multiRegionKeyType());
        String single = newKey();
        assertKmsError(ErrorType.KMS_UNSUPPORTED_OPERATION, keyArn(ACCOUNT, REGION, single) + " is not a multi-region key.",
                () -> kms.updatePrimaryRegion(CTX, new UpdatePrimaryRegionRequest(single, REPLICA_REGION)));
    }

    @Test
    void primaryWaitsForItsReplicasBeforeDeletion() {
        String id = createReplicatedKey(ACCOUNT, REGION, REPLICA_REGION);
        ScheduleKeyDeletionResponse primary = kms.scheduleKeyDeletion(CTX, new ScheduleKeyDeletionRequest(id, 10));
        assertEquals(KeyState.PendingReplicaDeletion, primary.keyState());
        assertNull(primary.deletionDate());
        KeyMetadata m = describe(CTX, id);
        assertEquals(KeyState.PendingReplicaDeletion, m.keyState());
        assertEquals(10, m.pendingDeletionWindowInDays());
        assertNull(m.deletionDate());
        assertKmsError(ErrorType.KMS_INVALID_STATE, keyArn(ACCOUNT, REGION, id) + " is pending deletion.",
                () -> kms.generateDataKey(ACCOUNT, REGION, id, CONTEXT));

        scheduler.advance(Duration.ofDays(1));
        ScheduleKeyDeletionResponse replica = kms.scheduleKeyDeletion(REPLICA_CTX, new ScheduleKeyDeletionRequest(id, 7));
        Instant replicaGone = T0.plus(Duration.ofDays(8));
        assertEquals(replicaGone, replica.deletionDate());
        assertEquals(1, describe(CTX, id).multiRegionConfiguration().replicaKeys().size());

        scheduler.advance(Duration.ofDays(7));
        assertKmsError(ErrorType.KMS_NOT_FOUND, "Key '" + keyArn(ACCOUNT, REPLICA_REGION, id) + "' does not exist",
                () -> describe(REPLICA_CTX, id));
        m = describe(CTX, id);
        assertEquals(KeyState.PendingDeletion, m.keyState());
        assertEquals(replicaGone.plus(Duration.ofDays(10)), m.deletionDate());
        assertEquals(List.of(), m.multiRegionConfiguration().replicaKeys());

        scheduler.advance(Duration.ofDays(10));
        assertTrue(kms.keys(ACCOUNT, REGION).isEmpty());
    }

    @Test
    void cancellingAReplicaDeletionKeepsItInTheSet() {
        String id = createReplicatedKey(ACCOUNT, REGION, REPLICA_REGION);
        kms.scheduleKeyDeletion(REPLICA_CTX, new ScheduleKeyDeletionRequest(id, 7));
        kms.cancelKeyDeletion(REPLICA_CTX, new CancelKeyDeletionRequest(id));
        scheduler.advance(Duration.ofDays(8));
        assertEquals(KeyState.Disabled, describe(REPLICA_CTX, id).keyState());
        assertEquals(KeyState.PendingReplicaDeletion,
                kms.scheduleKeyDeletion(CTX, new ScheduleKeyDeletionRequest(id, 7)).keyState());
    }

    @Test
    void replicaRegionCanBeReplicatedAgainAfterDeletion() {
        String id = createReplicatedKey(ACCOUNT, REGION, REPLICA_REGION);
        kms.scheduleKeyDeletion(REPLICA_CTX, new ScheduleKeyDeletionRequest(id, 7));
        scheduler.advance(Duration.ofDays(7));
        kms.replicateKey(CTX, new ReplicateKeyRequest(id, REPLICA_REGION, null, null, null, null));
        assertEquals(KeyState.Enabled, describe(REPLICA_CTX, id).keyState());
        Kms.DataKey dk = kms.generateDataKey(ACCOUNT, REGION, id, CONTEXT);
        assertArrayEquals(dk.plaintext(), kms.decrypt(ACCOUNT, REPLICA_REGION, dk.ciphertextBlob(), CONTEXT));
    }

    // ---- tags ----------------------------------------------------------------------------------

    @Test
    void tagUntagList() {
        String id = newKey();
        kms.tagResource(CTX, new TagResourceRequest(id, List.of(new Tag("b", "2"), new Tag("a", "1"))));
        kms.tagResource(CTX, new TagResourceRequest(id, List.of(new Tag("b", "3"))));
        assertEquals(List.of(new Tag("a", "1"), new Tag("b", "3")),
                kms.listResourceTags(CTX, new ListResourceTagsRequest(id, null, null)).tags());
        var page = kms.listResourceTags(CTX, new ListResourceTagsRequest(id, 1, null));
        assertEquals(List.of(new Tag("a", "1")), page.tags());
        assertTrue(page.truncated());
        assertEquals(List.of(new Tag("b", "3")),
                kms.listResourceTags(CTX, new ListResourceTagsRequest(id, 1, page.nextMarker())).tags());
        kms.untagResource(CTX, new UntagResourceRequest(id, List.of("a", "zzz")));
        assertEquals(List.of(new Tag("b", "3")), kms.listResourceTags(CTX, new ListResourceTagsRequest(id, null, null)).tags());
    }

    // ---- concurrency ---------------------------------------------------------------------------

    @Test
    void concurrentManagedKeyCreationYieldsOneKey() throws Exception {
        List<Thread> threads = new ArrayList<>();
        Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> ids.add(kms.resolve(ACCOUNT, REGION, null).keyId()));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        assertEquals(1, ids.size());
        assertEquals(1, kms.keys(ACCOUNT, REGION).size());
    }
}
