package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretResponse;

/** UpdateSecret (AWS-BEHAVIOUR §5, §4.1, §4.2). */
class UpdateSecretConformance extends ConformanceCheck {
    static final String V = "AWS-BEHAVIOUR §5 UpdateSecret [V] — LocalStack / moto aws_verified tests, not yet run by this suite";

    @Test
    @AwsUnverified(reason = V)
    void withAValueCreatesAVersionAndMovesTheLabels() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        String t = token();

        UpdateSecretResponse u = sm().updateSecret(b -> b.secretId(n).secretString("two").clientRequestToken(t));

        assertEquals(t, u.versionId());
        assertEquals(Map.of(v1, List.of("AWSPREVIOUS"), t, List.of("AWSCURRENT")),
                sm().describeSecret(b -> b.secretId(n)).versionIdsToStages());
        assertEquals("two", sm().getSecretValue(b -> b.secretId(n)).secretString());
    }

    @Test
    @AwsUnverified(reason = V)
    void withAValueAnswersArnNameAndVersionId() {
        String n = name("s");
        createSecret(n, "one");

        Expect.ok(raw("UpdateSecret", json("SecretId", n, "SecretString", "two", "ClientRequestToken", token())),
                "ARN", "Name", "VersionId");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [U] — a raw request without a token and without a value: AWS was recorded only with a value present, so whether it is accepted is unverified; no VersionId without a value is §5 UpdateSecret [V]")
    void descriptionOnlyAnswersNoVersionId() {
        String n = name("s");
        createSecret(n, "one");

        var raw = raw("UpdateSecret", json("SecretId", n, "Description", "new words"));

        Expect.ok(raw, "ARN", "Name");
        assertEquals("new words", sm().describeSecret(b -> b.secretId(n)).description());
        assertEquals(1, sm().describeSecret(b -> b.secretId(n)).versionIdsToStages().size());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [U] — a raw request without a token and without a value: AWS was recorded only with a value present, so whether it is accepted is unverified; that a call changing nothing succeeds is §5 UpdateSecret [V]")
    void callWithNothingToChangeStillSucceeds() {
        String n = name("s");
        createSecret(n, "one");

        Expect.ok(raw("UpdateSecret", json("SecretId", n)), "ARN", "Name");
    }

    @Test
    @EmulatorOnly("clock")
    void everyUpdateMovesLastChangedDate() {
        String n = name("s");
        createSecret(n, "one");
        Instant before = sm().describeSecret(b -> b.secretId(n)).lastChangedDate();
        powers().advance(Duration.ofMinutes(5));

        sm().updateSecret(b -> b.secretId(n).description("d"));

        Instant after = sm().describeSecret(b -> b.secretId(n)).lastChangedDate();
        assertEquals(Duration.ofMinutes(5), Duration.between(before, after));
    }

    @Test
    @EmulatorOnly("clock")
    void callWithNothingToChangeStillMovesLastChangedDate() {
        String n = name("s");
        createSecret(n, "one");
        Instant before = sm().describeSecret(b -> b.secretId(n)).lastChangedDate();
        powers().advance(Duration.ofMinutes(1));

        sm().updateSecret(b -> b.secretId(n));

        assertEquals(before.plus(Duration.ofMinutes(1)), sm().describeSecret(b -> b.secretId(n)).lastChangedDate());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — moto aws_verified: UpdateSecret with the same token answers that VersionId")
    void sameTokenAndValueAnswersTheTokenAsVersionId() {
        String n = name("s");
        createSecret(n, "one");
        String t = token();
        sm().updateSecret(b -> b.secretId(n).secretString("two").clientRequestToken(t));

        UpdateSecretResponse again = sm().updateSecret(b -> b.secretId(n).secretString("two").clientRequestToken(t));

        assertEquals(t, again.versionId());
        assertEquals(2, sm().describeSecret(b -> b.secretId(n)).versionIdsToStages().size());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — moto aws_verified test quotes the message")
    void sameTokenWithAnotherValueIsResourceExists() {
        String n = name("s");
        String arn = createSecret(n, "one").arn();
        String t = token();
        sm().updateSecret(b -> b.secretId(n).secretString("two").clientRequestToken(t));

        unchanged(n, () -> {
            refused(ResourceExistsException.class, "ResourceExistsException", "You can't use ClientRequestToken " + t
                    + " because that value is already in use for a version of secret " + arn + ".",
                    () -> sm().updateSecret(b -> b.secretId(n).secretString("three").clientRequestToken(t)));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — LocalStack snapshot of a raw request without token")
    void rawRequestWithAValueButNoTokenIsInvalidRequest() {
        String n = name("s");
        createSecret(n, "one");

        unchanged(n, () -> {
            Expect.error(raw("UpdateSecret", json("SecretId", n, "SecretString", "two")), 400, "InvalidRequestException",
                    CreateSecretConformance.TOKEN_REQUIRED);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 UpdateSecret [E] — marked-for-deletion text on writes")
    void secretScheduledForDeletionIsInvalidRequest() {
        String n = name("s");
        createSecret(n, "one");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        unchanged(n, () -> {
            refused(InvalidRequestException.class, "InvalidRequestException", MARKED_FOR_DELETION,
                    () -> sm().updateSecret(b -> b.secretId(n).description("d")));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 [D] — unknown secret, the common not-found text [V]")
    void unknownSecretIsResourceNotFound() {
        String n = name("missing");

        unchanged(n, () -> {
            refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                    () -> sm().updateSecret(b -> b.secretId(n).description("d")));
            Expect.error(raw("UpdateSecret", json("SecretId", n, "Description", "d")), 400, "ResourceNotFoundException", NOT_FOUND);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [V prefix] — an invalid KmsKeyId on UpdateSecret as on CreateSecret")
    void malformedKmsKeyIdIsInvalidParameter() {
        String n = name("s");
        createSecret(n, "one");

        unchanged(n, () -> {
            Expect.that(raw("UpdateSecret", json("SecretId", n, "KmsKeyId", "not-a-key"))).status(400)
                    .type("InvalidParameterException")
                    .messageStartsWith("The operation failed because of an invalid KMS key: Invalid keyId").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 UpdateSecret [D] — a key change keeps labelled versions readable; '' is the AWS managed key again")
    @CreatesKeys(1)
    void keyChangeKeepsValuesReadableAndEmptyKeyGoesBackToTheDefault() {
        String n = name("s");
        createSecret(n, "one");
        sm().putSecretValue(b -> b.secretId(n).secretString("two"));
        String keyArn = createKey("conformance: update secret key").keyMetadata().arn();

        sm().updateSecret(b -> b.secretId(n).kmsKeyId(keyArn));
        assertEquals("two", sm().getSecretValue(b -> b.secretId(n)).secretString());
        assertEquals("one", sm().getSecretValue(b -> b.secretId(n).versionStage("AWSPREVIOUS")).secretString());
        assertTrue(sm().describeSecret(b -> b.secretId(n)).kmsKeyId() != null);

        sm().updateSecret(b -> b.secretId(n).kmsKeyId(""));
        assertNull(sm().describeSecret(b -> b.secretId(n)).kmsKeyId());
        assertEquals("two", sm().getSecretValue(b -> b.secretId(n)).secretString());
    }
}
