package dev.smlocal.server.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest {@value #CAPACITY} events, oldest first. Thread-safe. Every event gets a sequence
 * number (0, 1, 2... since the last {@link #clear}), so a reader that polls can ask for what came
 * after the last one it saw ({@link #since}).
 */
public final class EventLog {
    public static final int CAPACITY = 10_000;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    /** Sequence number of the next event added. */
    private long next;

    /** Events from sequence {@code from} on (or from the oldest kept), and the sequence to ask for next. */
    public record Tail(long next, long first, List<Event> events) {}

    public synchronized void add(Event e) {
        if (events.size() == CAPACITY) events.removeFirst();
        events.addLast(e);
        next++;
    }

    public synchronized List<Event> all() {
        return new ArrayList<>(events);
    }

    /**
     * At most {@code limit} events with a sequence number of at least {@code from}, oldest first;
     * a {@code from} older than the oldest kept event starts at the oldest. A {@code from} beyond the
     * newest (the log was cleared since) answers nothing, with {@code next} telling where to resume.
     */
    public synchronized Tail since(long from, int limit) {
        long oldest = next - events.size();
        long start = Math.max(from, oldest);
        if (start >= next) return new Tail(next, oldest, List.of());
        List<Event> out = new ArrayList<>();
        long seq = oldest;
        for (Event e : events) {
            if (seq >= start) {
                if (out.size() == limit) break;
                out.add(e);
            }
            seq++;
        }
        return new Tail(start + out.size(), oldest, out);
    }

    /** The sequence number the next event will get (the count of events since the last {@link #clear}). */
    public synchronized long nextSequence() {
        return next;
    }

    public synchronized void clear() {
        events.clear();
        next = 0;
    }
}
