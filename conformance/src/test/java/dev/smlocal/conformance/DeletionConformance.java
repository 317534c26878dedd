package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** DeleteSecret, RestoreSecret and the deletion lifecycle (AWS-BEHAVIOUR §5, §6). */
class DeletionConformance extends ConformanceCheck {
    static final String V = "AWS-BEHAVIOUR §5 DeleteSecret / §6 [V] — LocalStack snapshot / moto aws_verified test, not yet run by this suite";
    /** Real AWS and this machine disagree on the time by a little; the emulator not at all. */
    static final Duration SLACK = Duration.ofMinutes(2);

    void assertNear(Instant expected, Instant actual) {
        Duration off = Duration.between(expected, actual).abs();
        Duration slack = target.powers().isPresent() ? Duration.ofSeconds(1) : SLACK;
        assertTrue(off.compareTo(slack) <= 0, "expected about " + expected + ", was " + actual);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DeleteSecret [D][V] — default window 30 days; answers ARN, Name, DeletionDate")
    void defaultWindowIsThirtyDays() {
        String n = name("s");
        createSecret(n, "v");
        Instant now = target.now();

        var raw = raw("DeleteSecret", json("SecretId", n));

        Expect.ok(raw, "ARN", "Name", "DeletionDate");
        Instant date = Instant.ofEpochMilli((long) (raw.body().get("DeletionDate").asDouble() * 1000));
        assertNear(now.plus(Duration.ofDays(30)), date);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DeleteSecret [D] — RecoveryWindowInDays sets the date")
    void windowOfSevenDays() {
        String n = name("s");
        createSecret(n, "v");
        Instant now = target.now();

        DeleteSecretResponse r = sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        assertNear(now.plus(Duration.ofDays(7)), r.deletionDate());
    }

    @Test
    @AwsUnverified(reason = V + " (forced: DeletionDate is now)")
    void forcedDeletionIsDatedNow() {
        String n = name("s");
        createSecret(n, "v");
        Instant now = target.now();

        DeleteSecretResponse r = sm().deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(true));

        assertNear(now, r.deletionDate());
        assertEquals(n, r.name());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DeleteSecret [D] rule, [E] moto text")
    void forceTogetherWithAWindowIsInvalidParameter() {
        String n = name("s");
        createSecret(n, "v");

        unchanged(n, () -> {
            refused(InvalidParameterException.class, "InvalidParameterException",
                    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
                    () -> sm().deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(true).recoveryWindowInDays(7L)));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DeleteSecret [V] — ForceDeleteWithoutRecovery=false beside a window is fine")
    void forceFalseBesideAWindowIsFine() {
        String n = name("s");
        createSecret(n, "v");

        DeleteSecretResponse r = sm().deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(false).recoveryWindowInDays(10L));

        assertTrue(r.deletionDate() != null);
    }

    @ParameterizedTest(name = "{0} days")
    @ValueSource(longs = {0, 6, 31, 365})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DeleteSecret [D] range 7..30, [E] moto text")
    void windowOutsideSevenToThirtyIsInvalidParameter(long days) {
        String n = name("s");
        createSecret(n, "v");

        unchanged(n, () -> {
            Expect.error(raw("DeleteSecret", json("SecretId", n, "RecoveryWindowInDays", days)), 400, "InvalidParameterException",
                    "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        });
    }

    @Test
    @AwsUnverified(reason = V + " (forced delete of a secret that does not exist succeeds)")
    void forcedDeleteOfAMissingSecretSucceedsWithTheGivenName() {
        String n = name("never");

        var raw = raw("DeleteSecret", json("SecretId", n, "ForceDeleteWithoutRecovery", true));

        Expect.ok(raw, "ARN", "Name", "DeletionDate");
        assertEquals(n, raw.body().get("Name").asText());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DeleteSecret [D] — a plain delete of a missing secret is not found [V text]")
    void plainDeleteOfAMissingSecretIsResourceNotFound() {
        String n = name("never");

        unchanged(n, () -> {
            refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                    () -> sm().deleteSecret(b -> b.secretId(n)));
            Expect.error(raw("DeleteSecret", json("SecretId", n)), 400, "ResourceNotFoundException", NOT_FOUND);
        });
    }

    @Test
    @AwsUnverified(reason = V + " (forced delete of a scheduled secret removes it)")
    void forcedDeleteOfAScheduledSecretRemovesIt() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        sm().deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(true));

        target.eventually("the secret is gone", () -> {
            try {
                sm().describeSecret(b -> b.secretId(n));
                return false;
            } catch (ResourceNotFoundException e) {
                return true;
            }
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DeleteSecret [E] — moto's text for deleting a scheduled secret again")
    void plainDeleteOfAScheduledSecretIsInvalidRequest() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        unchanged(n, () -> {
            refused(InvalidRequestException.class, "InvalidRequestException",
                    "You tried to perform the operation on a secret that's currently marked deleted.",
                    () -> sm().deleteSecret(b -> b.secretId(n)));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 RestoreSecret [D] — answers ARN and Name; the secret is usable again")
    void restoreClearsDeletedDateAndTheValueIsReadable() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        var raw = raw("RestoreSecret", json("SecretId", n));

        Expect.ok(raw, "ARN", "Name");
        assertNull(sm().describeSecret(b -> b.secretId(n)).deletedDate());
        assertEquals("v", sm().getSecretValue(b -> b.secretId(n)).secretString());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 RestoreSecret [E] — restoring an active secret is a no-op")
    void restoringAnActiveSecretIsANoOp() {
        String n = name("s");
        createSecret(n, "v");

        Expect.ok(raw("RestoreSecret", json("SecretId", n)), "ARN", "Name");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 [D] — unknown secret, the common not-found text [V]")
    void restoringAMissingSecretIsResourceNotFound() {
        String n = name("never");

        unchanged(n, () -> {
            refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                    () -> sm().restoreSecret(b -> b.secretId(n)));
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PutResourcePolicy", "ListSecretVersionIds", "UpdateSecret", "PutSecretValue"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §6 [U] — the marked-for-deletion text on the other operations")
    void otherOperationsOnAScheduledSecretAreInvalidRequest(String operation) {
        String n = name("s");
        String arn = createSecret(n, "v").arn();
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));
        var body = operation.equals("PutResourcePolicy")
                ? json("SecretId", n, "ResourcePolicy", ResourcePolicyConformance.policy(ResourcePolicyConformance.account(arn)))
                : SecretIdConformance.BY_SECRET_ID.get(operation).apply(n);

        unchanged(n, () -> {
            Expect.error(raw(operation, body), 400, "InvalidRequestException", MARKED_FOR_DELETION);
        });
    }

    @Test
    @EmulatorOnly("clock: the recovery window elapses")
    void secretIsPurgedWhenTheWindowElapses() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        powers().advance(Duration.ofDays(7).plusSeconds(1));

        refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                () -> sm().describeSecret(b -> b.secretId(n)));
    }

    @Test
    @EmulatorOnly("clock: the recovery window has not elapsed")
    void secretStaysWithinTheWindow() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        powers().advance(Duration.ofDays(6));

        assertTrue(sm().describeSecret(b -> b.secretId(n)).deletedDate() != null);
    }

    @Test
    @EmulatorOnly("clock: a restored secret outlives its old window")
    void restoreCancelsThePurge() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));
        sm().restoreSecret(b -> b.secretId(n));

        powers().advance(Duration.ofDays(8));

        assertEquals("v", sm().getSecretValue(b -> b.secretId(n)).secretString());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 CreateSecret [V] — after a forced delete the name is free (AWS: after a few seconds)")
    void nameIsFreeAgainAfterAForcedDelete() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(true));

        target.eventually("the name can be created again", () -> {
            try {
                createSecret(n, "again");
                return true;
            } catch (InvalidRequestException stillDeleting) {
                return false;
            }
        });

        assertEquals("again", sm().getSecretValue(b -> b.secretId(n)).secretString());
    }
}
