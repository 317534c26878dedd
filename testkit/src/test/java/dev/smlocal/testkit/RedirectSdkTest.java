package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.hierarchical.ExclusiveResource;
import org.junit.platform.engine.support.hierarchical.Node;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code redirectSdk}: a client the application builds itself with {@code SecretsManagerClient.create()}
 * reaches the test's smlocal, and the SDK's system properties are as before once the class is done.
 * The redirected classes run inside a JUnit engine launched here, so that the properties can be
 * checked before and after.
 */
class RedirectSdkTest {
    /** What the inner classes saw, by class name. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    @RunOnlyInEngineTestKit
    @SmLocalTest(regions = {"eu-west-1", "us-east-1"}, redirectSdk = true)
    static class Declarative {
        @Test
        void anApplicationBuiltClientReachesSmLocal(@InRegion("eu-west-1") SecretsManagerClient injected, SmLocal smlocal) {
            injected.createSecret(b -> b.name("app/db").secretString("from-the-test"));
            try (SecretsManagerClient app = SecretsManagerClient.create()) { // what application code does
                SEEN.put("Declarative", app.getSecretValue(b -> b.secretId("app/db")).secretString()
                        + "|" + System.getProperty("aws.region") + "|" + smlocal.endpoint().equals(
                                java.net.URI.create(System.getProperty("aws.endpointUrlSecretsManager"))));
            }
        }
    }

    @RunOnlyInEngineTestKit
    static class Programmatic {
        @RegisterExtension
        static final SmLocalExtension SM = SmLocalExtension.builder().redirectSdkDefaults().build();

        @Test
        void anApplicationBuiltClientReachesSmLocal() {
            SM.client().createSecret(b -> b.name("app/key").secretString("programmatic"));
            try (SecretsManagerClient app = SecretsManagerClient.builder().build()) {
                SEEN.put("Programmatic", app.getSecretValue(b -> b.secretId("app/key")).secretString());
            }
        }
    }

    @RunOnlyInEngineTestKit
    static class PerTest {
        @RegisterExtension
        final SmLocalExtension sm = SmLocalExtension.builder().redirectSdkDefaults().build();

        @Test
        void eachTestHasItsOwnServerAndRedirect(SmLocal smlocal) {
            SEEN.merge("PerTest", System.getProperty("aws.endpointUrl"), (a, b) -> a + "," + b);
            assertEquals(smlocal.endpoint().toString(), System.getProperty("aws.endpointUrl"));
        }

        @Test
        void another(SmLocal smlocal) {
            SEEN.merge("PerTest", System.getProperty("aws.endpointUrl"), (a, b) -> a + "," + b);
            assertEquals(smlocal.endpoint().toString(), System.getProperty("aws.endpointUrl"));
        }
    }

    private static void runAndCheckRestored(Class<?> inner) {
        Map<String, String> before = Map.of("aws.region", "ap-south-1", "aws.accessKeyId", "AKIA-REAL-USER",
                "aws.sessionToken", "real-token");
        for (String p : SdkRedirect.PROPERTIES) System.clearProperty(p);
        before.forEach(System::setProperty);
        try {
            EngineExecutionResults r = RunOnlyInEngineTestKit.Condition.engine(inner).execute();
            assertEquals(0, r.testEvents().failed().count(), () -> r.testEvents().failed().list().toString());
            assertTrue(r.testEvents().succeeded().count() > 0);
            for (String p : SdkRedirect.PROPERTIES) assertEquals(before.get(p), System.getProperty(p), p);
        } finally {
            for (String p : SdkRedirect.PROPERTIES) System.clearProperty(p);
        }
    }

    @Test
    void declarativeRedirectsForTheClassAndRestores() {
        runAndCheckRestored(Declarative.class);
        assertEquals("from-the-test|eu-west-1|true", SEEN.get("Declarative"), "the first region, smlocal's endpoint");
    }

    @Test
    void aStaticBuilderExtensionRedirectsForTheClassAndRestores() {
        runAndCheckRestored(Programmatic.class);
        assertEquals("programmatic", SEEN.get("Programmatic"));
    }

    @Test
    void anInstanceFieldExtensionRedirectsEachTestToItsOwnServer() {
        runAndCheckRestored(PerTest.class);
        List<String> endpoints = List.of(SEEN.get("PerTest").split(","));
        assertEquals(2, endpoints.size());
        assertTrue(!endpoints.get(0).equals(endpoints.get(1)), "a server per test: " + endpoints);
    }

    @Test
    void twoServersCannotRedirectAtOnceButTheSameOneCanTwice() {
        try (Session a = Session.open(Settings.defaults()); Session b = Session.open(Settings.defaults())) {
            SdkRedirect.acquire(a);
            try {
                SdkRedirect.acquire(a); // a nested class of the same server
                SdkRedirect.release(a);
                assertTrue(SdkRedirect.heldBy(a));
                IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SdkRedirect.acquire(b));
                assertTrue(refused.getMessage().contains("SYSTEM_PROPERTIES"), refused.getMessage());
            } finally {
                SdkRedirect.release(a);
            }
            assertTrue(!SdkRedirect.heldBy(a));
            assertNull(System.getProperty("aws.endpointUrl"));
        }
    }

    @Test
    void redirectingClassesTakeTheSystemPropertiesLockAndOthersDoNot() {
        ResourceLocksProvider locks = new SdkRedirect.Locks();
        assertEquals(Set.of(new ResourceLocksProvider.Lock(Resources.SYSTEM_PROPERTIES, ResourceAccessMode.READ_WRITE)),
                locks.provideForClass(Declarative.class));
        assertEquals(Set.of(), locks.provideForClass(RedirectSdkTest.class));
        assertEquals(Set.of(), locks.provideForClass(ReadmeExampleTest.class));
    }

    @Test
    void junitSeesTheLockThroughSmLocalTest() {
        EngineExecutionResults r = RunOnlyInEngineTestKit.Condition.engine(Declarative.class).execute();
        Node<?> declarative = (Node<?>) r.containerEvents().started().map(e -> e.getTestDescriptor())
                .filter(d -> d.getSource().filter(src -> src instanceof ClassSource c && c.getJavaClass() == Declarative.class)
                        .isPresent())
                .findFirst().orElseThrow();
        assertEquals(Set.of(new ExclusiveResource(Resources.SYSTEM_PROPERTIES, ExclusiveResource.LockMode.READ_WRITE)),
                declarative.getExclusiveResources());
    }
}
