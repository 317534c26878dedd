package dev.smlocal.server.rotation;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.secrets.RotationRules;
import dev.smlocal.server.secrets.SecretsApi.*;
import dev.smlocal.server.secrets.SecretsService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.*;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random sequences of rotations (immediate, test-only and scheduled, failing at random steps
 * through an in-process function with injected failures), manual writes, stage moves, dropped
 * AWSPENDING labels, cancellations and clock advances. After every action: exactly one
 * AWSCURRENT, at most one AWSPENDING, AWSCURRENT where the last completed change put it, and
 * AWSPREVIOUS on the version that was current before it: for a completed rotation, the version
 * current when its finishSecret ran. A completed rotation leaves its version with AWSCURRENT
 * only (AWS removes AWSPENDING at the end), and a plain put takes AWSPENDING off the version that
 * loses AWSCURRENT (docs/AWS-BEHAVIOUR.md).
 */
class RotationStagesPropertyTest {
    private static final String NAME = "prop/db";
    private static final String FUNCTION = "prop-rotator";
    private static final String LAMBDA = "arn:aws:lambda:us-east-1:000000000000:function:" + FUNCTION;
    private static final RequestContext CTX = new RequestContext("000000000000", "us-east-1", "prop");

    private Emulator emulator;

    @BeforeProperty
    void start() {
        emulator = Emulator.create(EmulatorConfig.defaults().withPort(0).withQuiet(true)
                .withClock("manual", Instant.parse("2026-03-01T09:00:00Z")).withRegions(List.of("us-east-1")));
    }

    @AfterProperty
    void stop() {
        emulator.close();
    }

