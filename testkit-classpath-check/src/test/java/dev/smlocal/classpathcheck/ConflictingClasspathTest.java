package dev.smlocal.classpathcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import dev.smlocal.testkit.SmLocal;
import dev.smlocal.testkit.SmLocalTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The in-process emulator of {@code smlocal-testkit-standalone} on a classpath that holds Jackson
 * 2.12.7 (pinned in this module's POM), the AWS SDK's Netty 4.1 and no Vert.x or BouncyCastle.
 */
@SmLocalTest
class ConflictingClasspathTest {
    static final String PINNED_JACKSON = "2.12.7";

    @Test
    void theTestSeesThePinnedJackson() throws Exception {
        assertEquals(PINNED_JACKSON, PackageVersion.VERSION.toString());
        assertEquals(PINNED_JACKSON, com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString());
        assertEquals("{\"a\":1}", new ObjectMapper().writeValueAsString(Map.of("a", 1)));
        assertTrue(jarOf(ObjectMapper.class).contains("jackson-databind-" + PINNED_JACKSON), jarOf(ObjectMapper.class));
    }

    @Test
    void theServersLibrariesAreRelocated() throws Exception {
        for (String name : new String[] {"io.vertx.core.Vertx", "io.vertx.ext.web.Router",
                "org.bouncycastle.crypto.engines.AESEngine"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name);
        }
        Class.forName("dev.smlocal.shaded.io.vertx.core.Vertx");
        Object serversJackson = Class.forName("dev.smlocal.shaded.com.fasterxml.jackson.databind.cfg.PackageVersion")
                .getField("VERSION").get(null);
        assertNotEquals(PINNED_JACKSON, serversJackson.toString());
    }

    @Test
    void syncClientCreatesAndReadsASecret(SecretsManagerClient sm) {
        sm.createSecret(b -> b.name("db").secretString("{\"user\":\"app\",\"password\":\"s3cr3t\"}"));

        assertEquals("{\"user\":\"app\",\"password\":\"s3cr3t\"}",
                sm.getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals("db", sm.describeSecret(b -> b.secretId("db")).name());
    }

    @Test
    void asyncClientRunsOnTheSdksOwnNetty(SecretsManagerAsyncClient sm) {
        sm.createSecret(b -> b.name("api-key").secretString("k1")).join();

        assertEquals("k1", sm.getSecretValue(b -> b.secretId("api-key")).join().secretString());
        // two Netties in one JVM: the SDK's 4.1 under io.netty, the server's 4.2 relocated
        String sdkNetty = io.netty.util.Version.identify().get("netty-common").artifactVersion();
        assertTrue(sdkNetty.startsWith("4.1."), sdkNetty);
        assertTrue(jarOf(io.netty.channel.Channel.class).contains("netty-transport-4.1."), jarOf(io.netty.channel.Channel.class));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.netty.channel.IoHandlerFactory")); // 4.2 only
        assertEquals("dev.smlocal.shaded.io.netty.channel.IoHandlerFactory",
                assertDoesNotThrowClass("dev.smlocal.shaded.io.netty.channel.IoHandlerFactory").getName());
    }

    @Test
    void faultsAnswerWithAwsErrors(SecretsManagerClient sm, SmLocal smlocal) {
        sm.createSecret(b -> b.name("db").secretString("v1"));
        try (var throttle = smlocal.chaos().throttle("us-east-1", "GetSecretValue")) {
            SecretsManagerException e = assertThrows(SecretsManagerException.class,
                    () -> sm.getSecretValue(b -> b.secretId("db")));
            assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
        }
        assertEquals("v1", sm.getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals("GetSecretValue", smlocal.events().get(smlocal.events().size() - 1).eventName());
    }

    private static Class<?> assertDoesNotThrowClass(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " is not in smlocal-testkit-standalone", e);
        }
    }

    static String jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation().toString();
    }
}
