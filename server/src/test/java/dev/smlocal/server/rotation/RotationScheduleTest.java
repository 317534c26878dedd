package dev.smlocal.server.rotation;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import dev.smlocal.server.secrets.RotationRules;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Windows and NextRotationDate of each schedule kind, from Thursday 2026-01-15T10:00:00Z. */
class RotationScheduleTest {
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    private static RotationSchedule.Window next(String expression, String duration) {
        return RotationSchedule.of(new RotationRules(null, duration, expression)).nextAfter(NOW, NOW);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "-", value = {
            // expression,            duration, window start,           NextRotationDate
            "rate(10 days),           -,   2026-01-25T00:00:00Z, 2026-01-25T23:59:59Z",
            "rate(1 day),             3h,  2026-01-16T00:00:00Z, 2026-01-16T02:59:59Z",
            "rate(4 hours),           -,   2026-01-15T12:00:00Z, 2026-01-15T12:59:59Z",
            "rate(7 hours),           -,   2026-01-15T14:00:00Z, 2026-01-15T14:59:59Z",
            "rate(10 hours),          -,   2026-01-15T20:00:00Z, 2026-01-15T20:59:59Z",
            "rate(13 hours),          -,   2026-01-15T13:00:00Z, 2026-01-15T13:59:59Z",
            "cron(0 10 * * ? *),      -,   2026-01-16T10:00:00Z, 2026-01-16T23:59:59Z",
            "cron(0 4/12 * * ? *),    -,   2026-01-15T16:00:00Z, 2026-01-15T16:59:59Z",
            "cron(0 8 ? * MON-FRI *), 2h,  2026-01-16T08:00:00Z, 2026-01-16T09:59:59Z",
            "cron(0 0 ? * SUN#1 *),   -,   2026-02-01T00:00:00Z, 2026-02-01T23:59:59Z",
            "cron(0 1 ? * 6L *),      -,   2026-01-30T01:00:00Z, 2026-01-30T23:59:59Z",
            "cron(0 17 L * ? *),      -,   2026-01-31T17:00:00Z, 2026-01-31T23:59:59Z",
            "cron(0 1 1 1/3 ? *),     -,   2026-04-01T01:00:00Z, 2026-04-01T23:59:59Z",
            "cron(0 12 ? JUN SAT *),  -,   2026-06-06T12:00:00Z, 2026-06-06T23:59:59Z",
            "cron(0 18 ? * L *),      -,   2026-01-17T18:00:00Z, 2026-01-17T23:59:59Z",
    })
    void windowsOpenWhereAwsDocumentsThem(String expression, String duration, String start, String nextRotationDate) {
        RotationSchedule.Window w = next(expression, duration);

        assertEquals(Instant.parse(start), w.start());
        assertEquals(Instant.parse(nextRotationDate), w.nextRotationDate());
    }

    @Test
    void daySchedulesCountFromTheLastRotationAndStepOverMissedWindows() {
        RotationSchedule days = RotationSchedule.of(new RotationRules(30L, null, null));

        assertTrue(days.countsFromLastRotation());
        assertEquals(Instant.parse("2026-02-14T23:59:59Z"), days.nextAfter(NOW, NOW).nextRotationDate());
        assertEquals(Instant.parse("2026-02-13T00:00:00Z"),
                days.nextAfter(Instant.parse("2025-11-15T22:00:00Z"), NOW).start(), "Nov 15 + 90 days");
        assertFalse(RotationSchedule.of(new RotationRules(null, null, "rate(4 hours)")).countsFromLastRotation());
    }

    @Test
    void noRulesIsNoSchedule() {
        assertNull(RotationSchedule.of(null));
        assertNull(RotationSchedule.of(new RotationRules(null, null, null)));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "0,    -,                     -",
            "1001, -,                     -",
            "-,    -,                     2h",
            "-,    cron(0 10 31 2 ? *),   -",
            "-,    cron(0 10 * * ? * *),  -",
            "-,    cron(0 10 5-1 * ? *),  -",
            "-,    cron(0 10 ? * MON#6 *), -",
            "-,    cron(0 10 ? FOO * *),  -",
            "-,    rate(4 hours),         0h",
            "-,    rate(4 hours),         25h",
            "-,    rate(1 day),           1d",
            "-,    cron(0 4/12 * * ? *),  13h",
    })
    void invalidRulesAreInvalidParameters(Long days, String expression, String duration) {
        AwsException e = assertThrows(AwsException.class,
                () -> RotationSchedule.of(new RotationRules(days, duration, expression)));

        assertEquals(ErrorType.INVALID_PARAMETER, e.type());
    }
}
