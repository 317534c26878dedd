package dev.smlocal.server.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The newest events, oldest first, bounded twice: at most {@value #CAPACITY} events and at most
 * {@value #MAX_BYTES} bytes of estimated heap ({@link #estimatedBytes}); the oldest go first. One
 * event larger than the byte bound alone is still kept (it is the newest), and goes with the next.
 * Callers keep single values short ({@link #MAX_VALUE_CHARS}), so that case does not arise from
 * requests. Thread-safe.
 *
 * <p>Every event gets a sequence number (0, 1, 2... since the last {@link #clear}), so a reader
 * that polls can ask for what came after the last one it saw ({@link #since}).
 */
public final class EventLog {
    public static final int CAPACITY = 10_000;
    /** 16 MiB: ten thousand ordinary events take about 10 MiB. */
    public static final long MAX_BYTES = 16L * 1024 * 1024;
    /** Longest string value an event keeps from a request; longer ones are cut (see {@link #clip}). */
    public static final int MAX_VALUE_CHARS = 1024;

    /** Most request members an event keeps (a modeled input has fewer; a made-up one may have thousands). */
    public static final int MAX_MEMBERS = 64;

    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final ArrayDeque<Long> sizes = new ArrayDeque<>();
    private final int capacity;
    private final long maxBytes;
    private long bytes;

    public EventLog() {
        this(CAPACITY, MAX_BYTES);
    }

    public EventLog(int capacity, long maxBytes) {
        if (capacity < 1 || maxBytes < 1) throw new IllegalArgumentException("event log bounds must be positive");
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** Sequence number of the next event added. */
    private long next;

    /** Events from sequence {@code from} on (or from the oldest kept), and the sequence to ask for next. */
    public record Tail(long next, long first, List<Event> events) {}

    public synchronized void add(Event e) {
        long size = estimatedBytes(e);
        events.addLast(e);
        sizes.addLast(size);
        bytes += size;
        while (events.size() > 1 && (events.size() > capacity || bytes > maxBytes)) {
            events.removeFirst();
            bytes -= sizes.removeFirst();
        }
        next++;
    }

    public synchronized List<Event> all() {
        return new ArrayList<>(events);
    }

    public synchronized int size() {
        return events.size();
    }

    /** The estimated heap the kept events hold. */
    public synchronized long bytes() {
        return bytes;
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
        sizes.clear();
        bytes = 0;
    }

    /**
     * An upper-side estimate of the heap one event holds: object headers and references plus two
     * bytes per character of every string (compact strings use one; the estimate errs high).
     */
    public static long estimatedBytes(Event e) {
        long n = 96 + 24; // the record and its Instant
        n += chars(e.eventSource()) + chars(e.eventName()) + chars(e.awsRegion()) + chars(e.recipientAccountId())
                + chars(e.requestId()) + chars(e.errorCode()) + chars(e.errorMessage());
        Map<String, Object> p = e.requestParameters();
        if (p != null) {
            n += 64;
            for (Map.Entry<String, Object> m : p.entrySet()) {
                n += 48 + chars(m.getKey()) + (m.getValue() instanceof String s ? chars(s) : 24);
            }
        }
        return n;
    }

    private static long chars(String s) {
        return s == null ? 0 : 40 + 2L * s.length();
    }

    /** {@code s} itself when short, else its first {@link #MAX_VALUE_CHARS} characters and a note of the length. */
    public static String clip(String s) {
        if (s == null || s.length() <= MAX_VALUE_CHARS) return s;
        return s.substring(0, MAX_VALUE_CHARS) + "...(" + s.length() + " characters)";
    }
}
