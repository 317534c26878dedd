package dev.smlocal.server.time;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@link Scheduler} semantics of its Javadoc and style.md §3.5, one test per rule. */
class SchedulerTest {
    private static final Instant START = Instant.parse("2026-01-15T10:00:00Z");

    private final List<Scheduler> schedulers = new ArrayList<>();
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    private Scheduler manual() {
        Scheduler s = new Scheduler(EmulatorClock.manual(START));
        schedulers.add(s);
        return s;
    }

    @AfterEach
    void close() {
        schedulers.forEach(Scheduler::close);
    }

    private Runnable log(String name) {
        return () -> ran.add(name);
    }

    private static Instant at(Duration d) {
        return START.plus(d);
    }

    // ---- 1. never inside schedule --------------------------------------------------------------

    @Test
    void aTaskNeverRunsInsideSchedule() {
        Scheduler s = manual();

        s.schedule("now", Duration.ZERO, log("now"));
        s.schedule("overdue", Duration.ofSeconds(-5), log("overdue"));
        s.scheduleAt("in the past", START.minusSeconds(60), log("in the past"));

        assertEquals(List.of(), ran);
        assertEquals(3, s.pending().size());
        assertEquals(3, s.runDue());
        assertEquals(List.of("in the past", "now", "overdue"), ran, "past due first, then FIFO at the same instant");
        assertEquals(START, s.clock().now(), "runDue does not move time");
    }

    @Test
    void runDueRunsOnlyWhatIsDueOnTheCallersThread() {
        Scheduler s = manual();
        AtomicReference<Thread> thread = new AtomicReference<>();
        s.schedule("due", Duration.ZERO, () -> thread.set(Thread.currentThread()));
        s.schedule("later", Duration.ofMillis(1), log("later"));

        assertEquals(1, s.runDue());

        assertSame(Thread.currentThread(), thread.get());
        assertEquals(List.of(), ran);
        assertEquals(List.of("later"), s.pending().stream().map(Scheduler.PendingTask::name).toList());
    }

    // ---- 2. order --------------------------------------------------------------------------------

    @Test
    void tasksRunInDueOrderAndTiesRunInSchedulingOrder() {
        Scheduler s = manual();
        s.schedule("c", Duration.ofSeconds(3), log("c"));
        s.schedule("a1", Duration.ofSeconds(1), log("a1"));
        s.schedule("b", Duration.ofSeconds(2), log("b"));
        s.scheduleAt("a2", at(Duration.ofSeconds(1)), log("a2"));
        s.schedule("a3", Duration.ofSeconds(1), log("a3"));

        int count = s.advance(Duration.ofSeconds(10));

        assertEquals(5, count);
        assertEquals(List.of("a1", "a2", "a3", "b", "c"), ran);
    }

    // ---- 3. steps --------------------------------------------------------------------------------

    @Test
    void advanceMovesInStepsSoEachTaskSeesItsDueTime() {
        Scheduler s = manual();
        List<Instant> seen = new ArrayList<>();
        for (int i = 1; i <= 3; i++) s.schedule("t" + i, Duration.ofMinutes(i), () -> seen.add(s.clock().now()));

        s.advance(Duration.ofHours(1));

        assertEquals(List.of(at(Duration.ofMinutes(1)), at(Duration.ofMinutes(2)), at(Duration.ofMinutes(3))), seen);
        assertEquals(at(Duration.ofHours(1)), s.clock().now(), "ends at the target");
    }

    @Test
    void aTaskDueExactlyAtTheTargetRunsAndOneAMillisecondLaterDoesNot() {
        Scheduler s = manual();
        s.schedule("edge", Duration.ofSeconds(10), log("edge"));
        s.schedule("after", Duration.ofSeconds(10).plusMillis(1), log("after"));

        s.advance(Duration.ofSeconds(10));

        assertEquals(List.of("edge"), ran);
        assertEquals(List.of("after"), s.pending().stream().map(Scheduler.PendingTask::name).toList());
    }

