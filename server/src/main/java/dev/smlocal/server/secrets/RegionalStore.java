package dev.smlocal.server.secrets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The secrets of one (account, region). Every read and change happens under this store's lock,
 * taken through {@link #locked}.
 *
 * <p><b>Two rules, enforced here.</b> A thread holds at most one store's lock at a time: taking a
 * second store's lock while holding one throws {@link IllegalStateException} (the same store again
 * is fine). Work that reaches another store, or that may block, is not done under the lock: the
 * code inside queues it with {@link #afterUnlock}, and it runs on the same thread, in order, as
 * soon as the outermost {@code locked} call has released the lock. Code that must never run under
 * a lock (rotation functions, running due scheduler tasks) calls {@link #requireNoLockHeld}.
 */
public final class RegionalStore {
    /** Per thread: the store whose lock it holds, how deep, and the follow-ups queued meanwhile. */
    private static final class Held {
        final RegionalStore store;
        int depth;
        final List<Runnable> followUps = new ArrayList<>();

        Held(RegionalStore store) {
            this.store = store;
        }
    }

    private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

    private final String account;
    private final String region;
    private final ReentrantLock lock = new ReentrantLock();
    /** By name, including secrets scheduled for deletion, in creation order. */
    private final LinkedHashMap<String, Secret> byName = new LinkedHashMap<>();
    /** Persistence's observer; null in memory. */
    private volatile StoreObserver observer;
    /** Names the current outermost section touched, while it records; null otherwise. */
    private HashSet<String> touched;

    RegionalStore(String account, String region) {
        this(account, region, null);
    }

    RegionalStore(String account, String region, StoreObserver observer) {
        this.account = account;
        this.region = region;
        this.observer = observer;
    }

    void observe(StoreObserver o) { observer = o; }

    public String account() { return account; }
    public String region() { return region; }

    /**
     * Runs {@code body} under this store's lock, then (lock released) the follow-ups it queued.
     * Throws IllegalStateException when the thread already holds another store's lock. A follow-up
     * runs even when {@code body} throws (what the body changed before it threw stays changed);
     * the body's exception wins over a follow-up's.
     */
    public <T> T locked(Supplier<T> body) {
        Held held = HELD.get();
        if (held != null) {
            if (held.store != this) {
                throw new IllegalStateException("already holding the lock of " + held.store + " while taking the lock of "
                        + this + ": one store lock at a time (queue the work with afterUnlock)");
            }
            held.depth++;
            try {
                return body.get();
            } finally {
                held.depth--;
            }
        }
        held = new Held(this);
        T result;
        lock.lock();
        HELD.set(held);
        held.depth = 1;
        StoreObserver observer = this.observer;
        boolean records = observer != null && observer.recording();
        if (records) touched = new HashSet<>();
        try {
            result = body.get();
        } catch (RuntimeException | Error e) {
            try {
                if (records) reportTouched(observer);
            } finally {
                release();
            }
            try {
                runFollowUps(held);
            } catch (RuntimeException | Error later) {
                e.addSuppressed(later);
            }
            throw e;
        }
        try {
            if (records) reportTouched(observer);
        } finally {
            release();
        }
        runFollowUps(held);
        return result;
    }

    /** Hands the secrets this hold touched to persistence's observer, still under the lock: a consistent state. */
    private void reportTouched(StoreObserver observer) {
        HashSet<String> names = touched;
        touched = null;
        if (!names.isEmpty()) observer.touched(this, names);
    }

    public void lockedRun(Runnable body) {
        locked(() -> {
            body.run();
            return null;
        });
    }

    private void release() {
        HELD.remove();
        lock.unlock();
    }

    /** Runs every follow-up, in the order queued, then throws the first failure. */
    private static void runFollowUps(Held held) {
        RuntimeException firstRuntime = null;
        Error firstError = null;
        for (int i = 0; i < held.followUps.size(); i++) {
            try {
                held.followUps.get(i).run();
            } catch (RuntimeException e) {
                if (firstRuntime == null) firstRuntime = e;
            } catch (Error e) {
                if (firstError == null) firstError = e;
            }
        }
        if (firstError != null) throw firstError;
        if (firstRuntime != null) throw firstRuntime;
    }

    /**
     * Queues {@code work} to run on this thread once the lock of this store is released: the place
     * for cross-region follow-ups (another store's lock) and anything that may block or call out.
     * Only callable under this store's lock.
     */
    public void afterUnlock(Runnable work) {
        Held held = HELD.get();
        if (held == null || held.store != this) {
            throw new IllegalStateException("afterUnlock outside the lock of " + this);
        }
        held.followUps.add(work);
    }

    /** Whether the current thread holds this store's lock. */
    public boolean isHeldByCurrentThread() {
        Held held = HELD.get();
        return held != null && held.store == this;
    }

    /** The store whose lock the current thread holds, or null. */
    public static RegionalStore heldByCurrentThread() {
        Held held = HELD.get();
        return held == null ? null : held.store;
    }

    /**
     * Throws IllegalStateException when the current thread holds a store lock: for work that may
     * block or run arbitrary code ({@code activity} names it in the message).
     */
    public static void requireNoLockHeld(String activity) {
        Held held = HELD.get();
        if (held != null) {
            throw new IllegalStateException(activity + " while holding the lock of " + held.store
                    + ": never block under a store lock (queue it with afterUnlock)");
        }
    }

    @Override
    public String toString() {
        return "store " + account + "/" + region;
    }

    // callers hold the lock for everything below

    Secret byName(String name) {
        Secret s = byName.get(name);
        if (touched != null && s != null) touched.add(name);
        return s;
    }

    /** The secret {@code name} for persistence's observer and restore (lock held); records nothing. */
    public Secret current(String name) { return byName.get(name); }

    void put(Secret s) {
        if (touched != null) touched.add(s.name());
        byName.put(s.name(), s);
    }

    Secret remove(String name) {
        if (touched != null) touched.add(name);
        Secret s = byName.remove(name);
        if (s != null) s.cancelPurge();
        return s;
    }

    List<Secret> all() { return new ArrayList<>(byName.values()); }

    int size() { return byName.size(); }

    void clear() {
        for (Secret s : byName.values()) s.cancelPurge();
        byName.clear();
    }
}
