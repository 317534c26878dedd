package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smlocal.conformance.support.Expect;
import dev.smlocal.conformance.support.RawAnswer;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** GetSecretValue (spec §4.4): what it returns and each way it refuses. */
class GetSecretValueConformance extends ConformanceCheck {
    static final String V = "spec §4.4 [V] — recorded from AWS by LocalStack's snapshot tests, not yet run by this suite";

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
        refused(ResourceNotFoundException.class, "ResourceNotFoundException", msg,
                () -> sm().getSecretValue(b -> b.secretId(n)));
        Expect.error(raw("GetSecretValue", json("SecretId", n)), 400, "ResourceNotFoundException", msg);
    }

    @Test
    @AwsUnverified(reason = V)
    void mismatchedVersionIdAndStageIsInvalidRequest() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        sm().putSecretValue(b -> b.secretId(n).secretString("two"));

        String msg = "You provided a VersionStage that is not associated to the provided VersionId.";
        refused(InvalidRequestException.class, "InvalidRequestException", msg,
                () -> sm().getSecretValue(b -> b.secretId(n).versionId(v1).versionStage("AWSCURRENT")));
        Expect.error(raw("GetSecretValue", json("SecretId", n, "VersionId", v1, "VersionStage", "AWSCURRENT")),
                400, "InvalidRequestException", msg);
    }
}
