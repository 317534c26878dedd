package dev.smlocal.testkit;

/**
 * An injected fault, active from its creation until {@link #close()}, so that it ends with its
 * try-with-resources block:
 * <pre>{@code
 * try (Fault outage = smlocal.chaos().regionOutage("us-east-1")) {
 *     ... // us-east-1 answers 503
 * }       // healed here
 * }</pre>
 * {@link #disable()} and {@link #enable()} switch it off and on again inside the block. A fault
 * with a {@link FaultSpec#count()} also ends by itself after that many hits; closing it then is
 * harmless. {@link Chaos#reset()} and {@link SmLocal#reset()} remove every fault at once.
 */
@PublicApi
public interface Fault extends AutoCloseable {
    /** What this fault does and where. */
    FaultSpec spec();

    /** Whether the fault is switched on from the test's side (it may still have used up its count). */
    boolean isEnabled();

    /** Switches the fault off, keeping it for {@link #enable()}; does nothing when already off. */
    Fault disable();

    /** Switches the fault on again (with a fresh count); does nothing when already on. */
    Fault enable();

    /** Removes the fault; idempotent, never throws a checked exception. */
    @Override
    void close();
}
