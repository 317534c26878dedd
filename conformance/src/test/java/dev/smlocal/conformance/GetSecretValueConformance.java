package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import dev.smlocal.conformance.support.RawAnswer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** GetSecretValue (AWS-BEHAVIOUR §4.4): what it returns and each way it refuses. */
class GetSecretValueConformance extends ConformanceCheck {
    static final String V = "AWS-BEHAVIOUR §4.4 [V] — recorded from AWS by LocalStack's snapshot tests, not yet run by this suite";

    @Test
    @AwsUnverified(reason = V)
    void returnsTheCurrentVersionWithItsStagesAndCreatedDate() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "hello", v1);

        GetSecretValueResponse sdk = sm().getSecretValue(b -> b.secretId(n));
        RawAnswer raw = raw("GetSecretValue", json("SecretId", n));

        assertEquals("hello", sdk.secretString());
        assertEquals(v1, sdk.versionId());
        assertEquals(List.of("AWSCURRENT"), sdk.versionStages());
        assertEquals(n, sdk.name());
        Expect.that(raw).status(200).fields("ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate")
                .memberType("CreatedDate", "number").verify();
    }

    @Test
    @AwsUnverified(reason = V)
    void unknownSecretIsResourceNotFound() {
        String n = name("missing");

        refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                () -> sm().getSecretValue(b -> b.secretId(n)));
        Expect.error(raw("GetSecretValue", json("SecretId", n)), 400, "ResourceNotFoundException", NOT_FOUND);
    }

    @Test
    @AwsUnverified(reason = V)
    void secretWithoutValueHasNoAwsCurrentValue() {
        String n = name("empty");
        createSecret(n, null);

        String msg = "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT";
        unchanged(n, () -> {
            refused(ResourceNotFoundException.class, "ResourceNotFoundException", msg,
                    () -> sm().getSecretValue(b -> b.secretId(n)));
            Expect.error(raw("GetSecretValue", json("SecretId", n)), 400, "ResourceNotFoundException", msg);
        });
    }

    @Test
    @AwsUnverified(reason = V)
    void mismatchedVersionIdAndStageIsInvalidRequest() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        sm().putSecretValue(b -> b.secretId(n).secretString("two"));

        String msg = "You provided a VersionStage that is not associated to the provided VersionId.";
        unchanged(n, () -> {
            refused(InvalidRequestException.class, "InvalidRequestException", msg,
                    () -> sm().getSecretValue(b -> b.secretId(n).versionId(v1).versionStage("AWSCURRENT")));
            Expect.error(raw("GetSecretValue", json("SecretId", n, "VersionId", v1, "VersionStage", "AWSCURRENT")),
                    400, "InvalidRequestException", msg);
        });
    }

    @Test
    @AwsUnverified(reason = V)
    void unknownVersionIdIsResourceNotFoundNamingIt() {
        String n = name("s");
        createSecret(n, "v");
        String unknown = token();
        String msg = "Secrets Manager can't find the specified secret value for VersionId: " + unknown;

        unchanged(n, () -> {
            refused(ResourceNotFoundException.class, "ResourceNotFoundException", msg,
                    () -> sm().getSecretValue(b -> b.secretId(n).versionId(unknown)));
            Expect.error(raw("GetSecretValue", json("SecretId", n, "VersionId", unknown)), 400, "ResourceNotFoundException", msg);
        });
    }

    @Test
    @AwsUnverified(reason = V)
    void unattachedStageIsResourceNotFoundNamingIt() {
        String n = name("s");
        createSecret(n, "v");
        String msg = "Secrets Manager can't find the specified secret value for staging label: NOWHERE";

        unchanged(n, () -> {
            Expect.error(raw("GetSecretValue", json("SecretId", n, "VersionStage", "NOWHERE")), 400, "ResourceNotFoundException", msg);
        });
    }

    @Test
    @AwsUnverified(reason = V)
    void secretScheduledForDeletionIsInvalidRequest() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        unchanged(n, () -> {
            refused(InvalidRequestException.class, "InvalidRequestException", MARKED_FOR_DELETION,
                    () -> sm().getSecretValue(b -> b.secretId(n)));
            Expect.error(raw("GetSecretValue", json("SecretId", n)), 400, "InvalidRequestException", MARKED_FOR_DELETION);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.4 [D] — VersionId and VersionStage together must name the same version")
    void matchingVersionIdAndStageAnswerThatVersion() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        sm().putSecretValue(b -> b.secretId(n).secretString("two"));

        var r = sm().getSecretValue(b -> b.secretId(n).versionId(v1).versionStage("AWSPREVIOUS"));

        assertEquals("one", r.secretString());
        assertEquals(List.of("AWSPREVIOUS"), r.versionStages());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.4 [D] — any version can be read by its VersionId")
    void versionIdReadsThatVersion() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        sm().putSecretValue(b -> b.secretId(n).secretString("two"));

        assertEquals("one", sm().getSecretValue(b -> b.secretId(n).versionId(v1)).secretString());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.1 [V] — LocalStack snapshot: raw binary values are base64 strings")
    void binaryValueTravelsAsBase64AndTheSdkDecodesIt() {
        String n = name("s");
        track(n);
        sm().createSecret(b -> b.name(n).secretBinary(SdkBytes.fromUtf8String("footest")));

        var raw = raw("GetSecretValue", json("SecretId", n));

        assertEquals("Zm9vdGVzdA==", raw.body().path("SecretBinary").asText());
        Expect.that(raw).status(200).fields("ARN", "Name", "VersionId", "SecretBinary", "VersionStages", "CreatedDate").verify();
        assertEquals("footest", sm().getSecretValue(b -> b.secretId(n)).secretBinary().asUtf8String());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.4 [D][V] — LastAccessedDate is midnight UTC of the day of the read")
    void readSetsLastAccessedDateToMidnightUtc() {
        String n = name("s");
        createSecret(n, "v");
        Instant before = target.now();

        sm().getSecretValue(b -> b.secretId(n));

        Instant accessed = sm().describeSecret(b -> b.secretId(n)).lastAccessedDate();
        Instant after = target.now();
        assertEquals(accessed, accessed.truncatedTo(ChronoUnit.DAYS), "midnight: " + accessed);
        assertTrue(accessed.equals(before.truncatedTo(ChronoUnit.DAYS)) || accessed.equals(after.truncatedTo(ChronoUnit.DAYS)),
                accessed + " is the day of the read " + before);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.4 [D][V] — repeated reads the same day leave the same date")
    void repeatedReadsTheSameDayKeepTheSameLastAccessedDate() {
        String n = name("s");
        createSecret(n, "v");
        sm().getSecretValue(b -> b.secretId(n));
        Instant first = sm().describeSecret(b -> b.secretId(n)).lastAccessedDate();

        sm().getSecretValue(b -> b.secretId(n));

        assertEquals(first, sm().describeSecret(b -> b.secretId(n)).lastAccessedDate());
    }

    @Test
    @EmulatorOnly("clock: a read on a later day moves the date")
    void readOnALaterDayMovesLastAccessedDate() {
        String n = name("s");
        createSecret(n, "v");
        sm().getSecretValue(b -> b.secretId(n));
        Instant first = sm().describeSecret(b -> b.secretId(n)).lastAccessedDate();
        powers().advance(Duration.ofDays(2));

        sm().getSecretValue(b -> b.secretId(n));

        assertEquals(first.plus(Duration.ofDays(2)), sm().describeSecret(b -> b.secretId(n)).lastAccessedDate());
    }

    @Test
    @EmulatorOnly("clock: CreatedDate of a later version")
    void createdDateIsTheVersionsNotTheSecrets() {
        String n = name("s");
        createSecret(n, "one");
        Instant created = sm().describeSecret(b -> b.secretId(n)).createdDate();
        powers().advance(Duration.ofHours(3));

        sm().putSecretValue(b -> b.secretId(n).secretString("two"));

        assertEquals(created.plus(Duration.ofHours(3)), sm().getSecretValue(b -> b.secretId(n)).createdDate());
    }
}