    sealed interface Action permits Rotate, Advance, Put, MoveCurrent, DropPending, Cancel {}
    /** RotateSecret (then the clock moves by zero, running due work); {@code failAt} null = no failure. */
    record Rotate(String failAt, String schedule, boolean immediately) implements Action {}
    record Advance(String failAt, int hours) implements Action {}
    record Put(boolean pendingOnly) implements Action {}
    record MoveCurrent(int versionIndex) implements Action {}
    record DropPending() implements Action {}
    record Cancel() implements Action {}

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<String> failAt = Arbitraries.of(null, null, null, RotationEvent.CREATE_SECRET,
                RotationEvent.SET_SECRET, RotationEvent.TEST_SECRET, RotationEvent.FINISH_SECRET).injectNull(0.0);
        Arbitrary<String> schedule = Arbitraries.of(null, "rate(4 hours)", "days:1", "cron(0 6 * * ? *)");
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(failAt, schedule, Arbitraries.of(true, true, true, false))
                        .as(Rotate::new)),
                Tuple.of(4, Combinators.combine(failAt, Arbitraries.integers().between(0, 30)).as(Advance::new)),
                Tuple.of(2, Arbitraries.of(true, false).map(Put::new)),
                Tuple.of(2, Arbitraries.integers().between(0, 50).map(MoveCurrent::new)),
                Tuple.of(1, Arbitraries.just(new DropPending())),
                Tuple.of(1, Arbitraries.just(new Cancel())));
        return action.list().ofMinSize(3).ofMaxSize(30);
    }

    /** What the function saw at a finishSecret that went through: the version current before it. */
    record Completion(String token, String previousCurrent) {}

    @Property(tries = 80)
    void stagesStayConsistentThroughRotations(@ForAll("actions") List<Action> actions) {
        emulator.reset();
        SecretsService sm = emulator.secrets();
        List<Completion> completions = Collections.synchronizedList(new ArrayList<>());
        String[] failAt = new String[1];
        RotationFunction password = emulator.rotationFunctions().builtIn(RotationFunctions.PASSWORD);
        emulator.rotationFunctions().register(FUNCTION, event -> {
            if (event.step().equals(failAt[0])) throw new IllegalStateException("injected at " + event.step());
            String before = event.step().equals(RotationEvent.FINISH_SECRET) ? holder(sm, "AWSCURRENT") : null;
            password.handle(event);
            if (before != null && !before.equals(event.clientRequestToken())) {
                completions.add(new Completion(event.clientRequestToken(), before));
            }
        });
        String first = sm.createSecret(CTX, new CreateSecretRequest(NAME, UUID.randomUUID().toString(), null, null,
                null, "{\"username\":\"app\",\"password\":\"p0\"}", null, null, null, null)).versionId();
        String expectedCurrent = first;
        String expectedPrevious = null;

        for (Action a : actions) {
            int seen = completions.size();
            String manualCurrent = null;
            try {
                if (a instanceof Rotate r) {
                    failAt[0] = r.failAt();
                    try {
                        emulator.rotator().rotateSecret(CTX, new RotateSecretRequest(NAME, UUID.randomUUID().toString(),
                                LAMBDA, rules(r.schedule()), null, null, r.immediately()));
                    } finally {
                        emulator.scheduler().advance(Duration.ZERO); // a refusal schedules the re-attempt
                    }
                } else if (a instanceof Advance adv) {
                    failAt[0] = adv.failAt();
                    emulator.scheduler().advance(Duration.ofHours(adv.hours()));
                } else if (a instanceof Put p) {
                    PutSecretValueResponse put = sm.putSecretValue(CTX, new PutSecretValueRequest(NAME,
                            UUID.randomUUID().toString(), null, "{\"password\":\"manual\"}",
                            p.pendingOnly() ? List.of("AWSPENDING") : null, null));
                    if (!p.pendingOnly()) manualCurrent = put.versionId();
                } else if (a instanceof MoveCurrent m) {
                    List<String> valued = valuedVersions(sm);
                    String target = valued.get(m.versionIndex() % valued.size());
                    String holder = holder(sm, "AWSCURRENT");
                    sm.updateSecretVersionStage(CTX, new UpdateSecretVersionStageRequest(NAME, "AWSCURRENT", holder, target));
                    if (!target.equals(holder)) manualCurrent = target;
                } else if (a instanceof DropPending) {
                    String pending = holder(sm, "AWSPENDING");
                    if (pending != null) {
                        sm.updateSecretVersionStage(CTX, new UpdateSecretVersionStageRequest(NAME, "AWSPENDING", pending, null));
                    }
                } else if (a instanceof Cancel) {
                    emulator.rotator().cancelRotateSecret(CTX, new SecretIdRequest(NAME));
                }
            } catch (AwsException expected) {
                // refusals (a rotation still pending, nothing to cancel) are part of the game
            }
            if (manualCurrent != null) {
                expectedPrevious = expectedCurrent;
                expectedCurrent = manualCurrent;
            }
            for (Completion c : completions.subList(seen, completions.size())) {
                assertEquals(expectedCurrent, c.previousCurrent(), "a rotation replaced the version the model had as current");
                expectedPrevious = c.previousCurrent();
                expectedCurrent = c.token();
            }

            Map<String, List<String>> stages = sm.describeSecret(CTX, new SecretIdRequest(NAME)).versionIdsToStages();
            assertEquals(1, count(stages, "AWSCURRENT"), "exactly one AWSCURRENT after " + a + ": " + stages);
            assertTrue(count(stages, "AWSPENDING") <= 1, "at most one AWSPENDING after " + a + ": " + stages);
            assertTrue(count(stages, "AWSPREVIOUS") <= 1, "at most one AWSPREVIOUS after " + a + ": " + stages);
            assertEquals(expectedCurrent, holder(sm, "AWSCURRENT"), "AWSCURRENT after " + a);
            if (expectedPrevious != null) {
                assertEquals(expectedPrevious, holder(sm, "AWSPREVIOUS"), "AWSPREVIOUS after " + a + ": " + stages);
            }
            if (completions.size() > seen) {
                String done = completions.get(completions.size() - 1).token();
                if (done.equals(expectedCurrent)) {
                    assertEquals(List.of("AWSCURRENT"), stages.get(done), "a completed rotation leaves AWSCURRENT only, after " + a);
                }
            }
            if (a instanceof Put p && !p.pendingOnly() && expectedPrevious != null) {
                assertFalse(stages.getOrDefault(expectedPrevious, List.of()).contains("AWSPENDING"),
                        "a plain put takes AWSPENDING off the old AWSCURRENT: " + stages);
            }
            assertNotNull(sm.getSecretValue(CTX, new GetSecretValueRequest(NAME, null, null)).secretString());
        }
    }

    private static RotationRules rules(String schedule) {
        if (schedule == null) return null;
        if (schedule.startsWith("days:")) return new RotationRules(Long.parseLong(schedule.substring(5)), null, null);
        return new RotationRules(null, null, schedule);
    }

    private static long count(Map<String, List<String>> stages, String label) {
        return stages.values().stream().filter(l -> l.contains(label)).count();
    }

    private static String holder(SecretsService sm, String stage) {
        return sm.describeSecret(CTX, new SecretIdRequest(NAME)).versionIdsToStages().entrySet().stream()
                .filter(e -> e.getValue().contains(stage)).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private static List<String> valuedVersions(SecretsService sm) {
        List<String> out = new ArrayList<>();
        for (SecretVersionsListEntry v : sm.listSecretVersionIds(CTX,
                new ListSecretVersionIdsRequest(NAME, null, null, true)).versions()) {
            try {
                sm.getSecretValue(CTX, new GetSecretValueRequest(NAME, v.versionId(), null));
                out.add(v.versionId());
            } catch (AwsException placeholder) {
                // a rotation placeholder without value
            }
        }
        return out;
    }
}
