package dev.smlocal.server.faults;

import dev.smlocal.server.aws.IdGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The active faults. Decides <em>that</em> a call or a replication attempt fails and <em>how</em>,
 * as a {@link FaultRule}; the HTTP layer and the replicator perform it. Probabilities are drawn
 * from the emulator's seeded {@link IdGenerator}, so a seed replays the same faults. Every applied
 * fault is reported to the listener (the event log). Thread-safe.
 */
public final class FaultPlan {
    private final IdGenerator random;
    private final LinkedHashMap<String, FaultRule> rules = new LinkedHashMap<>();
    private final Map<String, Integer> remaining = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Consumer<FaultRule> onApplied = r -> { };
    private final List<Runnable> healListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public FaultPlan(IdGenerator random) {
        this.random = random;
    }

    public void onApplied(Consumer<FaultRule> listener) {
        this.onApplied = listener == null ? r -> { } : listener;
    }

    /** Called whenever a rule goes away (outages healing: replication waiting on them resumes). */
    public void onChange(Runnable listener) {
        healListeners.add(listener);
    }

    public synchronized FaultRule add(FaultRule rule) {
        FaultRule r = rule.withId("f" + ids.incrementAndGet());
        rules.put(r.id(), r);
        if (r.count() != null) remaining.put(r.id(), r.count());
        return r;
    }

    public boolean remove(String id) {
        boolean removed;
        synchronized (this) {
            removed = rules.remove(id) != null;
            remaining.remove(id);
        }
        if (removed) healListeners.forEach(Runnable::run);
        return removed;
    }

    public void clear() {
        synchronized (this) {
            rules.clear();
            remaining.clear();
        }
        healListeners.forEach(Runnable::run);
    }

    /**
     * Puts back a rule exported from a state document, keeping its id ({@code f<n>}; later rules are
     * numbered after it) and {@code remainingCount} uses (null: until removed).
     */
    public synchronized FaultRule restore(FaultRule rule, Integer remainingCount) {
        FaultRule r = rule.id() == null ? rule.withId("f" + ids.incrementAndGet()) : rule;
        if (r.id().matches("f\\d{1,18}")) {
            long n = Long.parseLong(r.id().substring(1));
            ids.accumulateAndGet(n, Math::max);
        }
        rules.put(r.id(), r);
        if (remainingCount != null) remaining.put(r.id(), remainingCount);
        return r;
    }

    /** How many more times rule {@code id} applies; null when it applies until removed (or is gone). */
    public synchronized Integer remaining(String id) {
        return remaining.get(id);
    }

    /** Whether rule {@code id} is still in force (not removed, count not used up). */
    public synchronized boolean isActive(String id) {
        return rules.containsKey(id);
    }

    public synchronized List<FaultRule> list() {
        return new ArrayList<>(rules.values());
    }

    /** Removes every outage rule of {@code region}; returns how many. */
    public int heal(String region) {
        int n = 0;
        synchronized (this) {
            for (FaultRule r : new ArrayList<>(rules.values())) {
                if (r.action().equals("outage") && region.equals(r.region())) {
                    rules.remove(r.id());
                    remaining.remove(r.id());
                    n++;
                }
            }
        }
        if (n > 0) healListeners.forEach(Runnable::run);
        return n;
    }

    /** Whether an outage covers {@code region} now (a state, not a draw: no count is used). */
    public synchronized boolean regionDown(String region) {
        for (FaultRule r : rules.values()) {
            if (r.action().equals("outage") && region.equals(r.region()) && r.operation() == null) return true;
        }
        return false;
    }

    /** The fault that answers this call instead of the operation, if any; consumes one of its count. */
    public Optional<FaultRule> forCall(String region, String operation, String account) {
        return draw(r -> !r.action().equals("fail-replication") && r.matchesCall(region, operation, account));
    }

    /** The fault that fails this replication attempt, if any; consumes one of its count. */
    public Optional<FaultRule> forReplication(String from, String to) {
        return draw(r -> r.action().equals("fail-replication") && r.matchesRoute(from, to));
    }

    /** The first matching rule whose probability draw hits; consumes one of its count and reports it. */
    private Optional<FaultRule> draw(java.util.function.Predicate<FaultRule> matches) {
        FaultRule hit = null;
        synchronized (this) {
            for (FaultRule r : rules.values()) {
                if (!matches.test(r) || !random.chance(r.probability())) continue;
                consume(r);
                hit = r;
                break;
            }
        }
        if (hit != null) onApplied.accept(hit);
        return Optional.ofNullable(hit);
    }

    private void consume(FaultRule r) {
        Integer left = remaining.get(r.id());
        if (left == null) return;
        if (left <= 1) {
            rules.remove(r.id());
            remaining.remove(r.id());
        } else {
            remaining.put(r.id(), left - 1);
        }
    }
}
