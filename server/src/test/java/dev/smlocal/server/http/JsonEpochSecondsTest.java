package dev.smlocal.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Timestamps on the wire: epoch seconds with three decimals, as AWS writes them. */
class JsonEpochSecondsTest {
    @Property(tries = 500)
    void sameDigitsAsBigDecimal(@ForAll @LongRange(min = -100_000_000_000_000L, max = 100_000_000_000_000L) long millis) {
        assertEquals(BigDecimal.valueOf(millis, 3).toString(), Json.epochSeconds(millis));
    }

    @Test
    void edgesAndAnInstantOnTheWire() throws Exception {
        assertEquals("0.000", Json.epochSeconds(0));
        assertEquals(BigDecimal.valueOf(Long.MIN_VALUE, 3).toString(), Json.epochSeconds(Long.MIN_VALUE));
        assertEquals(BigDecimal.valueOf(Long.MAX_VALUE, 3).toString(), Json.epochSeconds(Long.MAX_VALUE));
        assertEquals("0.005", Json.epochSeconds(5));
        assertEquals("-0.005", Json.epochSeconds(-5));
        assertEquals("-1.500", Json.epochSeconds(-1500));
        assertEquals("1523477145.729", Json.epochSeconds(1523477145729L));
        assertEquals("{\"T\":1523477145.720}",
                Json.MAPPER.writeValueAsString(java.util.Map.of("T", Instant.ofEpochMilli(1523477145720L))));
    }
}
