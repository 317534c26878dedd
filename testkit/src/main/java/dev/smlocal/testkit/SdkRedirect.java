package dev.smlocal.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Points the AWS SDK's standard configuration at one smlocal while a test class (or method) runs,
 * so that a client the application builds itself ({@code SecretsManagerClient.create()},
 * {@code SecretsManagerClient.builder().build()}) talks to smlocal. The SDK reads these JVM system
 * properties before the environment and the profile files:
 * <ul>
 *   <li>{@value #ENDPOINT}, {@value #ENDPOINT_SM}, {@value #ENDPOINT_KMS}: smlocal's endpoint
 *       ({@value #IGNORE_ENDPOINTS} is set to {@code false} so an environment that ignores
 *       configured endpoints does not win);</li>
 *   <li>{@value #REGION}: the first configured region;</li>
 *   <li>{@value #ACCESS_KEY}, {@value #SECRET_KEY}: the default account's test credentials
 *       ({@value #SESSION_TOKEN} is cleared).</li>
 * </ul>
 * The previous values (or their absence) come back when the scope that set them ends.
 *
 * <p>System properties are global to the JVM. Under parallel execution, {@link SmLocalTest}
 * with {@code redirectSdk = true} takes JUnit's {@link Resources#SYSTEM_PROPERTIES} lock
 * (read-write, through {@link Locks}), so such classes never run at the same time as each other or
 * as any test that declares that lock. A redirect for one server while another server's redirect is
 * active is refused with an {@link IllegalStateException}; holders of the same server (nested
 * classes, a shared server) count up and the last one out restores.
 */
final class SdkRedirect {
    static final String ENDPOINT = "aws.endpointUrl";
    static final String ENDPOINT_SM = "aws.endpointUrlSecretsManager";
    static final String ENDPOINT_KMS = "aws.endpointUrlKms";
    static final String IGNORE_ENDPOINTS = "aws.ignoreConfiguredEndpointUrls";
    static final String REGION = "aws.region";
    static final String ACCESS_KEY = "aws.accessKeyId";
    static final String SECRET_KEY = "aws.secretAccessKey";
    static final String SESSION_TOKEN = "aws.sessionToken";
    static final List<String> PROPERTIES = List.of(ENDPOINT, ENDPOINT_SM, ENDPOINT_KMS, IGNORE_ENDPOINTS, REGION,
            ACCESS_KEY, SECRET_KEY, SESSION_TOKEN);

    private static Session owner;
    private static int holders;
    private static Map<String, String> saved;

    private SdkRedirect() {}

    /** Whether {@code s} currently owns the redirect. */
    static synchronized boolean heldBy(Session s) {
        return owner == s;
    }

    /** Redirects to {@code s} (or counts one more holder); refuses while another server holds it. */
    static synchronized void acquire(Session s) {
        if (owner != null && owner != s) {
            throw new IllegalStateException("redirectSdk: the SDK's system properties already point at " + owner
                    + "; two servers cannot redirect the JVM-global SDK configuration at once. Run such classes"
                    + " one at a time (@SmLocalTest(redirectSdk = true) takes the SYSTEM_PROPERTIES resource lock;"
                    + " with SmLocalExtension.builder() add @ResourceLock(Resources.SYSTEM_PROPERTIES) to the class)");
        }
        if (owner == null) {
            saved = new LinkedHashMap<>();
            for (String p : PROPERTIES) saved.put(p, System.getProperty(p));
            String endpoint = s.control().endpoint().toString();
            System.setProperty(ENDPOINT, endpoint);
            System.setProperty(ENDPOINT_SM, endpoint);
            System.setProperty(ENDPOINT_KMS, endpoint);
            System.setProperty(IGNORE_ENDPOINTS, "false");
            System.setProperty(REGION, s.regions().get(0));
            System.setProperty(ACCESS_KEY, SmLocal.DEFAULT_ACCOUNT);
            System.setProperty(SECRET_KEY, Session.SECRET_KEY);
            System.clearProperty(SESSION_TOKEN);
            owner = s;
        }
        holders++;
    }

    /** One holder fewer; the last one puts every property back as it was. */
    static synchronized void release(Session s) {
        if (owner != s) return;
        if (--holders > 0) return;
        saved.forEach((k, v) -> {
            if (v == null) System.clearProperty(k);
            else System.setProperty(k, v);
        });
        saved = null;
        owner = null;
    }

    /** Releases its session once when the store holding it closes (both of JUnit's store contracts). */
    @SuppressWarnings("deprecation") // CloseableResource: still the only contract JUnit before 5.13 honours
    static final class Hold implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final Session session;
        private boolean closed;

        Hold(Session session) {
            this.session = session;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
            }
            release(session);
        }
    }

    /**
     * JUnit's resource lock for {@code @SmLocalTest(redirectSdk = true)} classes: read-write on the
     * system properties, so JUnit never runs two of them (or one and another user of that lock) at once.
     */
    public static final class Locks implements ResourceLocksProvider {
        @Override
        public Set<Lock> provideForClass(Class<?> testClass) {
            Optional<SmLocalTest> a = AnnotationSupport.findAnnotation(testClass, SmLocalTest.class);
            return a.isPresent() && a.get().redirectSdk()
                    ? Set.of(new Lock(Resources.SYSTEM_PROPERTIES, ResourceAccessMode.READ_WRITE))
                    : Set.of();
        }
    }
}
