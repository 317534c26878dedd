package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.smlocal.conformance.support.Expect;
import dev.smlocal.conformance.support.RawAnswer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * What RotateSecret and CancelRotateSecret refuse before any Lambda function runs (AWS-BEHAVIOUR §8.1, §4.1,
 * §6): no function ARN, a function that cannot be invoked (nothing is saved), a missing
 * ClientRequestToken, bad schedules, unknown and deleted secrets. These run against AWS too: the
 * function they name does not exist in the caller's account, so no Lambda is needed. Where AWS's
 * text is unknown only the type and the body's shape are checked.
 */
class RotationRefusalsConformance extends RotationCheck {
    static final String V_LS = "AWS-BEHAVIOUR §8.1 [V] — LocalStack snapshot against AWS, not yet run by this suite";

    private String secret() {
        String n = name("s");
        createSecret(n, "v");
        return n;
    }

    private String missingFunction(String secretId) {
        String arn = sm().describeSecret(b -> b.secretId(secretId)).arn();
        return noSuchFunction(target.region(), account(arn));
    }

    private void noRotationSaved(String n, Map<String, List<String>> stagesBefore) {
        Expect.that(raw("DescribeSecret", json("SecretId", n))).status(200)
                .lacks("RotationEnabled", "RotationLambdaARN", "RotationRules", "NextRotationDate", "LastRotatedDate").verify();
        assertEquals(stagesBefore, stages(n), "no version was added");
    }

    @Test
    @AwsUnverified(reason = V_LS + " ('No Lambda rotation function ARN is associated with this secret.')")
    void withoutALambdaFunctionRotationIsInvalidRequest() {
        String n = secret();

        unchanged(n, () -> {
            refused(InvalidRequestException.class, "InvalidRequestException", NO_LAMBDA,
                    () -> sm().rotateSecret(b -> b.secretId(n)));
            Expect.error(raw("RotateSecret", json("SecretId", n, "ClientRequestToken", token())), 400,
                    "InvalidRequestException", NO_LAMBDA);
        });
    }

    @Test
    @AwsUnverified(reason = V_LS + " (a function that is missing or not invokable: AccessDeniedException, nothing saved)")
    void aFunctionThatCannotBeInvokedIsAccessDeniedAndNothingIsSaved() {
        String n = secret();
        var before = stages(n);

        unchanged(n, () -> {
            RawAnswer raw = raw("RotateSecret", json("SecretId", n, "ClientRequestToken", token(),
                    "RotationLambdaARN", missingFunction(n), "RotationRules", Map.of("AutomaticallyAfterDays", 3)));

            Expect.error(raw, 400, "AccessDeniedException", CANNOT_INVOKE);
        });
        noRotationSaved(n, before);
    }

