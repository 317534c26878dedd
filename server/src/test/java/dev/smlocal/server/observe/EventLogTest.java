package dev.smlocal.server.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private static Event event(String id, String description) {
        return new Event(Instant.EPOCH, "secretsmanager.amazonaws.com", "CreateSecret", "us-east-1", "000000000000",
                id, Map.of("Description", description), null, null);
    }

    @Test
    void bytesBoundDropsTheOldestEvenBelowTheCountBound() {
        long one = EventLog.estimatedBytes(event("r0", "d".repeat(10_000)));
        EventLog log = new EventLog(1_000, one * 5 + one / 2);
        for (int i = 0; i < 50; i++) log.add(event("r" + i, "d".repeat(10_000)));

        List<Event> kept = log.all();
        assertEquals(5, kept.size(), "five events fit the byte bound");
        assertEquals("r45", kept.get(0).requestId(), "the oldest went first");
        assertEquals("r49", kept.get(4).requestId());
        assertTrue(log.bytes() <= one * 5 + one / 2);
    }

    @Test
    void countBoundStillHoldsForSmallEvents() {
        EventLog log = new EventLog(3, Long.MAX_VALUE);
        for (int i = 0; i < 10; i++) log.add(event("r" + i, "d"));
        assertEquals(List.of("r7", "r8", "r9"), log.all().stream().map(Event::requestId).toList());
    }

    @Test
    void anEventLargerThanTheBoundIsKeptAloneUntilTheNext() {
        EventLog log = new EventLog(10, 100);
        log.add(event("big", "d".repeat(1_000)));
        assertEquals(1, log.size());
        log.add(event("next", "d"));
        assertEquals(List.of("next"), log.all().stream().map(Event::requestId).toList());
        log.clear();
        assertEquals(0, log.bytes());
    }

    @Test
    void clipKeepsShortValuesAndCutsLongOnes() {
        assertEquals("short", EventLog.clip("short"));
        String cut = EventLog.clip("x".repeat(900_000));
        assertTrue(cut.length() < EventLog.MAX_VALUE_CHARS + 40, cut.length() + " chars");
        assertTrue(cut.endsWith("...(900000 characters)"), cut.substring(EventLog.MAX_VALUE_CHARS));
    }
}
