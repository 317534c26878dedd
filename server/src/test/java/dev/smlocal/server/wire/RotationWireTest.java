package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.rotation.RotationEvent;
import dev.smlocal.server.rotation.RotationFunction;
import dev.smlocal.server.rotation.RotationFunctions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.*;

/**
 * Rotation through the SDK under the manual clock (start 2026-01-15T10:00:00Z, a Thursday): the
 * four steps, their failures and retries, cancellation, AWS's refusals, schedules, replicas.
 */
class RotationWireTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LAG = Duration.ofMillis(250);
    private static final String DB_JSON =
            "{\"engine\":\"postgres\",\"host\":\"db.internal\",\"port\":5432,\"username\":\"app\",\"password\":\"old-pw\"}";

    private static String lambda(String name) {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + name;
    }

    private static final String PASSWORD = lambda(RotationFunctions.PASSWORD);

    private SecretsManagerClient east() { return sm("us-east-1"); }
    private SecretsManagerClient west() { return sm("eu-west-1"); }

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    private Map<String, List<String>> stages(String secret) {
        return sm().describeSecret(b -> b.secretId(secret)).versionIdsToStages();
    }

    private String holder(String secret, String stage) {
        return stages(secret).entrySet().stream().filter(e -> e.getValue().contains(stage))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private List<Event> events(String name) {
        return emulator.events().all().stream().filter(e -> e.eventName().equals(name)).toList();
    }

    /** An in-process function wrapping smlocal-password that records steps and fails where told. */
    private static final class Scripted implements RotationFunction {
        final List<String> steps = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<String> failAt = new AtomicReference<>();
        final RotationFunction delegate;

        Scripted(RotationFunction delegate) {
            this.delegate = delegate;
        }

        @Override
        public void handle(RotationEvent event) throws Exception {
            steps.add(event.step());
            if (event.step().equals(failAt.get())) throw new IllegalStateException("injected failure in " + event.step());
            delegate.handle(event);
        }
    }

    private Scripted scripted(String name) {
        Scripted s = new Scripted(emulator.rotationFunctions().builtIn(RotationFunctions.PASSWORD));
        emulator.rotationFunctions().register(name, s);
        return s;
    }

    // =============================================================================================
    // the success path
    // =============================================================================================

    @Test
    void smlocalPasswordRotatesAJsonSecretKeepingItsOtherKeys() throws Exception {
        String oldVersion = sm().createSecret(b -> b.name("db").secretString(DB_JSON)).versionId();

        RotateSecretResponse r = sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD)
                .rotationRules(x -> x.automaticallyAfterDays(30L)));

        assertEquals(List.of("AWSPENDING"), stages("db").get(r.versionId()), "the placeholder appears at once");
        assertThrows(ResourceNotFoundException.class,
                () -> sm().getSecretValue(b -> b.secretId("db").versionStage("AWSPENDING")));
        assertEquals(DB_JSON, sm().getSecretValue(b -> b.secretId("db")).secretString(), "nothing ran yet");

        advance(Duration.ZERO);

        GetSecretValueResponse now = sm().getSecretValue(b -> b.secretId("db"));
        JsonNode before = JSON.readTree(DB_JSON);
        JsonNode after = JSON.readTree(now.secretString());
        assertEquals(r.versionId(), now.versionId());
        for (String key : List.of("engine", "host", "port", "username")) assertEquals(before.get(key), after.get(key), key);
        assertNotEquals("old-pw", after.get("password").asText());
        assertEquals(32, after.get("password").asText().length());
        assertEquals(DB_JSON, sm().getSecretValue(b -> b.secretId("db").versionStage("AWSPREVIOUS")).secretString());
        assertEquals(List.of("AWSPREVIOUS"), stages("db").get(oldVersion));
        assertEquals(List.of("AWSCURRENT"), stages("db").get(r.versionId()), "AWSPENDING is removed when the rotation completes");

        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("db"));
        assertTrue(d.rotationEnabled());
        assertEquals(PASSWORD, d.rotationLambdaARN());
        assertEquals(30L, d.rotationRules().automaticallyAfterDays());
        assertEquals(START, d.lastRotatedDate());
        assertEquals(at("2026-02-14T23:59:59Z"), d.nextRotationDate(), "day of the rotation + 30 days, end of day");
        assertEquals(1, events("RotationSucceeded").size());
        assertEquals(d.arn(), events("RotationSucceeded").get(0).requestParameters().get("secretId"));
    }

    @Test
    void aPlainStringSecretIsReplacedByTheNewPassword() {
        sm().createSecret(b -> b.name("token").secretString("s3cret"));

        sm().rotateSecret(b -> b.secretId("token").rotationLambdaARN(PASSWORD));
        advance(Duration.ZERO);

        String value = sm().getSecretValue(b -> b.secretId("token")).secretString();
        assertNotEquals("s3cret", value);
        assertEquals(32, value.length());
        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("token"));
        assertFalse(d.rotationEnabled(), "no schedule: automatic rotation stays off");
        assertNull(d.nextRotationDate());
        assertEquals(START, d.lastRotatedDate());
    }

    @Test
    void alternatingUsersSwitchesBetweenTheUserAndItsClone() throws Exception {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        String fn = lambda(RotationFunctions.ALTERNATING_USERS);

        sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(fn));
        advance(Duration.ZERO);
        JsonNode first = JSON.readTree(sm().getSecretValue(b -> b.secretId("db")).secretString());
        sm().rotateSecret(b -> b.secretId("db"));
        advance(Duration.ZERO);
        JsonNode second = JSON.readTree(sm().getSecretValue(b -> b.secretId("db")).secretString());

        assertEquals("app_clone", first.get("username").asText());
        assertEquals("app", second.get("username").asText());
        assertNotEquals(first.get("password"), second.get("password"));
        assertEquals("db.internal", second.get("host").asText());
    }

    // =============================================================================================
    // failures, retries, cancellation
    // =============================================================================================

    @ParameterizedTest
    @ValueSource(strings = {"createSecret", "setSecret", "testSecret", "finishSecret"})
    void aFailingStepLeavesPendingAndCurrentWhereTheyWere(String step) {
        Scripted fn = scripted("flaky");
        fn.failAt.set(step);
        String oldVersion = sm().createSecret(b -> b.name("db").secretString(DB_JSON)).versionId();

        String token = sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("flaky"))).versionId();
        advance(Duration.ZERO);

        assertEquals(RotationEvent.STEPS.subList(0, RotationEvent.STEPS.indexOf(step) + 1), fn.steps);
        assertEquals(oldVersion, holder("db", "AWSCURRENT"));
        assertEquals(token, holder("db", "AWSPENDING"));
        assertEquals(DB_JSON, sm().getSecretValue(b -> b.secretId("db")).secretString());
        if (step.equals("createSecret")) {
            assertThrows(ResourceNotFoundException.class,
                    () -> sm().getSecretValue(b -> b.secretId("db").versionStage("AWSPENDING")));
        } else {
            assertNotNull(sm().getSecretValue(b -> b.secretId("db").versionStage("AWSPENDING")).secretString());
        }
        assertNull(sm().describeSecret(b -> b.secretId("db")).lastRotatedDate());
        Event failed = events("RotationFailed").get(0);
        assertEquals(step, failed.requestParameters().get("step"));
        assertEquals("RotationFailed", failed.errorCode());
        assertEquals("IllegalStateException: injected failure in " + step, failed.errorMessage());
        assertFalse(failed.errorMessage().contains("old-pw"));
    }

    @Test
    void rotateSecretAfterAFailureIsRefusedAndReattemptsTheSameVersion() {
        Scripted fn = scripted("flaky");
        fn.failAt.set("setSecret");
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        String token = sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("flaky"))).versionId();
        advance(Duration.ZERO);
        String pendingValue = sm().getSecretValue(b -> b.secretId("db").versionStage("AWSPENDING")).secretString();

        fn.failAt.set(null);
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> sm().rotateSecret(b -> b.secretId("db")));
        advance(Duration.ZERO);

        assertEquals("A previous rotation isn't complete. That rotation will be reattempted.",
                refused.awsErrorDetails().errorMessage());
        GetSecretValueResponse current = sm().getSecretValue(b -> b.secretId("db"));
        assertEquals(token, current.versionId(), "the re-attempt finished the same version");
        assertEquals(pendingValue, current.secretString(), "createSecret did not make a second value");
        assertEquals(START, sm().describeSecret(b -> b.secretId("db")).lastRotatedDate());
        assertEquals(1, events("RotationSucceeded").size());
    }

    @Test
    void aFailedScheduledRotationIsRetriedWhenTheNextWindowOpens() {
        Scripted fn = scripted("flaky");
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("flaky"))
                .rotationRules(x -> x.automaticallyAfterDays(1L)));
        advance(Duration.ZERO);
        fn.failAt.set("testSecret");

        advance(Duration.ofDays(1)); // 2026-01-16 00:00: the window opens, the rotation fails
        String pending = holder("db", "AWSPENDING");
        Instant nextAfterFailure = sm().describeSecret(b -> b.secretId("db")).nextRotationDate();
        fn.failAt.set(null);
        advance(Duration.ofDays(1)); // 2026-01-17 00:00: the next window, the same version

        assertEquals(at("2026-01-16T23:59:59Z"), nextAfterFailure, "a failure leaves NextRotationDate as it was");
        assertEquals(pending, holder("db", "AWSCURRENT"));
        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("db"));
        assertEquals(at("2026-01-17T00:00:00Z"), d.lastRotatedDate());
        assertEquals(at("2026-01-18T23:59:59Z"), d.nextRotationDate());
        assertEquals(1, events("RotationFailed").size());
        assertEquals(2, events("RotationSucceeded").size());
    }

    @Test
    void cancelTurnsAutomaticRotationOffAndKeepsTheConfiguration() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD)
                .rotationRules(x -> x.automaticallyAfterDays(7L)));
        advance(Duration.ZERO);
        String current = holder("db", "AWSCURRENT");

        CancelRotateSecretResponse c = sm().cancelRotateSecret(b -> b.secretId("db"));
        advance(Duration.ofDays(30));

        assertNull(c.versionId(), "no rotation was interrupted");
        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("db"));
        assertFalse(d.rotationEnabled());
        assertNull(d.nextRotationDate());
        assertEquals(PASSWORD, d.rotationLambdaARN());
        assertEquals(7L, d.rotationRules().automaticallyAfterDays());
        assertEquals(current, holder("db", "AWSCURRENT"), "no automatic rotation after the cancel");
    }

    @Test
    void cancellingARotationInProgressNamesItsPendingVersion() {
        Scripted fn = scripted("watched");
        String oldVersion = sm().createSecret(b -> b.name("db").secretString(DB_JSON)).versionId();
        String token = sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("watched"))
                .rotationRules(x -> x.automaticallyAfterDays(1L))).versionId();

        CancelRotateSecretResponse c = sm().cancelRotateSecret(b -> b.secretId("db"));
        advance(Duration.ofDays(3));

        assertEquals(token, c.versionId());
        assertEquals(List.of(), fn.steps, "the cancelled rotation never ran");
        assertEquals(oldVersion, holder("db", "AWSCURRENT"));
        assertEquals(token, holder("db", "AWSPENDING"), "labels are left for the caller to clean up");
    }

    @Test
    void cancellingANeverConfiguredRotationIsRefused() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> sm().cancelRotateSecret(b -> b.secretId("db")));

        assertEquals("Rotation isn't configured for this secret.", e.awsErrorDetails().errorMessage());
    }

    // =============================================================================================
    // refusals
    // =============================================================================================

    @Test
    void withoutALambdaArnRotationIsRefused() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> sm().rotateSecret(b -> b.secretId("db")));

        assertEquals("No Lambda rotation function ARN is associated with this secret.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void aFunctionThatCannotBeInvokedIsAccessDeniedAndNothingIsSaved() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        Map<String, List<String>> before = stages("db");

        SecretsManagerException e = assertThrows(SecretsManagerException.class,
                () -> sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("no-such-function"))
                        .rotationRules(x -> x.automaticallyAfterDays(3L))));

        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertEquals("Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy "
                + "grants access to the principal secretsmanager.amazonaws.com.", e.awsErrorDetails().errorMessage());
        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("db"));
        assertNull(d.rotationEnabled());
        assertNull(d.rotationLambdaARN());
        assertNull(d.rotationRules());
        assertNull(d.nextRotationDate());
        assertEquals(before, d.versionIdsToStages());
        assertEquals(List.of(), emulator.scheduler().pending().stream().filter(p -> p.name().startsWith("rotate")).toList());
    }

    @Test
    void aPendingVersionOutsideAWSCURRENTRefusesRotation() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        sm().putSecretValue(b -> b.secretId("db").secretString("half-done").versionStages("AWSPENDING"));

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD)));

        assertEquals("A previous rotation isn't complete. That rotation will be reattempted.",
                e.awsErrorDetails().errorMessage());
        assertNull(sm().describeSecret(b -> b.secretId("db")).rotationLambdaARN(), "nothing saved");
    }

    @Test
    void badScheduleExpressionsAndWindowsAreInvalidParameters() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("rate(2 hours)", new String[] {null,
                "The schedule expression rate(2 hours) is not valid: a rate in hours must be between 4 and 23 hours."});
        cases.put("rate(1000 days)", new String[] {null,
                "The schedule expression rate(1000 days) is not valid: a rate in days must be between 1 and 999 days."});
        cases.put("rate(5 minutes)", new String[] {null, "The schedule expression rate(5 minutes) is not valid: "
                + "use rate(N hours), rate(N days) or cron(0 H DOM MON DOW *)."});
        cases.put("cron(15 10 * * ? *)", new String[] {null,
                "The schedule expression cron(15 10 * * ? *) is not valid: the minutes field must be 0."});
        cases.put("cron(0 10 * * ? 2026)", new String[] {null,
                "The schedule expression cron(0 10 * * ? 2026) is not valid: the year field must be *."});
        cases.put("cron(0 10 * * *)", new String[] {null, "The schedule expression cron(0 10 * * *) is not valid: "
                + "a cron() expression has 6 fields: minutes hours day-of-month month day-of-week year."});
        cases.put("cron(0 10 * * MON *)", new String[] {null, "The schedule expression cron(0 10 * * MON *) is not "
                + "valid: exactly one of the day-of-month and day-of-week fields must be ?."});
        cases.put("cron(0 24 * * ? *)", new String[] {null, "The schedule expression cron(0 24 * * ? *) is not "
                + "valid: the hours field must be within 0-23, was 24."});
        cases.put("cron(0 0/2 * * ? *)", new String[] {null, "The schedule expression cron(0 0/2 * * ? *) is not "
                + "valid: rotation windows must be at least 4 hours apart."});
        cases.put("cron(0 22 * * ? *)", new String[] {"4h",
                "The rotation window duration 4h is not valid: the window opening at 22:00 would extend into the next UTC day."});
        cases.put("rate(6 hours)", new String[] {"7h",
                "The rotation window duration 7h is not valid: it is longer than the 6 hours between rotations."});

        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class,
                    () -> sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD)
                            .rotationRules(x -> x.scheduleExpression(c.getKey()).duration(c.getValue()[0]))),
                    c.getKey());
            assertEquals(c.getValue()[1], e.awsErrorDetails().errorMessage(), c.getKey());
        }
        assertNull(sm().describeSecret(b -> b.secretId("db")).rotationEnabled());
    }

    @Test
    void daysAndAScheduleExpressionTogetherAreRefused() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));

        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD)
                        .rotationRules(x -> x.automaticallyAfterDays(10L).scheduleExpression("rate(10 days)"))));

        assertEquals("You cannot specify both rotation frequency and schedule expression together.",
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void aReplicaCannotBeRotated() {
        east().createSecret(b -> b.name("db").secretString(DB_JSON)
                .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").build()));
        advance(LAG);

        InvalidParameterException rotate = assertThrows(InvalidParameterException.class,
                () -> west().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD)));
        InvalidParameterException cancel = assertThrows(InvalidParameterException.class,
                () -> west().cancelRotateSecret(b -> b.secretId("db")));

        String msg = "Operation not permitted on a replica secret. Call must be made in primary secret's region.";
        assertEquals(msg, rotate.awsErrorDetails().errorMessage());
        assertEquals(msg, cancel.awsErrorDetails().errorMessage());
    }

    @Test
    void aSecretMarkedForDeletionCannotBeRotated() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        sm().deleteSecret(b -> b.secretId("db"));

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD)));

        assertEquals("You can't perform this operation on the secret because it was marked for deletion.",
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void aRawRequestWithoutTokenIsAnInvalidParameter() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));

        Raw r = raw("secretsmanager.RotateSecret", "{\"SecretId\":\"db\",\"RotationLambdaARN\":\"" + PASSWORD + "\"}");

        assertEquals(400, r.status());
        assertTrue(r.body().contains("\"__type\":\"InvalidParameterException\""), r.body());
        assertTrue(r.body().contains("You must provide a ClientRequestToken value. We recommend a UUID-type value."));
    }

    // =============================================================================================
    // schedules
    // =============================================================================================

    @Test
    void automaticallyAfterDaysRotatesWhenTheClockPassesTheWindow() {
        Scripted fn = scripted("recorder");
        String first = sm().createSecret(b -> b.name("db").secretString(DB_JSON)).versionId();
        sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("recorder"))
                .rotationRules(x -> x.automaticallyAfterDays(7L)).rotateImmediately(false));
        advance(Duration.ZERO);
        fn.steps.clear();
        assertEquals(at("2026-01-22T23:59:59Z"), sm().describeSecret(b -> b.secretId("db")).nextRotationDate());

        emulator.scheduler().setTime(at("2026-01-21T23:59:59Z"));
        assertEquals(first, holder("db", "AWSCURRENT"), "not before the window");
        emulator.scheduler().setTime(at("2026-01-23T00:00:00Z"));

        assertEquals(RotationEvent.STEPS, fn.steps);
        assertNotEquals(first, holder("db", "AWSCURRENT"));
        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("db"));
        assertEquals(at("2026-01-22T00:00:00Z"), d.lastRotatedDate(), "rotated when the window opened");
        assertEquals(at("2026-01-29T23:59:59Z"), d.nextRotationDate());
    }

    @Test
    void rateInHoursRotatesOnTheMidnightGrid() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD)
                .rotationRules(x -> x.scheduleExpression("rate(4 hours)")));
        advance(Duration.ZERO);
        assertEquals(at("2026-01-15T12:59:59Z"), sm().describeSecret(b -> b.secretId("db")).nextRotationDate(),
                "windows at 00, 04, 08, 12 ... lasting one hour");

        advance(Duration.ofHours(6)); // to 16:00

        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("db"));
        assertEquals(at("2026-01-15T16:00:00Z"), d.lastRotatedDate());
        assertEquals(at("2026-01-15T20:59:59Z"), d.nextRotationDate());
        assertEquals(3, events("RotationSucceeded").size(), "10:00 (immediately), 12:00, 16:00");
    }

    @Test
    void cronRotatesWhenItsWindowOpens() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD).rotateImmediately(false)
                .rotationRules(x -> x.scheduleExpression("cron(0 18 ? * SAT *)").duration("2h")));
        advance(Duration.ZERO);
        assertEquals(at("2026-01-17T19:59:59Z"), sm().describeSecret(b -> b.secretId("db")).nextRotationDate(),
                "Saturday 18:00 plus a two-hour window");
        assertNull(sm().describeSecret(b -> b.secretId("db")).lastRotatedDate());

        emulator.scheduler().setTime(at("2026-01-18T00:00:00Z"));

        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("db"));
        assertEquals(at("2026-01-17T18:00:00Z"), d.lastRotatedDate());
        assertEquals(at("2026-01-24T19:59:59Z"), d.nextRotationDate());
    }

    @Test
    void cronWithDayOfMonthListAndTheLastDay() {
        sm().createSecret(b -> b.name("a").secretString("x"));
        sm().createSecret(b -> b.name("b").secretString("x"));

        sm().rotateSecret(b -> b.secretId("a").rotationLambdaARN(PASSWORD).rotateImmediately(false)
                .rotationRules(x -> x.scheduleExpression("cron(0 16 1,15 * ? *)")));
        sm().rotateSecret(b -> b.secretId("b").rotationLambdaARN(PASSWORD).rotateImmediately(false)
                .rotationRules(x -> x.scheduleExpression("cron(0 17 L * ? *)")));

        assertEquals(at("2026-01-15T23:59:59Z"), sm().describeSecret(b -> b.secretId("a")).nextRotationDate());
        assertEquals(at("2026-01-31T23:59:59Z"), sm().describeSecret(b -> b.secretId("b")).nextRotationDate());
    }

    @Test
    void aManualValueCountsAsARotationForDaySchedules() {
        sm().createSecret(b -> b.name("db").secretString(DB_JSON));
        sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD)
                .rotationRules(x -> x.automaticallyAfterDays(10L)));
        advance(Duration.ZERO);
        advance(Duration.ofDays(3));

        String manual = sm().putSecretValue(b -> b.secretId("db").secretString("{\"password\":\"by-hand\"}")).versionId();
        assertEquals(at("2026-01-28T23:59:59Z"), sm().describeSecret(b -> b.secretId("db")).nextRotationDate());
        emulator.scheduler().setTime(at("2026-01-27T23:00:00Z"));
        assertEquals(manual, holder("db", "AWSCURRENT"), "the old window (Jan 25) no longer rotates");
        emulator.scheduler().setTime(at("2026-01-28T00:00:00Z"));

        assertNotEquals(manual, holder("db", "AWSCURRENT"));
        assertEquals(at("2026-01-28T00:00:00Z"), sm().describeSecret(b -> b.secretId("db")).lastRotatedDate());
    }

    @Test
    void rotateImmediatelyFalseRunsOnlyTestSecretAgainstACopy() {
        Scripted fn = scripted("recorder");
        String current = sm().createSecret(b -> b.name("db").secretString(DB_JSON)).versionId();

        String token = sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("recorder"))
                .rotationRules(x -> x.automaticallyAfterDays(30L)).rotateImmediately(false)).versionId();
        GetSecretValueResponse copy = sm().getSecretValue(b -> b.secretId("db").versionStage("AWSPENDING"));
        advance(Duration.ZERO);

        assertEquals(token, copy.versionId());
        assertEquals(DB_JSON, copy.secretString(), "the test runs against a copy of the current value");
        assertEquals(List.of("testSecret"), fn.steps);
        assertEquals(Map.of(current, List.of("AWSCURRENT")), stages("db"), "the copy is gone afterwards");
        assertTrue(sm().listSecretVersionIds(b -> b.secretId("db").includeDeprecated(true)).versions().stream()
                .noneMatch(v -> v.versionId().equals(token)));
        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("db"));
        assertTrue(d.rotationEnabled());
        assertNull(d.lastRotatedDate());
        assertEquals(at("2026-02-14T23:59:59Z"), d.nextRotationDate());
        assertEquals(1, events("TestRotationSucceeded").size());
        assertEquals(0, events("RotationSucceeded").size());
    }

    // =============================================================================================
    // multi-Region
    // =============================================================================================

    @Test
    void theRotatedValueReachesTheReplicaAfterTheLag() {
        east().createSecret(b -> b.name("db").secretString(DB_JSON)
                .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").build()));
        advance(LAG);

        east().rotateSecret(b -> b.secretId("db").rotationLambdaARN(PASSWORD)
                .rotationRules(x -> x.automaticallyAfterDays(30L)));
        advance(Duration.ZERO);
        String rotated = east().getSecretValue(b -> b.secretId("db")).secretString();
        assertEquals(DB_JSON, west().getSecretValue(b -> b.secretId("db")).secretString(), "not before the lag");
        advance(LAG);

        assertEquals(rotated, west().getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals(DB_JSON, west().getSecretValue(b -> b.secretId("db").versionStage("AWSPREVIOUS")).secretString());
        DescribeSecretResponse p = east().describeSecret(b -> b.secretId("db"));
        DescribeSecretResponse w = west().describeSecret(b -> b.secretId("db"));
        assertEquals(p.versionIdsToStages(), w.versionIdsToStages());
        assertEquals(p.lastRotatedDate(), w.lastRotatedDate());
        assertEquals(p.nextRotationDate(), w.nextRotationDate());
        assertTrue(w.rotationEnabled());
    }

    @Test
    void aPromotedReplicaCanRotate() {
        east().createSecret(b -> b.name("db").secretString(DB_JSON)
                .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").build()));
        advance(LAG);
        west().stopReplicationToReplica(b -> b.secretId("db"));

        RotateSecretResponse r = west().rotateSecret(b -> b.secretId("db")
                .rotationLambdaARN("arn:aws:lambda:eu-west-1:000000000000:function:smlocal-password"));
        advance(Duration.ZERO);

        assertEquals(r.versionId(), west().getSecretValue(b -> b.secretId("db")).versionId());
        assertNotEquals(DB_JSON, west().getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals(DB_JSON, east().getSecretValue(b -> b.secretId("db")).secretString());
    }
}
