package dev.smlocal.testkit;

import java.time.Duration;
import java.util.List;

/**
 * Fault injection. Each method adds one fault rule to the emulator and returns it as an
 * {@link AutoCloseable} {@link Fault}, so the fault ends with its try-with-resources block. A
 * region or operation argument of null means "any". Every fault applied to a call is recorded as a
 * {@code FaultApplied} event ({@link SmLocal#events()}), so a test can tell why a call failed.
 *
 * <p>Injected SDK clients do not retry by default, so a fault hits the call it matches exactly
 * once. Latency is real wall time, bounded by the server.
 */
@PublicApi
public interface Chaos {
    /** {@code region} answers every call with 503 until the fault is closed. */
    Fault regionOutage(String region);

    /** {@code region} is out: 503 answers, or with {@link OutageMode#TIMEOUT} no answer at all. */
    Fault regionOutage(String region, OutageMode mode);

    /** Calls of {@code operation} in {@code region} answer {@code ThrottlingException: Rate exceeded}. */
    Fault throttle(String region, String operation);

    /** Calls of {@code operation} in {@code region} answer the AWS error {@code errorType}. */
    Fault error(String region, String operation, String errorType);

    /** Answers to {@code operation} in {@code region} are delayed by {@code delay} of wall time. */
    Fault latency(String region, String operation, Duration delay);

    /** Calls of {@code operation} in {@code region} have their connection closed without an answer. */
    Fault connectionReset(String region, String operation);

    /** Replication attempts from {@code from} to {@code to} fail. */
    Fault failReplication(String from, String to);

    /** Any fault, with probability, count, account and attributes. */
    Fault add(FaultSpec spec);

    /** The fault rules active on the server now, in the order they were added. */
    List<FaultSpec> active();

    /** Removes every fault and restores every region; keeps the data. */
    void reset();
}
