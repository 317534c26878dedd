package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The annotation form: two regions, clients injected per region, everything reset between tests. */
@SmLocalTest(regions = {"us-east-1", "eu-west-1"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeclarativeTest {

    @Test
    @Order(1)
    void leavesDataTimeAndAFaultBehind(@InRegion("us-east-1") SecretsManagerClient east,
                                       @InRegion("eu-west-1") SecretsManagerClient west, SmLocal smlocal) {
        east.createSecret(b -> b.name("db").secretString("v1"));
        smlocal.clock().advance(Duration.ofHours(5));
        smlocal.chaos().throttle("eu-west-1", "ListSecrets"); // never closed: the reset must clear it

        assertEquals("v1", east.getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals(SmLocalExtension.DEFAULT_START.plus(Duration.ofHours(5)), smlocal.clock().now());
        assertEquals(1, smlocal.chaos().active().size());
    }

    @Test
    @Order(2)
    void startsFromACleanServer(@InRegion("us-east-1") SecretsManagerClient east,
                                @InRegion("eu-west-1") SecretsManagerClient west, SmLocal smlocal) {
        assertThrows(ResourceNotFoundException.class, () -> east.getSecretValue(b -> b.secretId("db")));
        assertEquals(SmLocalExtension.DEFAULT_START, smlocal.clock().now());
        assertTrue(smlocal.chaos().active().isEmpty());
        assertTrue(west.listSecrets().secretList().isEmpty());
        assertEquals(2, smlocal.events().size(), "only this test's two calls: " + smlocal.events());
    }

    @Test
    @Order(3)
    void clientsSignForTheirRegionAndAreCachedPerRegion(@InRegion("us-east-1") SecretsManagerClient east,
                                                        @InRegion("eu-west-1") SecretsManagerClient west,
                                                        @InRegion("us-east-1") SecretsManagerClient eastAgain,
                                                        SmLocal smlocal) {
        String arn = west.createSecret(b -> b.name("db").secretString("eu")).arn();

        assertTrue(arn.startsWith("arn:aws:secretsmanager:eu-west-1:000000000000:secret:db-"), arn);
        assertThrows(ResourceNotFoundException.class, () -> east.describeSecret(b -> b.secretId("db")));
        assertSame(east, eastAgain);
        assertNotSame(east, west);
        assertEquals(java.util.List.of("us-east-1", "eu-west-1"), smlocal.regions());
    }
}
