package dev.smlocal.testkit;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The admin operations the testkit needs, one method per admin route, in the
 * shape of WireMock's {@code Admin}, written once ({@link Control}) over the server's {@code EmulatorControl}:
 * an in-process emulator's own, or the {@code /_smlocal/} API of a server anywhere. Everything above this
 * interface (handle, chaos, faults, diagnostics) is written once and works for both.
 *
 * <p>Refusals are {@link IllegalArgumentException} (bad input, admin 400) and
 * {@link IllegalStateException} (not possible now, e.g. moving a system clock, admin 409).
 */
interface SmLocalControl extends AutoCloseable {
    /** A fault rule active on the server. */
    record ActiveRule(String id, FaultSpec spec) {}

    /** A declared principal; {@code secretAccessKey} is never read back from a server. */
    record DeclaredPrincipal(String accessKeyId, String arn, String secretAccessKey, String policy) {}

    URI endpoint();

    /** {@code GET health}: the enabled regions. */
    List<String> regions();

    /** {@code POST reset}. */
    void reset();

    /** {@code GET clock}: now. */
    Instant now();

    /** {@code GET clock}: pending tasks. */
    List<PendingTask> pending();

    /** {@code POST clock {"advance"}}: tasks run. */
    int advance(Duration amount);

    /** {@code POST clock {"set"}}: tasks run. */
    int set(Instant instant);

    /** {@code POST clock {"advanceUntilIdle"}}: tasks run. */
    int advanceUntilIdle(Duration limit);

    /** {@code POST faults}: the new rule's id. */
    String addFault(FaultSpec spec);

    /** {@code DELETE faults/{id}}: whether it was still there. */
    boolean removeFault(String id);

    /** {@code POST faults/reset}. */
    void clearFaults();

    /** {@code GET faults}. */
    List<ActiveRule> faults();

    /** Registers an in-process rotation function (in-process servers only). */
    void registerFunction(String name, dev.smlocal.server.rotation.RotationFunction function);

    /** {@code PUT functions/{name}}. */
    void registerHttpFunction(String name, URI url);

    /** {@code DELETE functions/{name}} (and the in-process registration, if any). */
    void unregisterFunction(String name);

    /** {@code PUT principals/{accessKeyId}}; a bad ARN or policy is an {@link IllegalArgumentException}. */
    void declarePrincipal(DeclaredPrincipal p);

    /** {@code GET principals}. */
    List<DeclaredPrincipal> principals();

    /** {@code GET events}. */
    List<EmulatorEvent> events();

    /** {@code GET metrics}. */
    String metrics();

    /** Stops an owned server; an attached one keeps running. */
    @Override
    void close();
}
