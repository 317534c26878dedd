package dev.smlocal.server.secrets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The secrets of one (account, region). Every read and change happens under this store's lock,
 * taken through {@link #locked}; no code holds two stores' locks at once.
 */
public final class RegionalStore {
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

    public <T> T locked(Supplier<T> body) {
        lock.lock();
        StoreObserver observer = this.observer;
        boolean records = observer != null && lock.getHoldCount() == 1 && observer.recording();
        if (records) touched = new HashSet<>();
        try {
            return body.get();
        } finally {
            try {
                if (records) {
                    HashSet<String> names = touched;
                    touched = null;
                    if (!names.isEmpty()) observer.touched(this, names); // still under the lock: a consistent state
                }
            } finally {
                lock.unlock();
            }
        }
    }

    public void lockedRun(Runnable body) {
        locked(() -> {
            body.run();
            return null;
        });
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
