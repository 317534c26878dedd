package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** {@code @Nested} classes reuse the enclosing class's server (and its settings), reset per test. */
@SmLocalTest(regions = {"us-east-1", "ap-southeast-2"})
class NestedTest {
    static URI outerEndpoint;

    @BeforeAll
    static void remember(SmLocal smlocal) {
        outerEndpoint = smlocal.endpoint();
    }

    @Test
    void outerTestLeavesASecret(@InRegion("us-east-1") SecretsManagerClient east) {
        east.createSecret(b -> b.name("db").secretString("v1"));
    }

    @Nested
    class Inner {
        @Test
        void usesTheEnclosingServer(SmLocal smlocal) {
            assertEquals(outerEndpoint, smlocal.endpoint());
            assertEquals(java.util.List.of("us-east-1", "ap-southeast-2"), smlocal.regions());
        }

        @Test
        void isResetLikeAnyOtherTest(@InRegion("us-east-1") SecretsManagerClient east) {
            assertThrows(ResourceNotFoundException.class, () -> east.describeSecret(b -> b.secretId("db")));
        }

        @Nested
        class Deeper {
            @Test
            void stillTheSameServer(SmLocal smlocal) {
                assertEquals(outerEndpoint, smlocal.endpoint());
            }
        }
    }
}
