package dev.smlocal.server.secrets;

import java.util.ArrayList;
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

    RegionalStore(String account, String region) {
        this.account = account;
        this.region = region;
    }

    public String account() { return account; }
    public String region() { return region; }

    public <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    public void lockedRun(Runnable body) {
        locked(() -> {
            body.run();
            return null;
        });
    }

    // callers hold the lock for everything below

    Secret byName(String name) { return byName.get(name); }

    void put(Secret s) { byName.put(s.name(), s); }

    Secret remove(String name) {
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
