package dev.smlocal.server.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The newest {@value #CAPACITY} events, oldest first. Thread-safe. */
public final class EventLog {
    public static final int CAPACITY = 10_000;
    private final ArrayDeque<Event> events = new ArrayDeque<>();

    public synchronized void add(Event e) {
        if (events.size() == CAPACITY) events.removeFirst();
        events.addLast(e);
    }

    public synchronized List<Event> all() {
        return new ArrayList<>(events);
    }

    public synchronized void clear() {
        events.clear();
    }
}
