package dev.smlocal.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The emulator's clock, seen from a test. With a manual clock, time moves only through
 * {@link #advance}, {@link #set} and {@link #advanceUntilIdle}; every scheduled task that falls due
 * (replication lag, deletion windows, rotation schedules) runs on the calling thread, one at a time
 * in due order, before the call returns, with the clock standing at the task's due instant. Moving
 * a system clock is refused with {@link IllegalStateException}. Instants have millisecond precision.
 */
@PublicApi
public interface ClockControl {
    /** The emulator's current instant. */
    Instant now();

    /** Moves time forward by {@code amount}, running what falls due; returns how many tasks ran. */
    int advance(Duration amount);

    /**
     * Moves time forward to {@code instant}, running what falls due; returns how many tasks ran.
     * An earlier instant is refused with {@link IllegalArgumentException}: time never goes back.
     */
    int set(Instant instant);

    /**
     * Moves time from task to task until nothing is pending or {@code limit} has passed; returns how
     * many tasks ran. The limit bounds work that keeps rescheduling itself (rotation schedules).
     */
    int advanceUntilIdle(Duration limit);

    /** Tasks waiting on the clock, in the order they will run. */
    List<PendingTask> pending();
}
