package dev.smlocal.server.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs delayed work (replication lag, deletion windows, rotation schedules) on the
 * {@link EmulatorClock}.
 *
 * <p>Semantics, the same in both clock modes:
 * <ol>
 *   <li>A task never runs inside {@link #schedule}: the caller may hold a store lock.</li>
 *   <li>Due tasks run one at a time, in order of {@code (dueAt, sequence)}: ties run in the order
 *       they were scheduled.</li>
 *   <li>With a manual clock, tasks run only from {@link #advance}, {@link #setTime} or
 *       {@link #runDue}, on the caller's thread. Time moves in steps: before a task runs the clock
 *       stands at that task's due instant, so a task sees the time it was due. Tasks scheduled by a
 *       running task run in the same advance when they fall due within it.</li>
 *   <li>With a system clock, a daemon thread owned by the scheduler runs tasks when they fall due.</li>
 *   <li>{@link Cancellable#cancel()} removes a task that has not run yet.</li>
 * </ol>
 * A task that throws is logged (by name) and does not stop the others.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

    /** A snapshot of one pending task, for diagnostics. */
    public record PendingTask(String name, Instant dueAt) {
        @Override
        public String toString() {
            return name + " due " + dueAt;
        }
    }

    private static final class Task implements Cancellable {
        final String name;
        final Instant dueAt;
        final long seq;
        final Runnable body;
        volatile boolean cancelled;
        final Scheduler owner;

        Task(Scheduler owner, String name, Instant dueAt, long seq, Runnable body) {
            this.owner = owner;
            this.name = name;
            this.dueAt = dueAt;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public boolean cancel() {
            synchronized (owner.queue) {
                if (cancelled) return false;
                cancelled = true;
                return owner.queue.remove(this);
            }
        }
    }

    private final EmulatorClock clock;
    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.comparing((Task t) -> t.dueAt).thenComparingLong(t -> t.seq));
    private final AtomicLong sequence = new AtomicLong();
    private final ReentrantLock runLock = new ReentrantLock();
    private final Thread driver;
    private volatile boolean closed;

    public Scheduler(EmulatorClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.driver = new Thread(this::drive, "smlocal-scheduler");
        this.driver.setDaemon(true);
        this.driver.start();
    }

    public EmulatorClock clock() {
        return clock;
    }

    public Cancellable schedule(String name, Duration delay, Runnable task) {
        if (delay.isNegative()) delay = Duration.ZERO;
        return scheduleAt(name, clock.now().plus(delay), task);
    }

    public Cancellable scheduleAt(String name, Instant dueAt, Runnable task) {
        Task t = new Task(this, Objects.requireNonNull(name, "name"), Objects.requireNonNull(dueAt, "dueAt"),
                sequence.incrementAndGet(), Objects.requireNonNull(task, "task"));
        synchronized (queue) {
            queue.add(t);
            queue.notifyAll();
        }
        return t;
    }

    /** Runs every task due at the current instant (without moving time); returns how many ran. */
    public int runDue() {
        return runUntil(clock.now(), false);
    }

    /**
     * Moves a manual clock forward by {@code amount}, running every task that falls due, in order.
     * Returns how many tasks ran.
     */
    public int advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("cannot advance by a negative duration: " + amount);
        }
        return setTime(clock.now().plus(amount));
    }

    /** Moves a manual clock forward to {@code target}, running every task that falls due. */
    public int setTime(Instant target) {
        if (clock.mode() != EmulatorClock.Mode.MANUAL) {
            throw new IllegalStateException("the clock is in system mode; switch it to manual before moving it");
        }
        if (target.isBefore(clock.now())) {
            throw new IllegalArgumentException("time cannot go backwards: now " + clock.now() + ", asked " + target);
        }
        return runUntil(target, true);
    }

    /**
     * Advances a manual clock task by task until nothing is pending or {@code limit} has passed;
     * returns how many tasks ran. Periodic work (rotation schedules) keeps rescheduling itself, so
     * the limit bounds the run.
     */
    public int advanceUntilIdle(Duration limit) {
        Instant end = clock.now().plus(limit);
        int ran = 0;
        while (true) {
            Instant next;
            synchronized (queue) {
                Task head = queue.peek();
                next = head == null ? null : head.dueAt;
            }
            if (next == null || next.isAfter(end)) break;
            ran += setTime(next.isBefore(clock.now()) ? clock.now() : next);
        }
        return ran;
    }

    private int runUntil(Instant target, boolean moveClock) {
        int ran = 0;
        runLock.lock();
        try {
            while (true) {
                Task next;
                synchronized (queue) {
                    next = queue.peek();
                    if (next == null || next.dueAt.isAfter(target)) break;
                    queue.poll();
                }
                if (next.cancelled) continue;
                if (moveClock && next.dueAt.isAfter(clock.now())) {
                    clock.moveTo(next.dueAt);
                }
                runOne(next);
                ran++;
            }
            if (moveClock && target.isAfter(clock.now())) {
                clock.moveTo(target);
            }
        } finally {
            runLock.unlock();
        }
        return ran;
    }

    private void runOne(Task t) {
        try {
            t.body.run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "scheduled task failed: " + t.name + ": " + e);
        }
    }

    /** Switches the clock's mode; tasks that fell due meanwhile run in system mode by the driver. */
    public void switchMode(EmulatorClock.Mode mode) {
        clock.switchTo(mode);
        synchronized (queue) {
            queue.notifyAll();
        }
    }

    /** Pending tasks in the order they will run. */
    public List<PendingTask> pending() {
        List<Task> copy;
        synchronized (queue) {
            copy = new ArrayList<>(queue);
        }
        copy.sort(queue.comparator());
        List<PendingTask> out = new ArrayList<>(copy.size());
        for (Task t : copy) out.add(new PendingTask(t.name, t.dueAt));
        return out;
    }

    /**
     * Puts the clock where a state document recorded it (mode and manual time, earlier instants
     * included). Refused while tasks are pending: it is meant for a state just reset, before its
     * timed work is planned again.
     */
    public void restoreClock(EmulatorClock.Mode mode, Instant now) {
        runLock.lock();
        try {
            synchronized (queue) {
                if (!queue.isEmpty()) throw new IllegalStateException("tasks are pending; reset before restoring the clock");
                clock.restore(mode, now);
                queue.notifyAll();
            }
        } finally {
            runLock.unlock();
        }
    }

    /** Drops every pending task and rewinds a manual clock to its start (the emulator reset). */
    public void reset() {
        runLock.lock();
        try {
            synchronized (queue) {
                for (Task t : queue) t.cancelled = true;
                queue.clear();
            }
            clock.rewindToStart();
        } finally {
            runLock.unlock();
        }
    }

    private void drive() {
        while (!closed) {
            try {
                long waitMillis;
                synchronized (queue) {
                    Task head = queue.peek();
                    if (clock.mode() != EmulatorClock.Mode.SYSTEM || head == null) {
                        waitMillis = 0; // until notified
                    } else {
                        waitMillis = Duration.between(clock.now(), head.dueAt).toMillis();
                        if (waitMillis <= 0) waitMillis = -1;
                    }
                    if (waitMillis >= 0) {
                        queue.wait(waitMillis == 0 ? 1000 : Math.min(waitMillis, 1000));
                        continue;
                    }
                }
                if (clock.mode() == EmulatorClock.Mode.SYSTEM) {
                    runUntil(clock.now(), false);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "scheduler driver: " + e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        driver.interrupt();
    }
}
