package dev.smlocal.testkit;

import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The test's handle on its smlocal: time, chaos, replication, the event log, and what it takes to
 * build one's own clients. Inject it as a test parameter or get it from
 * {@link SmLocalExtension#handle()}.
 *
 * <p>The same handle drives an in-process server and one attached by URL
 * ({@link SmLocalExtension.Builder#attachTo(URI)}): in-process it calls the emulator directly,
 * attached it is a thin client of the {@code /_smlocal/} admin API, with the same semantics.
 * Thread-safe.
 */
@PublicApi
public interface SmLocal {
    /** The account used when a client names none: what any non-numeric access key maps to. */
    String DEFAULT_ACCOUNT = "000000000000";

    /** The emulator clock. */
    ClockControl clock();

    /** Fault injection: outages, errors, throttling, latency, connection resets, replication failures. */
    Chaos chaos();

    /** Replication seen from the test: pending copies and per-replica status. */
    Replication replication();

    /** Rotation functions for RotateSecret: in-process, over HTTP, or the built-ins. */
    Rotation rotation();

    /** The CloudTrail-shaped event log, oldest first, secret values never included. */
    List<EmulatorEvent> events();

    /** The metrics in Prometheus text format, as {@code GET /_smlocal/metrics} answers them. */
    String metrics();

    /** {@code http://host:port}, for {@code endpointOverride} of clients the test builds itself. */
    URI endpoint();

    /**
     * Static credentials whose access key id is {@code account}, so that the server maps the calls
     * to that account. {@code account} must be 12 digits.
     */
    AwsCredentialsProvider credentialsFor(String account);

    /**
     * Static credentials acting as {@code principal} ({@code role/NAME} or {@code user/NAME}) of
     * {@code account}: the access key declared for that ARN, else one declared now without an
     * identity policy.
     */
    AwsCredentialsProvider credentialsFor(String account, String principal);

    /**
     * Declares {@code accessKeyId} as {@code principalArn} with an identity policy (JSON; null:
     * everything in its own account). Reset keeps declarations, as AWS keeps IAM when secrets go.
     * A bad ARN or policy is an {@link IllegalArgumentException}.
     */
    void declarePrincipal(String accessKeyId, String principalArn, String identityPolicyJson);

    /** The configured regions, in configuration order. */
    List<String> regions();

    /**
     * Forgets every secret, customer key, fault, event and pending task, and rewinds a manual clock
     * to its start; keeps the configuration, the port and the injected clients. The extension calls
     * it before each test unless told not to.
     */
    void reset();
}
