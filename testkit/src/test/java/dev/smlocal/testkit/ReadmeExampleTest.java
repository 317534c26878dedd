package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

// readme-example:begin
@SmLocalTest(regions = {"us-east-1", "eu-west-1"})
class ReadmeExampleTest {
    @Test
    void deletionWindowAndOutage(@InRegion("us-east-1") SecretsManagerClient east,
                                 @InRegion("eu-west-1") SecretsManagerClient west, SmLocal smlocal) {
        east.createSecret(b -> b.name("db").secretString("s3cr3t"));
        east.deleteSecret(b -> b.secretId("db").recoveryWindowInDays(7L));
        smlocal.clock().advance(Duration.ofDays(7));                    // the window elapses: purged
        assertThrows(ResourceNotFoundException.class, () -> east.describeSecret(b -> b.secretId("db")));

        try (var outage = smlocal.chaos().regionOutage("us-east-1")) {  // us-east-1 answers 503
            assertThrows(SecretsManagerException.class, () -> east.listSecrets());
            west.createSecret(b -> b.name("db").secretString("s3cr3t")); // eu-west-1 carries on
        }                                                                // healed here
        assertEquals(0, east.listSecrets().secretList().size());
    }
}
// readme-example:end
