package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.kms.KeyInfo;
import dev.smlocal.server.kms.Kms;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;

/** {@code SmLocalExtension.builder().kms(...)}: the test's own KMS behind the in-process server. */
class KmsPortTest {

    /** The emulated KMS, wrapped: counts data keys and can refuse decryption on cue. */
    static final class FlakyKms implements Kms {
        final Kms inner;
        final AtomicInteger dataKeys = new AtomicInteger();
        volatile boolean refuseDecrypt;

        FlakyKms(Kms inner) {
            this.inner = inner;
        }

        @Override
        public KeyInfo resolve(String account, String region, String keyRef) {
            return inner.resolve(account, region, keyRef);
        }

        @Override
        public DataKey generateDataKey(String account, String region, String keyRef, Map<String, String> context) {
            dataKeys.incrementAndGet();
            return inner.generateDataKey(account, region, keyRef, context);
        }

        @Override
        public byte[] decrypt(String account, String region, byte[] ciphertextBlob, Map<String, String> context) {
            if (refuseDecrypt) throw Errors.kmsDisabled(inner.resolve(account, region, null).arn());
            return inner.decrypt(account, region, ciphertextBlob, context);
        }

        @Override
        public KeyPolicy keyPolicy(String account, String region, String keyRef) {
            return inner.keyPolicy(account, region, keyRef);
        }

        @Override
        public void reset() {
            refuseDecrypt = false;
            inner.reset();
        }
    }

    static final AtomicReference<FlakyKms> FLAKY = new AtomicReference<>();

    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder().seed(11)
            .kms(ctx -> {
                FlakyKms k = new FlakyKms(ctx.emulated());
                FLAKY.set(k);
                return k;
            })
            .build();

    @Test
    void secretValuesGoThroughTheGivenKms(SecretsManagerClient sm, KmsClient kms) {
        int before = FLAKY.get().dataKeys.get();
        sm.createSecret(b -> b.name("db").secretString("v1"));
        assertEquals(before + 1, FLAKY.get().dataKeys.get(), "sealed through the test's KMS");
        assertEquals("v1", sm.getSecretValue(b -> b.secretId("db")).secretString());

        FLAKY.get().refuseDecrypt = true;
        DecryptionFailureException e = assertThrows(DecryptionFailureException.class,
                () -> sm.getSecretValue(b -> b.secretId("db")));
        assertTrue(e.awsErrorDetails().errorMessage().contains("Error Code: DisabledException"),
                e.awsErrorDetails().errorMessage());

        // the wrapped emulated KMS still serves the KMS API, its key ids seeded
        assertTrue(kms.createKey(b -> b.description("app")).keyMetadata().keyId()
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    }

    @Test
    void theResetReachesTheKms(SmLocal smlocal, SecretsManagerClient sm) {
        FLAKY.get().refuseDecrypt = true;
        smlocal.reset();
        sm.createSecret(b -> b.name("db").secretString("v1"));
        assertEquals("v1", sm.getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void aKmsNeedsAnInProcessServer() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SmLocalExtension.builder()
                .attachTo(URI.create("http://127.0.0.1:4599")).kms(ctx -> ctx.emulated()).build());
        assertTrue(e.getMessage().startsWith("kms(...) needs an in-process server"), e.getMessage());
    }
}
