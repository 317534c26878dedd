package dev.smlocal.server.secrets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Every (account, region) store, created on first use. */
public final class Stores {
    private record Key(String account, String region) {}

    private final ConcurrentHashMap<Key, RegionalStore> stores = new ConcurrentHashMap<>();
    private volatile StoreObserver observer;

    /** Persistence: every store, existing or created from now on, reports its changes to {@code o}. */
    public void observe(StoreObserver o) {
        observer = o;
        for (RegionalStore s : stores.values()) s.observe(o);
    }

    public RegionalStore get(String account, String region) {
        return stores.computeIfAbsent(new Key(account, region), k -> new RegionalStore(k.account(), k.region(), observer));
    }

    /** Existing stores, sorted by account then region. */
    public List<RegionalStore> all() {
        List<RegionalStore> out = new ArrayList<>(stores.values());
        out.sort(Comparator.comparing(RegionalStore::account).thenComparing(RegionalStore::region));
        return out;
    }

    public void reset() {
        for (RegionalStore s : stores.values()) s.lockedRun(s::clear);
        stores.clear();
    }
}
