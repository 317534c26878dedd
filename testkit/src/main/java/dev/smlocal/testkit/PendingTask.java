package dev.smlocal.testkit;

import java.time.Instant;

/**
 * A task waiting on the emulator clock, for assertions and diagnostics.
 *
 * @param name  what the task does, e.g. {@code purge db in 000000000000/us-east-1}
 * @param dueAt when it runs
 */
@PublicApi
public record PendingTask(String name, Instant dueAt) {
    @Override
    public String toString() {
        return name + " due " + dueAt;
    }
}
