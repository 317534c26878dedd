package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** {@code @InAccount}: the access key is the account, and accounts do not see each other's secrets. */
@SmLocalTest
class AccountTest {
    static final String OTHER = "111122223333";

    @Test
    void accountsAreIsolated(SecretsManagerClient defaultAccount, @InAccount(OTHER) SecretsManagerClient other) {
        String arn = other.createSecret(b -> b.name("db").secretString("theirs")).arn();

        assertTrue(arn.startsWith("arn:aws:secretsmanager:us-east-1:111122223333:secret:db-"), arn);
        assertThrows(ResourceNotFoundException.class, () -> defaultAccount.getSecretValue(b -> b.secretId("db")));
        defaultAccount.createSecret(b -> b.name("db").secretString("mine"));
        assertEquals("theirs", other.getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals("mine", defaultAccount.getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void credentialsForBuildsClientsOfOnesOwn(@InAccount(OTHER) SecretsManagerClient injected, SmLocal smlocal) {
        injected.createSecret(b -> b.name("db").secretString("theirs"));

        try (SecretsManagerClient own = SecretsManagerClient.builder()
                .endpointOverride(smlocal.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(smlocal.credentialsFor(OTHER))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            assertEquals("theirs", own.getSecretValue(b -> b.secretId("db")).secretString());
        }
        assertEquals(OTHER, smlocal.events().get(1).recipientAccountId());
        assertThrows(IllegalArgumentException.class, () -> smlocal.credentialsFor("not-an-account"));
    }
}
