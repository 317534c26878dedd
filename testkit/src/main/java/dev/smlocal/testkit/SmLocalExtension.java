package dev.smlocal.testkit;

import dev.smlocal.server.KmsContext;
import dev.smlocal.server.aws.Regions;
import dev.smlocal.server.kms.Kms;
import java.lang.reflect.Executable;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The JUnit 5 extension that gives tests an smlocal server, its {@link SmLocal} handle and SDK
 * clients for it. Two ways to register it:
 *
 * <ul>
 *   <li>{@link SmLocalTest @SmLocalTest} on the class, for the common settings;</li>
 *   <li>{@code @RegisterExtension} with {@link #builder()}, for full control:
 *   <pre>{@code
 * @RegisterExtension
 * static final SmLocalExtension SM = SmLocalExtension.builder()
 *         .regions("us-east-1", "eu-west-1").manualClock(Instant.parse("2026-03-01T00:00:00Z")).build();
 * static final SecretsManagerClient EAST = SM.client("us-east-1");
 *   }</pre></li>
 * </ul>
 *
 * <p><b>Lifecycle.</b> Declaratively, and in a static field, there is one server per test class;
 * in an instance field, one per test method (JUnit creates a new extension with each test
 * instance); {@link Builder#shared(boolean) shared} servers live for the whole run, one per
 * configuration. {@link org.junit.jupiter.api.Nested} classes reuse their enclosing class's
 * server. Servers sit in the {@link ExtensionContext.Store} of the scope they belong to, so JUnit
 * stops them (and closes their clients) when that scope ends, whether its tests passed or not.
 * A server asked for before its scope begins (a static field initialiser calling
 * {@link #client(String)}) is started there and then, and handed to the scope's store when the
 * scope begins.
 *
 * <p><b>Reset.</b> Before each test (not after, so that the state after a failure can still be
 * inspected) the server forgets all data, faults, events and pending tasks and a manual clock goes
 * back to its start: a call, not a restart. {@link Builder#resetBeforeEach(boolean)} turns it off.
 *
 * <p><b>Injection.</b> Parameters of type {@code SecretsManagerClient},
 * {@code SecretsManagerAsyncClient}, {@code KmsClient} and {@link SmLocal}. Clients sign for the
 * region named by {@link InRegion} (required when several regions are configured) and act in the
 * account named by {@link InAccount} (default {@link SmLocal#DEFAULT_ACCOUNT}). They are cached per
 * (kind, region, account) and have SDK retries off unless {@link Builder#sdkRetries(boolean)}.
 *
 * <p><b>Diagnostics.</b> When a test (or its before/after-each method) fails, a
 * {@link SmLocalDiagnostics} with the emulator's recent events, pending tasks and active faults is
 * added to the failure as a suppressed exception.
 */
@PublicApi
public final class SmLocalExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    /** Where a manual clock starts unless told otherwise: fixed, so that runs replay exactly. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private static final Namespace DECLARATIVE = Namespace.create(SmLocalExtension.class);
    private static final Namespace SHARED = Namespace.create(SmLocalExtension.class, "shared");
    private static final Namespace REDIRECT = Namespace.create(SmLocalExtension.class, "redirect");
    private static final String SESSION = "session";
    private static final ConcurrentHashMap<String, Session> SHARED_SESSIONS = new ConcurrentHashMap<>();

    /** Null when registered declaratively: the settings then come from {@link SmLocalTest}. */
    private final Settings settings;
    private final Namespace namespace;
    /** The programmatic extension's server; guarded by {@code this}. */
    private Session session;

    /**
     * The declarative form, instantiated by JUnit for {@link SmLocalTest} (or a plain
     * {@code @ExtendWith(SmLocalExtension.class)}, which takes the defaults). Use
     * {@link #builder()} for {@code @RegisterExtension}.
     */
    public SmLocalExtension() {
        this.settings = null;
        this.namespace = DECLARATIVE;
    }

    private SmLocalExtension(Settings settings) {
        this.settings = settings;
        this.namespace = Namespace.create(SmLocalExtension.class, this);
    }

    /** A builder for {@code @RegisterExtension} fields. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- access for field initialisers (programmatic form) ----------------------------------------

    /** The Secrets Manager client of the only configured region (default account). */
    public SecretsManagerClient client() {
        Session s = programmaticSession();
        return s.sm(onlyRegion(s, "client()"), SmLocal.DEFAULT_ACCOUNT);
    }

    /** The Secrets Manager client of {@code region} (default account); starts the server if needed. */
    public SecretsManagerClient client(String region) {
        Session s = programmaticSession();
        return s.sm(configuredRegion(s, region), SmLocal.DEFAULT_ACCOUNT);
    }

    /** The asynchronous Secrets Manager client of {@code region} (default account). */
    public SecretsManagerAsyncClient asyncClient(String region) {
        Session s = programmaticSession();
        return s.smAsync(configuredRegion(s, region), SmLocal.DEFAULT_ACCOUNT);
    }

    /** The KMS client of {@code region} (default account). */
    public KmsClient kmsClient(String region) {
        Session s = programmaticSession();
        return s.kms(configuredRegion(s, region), SmLocal.DEFAULT_ACCOUNT);
    }

    /** The handle on this extension's server; starts it if needed. */
    public SmLocal handle() {
        return programmaticSession().handle();
    }

    private static String onlyRegion(Session s, String what) {
        if (s.regions().size() == 1) return s.regions().get(0);
        throw new IllegalStateException(what + " needs a region: smlocal has " + s.regions().size()
                + " regions configured " + s.regions());
    }

    private static String configuredRegion(Session s, String region) {
        if (s.regions().contains(region)) return region;
        throw new IllegalArgumentException("region " + region + " is not configured; configured regions: " + s.regions());
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        Session s = session(context);
        if (s.settings().redirectSdk()) redirect(context, s);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Session s = session(context);
        // a class-level registration redirected in beforeAll; an instance-field one does it per test
        if (s.settings().redirectSdk() && !SdkRedirect.heldBy(s)) redirect(context, s);
        if (s.settings().resetBeforeEach()) s.reset();
    }

    /** Points the SDK's system properties at {@code s} until {@code context} ends (see {@link SdkRedirect}). */
    private static void redirect(ExtensionContext context, Session s) {
        SdkRedirect.acquire(s);
        context.getStore(REDIRECT).put(new Object(), new SdkRedirect.Hold(s));
    }

    /** The server of this context, started and put in the right store if that has not happened yet. */
    private Session session(ExtensionContext context) {
        return settings == null ? declarativeSession(context) : register(context, programmaticSession());
    }

    private synchronized Session programmaticSession() {
        if (settings == null) {
            throw new IllegalStateException("this SmLocalExtension was registered declaratively (@SmLocalTest); "
                    + "inject SmLocal or clients as parameters, or register SmLocalExtension.builder()...build()");
        }
        if (session == null || session.isClosed()) {
            session = settings.shared() ? sharedSession(settings) : Session.open(settings);
        }
        return session;
    }

    private static Session sharedSession(Settings settings) {
        String key = settings.sharedKey();
        return SHARED_SESSIONS.compute(key, (k, old) -> {
            if (old != null && !old.isClosed()) return old;
            Session fresh = Session.open(settings);
            fresh.onClose(() -> SHARED_SESSIONS.remove(k, fresh));
            return fresh;
        });
    }

    /** Hands a programmatic server to the store of the scope it belongs to (once). */
    private Session register(ExtensionContext context, Session s) {
        if (s.settings().shared()) {
            Store root = context.getRoot().getStore(SHARED);
            if (root.get(s.settings().sharedKey()) != s) root.put(s.settings().sharedKey(), s);
        } else {
            Store store = context.getStore(namespace);
            if (store.get(SESSION) != s) store.put(SESSION, s);
        }
        return s;
    }

    private Session declarativeSession(ExtensionContext context) {
        Session s = context.getStore(DECLARATIVE).get(SESSION, Session.class); // also searches enclosing scopes
        if (s != null && !s.isClosed()) return s;
        ExtensionContext owner = context;
        while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) owner = owner.getParent().get();
        Settings fromAnnotation = declarativeSettings(owner.getTestClass().orElse(null));
        return owner.getStore(DECLARATIVE).getOrComputeIfAbsent(SESSION, k -> Session.open(fromAnnotation), Session.class);
    }

    /** The {@link SmLocalTest} on the class, its superclasses or its enclosing classes; defaults without one. */
    static Settings declarativeSettings(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<SmLocalTest> a = AnnotationSupport.findAnnotation(c, SmLocalTest.class);
            if (a.isPresent()) return Settings.from(a.get());
        }
        return Settings.defaults();
    }

    /** The server already running for this context, without starting one. */
    private Session existingSession(ExtensionContext context) {
        if (settings != null) {
            synchronized (this) {
                return session == null || session.isClosed() ? null : session;
            }
        }
        Session s = context.getStore(DECLARATIVE).get(SESSION, Session.class);
        return s == null || s.isClosed() ? null : s;
    }

    // ---- parameters --------------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == SmLocal.class || type == SecretsManagerClient.class
                || type == SecretsManagerAsyncClient.class || type == KmsClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Session s = settings == null ? declarativeSession(extensionContext) : programmaticSession();
        Class<?> type = parameterContext.getParameter().getType();
        if (type == SmLocal.class) return s.handle();
        String region = regionFor(parameterContext, s);
        String account = accountFor(parameterContext);
        String principal = parameterContext.findAnnotation(InAccount.class).map(InAccount::principal).orElse("");
        if (!principal.isEmpty()) {
            try {
                account = s.accessKeyFor(account, principal);
            } catch (IllegalArgumentException e) {
                throw new ParameterResolutionException(describe(parameterContext) + ": " + e.getMessage());
            }
        }
        if (type == SecretsManagerClient.class) return s.sm(region, account);
        if (type == SecretsManagerAsyncClient.class) return s.smAsync(region, account);
        return s.kms(region, account);
    }

    private static String regionFor(ParameterContext pc, Session s) {
        List<String> regions = s.regions();
        Optional<InRegion> qualifier = pc.findAnnotation(InRegion.class);
        if (qualifier.isPresent()) {
            String region = qualifier.get().value();
            if (regions.contains(region)) return region;
            throw new ParameterResolutionException(describe(pc) + ": @InRegion(\"" + region
                    + "\") is not a configured region; configured regions: " + regions);
        }
        if (regions.size() == 1) return regions.get(0);
        throw new ParameterResolutionException(describe(pc) + ": smlocal has " + regions.size()
                + " regions configured " + regions + ", so the parameter needs @InRegion naming one of them, e.g. @InRegion(\""
                + regions.get(0) + "\")");
    }

    private static String accountFor(ParameterContext pc) {
        Optional<InAccount> qualifier = pc.findAnnotation(InAccount.class);
        if (qualifier.isEmpty()) return SmLocal.DEFAULT_ACCOUNT;
        String account = qualifier.get().value();
        if (account.matches("\\d{12}")) return account;
        throw new ParameterResolutionException(describe(pc) + ": @InAccount(\"" + account
                + "\") is not an account id, which has 12 digits");
    }

    private static String describe(ParameterContext pc) {
        Executable e = pc.getDeclaringExecutable();
        return "Cannot inject " + pc.getParameter().getType().getSimpleName() + " parameter '"
                + pc.getParameter().getName() + "' of " + e.getDeclaringClass().getSimpleName() + "#" + e.getName();
    }

    // ---- failure diagnostics -----------------------------------------------------------------------

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withDiagnostics(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withDiagnostics(context, throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withDiagnostics(context, throwable);
    }

    private Throwable withDiagnostics(ExtensionContext context, Throwable throwable) {
        if (throwable instanceof TestAbortedException) return throwable;
        Session s = existingSession(context);
        if (s == null) return throwable;
        for (Throwable already : throwable.getSuppressed()) {
            if (already instanceof SmLocalDiagnostics && already.getMessage().startsWith(s.diagnosticsHeader())) {
                return throwable; // this server already reported on this failure
            }
        }
        throwable.addSuppressed(new SmLocalDiagnostics(s.diagnostics()));
        return throwable;
    }

    @Override
    public String toString() {
        return "SmLocalExtension[" + (settings == null ? "declarative" : settings) + "]";
    }

    // ---- builder -----------------------------------------------------------------------------------

    /**
     * Configures a programmatic {@link SmLocalExtension}. Defaults: region us-east-1, replication
     * lag 250 ms, manual clock at {@link #DEFAULT_START}, seed 0, reset before each test, SDK
     * retries off, not shared, a free port, the emulated KMS.
     */
    @PublicApi
    public static final class Builder {
        private List<String> regions = List.of();
        private Duration replicationLag = Settings.defaults().replicationLag();
        private SmLocalTest.Clock clock = SmLocalTest.Clock.MANUAL;
        private Instant clockStart = DEFAULT_START;
        private long seed;
        private boolean resetBeforeEach = true;
        private boolean sdkRetries;
        private boolean shared;
        private URI attachTo;
        private int port;
        private String adminToken;

        private final List<SmLocalControl.DeclaredPrincipal> principals = new java.util.ArrayList<>();
        private boolean redirectSdk;
        private String initialState;
        private Function<KmsContext, ? extends Kms> kms;

        private Builder() {}

        /**
         * The enabled regions. With several, injected clients need {@link InRegion}. When attached,
         * the regions must be enabled on that server, and narrow what the tests see; without them
         * the server's own list counts.
         */
        public Builder regions(String... names) {
            if (names.length == 0) throw new IllegalArgumentException("at least one region is needed");
            for (String r : names) {
                if (!Regions.isWellFormed(r)) throw new IllegalArgumentException("not a region name: " + r);
            }
            this.regions = List.copyOf(Arrays.asList(names));
            return this;
        }

        /** Default delay before a primary change reaches a replica. */
        public Builder replicationLag(Duration lag) {
            if (lag.isNegative()) throw new IllegalArgumentException("replication lag must not be negative, was: " + lag);
            this.replicationLag = lag;
            return this;
        }

        /** A manual clock standing at {@code start} until the test moves it (the default, at {@link #DEFAULT_START}). */
        public Builder manualClock(Instant start) {
            this.clock = SmLocalTest.Clock.MANUAL;
            this.clockStart = Objects.requireNonNull(start, "start");
            return this;
        }

        /** A clock following the wall clock; scheduled tasks run on their own when due. */
        public Builder systemClock() {
            this.clock = SmLocalTest.Clock.SYSTEM;
            this.clockStart = null;
            return this;
        }

        /** Seed of every random choice the emulator makes. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Whether the server is reset before each test (default true). */
        public Builder resetBeforeEach(boolean value) {
            this.resetBeforeEach = value;
            return this;
        }

        /**
         * Whether injected clients keep the SDK's standard retry strategy (3 attempts with real-time
         * backoff). Default false: {@code AwsRetryStrategy.doNotRetry()}, so each fault hits once.
         */
        public Builder sdkRetries(boolean value) {
            this.sdkRetries = value;
            return this;
        }

        /**
         * Whether one server serves the whole test run: every shared extension with the same
         * configuration gets the same server, stopped when the run ends.
         */
        public Builder shared(boolean value) {
            this.shared = value;
            return this;
        }

        /**
         * Drives the already running server at {@code endpoint} (a standalone jar, the Docker image)
         * through its {@code /_smlocal/} admin API instead of starting one. Its own clock, seed and
         * replication settings apply; the builder's are ignored. The server is never stopped.
         */
        public Builder attachTo(URI endpoint) {
            this.attachTo = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * The admin token of the server {@link #attachTo(URI)} names, when it runs with
         * {@code --admin-token} / {@code SMLOCAL_ADMIN_TOKEN}: sent as {@code Authorization: Bearer}
         * on every admin call. Without it the testkit uses the {@code SMLOCAL_ADMIN_TOKEN} environment
         * variable when set. Ignored for an in-process server, which the testkit drives directly.
         */
        public Builder adminToken(String token) {
            if (token == null || token.isBlank()) throw new IllegalArgumentException("an admin token must not be blank");
            this.adminToken = token.trim();
            return this;
        }

        /** A fixed port for the in-process server (default 0: a free one). */
        public Builder port(int value) {
            if (value < 0 || value > 65535) throw new IllegalArgumentException("port must be 0..65535, was: " + value);
            this.port = value;
            return this;
        }

        /**
         * Declares {@code accessKeyId} as {@code principalArn} ({@code arn:aws:iam::ACCOUNT:role/NAME} or
         * {@code ...:user/NAME}) with an identity policy (JSON; null: everything in its own account).
         * Reset keeps it. {@code @InAccount(value = ACCOUNT, principal = "role/NAME")} clients use it.
         */
        public Builder principal(String accessKeyId, String principalArn, String identityPolicyJson) {
            principals.add(new SmLocalControl.DeclaredPrincipal(Objects.requireNonNull(accessKeyId, "accessKeyId"),
                    Objects.requireNonNull(principalArn, "principalArn"), Session.SECRET_KEY, identityPolicyJson));
            return this;
        }

        /**
         * Points the AWS SDK's standard configuration (the system properties {@code aws.endpointUrl},
         * {@code aws.endpointUrlSecretsManager}, {@code aws.endpointUrlKms}, {@code aws.region},
         * {@code aws.accessKeyId}, {@code aws.secretAccessKey}) at this server while its scope runs
         * (the class for a static field, each test for an instance field), so that clients the code
         * under test builds itself, e.g. {@code SecretsManagerClient.create()}, reach smlocal. The
         * previous values come back afterwards. System properties are JVM-global: under parallel
         * execution annotate the class with {@code @ResourceLock(Resources.SYSTEM_PROPERTIES)}; two
         * servers redirecting at once are refused with an {@link IllegalStateException}.
         */
        public Builder redirectSdkDefaults() {
            this.redirectSdk = true;
            return this;
        }

        /**
         * Starts from the declared estate in {@code file} (the format of {@code --init},
         * docs/PERSISTENCE.md "Initial state"), and returns to it before each test: the reset
         * forgets everything, then the estate is applied again through the real operations. An
         * attached server ({@link #attachTo(URI)}) refuses it.
         */
        public Builder initialState(java.nio.file.Path file) {
            this.initialState = Objects.requireNonNull(file, "file").toString();
            return this;
        }

        /** Like {@link #initialState(java.nio.file.Path)}, from a classpath resource ({@code estate.json} or {@code classpath:estate.json}). */
        public Builder initialState(String classpathResource) {
            Objects.requireNonNull(classpathResource, "classpathResource");
            this.initialState = classpathResource.startsWith("classpath:") ? classpathResource
                    : "classpath:" + classpathResource;
            return this;
        }

        /**
         * The KMS that seals and opens secret values in the in-process server, instead of the
         * emulated one, e.g. a fake that fails on cue. Unless it also implements
         * {@link dev.smlocal.server.kms.KmsOperations}, KMS API calls ({@code KmsClient}) answer
         * {@code UnsupportedOperationException}. Not with {@link #attachTo(URI)}.
         */
        public Builder kms(Kms value) {
            Objects.requireNonNull(value, "kms");
            this.kms = ctx -> value;
            return this;
        }

        /**
         * A KMS built for the in-process server from its {@link KmsContext} (clock, seeded ids and
         * the emulated KMS), e.g. {@code ctx -> new CountingKms(ctx.emulated())}: a {@code Kms} that
         * wraps {@code ctx.emulated()} keeps the KMS API working. Not with {@link #attachTo(URI)}.
         */
        public Builder kms(Function<KmsContext, ? extends Kms> factory) {
            this.kms = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** The extension, for a {@code @RegisterExtension} field. */
        public SmLocalExtension build() {
            if (kms != null && attachTo != null) {
                throw new IllegalStateException("kms(...) needs an in-process server; attachTo(" + attachTo
                        + ") drives a running server, which keeps its own KMS");
            }
            return new SmLocalExtension(new Settings(regions, replicationLag, clock, clockStart, seed, resetBeforeEach,
                    sdkRetries, shared, attachTo, port, principals, adminToken, redirectSdk, initialState, kms));
        }
    }
}
