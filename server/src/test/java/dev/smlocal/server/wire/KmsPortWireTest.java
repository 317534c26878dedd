package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.kms.EncryptionContext;
import dev.smlocal.server.kms.EnvelopeCrypto;
import dev.smlocal.server.kms.KeyInfo;
import dev.smlocal.server.kms.KeyState;
import dev.smlocal.server.kms.Kms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;

/**
 * The KMS port through the SDK wire: key ids follow {@code --seed} while key material does not, and
 * a {@link Kms} given to {@link Emulator#builder()} is the one that seals and opens secret values.
 */
class KmsPortWireTest {
    private static final String REGION = "us-east-1";
    private static final String OTHER = "eu-west-1";

    private static EmulatorConfig config(long seed) {
        return EmulatorConfig.defaults().withPort(0).withClock("manual", WireSupport.START).withSeed(seed)
                .withQuiet(true).withRegions(List.of(REGION, OTHER));
    }

    private static KmsClient kms(Emulator e, String region) {
        return KmsClient.builder().endpointOverride(e.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static SecretsManagerClient sm(Emulator e) {
        return SecretsManagerClient.builder().endpointOverride(e.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    /**
     * The same calls as a user's test would make: a key, a multi-Region key and its replica, and a
     * secret under the AWS managed key. Returns every key id the emulator handed out, in order.
     */
    private static List<String> keyIdsOfOneRun(Emulator e) {
        List<String> ids = new ArrayList<>();
        try (KmsClient east = kms(e, REGION); KmsClient west = kms(e, OTHER); SecretsManagerClient sm = sm(e)) {
            ids.add(east.createKey(r -> r.description("app")).keyMetadata().keyId());
            String mrk = east.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
            ids.add(mrk);
            east.replicateKey(r -> r.keyId(mrk).replicaRegion(OTHER));
            ids.add(west.describeKey(r -> r.keyId(mrk)).keyMetadata().keyId());
            sm.createSecret(r -> r.name("app/db").secretString("s3cret"));
            ids.add(east.describeKey(r -> r.keyId(Kms.SECRETS_MANAGER_ALIAS)).keyMetadata().keyId());
            ids.add(west.createKey(r -> r.description("west")).keyMetadata().keyId());
        }
        return ids;
    }

    @Test
    void theSameSeedGivesTheSameKeyIdsAndAnotherSeedOthers() {
        List<String> first;
        List<String> second;
        List<String> afterReset;
        List<String> otherSeed;
        try (Emulator a = Emulator.builder().config(config(7)).start();
             Emulator b = Emulator.start(config(7));
             Emulator c = Emulator.builder().config(config(8)).start()) {
            first = keyIdsOfOneRun(a);
            second = keyIdsOfOneRun(b);
            a.reset();
            afterReset = keyIdsOfOneRun(a);
            otherSeed = keyIdsOfOneRun(c);
        }
        assertEquals(first, second, "two emulators, same seed, same calls");
        assertEquals(first, afterReset, "a reset replays the key ids from the seed");
        assertTrue(first.get(1).matches("mrk-[0-9a-f]{32}"), first.get(1));
        assertEquals(first.get(1), first.get(2), "a replica keeps its primary's id");
        assertTrue(first.get(0).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), first.get(0));
        assertEquals(4, new java.util.HashSet<>(first).size(), "every other id is new: " + first);
        for (int i = 0; i < first.size(); i++) assertNotEquals(first.get(i), otherSeed.get(i), "seed 8, id " + i);
    }

    @Test
    void keysDoNotShiftTheSeededSecretArns() {
        try (Emulator plain = Emulator.start(config(3)); Emulator withKeys = Emulator.start(config(3));
             SecretsManagerClient smPlain = sm(plain); SecretsManagerClient smKeys = sm(withKeys);
             KmsClient kmsKeys = kms(withKeys, REGION)) {
            String expected = smPlain.createSecret(r -> r.name("app/db").secretString("v")).arn();
            kmsKeys.createKey(r -> r.description("first"));
            kmsKeys.createKey(r -> r.multiRegion(true));
            assertEquals(expected, smKeys.createSecret(r -> r.name("app/db").secretString("v")).arn());
        }
    }

    @Test
    void keyMaterialStaysRandomUnderTheSameSeed() {
        try (Emulator a = Emulator.start(config(5)); Emulator b = Emulator.start(config(5));
             KmsClient ka = kms(a, REGION); KmsClient kb = kms(b, REGION)) {
            String idA = ka.createKey(r -> r.description("k")).keyMetadata().keyId();
            String idB = kb.createKey(r -> r.description("k")).keyMetadata().keyId();
            assertEquals(idA, idB);
            SdkBytes dataKeyA = ka.generateDataKey(r -> r.keyId(idA).keySpec(DataKeySpec.AES_256)).plaintext();
            SdkBytes dataKeyB = kb.generateDataKey(r -> r.keyId(idB).keySpec(DataKeySpec.AES_256)).plaintext();
            assertFalse(java.util.Arrays.equals(dataKeyA.asByteArray(), dataKeyB.asByteArray()));
            // the same id in the other emulator names a key with other material: A's ciphertext does not open there
            SdkBytes blob = ka.encrypt(r -> r.keyId(idA).plaintext(SdkBytes.fromUtf8String("hello"))).ciphertextBlob();
            assertEquals("hello", ka.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String());
            assertThrows(software.amazon.awssdk.services.kms.model.InvalidCiphertextException.class,
                    () -> kb.decrypt(r -> r.ciphertextBlob(blob)));
        }
    }

    /** Counts the port's calls and passes them to the emulated KMS. */
    static final class CountingKms implements Kms {
        final Kms inner;
        final AtomicInteger resolves = new AtomicInteger();
        final AtomicInteger dataKeys = new AtomicInteger();
        final AtomicInteger decrypts = new AtomicInteger();
        final AtomicInteger resets = new AtomicInteger();

        CountingKms(Kms inner) {
            this.inner = inner;
        }

        @Override
        public KeyInfo resolve(String account, String region, String keyRef) {
            resolves.incrementAndGet();
            return inner.resolve(account, region, keyRef);
        }

        @Override
        public DataKey generateDataKey(String account, String region, String keyRef, Map<String, String> context) {
            dataKeys.incrementAndGet();
            return inner.generateDataKey(account, region, keyRef, context);
        }

        @Override
        public byte[] decrypt(String account, String region, byte[] ciphertextBlob, Map<String, String> context) {
            decrypts.incrementAndGet();
            return inner.decrypt(account, region, ciphertextBlob, context);
        }

        @Override
        public KeyPolicy keyPolicy(String account, String region, String keyRef) {
            return inner.keyPolicy(account, region, keyRef);
        }

        @Override
        public void reset() {
            resets.incrementAndGet();
            inner.reset();
        }
    }

    @Test
    void aWrappedEmulatedKmsSealsAndOpensSecretValuesAndStillServesTheKmsApi() {
        CountingKms[] counting = new CountingKms[1];
        try (Emulator e = Emulator.builder().config(config(1))
                .kms(ctx -> counting[0] = new CountingKms(ctx.emulated())).start();
             SecretsManagerClient sm = sm(e); KmsClient kms = kms(e, REGION)) {
            CountingKms k = counting[0];
            assertSame(k, e.kms(), "the emulator's port is the wrapper");

            sm.createSecret(r -> r.name("app/db").secretString("s3cret"));
            assertEquals(1, k.dataKeys.get(), "CreateSecret sealed its value through the port");
            assertEquals("s3cret", sm.getSecretValue(r -> r.secretId("app/db")).secretString());
            assertEquals(1, k.decrypts.get(), "GetSecretValue opened it through the port");

            // the KMS API is the wrapped emulated KMS's: a key made there seals secrets through the port
            String keyId = kms.createKey(r -> r.description("app")).keyMetadata().keyId();
            sm.updateSecret(r -> r.secretId("app/db").kmsKeyId(keyId));
            int before = k.dataKeys.get();
            sm.putSecretValue(r -> r.secretId("app/db").secretString("v3"));
            assertEquals(before + 1, k.dataKeys.get());
            assertEquals("v3", sm.getSecretValue(r -> r.secretId("app/db")).secretString());
            assertTrue(k.resolves.get() > 0);

            int resets = k.resets.get();
            e.reset();
            assertEquals(resets + 1, k.resets.get(), "the emulator reset resets the port");
            assertTrue(e.kmsOperations().allKeys().isEmpty(), "the served KMS forgot its keys too");
        }
    }

    /**
     * A tiny KMS of the user's own: one key per region, no KMS API; it can be told to refuse
     * decryption, a failure the test then observes through Secrets Manager.
     */
    static final class FakeKms implements Kms {
        private final byte[] material = EnvelopeCrypto.newKey();
        final AtomicInteger sealed = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();
        volatile boolean refuseDecrypt;

        private static String arn(String account, String region) {
            return "arn:aws:kms:" + region + ":" + account + ":key/11111111-2222-4333-8444-555555555555";
        }

        @Override
        public KeyInfo resolve(String account, String region, String keyRef) {
            return new KeyInfo("11111111-2222-4333-8444-555555555555", arn(account, region), account, region,
                    KeyState.Enabled, true, false);
        }

        @Override
        public DataKey generateDataKey(String account, String region, String keyRef, Map<String, String> context) {
            sealed.incrementAndGet();
            byte[] plaintext = EnvelopeCrypto.newKey();
            return new DataKey(arn(account, region), plaintext,
                    EnvelopeCrypto.seal(material, plaintext, EncryptionContext.canonical(context)));
        }

        @Override
        public byte[] decrypt(String account, String region, byte[] ciphertextBlob, Map<String, String> context) {
            if (refuseDecrypt) throw Errors.kmsDisabled(arn(account, region));
            opened.incrementAndGet();
            return EnvelopeCrypto.open(material, ciphertextBlob, EncryptionContext.canonical(context));
        }

        @Override
        public void reset() {}
    }

    @Test
    void aCustomKmsKeepsSecretValuesAndTheKmsApiAnswersUnsupportedOperation() {
        FakeKms fake = new FakeKms();
        try (Emulator e = Emulator.builder().config(config(1)).kms(fake).start();
             SecretsManagerClient sm = sm(e); KmsClient kms = kms(e, REGION)) {
            sm.createSecret(r -> r.name("app/db").secretString("s3cret"));
            assertEquals("s3cret", sm.getSecretValue(r -> r.secretId("app/db")).secretString());
            assertEquals(1, fake.sealed.get());
            assertEquals(1, fake.opened.get());

            fake.refuseDecrypt = true;
            DecryptionFailureException refused = assertThrows(DecryptionFailureException.class,
                    () -> sm.getSecretValue(r -> r.secretId("app/db")));
            String message = refused.awsErrorDetails().errorMessage();
            assertTrue(message.startsWith("Secrets Manager can't decrypt the secret value: arn:aws:kms:us-east-1:"), message);
            assertTrue(message.contains("Error Code: DisabledException"), message);

            UnsupportedOperationException noApi = assertThrows(UnsupportedOperationException.class,
                    () -> kms.createKey(r -> r.description("x")));
            assertEquals(400, noApi.statusCode());
            assertEquals("CreateKey is not available: this smlocal runs a custom KMS (a Kms passed to its builder) "
                    + "that does not serve the KMS API.", noApi.awsErrorDetails().errorMessage());
            assertThrows(UnsupportedOperationException.class, () -> kms.listKeys());
            assertTrue(e.kmsOperations().allKeys().isEmpty(), "no keys for the admin views");
        }
    }

    @Test
    void theEmulatedKmsIsBuiltWithTheEmulatorsSettings() {
        // the factory's KmsContext: an emulated KMS with the seeded ids, served on the KMS API
        try (Emulator a = Emulator.builder().config(config(9)).kms(ctx -> ctx.emulated()).start();
             Emulator b = Emulator.start(config(9));
             KmsClient ka = kms(a, REGION); KmsClient kb = kms(b, REGION)) {
            assertEquals(kb.createKey(r -> r.description("k")).keyMetadata().keyId(),
                    ka.createKey(r -> r.description("k")).keyMetadata().keyId());
            assertSame(a.kms(), a.kmsOperations(), "the emulated KMS is both the port and the API");
        }
    }

    @Test
    void stateSnapshotsHoldTheEmulatedKmsKeysOnly() {
        // persistence and snapshots cover the emulated KMS (also behind a wrapper); a custom Kms keeps its own keys
        try (Emulator wrapped = Emulator.builder().config(config(3)).kms(ctx -> new CountingKms(ctx.emulated())).start();
             Emulator custom = Emulator.builder().config(config(3)).kms(new FakeKms()).start();
             KmsClient kw = kms(wrapped, REGION); SecretsManagerClient sw = sm(wrapped); SecretsManagerClient sc = sm(custom)) {
            String keyId = kw.createKey(r -> r.description("app")).keyMetadata().keyId();
            sw.createSecret(r -> r.name("app/db").secretString("s3cret").kmsKeyId(keyId));
            com.fasterxml.jackson.databind.JsonNode withKeys = wrapped.exportState(false);
            assertTrue(texts(withKeys.get("keys"), "keyId").contains(keyId), withKeys.get("keys").toString());

            sc.createSecret(r -> r.name("mine").secretString("v"));
            com.fasterxml.jackson.databind.JsonNode own = custom.exportState(false);
            assertEquals(0, own.get("keys").size(), "a custom Kms's keys are its own");
            assertEquals(0, own.get("aliases").size());

            RuntimeException refused = assertThrows(RuntimeException.class, () -> custom.importState(withKeys));
            assertTrue(refused.getMessage().contains("custom KMS"), refused.getMessage());
            assertEquals("v", sc.getSecretValue(r -> r.secretId("mine")).secretString(), "nothing changed");

            wrapped.importState(withKeys); // the same emulator takes its own document back
            assertEquals("s3cret", sw.getSecretValue(r -> r.secretId("app/db")).secretString());
        }
    }

    private static List<String> texts(com.fasterxml.jackson.databind.JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
