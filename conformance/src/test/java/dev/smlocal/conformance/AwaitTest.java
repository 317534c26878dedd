package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.smlocal.conformance.support.Await;
import dev.smlocal.conformance.support.EmulatorPowers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The waiting behind {@code awaitReplication}: against an emulator the clock is advanced step by
 * step until the effect shows, against AWS real time is polled, both bounded.
 */
class AwaitTest {

    /** A hand-written fake: a clock that only {@link #advance} moves. */
    static final class FakePowers implements EmulatorPowers {
        Instant now = Instant.parse("2026-01-15T10:00:00Z");

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public void advance(Duration amount) {
            now = now.plus(amount);
        }

        @Override
        public String addFault(Map<String, String> rule) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeFault(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void replicationRoutes(java.util.List<Route> routes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void registerFunction(String name, java.net.URI url) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeFunction(String name) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void emulatorClockIsAdvancedUntilTheEffectShows() {
        FakePowers fake = new FakePowers();
        Instant due = fake.now.plusSeconds(2);

        Await.until(Optional.of(fake), "replica in sync", () -> !fake.now.isBefore(due), Duration.ofMillis(250),
                Duration.ofSeconds(1));

        assertEquals(due, fake.now, "advanced in lag-sized steps, no further than needed");
    }

    @Test
    void emulatorWaitIsBounded() {
        FakePowers fake = new FakePowers();
        Instant start = fake.now;

        assertThrows(AssertionError.class, () -> Await.until(Optional.of(fake), "never", () -> false,
                Duration.ofSeconds(30), Duration.ofSeconds(1)));

        assertEquals(Duration.ofMinutes(10), Duration.between(start, fake.now));
    }

    @Test
    void withoutPowersRealTimeIsPolled() {
        AtomicInteger asked = new AtomicInteger();

        Await.until(Optional.empty(), "third time lucky", () -> asked.incrementAndGet() >= 3, Duration.ofMillis(250),
                Duration.ofSeconds(10));

        assertEquals(3, asked.get());
    }

    @Test
    void pollingIsBounded() {
        assertThrows(AssertionError.class, () -> Await.poll("never", () -> false, Duration.ofMillis(300)));
    }
}
