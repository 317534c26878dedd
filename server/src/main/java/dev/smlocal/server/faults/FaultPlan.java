package dev.smlocal.server.faults;

import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.faults.FaultRule.CallFault;
import dev.smlocal.server.faults.FaultRule.Outage;
import dev.smlocal.server.faults.FaultRule.ReplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The active faults. Decides <em>that</em> a call or a replication attempt fails and <em>how</em>:
 * it returns the typed rule ({@link CallFault} for calls, {@link ReplicationFailure} for
 * deliveries), which the HTTP dispatcher or the replicator carries out. Probabilities are drawn
 * from the emulator's seeded {@link IdGenerator}, so a seed replays the same faults. Every applied
 * fault is reported to the {@link #onApplied} listener (the event log).
 *
 * <p><b>A fault ends the same way however it ends</b>: removed, cleared, healed (outages of a
 * region) or its {@code count} used up, the plan forgets it and then tells every
 * {@link #onEnded} listener which rules ended and how. The {@link RegionGate} releases the work
 * that waited for an outage, the replicator sends again what a replication failure failed. The
 * listeners run on the thread that ended the rule, after the plan's lock is released.
 * Thread-safe.
 */
public final class FaultPlan {
    /** How a rule ended. */
    public enum Ending {
        /** Removed by id. */
        REMOVED,
        /** Every rule removed at once (also the emulator reset). */
        CLEARED,
        /** A region's outages removed. */
        HEALED,
        /**
         * Its {@code count} ran out, in the draw of the call or delivery it hit last: on the thread
         * answering that call (possibly the HTTP event loop), so listeners only schedule work.
         */
        USED_UP
    }

    /** Told which rules ended and how; never under the plan's lock. */
    @FunctionalInterface
    public interface EndListener {
        void ended(List<FaultRule> rules, Ending how);
    }

    private final IdGenerator random;
    private final LinkedHashMap<String, FaultRule> rules = new LinkedHashMap<>();
    private final Map<String, Integer> remaining = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Consumer<FaultRule> onApplied = r -> { };
    private final List<EndListener> endListeners = new CopyOnWriteArrayList<>();

    public FaultPlan(IdGenerator random) {
        this.random = random;
    }

    public void onApplied(Consumer<FaultRule> listener) {
        this.onApplied = listener == null ? r -> { } : listener;
    }

    /** Adds a listener told of every rule that ends, however it ends. */
    public void onEnded(EndListener listener) {
        endListeners.add(listener);
    }

    /** Adds a rule; returns it with its id (and a derived name if it had none). */
    public synchronized FaultRule add(FaultRule rule) {
        FaultRule r = rule.withId("f" + ids.incrementAndGet());
        rules.put(r.id(), r);
        if (r.count() != null) remaining.put(r.id(), r.count());
        return r;
    }

    /** Removes rule {@code id}; false if there is none (anymore). */
    public boolean remove(String id) {
        FaultRule removed;
        synchronized (this) {
            removed = rules.remove(id);
            remaining.remove(id);
        }
        if (removed == null) return false;
        ended(List.of(removed), Ending.REMOVED);
        return true;
    }

    /** Removes every rule. */
    public void clear() {
        List<FaultRule> all;
        synchronized (this) {
            all = new ArrayList<>(rules.values());
            rules.clear();
            remaining.clear();
        }
        ended(all, Ending.CLEARED);
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
        List<FaultRule> healed = new ArrayList<>();
        synchronized (this) {
            for (FaultRule r : new ArrayList<>(rules.values())) {
                if (r instanceof Outage && region.equals(r.region())) {
                    rules.remove(r.id());
                    remaining.remove(r.id());
                    healed.add(r);
                }
            }
        }
        if (!healed.isEmpty()) ended(healed, Ending.HEALED);
        return healed.size();
    }

    /** Whether an outage covers {@code region} now (a state, not a draw: no count is used). */
    public synchronized boolean regionDown(String region) {
        for (FaultRule r : rules.values()) {
            if (r instanceof Outage o && region.equals(o.region()) && o.regionWide()) return true;
        }
        return false;
    }

    /** The fault that answers this call instead of the operation, if any; consumes one of its count. */
    public Optional<CallFault> forCall(String region, String operation, String account) {
        return draw(CallFault.class, r -> r.scope().matchesCall(region, operation, account));
    }

    /** The fault that fails this replication attempt, if any; consumes one of its count. */
    public Optional<ReplicationFailure> forReplication(String from, String to) {
        return draw(ReplicationFailure.class, r -> r.scope().matchesRoute(from, to));
    }

    /**
     * The first matching rule of the kind whose probability draw hits; consumes one of its count,
     * reports it, and ends it if that was the last.
     */
    private <T extends FaultRule> Optional<T> draw(Class<T> kind, Predicate<T> matches) {
        T hit = null;
        boolean usedUp = false;
        synchronized (this) {
            for (FaultRule r : rules.values()) {
                if (!kind.isInstance(r)) continue;
                T candidate = kind.cast(r);
                if (!matches.test(candidate) || !random.chance(r.probability())) continue;
                usedUp = consume(r);
                hit = candidate;
                break;
            }
        }
        if (hit != null) onApplied.accept(hit);
        if (usedUp) ended(List.of(hit), Ending.USED_UP);
        return Optional.ofNullable(hit);
    }

    /** Uses one of the rule's count; true if that was its last (the rule is gone). */
    private boolean consume(FaultRule r) {
        Integer left = remaining.get(r.id());
        if (left == null) return false;
        if (left <= 1) {
            rules.remove(r.id());
            remaining.remove(r.id());
            return true;
        }
        remaining.put(r.id(), left - 1);
        return false;
    }

    private void ended(List<FaultRule> gone, Ending how) {
        for (EndListener l : endListeners) l.ended(gone, how);
    }
}
