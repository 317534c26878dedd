package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store lock rules: one store lock at a time, follow-ups after the lock, no blocking under it. */
class RegionalStoreTest {
    private final Stores stores = new Stores();
    private final RegionalStore east = stores.get("111111111111", "us-east-1");
    private final RegionalStore west = stores.get("111111111111", "us-west-2");

    @Test
    void takingASecondStoresLockFailsLoudlyAndLeavesNoLockBehind() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> east.lockedRun(() -> west.lockedRun(() -> { })));

        assertTrue(e.getMessage().contains("already holding the lock of store 111111111111/us-east-1"), e.getMessage());
        assertNull(RegionalStore.heldByCurrentThread());
        assertThrows(IllegalStateException.class, () -> west.lockedRun(() -> east.lockedRun(() -> { })));
    }

    @Test
    void aTrippedGuardReleasesTheOuterLock() throws InterruptedException {
        assertThrows(IllegalStateException.class, () -> east.lockedRun(() -> west.lockedRun(() -> { })));
        List<String> seen = new ArrayList<>();

        Thread other = new Thread(() -> east.lockedRun(() -> seen.add("taken by another thread")));
        other.start();
        other.join(10_000); // bounded: a lock left held would make this time out

        assertEquals(List.of("taken by another thread"), seen);
    }

    @Test
    void theSameStoreMayBeTakenAgain() {
        String out = east.locked(() -> east.locked(() -> "inner") + "+outer");

        assertEquals("inner+outer", out);
        assertNull(RegionalStore.heldByCurrentThread());
    }

    @Test
    void followUpsRunInOrderAfterTheLockIsReleasedAndMayTakeAnotherStore() {
        List<String> seen = new ArrayList<>();

        String result = east.locked(() -> {
            east.afterUnlock(() -> seen.add("first, east held: " + east.isHeldByCurrentThread()));
            east.afterUnlock(() -> west.lockedRun(() -> seen.add("second, under " + RegionalStore.heldByCurrentThread())));
            seen.add("body");
            return "done";
        });

        assertEquals("done", result);
        assertEquals(List.of("body", "first, east held: false", "second, under store 111111111111/us-west-2"), seen);
    }

    @Test
    void followUpsQueuedInANestedHoldWaitForTheOutermostRelease() {
        List<String> seen = new ArrayList<>();

        east.lockedRun(() -> {
            east.lockedRun(() -> east.afterUnlock(() -> seen.add("follow-up, held: " + east.isHeldByCurrentThread())));
            seen.add("outer body after the nested hold");
        });

        assertEquals(List.of("outer body after the nested hold", "follow-up, held: false"), seen);
    }

    @Test
    void followUpsRunWhenTheBodyThrowsAndTheBodysExceptionWins() {
        List<String> seen = new ArrayList<>();
        IllegalArgumentException boom = new IllegalArgumentException("body failed");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> east.lockedRun(() -> {
            east.afterUnlock(() -> seen.add("ran"));
            east.afterUnlock(() -> {
                throw new IllegalStateException("follow-up failed");
            });
            throw boom;
        }));

        assertSame(boom, e);
        assertEquals(List.of("ran"), seen);
        assertEquals("follow-up failed", e.getSuppressed()[0].getMessage());
    }

    @Test
    void aFailingFollowUpDoesNotStopTheOthersAndIsThrownAfterThem() {
        List<String> seen = new ArrayList<>();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> east.lockedRun(() -> {
            east.afterUnlock(() -> {
                throw new IllegalStateException("first follow-up failed");
            });
            east.afterUnlock(() -> seen.add("second ran"));
        }));

        assertEquals("first follow-up failed", e.getMessage());
        assertEquals(List.of("second ran"), seen);
        assertFalse(east.isHeldByCurrentThread());
    }

    @Test
    void afterUnlockOutsideTheLockIsRefused() {
        assertThrows(IllegalStateException.class, () -> east.afterUnlock(() -> { }));
        assertThrows(IllegalStateException.class, () -> west.lockedRun(() -> east.afterUnlock(() -> { })));
    }

    @Test
    void blockingWorkUnderALockFailsLoudly() {
        RegionalStore.requireNoLockHeld("calling a rotation function"); // no lock: fine

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> east.lockedRun(() -> RegionalStore.requireNoLockHeld("calling a rotation function")));

        assertTrue(e.getMessage().startsWith("calling a rotation function while holding the lock of store "
                + "111111111111/us-east-1"), e.getMessage());
    }
}
