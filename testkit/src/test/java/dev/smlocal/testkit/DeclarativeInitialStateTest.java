package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@code @SmLocalTest(initialState = "classpath:...")}: the annotation's estate, through injected clients. */
@SmLocalTest(regions = {"us-east-1", "eu-west-1"}, initialState = "classpath:estate-10.json")
class DeclarativeInitialStateTest {
    @Test
    void theDeclaredSecretsAndKeyAreThere(@InRegion("eu-west-1") SecretsManagerClient eu,
                                         @InRegion("eu-west-1") KmsClient kms) {
        assertEquals("{\"user\":\"svc0\",\"password\":\"pw-0\"}",
                eu.getSecretValue(b -> b.secretId("svc-0/config")).secretString(), "the replica, InSync");
        assertEquals(MultiRegionKeyType.REPLICA, kms.describeKey(b -> b.keyId("alias/estate")).keyMetadata()
                .multiRegionConfiguration().multiRegionKeyType(), "the alias names the replica key in eu-west-1");
    }
}
