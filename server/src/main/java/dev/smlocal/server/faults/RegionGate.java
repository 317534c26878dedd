package dev.smlocal.server.faults;

import dev.smlocal.server.faults.FaultRule.Outage;
import dev.smlocal.server.time.EmulatorClock;
import dev.smlocal.server.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where work waits for a region under outage: a replication delivery into or out of it, a rotation
 * of a secret in it. Work that finds one of its regions down {@linkplain #waitIfDown waits here}
 * and, when the outages end (however they end: removed, cleared, healed, count used up; see
 * {@link FaultPlan.Ending}), goes back on the {@link Scheduler} due at once, in the order it came,
 * where it checks again. Work whose regions are still down keeps waiting.
 *
 * <p>Who runs the released work: when an outage is removed, cleared or healed (the control API or
 * the testkit), with a manual clock it runs before that call returns, as if the clock had been
 * moved by zero; when an outage's count runs out it is ended by the API call it answered last
 * (on the HTTP event loop, where nothing may block), so the work runs on the scheduler's thread
 * (system clock) or at the next clock move (manual clock). Thread-safe; checking and waiting are
 * one step, so an outage that ends meanwhile cannot strand work.
 */
public final class RegionGate {
    /** One piece of waiting work: whose it is (for listings and resets), its task name, its regions. */
    private record Waiting(Object owner, String name, List<String> regions, Runnable retry) {}

    private final FaultPlan faults;
    private final Scheduler scheduler;
    private final List<Waiting> waiting = new ArrayList<>();

    public RegionGate(FaultPlan faults, Scheduler scheduler) {
        this.faults = faults;
        this.scheduler = scheduler;
        faults.onEnded(this::ended);
    }

    /** Whether any of {@code regions} is under outage now. */
    public boolean anyDown(String... regions) {
        for (String r : regions) if (faults.regionDown(r)) return true;
        return false;
    }

    /**
     * If any of {@code regions} is under outage, {@code retry} waits here (scheduled as task
     * {@code name} once they are all up) and this returns true; otherwise false and the caller goes on.
     */
    public synchronized boolean waitIfDown(Object owner, String name, Runnable retry, String... regions) {
        if (!anyDown(regions)) return false;
        waiting.add(new Waiting(owner, name, List.of(regions), retry));
        return true;
    }

    /** Names of {@code owner}'s waiting work, in order (diagnostics). */
    public synchronized List<String> waiting(Object owner) {
        List<String> out = new ArrayList<>();
        for (Waiting w : waiting) if (w.owner() == owner) out.add(w.name());
        return out;
    }

    /** Drops {@code owner}'s waiting work (its reset). */
    public synchronized void forget(Object owner) {
        waiting.removeIf(w -> w.owner() == owner);
    }

    private void ended(List<FaultRule> rules, FaultPlan.Ending how) {
        boolean outageEnded = false;
        for (FaultRule r : rules) outageEnded |= r instanceof Outage;
        if (!outageEnded) return;
        List<Waiting> ready = new ArrayList<>();
        synchronized (this) {
            for (Waiting w : new ArrayList<>(waiting)) {
                if (!anyDown(w.regions().toArray(new String[0]))) {
                    waiting.remove(w);
                    ready.add(w);
                }
            }
        }
        for (Waiting w : ready) scheduler.schedule(w.name(), Duration.ZERO, w.retry());
        if (!ready.isEmpty() && how != FaultPlan.Ending.USED_UP
                && scheduler.clock().mode() == EmulatorClock.Mode.MANUAL) {
            scheduler.runDue();
        }
    }
}