    @Test
    void tasksScheduledByTasksRunInTheSameAdvanceWhenDue() {
        Scheduler s = manual();
        s.schedule("parent", Duration.ofSeconds(1), () -> {
            ran.add("parent@" + s.clock().now());
            s.schedule("child", Duration.ofSeconds(2), () -> ran.add("child@" + s.clock().now()));
            s.schedule("same-instant", Duration.ZERO, () -> ran.add("same-instant@" + s.clock().now()));
            s.schedule("too-late", Duration.ofSeconds(10), log("too-late"));
        });
        s.schedule("sibling", Duration.ofSeconds(1), () -> ran.add("sibling@" + s.clock().now()));

        int count = s.advance(Duration.ofSeconds(5));

        assertEquals(List.of("parent@" + at(Duration.ofSeconds(1)), "sibling@" + at(Duration.ofSeconds(1)),
                "same-instant@" + at(Duration.ofSeconds(1)), "child@" + at(Duration.ofSeconds(3))), ran);
        assertEquals(4, count);
        assertEquals(List.of(new Scheduler.PendingTask("too-late", at(Duration.ofSeconds(11)))), s.pending());
    }

    // ---- 4. cancel -------------------------------------------------------------------------------

    @Test
    void cancelRemovesAPendingTaskOnlyOnce() {
        Scheduler s = manual();
        Cancellable a = s.schedule("a", Duration.ofSeconds(1), log("a"));
        Cancellable b = s.schedule("b", Duration.ofSeconds(1), log("b"));

        assertTrue(a.cancel());
        assertFalse(a.cancel(), "already cancelled");
        s.advance(Duration.ofSeconds(1));

        assertEquals(List.of("b"), ran);
        assertFalse(b.cancel(), "already ran");
        assertEquals(List.of(), s.pending());
    }

    @Test
    void aTaskCanCancelALaterTaskOfTheSameAdvance() {
        Scheduler s = manual();
        Cancellable later = s.schedule("later", Duration.ofSeconds(2), log("later"));
        s.schedule("canceller", Duration.ofSeconds(1), () -> ran.add("cancelled:" + later.cancel()));

        assertEquals(1, s.advance(Duration.ofSeconds(5)));

        assertEquals(List.of("cancelled:true"), ran);
    }

    // ---- 5. pending and advanceUntilIdle ---------------------------------------------------------

    @Test
    void pendingIsASnapshotInRunOrder() {
        Scheduler s = manual();
        s.schedule("second", Duration.ofMinutes(2), log("second"));
        s.schedule("first", Duration.ofMinutes(1), log("first"));
        s.schedule("tie", Duration.ofMinutes(2), log("tie"));

        List<Scheduler.PendingTask> snapshot = s.pending();
        s.advance(Duration.ofMinutes(1));

        assertEquals(List.of(new Scheduler.PendingTask("first", at(Duration.ofMinutes(1))),
                new Scheduler.PendingTask("second", at(Duration.ofMinutes(2))),
                new Scheduler.PendingTask("tie", at(Duration.ofMinutes(2)))), snapshot);
        assertEquals(3, snapshot.size(), "the snapshot does not follow the scheduler");
        assertEquals(2, s.pending().size());
        assertEquals("first due " + at(Duration.ofMinutes(1)), snapshot.get(0).toString());
    }

    @Test
    void advanceUntilIdleRunsEverythingThatFallsDue() {
        Scheduler s = manual();
        s.schedule("a", Duration.ofDays(3), log("a"));
        s.schedule("b", Duration.ofDays(1), () -> {
            ran.add("b");
            s.schedule("c", Duration.ofDays(1), log("c"));
        });

        int count = s.advanceUntilIdle(Duration.ofDays(30));

        assertEquals(3, count);
        assertEquals(List.of("b", "c", "a"), ran);
        assertEquals(List.of(), s.pending());
        assertEquals(at(Duration.ofDays(3)), s.clock().now(), "stops at the last task");
        assertEquals(0, s.advanceUntilIdle(Duration.ofDays(30)), "idle: nothing runs, time stays");
        assertEquals(at(Duration.ofDays(3)), s.clock().now());
    }

    @Test
    void advanceUntilIdleIsBoundedByItsLimitWithASelfReschedulingTask() {
        Scheduler s = manual();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ran.add("tick@" + s.clock().now());
            s.schedule("tick", Duration.ofHours(1), tick[0]);
        };
        s.schedule("tick", Duration.ofHours(1), tick[0]);

