package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.*;

/** CreateSecret, GetSecretValue, PutSecretValue, UpdateSecret and stage labels through the SDK. */
class SecretValuesWireTest extends WireSupport {

    @Test
    void createThenGetReturnsTheValueWithAwsCurrent() {
        CreateSecretResponse created = sm().createSecret(b -> b.name("db/password").secretString("s3cr3t"));

        GetSecretValueResponse got = sm().getSecretValue(b -> b.secretId("db/password"));

        assertTrue(created.arn().matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:db/password-[A-Za-z0-9]{6}"),
                created.arn());
        assertEquals("s3cr3t", got.secretString());
        assertEquals(created.versionId(), got.versionId());
        assertEquals(List.of("AWSCURRENT"), got.versionStages());
        assertEquals(WireSupport.START, got.createdDate());
        assertNull(got.secretBinary());
    }

    @Test
    void binarySecretsRoundTrip() {
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        sm().createSecret(b -> b.name("bin").secretBinary(SdkBytes.fromByteArray(bytes)));

        GetSecretValueResponse got = sm().getSecretValue(b -> b.secretId("bin"));

        assertArrayEquals(bytes, got.secretBinary().asByteArray());
        assertNull(got.secretString());
    }

    @Test
    void secretIdResolvesByNameFullArnAndPartialArn() {
        String arn = sm().createSecret(b -> b.name("app/key").secretString("v")).arn();
        String partial = arn.substring(0, arn.length() - 7);

        assertEquals("v", sm().getSecretValue(b -> b.secretId(arn)).secretString());
        assertEquals("v", sm().getSecretValue(b -> b.secretId(partial)).secretString());
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> sm().getSecretValue(b -> b.secretId("app/key" + arn.substring(arn.length() - 7))));
        assertEquals("Secrets Manager can't find the specified secret.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void putSecretValueMovesAwsCurrentAndAwsPrevious() {
        String v1 = sm().createSecret(b -> b.name("s").secretString("one")).versionId();
        PutSecretValueResponse put = sm().putSecretValue(b -> b.secretId("s").secretString("two"));

        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("s"));

