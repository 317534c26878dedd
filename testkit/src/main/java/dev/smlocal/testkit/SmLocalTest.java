package dev.smlocal.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs the annotated test class against one in-process smlocal: started before the first test of
 * the class, reset before each test (data, keys, faults, events, pending tasks, clock back to its
 * start), stopped after the last one, also when tests fail. {@link org.junit.jupiter.api.Nested}
 * classes reuse the enclosing class's server. Test and lifecycle methods can declare parameters of
 * type {@code SecretsManagerClient}, {@code SecretsManagerAsyncClient}, {@code KmsClient} and
 * {@link SmLocal}, qualified by {@link InRegion} and {@link InAccount}.
 *
 * <p>Only the common settings are attributes; for everything else (a fixed port, SDK retries,
 * keeping state between tests, a server shared by the whole run, attaching to a running server)
 * register {@link SmLocalExtension#builder()} with {@code @RegisterExtension} instead.
 */
@PublicApi
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(SmLocalExtension.class)
@ResourceLock(providers = SdkRedirect.Locks.class) // the system-properties lock, only with redirectSdk = true
public @interface SmLocalTest {
    /** Enabled regions; with more than one, every injected client needs {@link InRegion}. */
    String[] regions() default {"us-east-1"};

    /** Default delay before a primary change reaches a replica: {@code 250ms}, {@code 2s}, {@code PT1S}. */
    String replicationLag() default "250ms";

    /**
     * The emulator's clock. {@link Clock#MANUAL} (the default) stands at
     * {@link SmLocalExtension#DEFAULT_START} until the test moves it with {@link SmLocal#clock()}.
     */
    Clock clock() default Clock.MANUAL;

    /** Seed of every random choice the emulator makes (ARN suffixes, version ids, fault draws). */
    long seed() default 0L;

    /**
     * Whether the AWS SDK's standard configuration points at this server while the class runs: the
     * system properties {@code aws.endpointUrl}, {@code aws.endpointUrlSecretsManager},
     * {@code aws.endpointUrlKms}, {@code aws.region} (the first region), {@code aws.accessKeyId} and
     * {@code aws.secretAccessKey} (the default account), restored after the class. Clients the code
     * under test builds itself ({@code SecretsManagerClient.create()}) then reach smlocal. System
     * properties are JVM-global, so such classes take JUnit's {@code SYSTEM_PROPERTIES} resource lock
     * (read-write): under parallel execution they run alone with respect to each other and to every
     * test that declares that lock.
     */
    boolean redirectSdk() default false;

    /**
     * A declared estate to start from and to return to before each test ({@code "classpath:estate.json"}
     * or a file path; the format of {@code --init}, docs/PERSISTENCE.md "Initial state"). Empty: none.
     */
    String initialState() default "";

    /** How the emulator tells time. */
    @PublicApi
    enum Clock {
        /** Stands still until the test advances it; due tasks run, in order, inside the advance call. */
        MANUAL,
        /** Follows the wall clock; due tasks run on a scheduler thread. */
        SYSTEM
    }
}