        int count = s.advanceUntilIdle(Duration.ofHours(10));

        assertEquals(10, count);
        assertEquals("tick@" + at(Duration.ofHours(10)), ran.get(ran.size() - 1));
        assertEquals(at(Duration.ofHours(10)), s.clock().now());
        assertEquals(List.of(new Scheduler.PendingTask("tick", at(Duration.ofHours(11)))), s.pending());
    }

    // ---- time never goes backwards ---------------------------------------------------------------

    @Test
    void manualClockRefusesToGoBackwards() {
        Scheduler s = manual();
        s.advance(Duration.ofHours(1));

        IllegalArgumentException back = assertThrows(IllegalArgumentException.class, () -> s.setTime(START));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> s.advance(Duration.ofSeconds(-1)));

        assertEquals("time cannot go backwards: now " + at(Duration.ofHours(1)) + ", asked " + START, back.getMessage());
        assertEquals("cannot advance by a negative duration: PT-1S", negative.getMessage());
        assertEquals(at(Duration.ofHours(1)), s.clock().now());
        assertEquals(0, s.setTime(at(Duration.ofHours(1))), "standing still is allowed");
    }

    @Test
    void manualTimeIsTruncatedToMilliseconds() {
        Scheduler s = manual();

        s.advance(Duration.ofNanos(1_500_000));

        assertEquals(START.plusMillis(1), s.clock().now());
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() {
        Scheduler s = manual();
        s.schedule("boom", Duration.ofSeconds(1), () -> {
            throw new IllegalStateException("boom");
        });
        s.schedule("after", Duration.ofSeconds(1), log("after"));

        assertEquals(2, s.advance(Duration.ofSeconds(1)));

        assertEquals(List.of("after"), ran);
    }

    // ---- system mode -----------------------------------------------------------------------------

    @Test
    void systemModeRunsDueTasksOnItsOwnThread() throws InterruptedException {
        Scheduler s = new Scheduler(EmulatorClock.system());
        schedulers.add(s);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Thread> thread = new AtomicReference<>();

        s.schedule("soon", Duration.ofMillis(5), () -> {
            thread.set(Thread.currentThread());
            done.countDown();
        });

        assertTrue(done.await(30, TimeUnit.SECONDS), "task did not run: " + s.pending());
        assertNotSame(Thread.currentThread(), thread.get());
        assertEquals("smlocal-scheduler", thread.get().getName());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.advance(Duration.ofSeconds(1)));
        assertEquals("the clock is in system mode; switch it to manual before moving it", e.getMessage());
    }

    @Test
    void systemModeKeepsTheSameOrderAsManualMode() throws InterruptedException {
        Scheduler s = new Scheduler(EmulatorClock.manualFromNow());
        schedulers.add(s);
        CountDownLatch done = new CountDownLatch(4);
        Instant now = s.clock().now();
        for (String[] t : new String[][] {{"c1", "3"}, {"b", "2"}, {"a", "1"}, {"c2", "3"}}) {
            s.scheduleAt(t[0], now.plusMillis(Long.parseLong(t[1])), () -> {
                ran.add(t[0]);
                done.countDown();
            });
        }

        s.switchMode(EmulatorClock.Mode.SYSTEM);

        assertTrue(done.await(30, TimeUnit.SECONDS), "tasks did not run: " + s.pending());
        assertEquals(List.of("a", "b", "c1", "c2"), ran);
    }

    // ---- reset -----------------------------------------------------------------------------------

    @Test
    void resetDropsTasksAndRewindsTheManualClock() {
        Scheduler s = manual();
        s.advance(Duration.ofHours(2));
        Cancellable task = s.schedule("dropped", Duration.ofHours(1), log("dropped"));

        s.reset();

        assertEquals(START, s.clock().now());
        assertEquals(List.of(), s.pending());
        assertFalse(task.cancel(), "a dropped task is no longer pending");
        s.advance(Duration.ofDays(1));
        assertEquals(List.of(), ran);
        s.schedule("after reset", Duration.ofSeconds(1), log("after reset"));
        s.advance(Duration.ofSeconds(1));
        assertEquals(List.of("after reset"), ran, "the scheduler keeps working after a reset");
    }
}
