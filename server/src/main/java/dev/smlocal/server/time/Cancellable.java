package dev.smlocal.server.time;

/** A handle on a scheduled task. */
@FunctionalInterface
public interface Cancellable {
    /** Cancels the task if it has not run yet; returns whether it was still pending. */
    boolean cancel();
}
