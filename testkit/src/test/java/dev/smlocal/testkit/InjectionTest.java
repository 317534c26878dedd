package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Every injectable type, and the per (kind, region, account) client cache. */
@SmLocalTest(regions = "eu-central-1")
class InjectionTest {

    @Test
    void asyncClientTalksToTheSameServer(SecretsManagerAsyncClient async, SecretsManagerClient sync) throws Exception {
        async.createSecret(b -> b.name("db").secretString("v1")).get(10, TimeUnit.SECONDS);

        assertEquals("v1", sync.getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void kmsClientManagesKeysInItsRegion(KmsClient kms) {
        String keyArn = kms.createKey(b -> b.keySpec(KeySpec.SYMMETRIC_DEFAULT)).keyMetadata().arn();

        assertEquals("eu-central-1", keyArn.split(":")[3]);
    }

    @Test
    void clientsAreCachedPerKindRegionAndAccount(SecretsManagerClient a, SecretsManagerClient b,
                                                 @InAccount("111122223333") SecretsManagerClient other,
                                                 @InAccount("000000000000") SecretsManagerClient explicitDefault) {
        assertSame(a, b);
        assertSame(a, explicitDefault);
        assertNotSame(a, other);
    }
}