        assertEquals(List.of("AWSCURRENT"), put.versionStages());
        assertEquals(Map.of(v1, List.of("AWSPREVIOUS"), put.versionId(), List.of("AWSCURRENT")), d.versionIdsToStages());
        assertEquals("two", sm().getSecretValue(b -> b.secretId("s")).secretString());
        assertEquals("one", sm().getSecretValue(b -> b.secretId("s").versionStage("AWSPREVIOUS")).secretString());
    }

    @Test
    void pendingValueLeavesCurrentUntouched() {
        sm().createSecret(b -> b.name("s").secretString("one"));
        String pending = sm().putSecretValue(b -> b.secretId("s").secretString("two").versionStages("AWSPENDING")).versionId();

        assertEquals("one", sm().getSecretValue(b -> b.secretId("s")).secretString());
        assertEquals("two", sm().getSecretValue(b -> b.secretId("s").versionStage("AWSPENDING")).secretString());
        assertEquals("two", sm().getSecretValue(b -> b.secretId("s").versionId(pending)).secretString());
    }

    @Test
    void sameTokenSameValueIsIdempotentAndDifferentValueIsRefused() {
        String token = "a1b2c3d4-0000-4000-8000-000000000001";
        String arn = sm().createSecret(b -> b.name("s").secretString("one")).arn();
        PutSecretValueResponse first = sm().putSecretValue(b -> b.secretId("s").secretString("two").clientRequestToken(token));
        PutSecretValueResponse again = sm().putSecretValue(b -> b.secretId("s").secretString("two").clientRequestToken(token));

        ResourceExistsException e = assertThrows(ResourceExistsException.class,
                () -> sm().putSecretValue(b -> b.secretId("s").secretString("three").clientRequestToken(token)));

        assertEquals(first.versionId(), again.versionId());
        assertEquals(List.of("AWSCURRENT"), again.versionStages());
        assertEquals("You can't use ClientRequestToken " + token
                + " because that value is already in use for a version of secret " + arn + ".",
                e.awsErrorDetails().errorMessage());
        assertEquals(2, sm().listSecretVersionIds(b -> b.secretId("s")).versions().size());
    }

    @Test
    void createSecretWithExistingNameIsRefused() {
        sm().createSecret(b -> b.name("dup").secretString("x"));

        ResourceExistsException e = assertThrows(ResourceExistsException.class,
                () -> sm().createSecret(b -> b.name("dup").secretString("y")));

        assertEquals("The operation failed because the secret dup already exists.", e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
    }

    @Test
    void bothValuesAreRefused() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> sm().createSecret(b -> b.name("both").secretString("x").secretBinary(SdkBytes.fromUtf8String("y"))));

        assertEquals("You can't specify both a binary secret value and a string secret value in the same secret.",
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void secretWithoutValueHasNoVersions() {
        sm().createSecret(b -> b.name("empty"));

        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("empty"));
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> sm().getSecretValue(b -> b.secretId("empty")));

        assertFalse(d.hasVersionIdsToStages());
        assertEquals("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void unknownVersionIdAndMismatchedStageAreRefused() {
        String v1 = sm().createSecret(b -> b.name("s").secretString("one")).versionId();
        String missing = "00000000-0000-4000-8000-000000000000";

        ResourceNotFoundException e1 = assertThrows(ResourceNotFoundException.class,
                () -> sm().getSecretValue(b -> b.secretId("s").versionId(missing)));
        InvalidRequestException e2 = assertThrows(InvalidRequestException.class,
                () -> sm().getSecretValue(b -> b.secretId("s").versionId(v1).versionStage("AWSPREVIOUS")));

        assertEquals("Secrets Manager can't find the specified secret value for VersionId: " + missing,
                e1.awsErrorDetails().errorMessage());
        assertEquals("You provided a VersionStage that is not associated to the provided VersionId.",
                e2.awsErrorDetails().errorMessage());
    }

    @Test
    void updateSecretWithValueCreatesVersionAndWithoutValueDoesNot() {
        sm().createSecret(b -> b.name("s").secretString("one").description("first"));

        UpdateSecretResponse metaOnly = sm().updateSecret(b -> b.secretId("s").description("second"));
        UpdateSecretResponse withValue = sm().updateSecret(b -> b.secretId("s").secretString("two"));

        assertNull(metaOnly.versionId());
        assertNotNull(withValue.versionId());
        assertEquals("second", sm().describeSecret(b -> b.secretId("s")).description());
        assertEquals("two", sm().getSecretValue(b -> b.secretId("s")).secretString());
    }

    @Test
    void emptyDescriptionIsOmitted() {
        sm().createSecret(b -> b.name("s").description(""));

        assertNull(sm().describeSecret(b -> b.secretId("s")).description());
    }

    @Test
    void updateSecretVersionStageRequiresRemoveFromForAwsCurrent() {
        String v1 = sm().createSecret(b -> b.name("s").secretString("one")).versionId();
        String v2 = sm().putSecretValue(b -> b.secretId("s").secretString("two").versionStages("AWSPENDING")).versionId();

        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> sm().updateSecretVersionStage(b -> b.secretId("s").versionStage("AWSCURRENT").moveToVersionId(v2)));
        sm().updateSecretVersionStage(b -> b.secretId("s").versionStage("AWSCURRENT").moveToVersionId(v2).removeFromVersionId(v1));

        assertEquals("The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version "
                + v1 + ", so you must explicitly reference that version in RemoveFromVersionId.", e.awsErrorDetails().errorMessage());
        Map<String, List<String>> stages = sm().describeSecret(b -> b.secretId("s")).versionIdsToStages();
        assertEquals(List.of("AWSPREVIOUS"), stages.get(v1));
        assertEquals(java.util.Set.of("AWSPENDING", "AWSCURRENT"), java.util.Set.copyOf(stages.get(v2)));
    }

    @Test
    void labelsMovedOffAVersionLeaveItDeprecatedAndHidden() {
        String v1 = sm().createSecret(b -> b.name("s").secretString("one")).versionId();
        sm().putSecretValue(b -> b.secretId("s").secretString("two"));
        sm().putSecretValue(b -> b.secretId("s").secretString("three"));

        ListSecretVersionIdsResponse visible = sm().listSecretVersionIds(b -> b.secretId("s"));
        ListSecretVersionIdsResponse all = sm().listSecretVersionIds(b -> b.secretId("s").includeDeprecated(true));

        assertEquals(2, visible.versions().size());
        assertEquals(3, all.versions().size());
        SecretVersionsListEntry deprecated = all.versions().stream().filter(v -> v.versionId().equals(v1)).findFirst().orElseThrow();
        assertFalse(deprecated.hasVersionStages());
        assertEquals(List.of("DefaultEncryptionKey"), deprecated.kmsKeyIds());
    }

    @Test
    void lastAccessedDateIsTheDayOfTheRead() {
        sm().createSecret(b -> b.name("s").secretString("one"));
        assertNull(sm().describeSecret(b -> b.secretId("s")).lastAccessedDate());

        sm().getSecretValue(b -> b.secretId("s"));

        assertEquals(java.time.Instant.parse("2026-01-15T00:00:00Z"), sm().describeSecret(b -> b.secretId("s")).lastAccessedDate());
    }

    @Test
    void invalidNameGetsValidationException() {
        SecretsManagerException e = assertThrows(SecretsManagerException.class,
                () -> sm().getSecretValue(b -> b.secretId("has space")));

        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
                e.awsErrorDetails().errorMessage());
    }
}
