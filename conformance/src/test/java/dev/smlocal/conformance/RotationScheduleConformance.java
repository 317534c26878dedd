package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.RotationFunctionServer.Function;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * Automatic rotation on a schedule (AWS-BEHAVIOUR §8.1, §8.2): {@code AutomaticallyAfterDays},
 * {@code rate()} and {@code cron()} set NextRotationDate and the secret rotates once the clock passes
 * it; a failed scheduled rotation is tried again later; a manual new value counts as a rotation;
 * CancelRotateSecret stops the schedule. Days pass only on an emulator's clock, and a function must
 * run, so every check is {@code @EmulatorOnly}. NextRotationDate is compared by order (before / after),
 * not to the second: AWS documents windows, not exact instants.
 */
class RotationScheduleConformance extends RotationCheck {
    static final String CLOCK = "clock: days pass; needs a rotation function (HTTP, via the admin API)";

    private String secret() {
        String n = name("s");
        createSecret(n, "v1");
        return n;
    }

    private void configure(String n, Function f, java.util.function.Consumer<
            software.amazon.awssdk.services.secretsmanager.model.RotationRulesType.Builder> rules) {
        String arn = sm().describeSecret(b -> b.secretId(n)).arn();
        sm().rotateSecret(b -> b.secretId(n).rotationLambdaARN(f.arn(target.region(), account(arn)))
                .rotationRules(rules).rotateImmediately(false));
        runDue();
    }

    private Instant next(String n) {
        return sm().describeSecret(b -> b.secretId(n)).nextRotationDate();
    }

    /** Advances the clock to just after {@code t}, in one step. */
    private void advancePast(Instant t) {
        Duration d = Duration.between(target.now(), t).plusSeconds(1);
        if (!d.isNegative()) powers().advance(d);
    }

    @Test
    @EmulatorOnly(CLOCK)
    void automaticallyAfterDaysRotatesOnceTheNextRotationDateHasPassed() {
        manualClock();
        Function f = function();
        String n = secret();
        String first = holder(n, "AWSCURRENT");
        configure(n, f, r -> r.automaticallyAfterDays(7L));
        Instant next = next(n);
        assertTrue(next.isAfter(target.now().plus(Duration.ofDays(6))), "about a week ahead: " + next);

        powers().advance(Duration.ofDays(5));
        assertEquals(first, holder(n, "AWSCURRENT"), "not before the window");
        advancePast(next);

        assertEquals(STEPS, f.steps().subList(1, f.steps().size()), "after the configuration's testSecret: " + f.steps());
        assertNotEquals(first, holder(n, "AWSCURRENT"));
        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId(n));
        assertNotNull(d.lastRotatedDate());
        assertTrue(d.nextRotationDate().isAfter(next), "the next window moved on: " + d.nextRotationDate());
    }

    @Test
    @EmulatorOnly(CLOCK)
    void aRateInHoursRotatesRepeatedly() {
        manualClock();
        Function f = function();
        String n = secret();
        configure(n, f, r -> r.scheduleExpression("rate(4 hours)"));
        assertTrue(next(n).isBefore(target.now().plus(Duration.ofHours(5))), "within about four hours: " + next(n));

        powers().advance(Duration.ofHours(12));

        long rotations = f.steps().stream().filter("finishSecret"::equals).count();
        assertTrue(rotations >= 2 && rotations <= 3, "every four hours over twelve hours, was " + rotations);
    }

    @Test
    @EmulatorOnly(CLOCK)
    void aCronScheduleRotatesWhenItsWindowOpens() {
        manualClock();
        Function f = function();
        String n = secret();
        configure(n, f, r -> r.scheduleExpression("cron(0 18 ? * SAT *)").duration("2h"));
        Instant next = next(n);
        assertNotNull(next);
        assertTrue(next.isBefore(target.now().plus(Duration.ofDays(8))), "within a week: " + next);
        assertNull(sm().describeSecret(b -> b.secretId(n)).lastRotatedDate());

        advancePast(next);

        assertEquals(1, f.steps().stream().filter("finishSecret"::equals).count(), f.steps().toString());
        assertNotNull(sm().describeSecret(b -> b.secretId(n)).lastRotatedDate());
    }

    @Test
    @EmulatorOnly(CLOCK)
    void aManualValueCountsAsARotationForTheSchedule() {
        manualClock();
        Function f = function();
        String n = secret();
        configure(n, f, r -> r.automaticallyAfterDays(10L));
        Instant before = next(n);
        powers().advance(Duration.ofDays(3));

        String manual = sm().putSecretValue(b -> b.secretId(n).secretString("by-hand")).versionId();

        Instant after = next(n);
        assertTrue(after.isAfter(before), "the window moved with the manual value: " + before + " -> " + after);
        advancePast(before);
        assertEquals(manual, holder(n, "AWSCURRENT"), "the old window no longer rotates");
        advancePast(after);
        assertNotEquals(manual, holder(n, "AWSCURRENT"));
    }

    @Test
    @EmulatorOnly(CLOCK)
    void aFailedScheduledRotationIsTriedAgainLater() {
        manualClock();
        Function f = function();
        String n = secret();
        configure(n, f, r -> r.automaticallyAfterDays(1L));
        f.failAt("testSecret");
        advancePast(next(n));
        String pending = holder(n, "AWSPENDING");
        assertNotNull(pending, "the failed rotation left its pending version");

        f.failAt(null);
        powers().advance(Duration.ofDays(1));


        assertEquals(pending, holder(n, "AWSCURRENT"), "a retry at a later window finished the same version");
    }

    @Test
    @EmulatorOnly(CLOCK)
    void cancellingStopsTheSchedule() {
        manualClock();
        Function f = function();
        String n = secret();
        configure(n, f, r -> r.automaticallyAfterDays(1L));
        String current = holder(n, "AWSCURRENT");

        sm().cancelRotateSecret(b -> b.secretId(n));
        powers().advance(Duration.ofDays(5));

        assertEquals(current, holder(n, "AWSCURRENT"));
        assertEquals(List.of("testSecret"), f.steps(), "only the configuration's test ran");
    }
}
