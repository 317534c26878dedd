package dev.smlocal.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One server as the tests see it: its {@link SmLocalControl}, the {@link SmLocal} handle and the SDK
 * clients handed out, cached per (kind, region, account). Lives in an {@code ExtensionContext.Store}
 * and is closed with it (clients first, then an owned server), also when tests failed. Both store
 * closing contracts are implemented; JUnit calls exactly one of them, and closing is idempotent.
 */
@SuppressWarnings("deprecation") // CloseableResource: still the only contract JUnit before 5.13 honours
final class Session implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Session.class.getName());
    /** Secret access key of every client; the server does not check signatures. */
    static final String SECRET_KEY = "smlocal";
    private static final int DIAGNOSTIC_EVENTS = 25;

    private enum Kind { SECRETS_MANAGER, SECRETS_MANAGER_ASYNC, KMS }

    private record ClientKey(Kind kind, String region, String account) {}

    private final Settings settings;
    private final SmLocalControl control;
    private final List<String> regions;
    private final DefaultSmLocal handle;
    private final Map<ClientKey, SdkAutoCloseable> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Runnable onClose = () -> { };

    private Session(Settings settings, SmLocalControl control) {
        this.settings = settings;
        this.control = control;
        this.regions = settings.regions().isEmpty() ? control.regions() : settings.regions();
        if (settings.attachTo() != null && !settings.regions().isEmpty()) {
            List<String> enabled = control.regions();
            for (String r : settings.regions()) {
                if (!enabled.contains(r)) {
                    throw new IllegalStateException("region " + r + " is not enabled on " + control.endpoint()
                            + "; it has " + enabled);
                }
            }
        }
        this.handle = new DefaultSmLocal(this, control);
    }

    /** Starts an in-process server, or attaches to a running one. */
    static Session open(Settings settings) {
        if (settings.attachTo() != null && settings.initialState() != null) {
            throw new IllegalStateException("initialState needs an in-process server; the server at "
                    + settings.attachTo() + " is not started by the testkit: start it with --init "
                    + settings.initialState() + " instead (its reset does not re-apply it)");
        }
        SmLocalControl control = settings.attachTo() != null
                ? Control.attach(settings.attachTo(), settings.effectiveAdminToken())
                : Control.start(settings.toConfig(), settings.estate(), settings.kms());
        try {
            for (SmLocalControl.DeclaredPrincipal p : settings.principals()) control.declarePrincipal(p);
            return new Session(settings, control);
        } catch (RuntimeException e) {
            control.close();
            throw e;
        }
    }

    Settings settings() {
        return settings;
    }

    SmLocal handle() {
        return handle;
    }

    SmLocalControl control() {
        return control;
    }

    List<String> regions() {
        return regions;
    }

    boolean isClosed() {
        return closed;
    }

    void onClose(Runnable action) {
        this.onClose = action;
    }

    static AwsCredentialsProvider credentials(String account) {
        if (account == null || !account.matches("\\d{12}")) {
            throw new IllegalArgumentException("an account id has 12 digits, was: " + account);
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(account, SECRET_KEY));
    }

    /**
     * The access key acting as {@code principal} ({@code role/NAME}, {@code user/NAME}) of
     * {@code account}: a key already declared for that ARN, else a new declaration without an
     * identity policy (everything in its own account).
     */
    String accessKeyFor(String account, String principal) {
        credentials(account);
        String arn = "arn:aws:iam::" + account + ":" + principal;
        if (!principal.startsWith("role/") && !principal.startsWith("user/")) {
            throw new IllegalArgumentException("a principal is role/NAME or user/NAME, was: " + principal);
        }
        for (SmLocalControl.DeclaredPrincipal p : control.principals()) {
            if (p.arn().equals(arn)) return p.accessKeyId();
        }
        String key = "SMLOCAL" + account + Integer.toHexString(arn.hashCode() & 0x7fffffff).toUpperCase();
        control.declarePrincipal(new SmLocalControl.DeclaredPrincipal(key, arn, SECRET_KEY, null));
        return key;
    }

    /** Static credentials of a declared access key (signed with the testkit's secret key). */
    static AwsCredentialsProvider credentialsOfKey(String accessKeyId) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, SECRET_KEY));
    }

    SecretsManagerClient sm(String region, String account) {
        return (SecretsManagerClient) client(Kind.SECRETS_MANAGER, region, account);
    }

    SecretsManagerAsyncClient smAsync(String region, String account) {
        return (SecretsManagerAsyncClient) client(Kind.SECRETS_MANAGER_ASYNC, region, account);
    }

    KmsClient kms(String region, String account) {
        return (KmsClient) client(Kind.KMS, region, account);
    }

    private SdkAutoCloseable client(Kind kind, String region, String account) {
        if (closed) throw new IllegalStateException("smlocal at " + control.endpoint() + " is stopped");
        return clients.computeIfAbsent(new ClientKey(kind, region, account), k -> build(k.kind(), k.region(), k.account()));
    }

    private SdkAutoCloseable build(Kind kind, String region, String account) {
        switch (kind) {
            case SECRETS_MANAGER:
                return configure(SecretsManagerClient.builder(), region, account)
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            case SECRETS_MANAGER_ASYNC:
                return configure(SecretsManagerAsyncClient.builder(), region, account)
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build();
            default:
                return configure(KmsClient.builder(), region, account)
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        }
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region, String account) {
        builder.endpointOverride(control.endpoint())
                .region(Region.of(region))
                .credentialsProvider(account.matches("\\d{12}") ? credentials(account) : credentialsOfKey(account));
        if (!settings.sdkRetries()) {
            builder.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        }
        return builder;
    }

    /** The handle's reset: the server's, then the rotation functions registered through the handle again. */
    void reset() {
        handle.reset();
    }

    /** The first words of {@link #diagnostics()}: which server reports. */
    String diagnosticsHeader() {
        return "smlocal " + control;
    }

    /** What the emulator saw, for a failure report; never throws. */
    String diagnostics() {
        StringBuilder sb = new StringBuilder(diagnosticsHeader());
        try {
            sb.append(", clock ").append(control.now());
            if (settings.attachTo() == null) sb.append(" (").append(settings.clock().name().toLowerCase()).append(')');
            List<EmulatorEvent> events = control.events();
            int from = Math.max(0, events.size() - DIAGNOSTIC_EVENTS);
            sb.append("\nlast ").append(events.size() - from).append(" of ").append(events.size())
                    .append(" events (oldest first):");
            for (EmulatorEvent e : events.subList(from, events.size())) sb.append("\n  ").append(e);
            List<PendingTask> pending = control.pending();
            sb.append("\npending scheduler tasks (").append(pending.size()).append("):");
            for (PendingTask t : pending) sb.append("\n  ").append(t);
            List<SmLocalControl.ActiveRule> faults = control.faults();
            sb.append("\nactive faults (").append(faults.size()).append("):");
            for (SmLocalControl.ActiveRule r : faults) sb.append("\n  ").append(r.id()).append(' ').append(r.spec());
        } catch (RuntimeException e) {
            sb.append("\n(could not read the emulator's state: ").append(e).append(')');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<SdkAutoCloseable> open = new ArrayList<>(clients.values());
        clients.clear();
        for (SdkAutoCloseable c : open) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing an SDK client failed", e);
            }
        }
        try {
            control.close();
        } finally {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "Session[" + control + ", regions " + regions + "]";
    }
}
