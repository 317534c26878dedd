package dev.smlocal.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.smlocal.testkit.Fault;
import dev.smlocal.testkit.SmLocalExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Failover: the secret's primary region (us-east-1) is out while the application starts; configured
 * with its failover region, it reads the replica in eu-west-1 and starts with the same settings.
 */
@SpringBootTest(properties = "spring.cloud.aws.secretsmanager.region=eu-west-1")
class FailoverToReplicaRegionTest {
    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder().regions("us-east-1", "eu-west-1")
            .redirectSdkDefaults().build();

    static Fault outage;

    @BeforeAll
    static void thePrimaryIsOutAndTheReplicaHasTheSecret() {
        SM.client("us-east-1").createSecret(b -> b.name("prod/orders/db").secretString("{\"engine\":\"postgres\","
                + "\"host\":\"orders.db.internal\",\"port\":5432,\"dbname\":\"orders\","
                + "\"username\":\"orders_app\",\"password\":\"replicated\"}")
                .addReplicaRegions(r -> r.region("eu-west-1")));
        SM.handle().clock().advance(Duration.ofSeconds(1)); // the replication lag elapses
        outage = SM.handle().chaos().regionOutage("us-east-1");
        assertThrows(SecretsManagerException.class,
                () -> SM.client("us-east-1").getSecretValue(b -> b.secretId("prod/orders/db")));
    }

    @AfterAll
    static void heal() {
        outage.close();
    }

    @Autowired
    DatabaseSettings db;

    @Test
    void theApplicationStartsFromTheReplica() {
        assertEquals("orders_app", db.username());
        assertEquals("replicated", db.password());
    }
}
