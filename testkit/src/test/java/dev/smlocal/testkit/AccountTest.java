package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

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

    @Test
    void principalsActAsRolesAndUsersWithTheirIdentityPolicies(
            @InAccount(value = OTHER, principal = "role/Builder") SecretsManagerClient builder, SmLocal smlocal) {
        // a role without a declared identity policy may do everything in its own account
        String arn = builder.createSecret(b -> b.name("built").secretString("v")).arn();
        smlocal.declarePrincipal("AKIAAUDITOR", "arn:aws:iam::" + OTHER + ":user/auditor",
                "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:DescribeSecret\",\"Resource\":\"*\"}}");
        smlocal.reset(); // keeps declared principals

        try (SecretsManagerClient auditor = SecretsManagerClient.builder()
                .endpointOverride(smlocal.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(smlocal.credentialsFor(OTHER, "user/auditor"))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            builder.createSecret(b -> b.name("built").secretString("v"));
            assertEquals("built", auditor.describeSecret(b -> b.secretId("built")).name());
            SecretsManagerException e = assertThrows(SecretsManagerException.class,
                    () -> auditor.getSecretValue(b -> b.secretId("built")));
            assertEquals("User: arn:aws:iam::" + OTHER + ":user/auditor is not authorized to perform: "
                    + "secretsmanager:GetSecretValue on resource: built because no identity-based policy allows the "
                    + "secretsmanager:GetSecretValue action", e.awsErrorDetails().errorMessage());
        }
        assertTrue(arn.startsWith("arn:aws:secretsmanager:us-east-1:" + OTHER + ":secret:built-"), arn);
        assertThrows(IllegalArgumentException.class, () -> smlocal.credentialsFor(OTHER, "group/admins"));
    }
}