    @Test
    @AwsUnverified(reason = V_LS + " (the SDK sees AccessDeniedException with status 400)")
    void sdkSeesAccessDenied() {
        String n = secret();
        String fn = missingFunction(n);

        unchanged(n, () -> {
            refused(software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException.class,
                    "AccessDeniedException", CANNOT_INVOKE, () -> sm().rotateSecret(b -> b.secretId(n).rotationLambdaARN(fn)));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — RotateSecret without ClientRequestToken is InvalidParameterException (other operations: InvalidRequestException)")
    void aRawRequestWithoutTokenIsInvalidParameter() {
        String n = secret();

        unchanged(n, () -> {
            Expect.error(raw("RotateSecret", json("SecretId", n, "RotationLambdaARN", missingFunction(n))), 400,
                    "InvalidParameterException", TOKEN_REQUIRED);
        });
    }

    @Test
    @AwsUnverified(reason = "unverified: AWS was recorded refusing a missing token before the lookup for requests that "
            + "carried the other members; this raw request has only SecretId (no token, no function), never recorded")
    void theMissingTokenIsReportedBeforeAnUnknownSecret() {
        String n = name("never");

        unchanged(n, () -> {
            Expect.error(raw("RotateSecret", json("SecretId", n)), 400, "InvalidParameterException", TOKEN_REQUIRED);
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "-", value = {
            "rate(2 hours), -",          // hours: at least 4
            "rate(5 minutes), -",        // only hours and days
            "rate(1000 days), -",        // days: at most 999
            "cron(15 10 * * ? *), -",    // minutes must be 0
            "cron(0 10 * * ? 2026), -",  // year must be *
            "cron(0 10 * * *), -",       // six fields
            "cron(0 22 * * ? *), 4h",    // the window would cross into the next UTC day
            "rate(6 hours), 7h",         // the window would overlap the next one
    })
    @AwsUnverified(reason = "AWS-BEHAVIOUR §8.1 [D] — schedule expressions and windows AWS does not accept are InvalidParameterException (text [U], not asserted); parameters are checked before the function")
    void aScheduleAwsDoesNotAcceptIsInvalidParameter(String expression, String duration) {
        String n = secret();
        var before = stages(n);
        Map<String, Object> rules = duration == null ? Map.of("ScheduleExpression", expression)
                : Map.of("ScheduleExpression", expression, "Duration", duration);

        unchanged(n, () -> {
            RawAnswer raw = raw("RotateSecret", json("SecretId", n, "ClientRequestToken", token(),
                    "RotationLambdaARN", missingFunction(n), "RotationRules", rules));

            Expect.that(raw).status(400).type("InvalidParameterException").fields("__type", "Message").verify();
            assertNotNull(raw.message());
        });
        noRotationSaved(n, before);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §8.1 [D]; text quoted from AWS in terraform-provider-aws#33329 — AutomaticallyAfterDays and ScheduleExpression together")
    void daysAndAScheduleExpressionTogetherAreInvalidParameter() {
        String n = secret();
        String fn = missingFunction(n);

        unchanged(n, () -> {
            refused(InvalidParameterException.class, "InvalidParameterException",
                    "You cannot specify both rotation frequency and schedule expression together.",
                    () -> sm().rotateSecret(b -> b.secretId(n).rotationLambdaARN(fn)
                            .rotationRules(r -> r.automaticallyAfterDays(10L).scheduleExpression("rate(10 days)"))));
        });
    }

    @ParameterizedTest(name = "{0} days")
    @ValueSource(ints = {0, 1001})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.3 [V template, U exact wording] — the model's 1..1000 range on AutomaticallyAfterDays is a framework ValidationException")
    void automaticallyAfterDaysOutsideTheModelRangeIsAValidationException(int days) {
        String n = secret();

        unchanged(n, () -> {
            Expect.error(raw("RotateSecret", json("SecretId", n, "ClientRequestToken", token(),
                    "RotationLambdaARN", missingFunction(n), "RotationRules", Map.of("AutomaticallyAfterDays", days))), 400,
                    "ValidationException", "1 validation error detected: Value '" + days + "' at 'rotationRules.automaticallyAfterDays'"
                            + " failed to satisfy constraint: Member must have value "
                            + (days < 1 ? "greater than or equal to 1" : "less than or equal to 1000"));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.4 [V] — an unknown secret is not found")
    void rotatingAnUnknownSecretIsResourceNotFound() {
        String n = name("never");

        unchanged(n, () -> {
            refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                    () -> sm().rotateSecret(b -> b.secretId(n)));
            refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                    () -> sm().cancelRotateSecret(b -> b.secretId(n)));
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RotateSecret", "CancelRotateSecret"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §6 [U for these operations] — a secret marked for deletion: the marked-for-deletion text")
    void aSecretMarkedForDeletionIsInvalidRequest(String operation) {
        String n = secret();
        String fn = missingFunction(n);
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        unchanged(n, () -> {
            Expect.error(raw(operation, operation.equals("RotateSecret")
                    ? json("SecretId", n, "ClientRequestToken", token(), "RotationLambdaARN", fn)
                    : json("SecretId", n)), 400, "InvalidRequestException", MARKED_FOR_DELETION);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 CancelRotateSecret [U] — cancelling a rotation that was never configured is InvalidRequestException (text unknown, not asserted)")
    void cancellingANeverConfiguredRotationIsInvalidRequest() {
        String n = secret();

        unchanged(n, () -> {
            RawAnswer raw = raw("CancelRotateSecret", json("SecretId", n));

            Expect.that(raw).status(400).type("InvalidRequestException").fields("__type", "Message").verify();
        });
    }
}
