package dev.smlocal.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smlocal.testkit.SmLocalExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The application starts against the in-process smlocal and reads its database settings from the
 * secret, through spring.config.import and Spring Cloud AWS, with no AWS setting of its own.
 *
 * <p>spring.config.import is resolved while Spring prepares the environment, before any
 * {@code @DynamicPropertySource} is applied, so the testkit's {@code redirectSdkDefaults()} does the
 * wiring instead: it points the AWS SDK's standard system properties (endpoint, region,
 * credentials) at smlocal for the class, and Spring Cloud AWS builds its client from them.
 */
@SpringBootTest
class SecretsFromSmLocalTest {
    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder().redirectSdkDefaults().build();

    /** Runs before Spring starts the application: the secret must exist when the import resolves. */
    @BeforeAll
    static void theSecretTheApplicationImports() {
        SM.client().createSecret(b -> b.name("prod/orders/db").secretString("{\"engine\":\"postgres\","
                + "\"host\":\"orders.db.internal\",\"port\":5432,\"dbname\":\"orders\","
                + "\"username\":\"orders_app\",\"password\":\"from-smlocal\"}"));
    }

    @Autowired
    DatabaseSettings db;

    @Test
    void theApplicationReadItsDatabaseSettingsFromTheSecret() {
        assertEquals("jdbc:postgresql://orders.db.internal:5432/orders", db.url());
        assertEquals("orders_app", db.username());
        assertEquals("from-smlocal", db.password());
    }
}
