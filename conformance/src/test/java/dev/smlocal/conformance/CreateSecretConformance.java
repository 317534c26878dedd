package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.smlocal.conformance.support.Expect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** CreateSecret (AWS-BEHAVIOUR §5, §4.1): its answers and refusals. */
class CreateSecretConformance extends ConformanceCheck {
    static final String V = "AWS-BEHAVIOUR §5 CreateSecret [V] — LocalStack snapshot / moto aws_verified test, not yet run by this suite";
    static final String TOKEN_REQUIRED = "You must provide a ClientRequestToken value. We recommend a UUID-type value.";
    static final String BOTH = "You can't specify both a binary secret value and a string secret value in the same secret.";

    @Test
    @AwsUnverified(reason = V)
    void withAValueAnswersArnNameAndTheTokenAsVersionId() {
        String n = name("s");
        String t = token();

        var raw = raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", t));

        Expect.ok(raw, "ARN", "Name", "VersionId");
        assertEquals(t, raw.body().get("VersionId").asText());
        assertEquals(n, raw.body().get("Name").asText());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [U] — a raw request without a token and without a value: AWS was recorded only with a value present, so whether it is accepted is unverified; no versions without a value is §3 [V]")
    void withoutAValueAnswersNoVersionIdAndHasNoVersions() {
        String n = name("s");

        var raw = raw("CreateSecret", json("Name", n));
        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId(n));

        Expect.ok(raw, "ARN", "Name");
        assertFalse(d.hasVersionIdsToStages(), "no VersionIdsToStages");
        Expect.that(raw("DescribeSecret", json("SecretId", n))).status(200).lacks("VersionIdsToStages").verify();
    }

    @Test
    @AwsUnverified(reason = V)
    void bothStringAndBinaryIsInvalidParameter() {
        String n = name("s");

        unchanged(n, () -> {
            refused(InvalidParameterException.class, "InvalidParameterException", BOTH, () -> {
                track(n);
                sm().createSecret(b -> b.name(n).secretString("s").secretBinary(SdkBytes.fromUtf8String("b")));
            });
            Expect.error(raw("CreateSecret", json("Name", n, "SecretString", "s", "SecretBinary", "Yg==",
                    "ClientRequestToken", token())), 400, "InvalidParameterException", BOTH);
        });
    }

    @Test
    @AwsUnverified(reason = V)
    void existingNameIsResourceExists() {
        String n = name("s");
        createSecret(n, "v");
        String msg = "The operation failed because the secret " + n + " already exists.";

        unchanged(n, () -> {
            refused(ResourceExistsException.class, "ResourceExistsException", msg, () -> createSecret(n, "other"));
            Expect.error(raw("CreateSecret", json("Name", n, "SecretString", "w", "ClientRequestToken", token())), 400,
                    "ResourceExistsException", msg);
        });
    }

    @Test
    @AwsUnverified(reason = V)
    void nameOfASecretScheduledForDeletionIsInvalidRequest() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));
        String msg = "You can't create this secret because a secret with this name is already scheduled for deletion.";

        unchanged(n, () -> {
            refused(InvalidRequestException.class, "InvalidRequestException", msg, () -> createSecret(n, "v"));
            Expect.error(raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", token())), 400,
                    "InvalidRequestException", msg);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — moto aws_verified idempotency test, not yet run by this suite")
    void sameTokenAndSameValueIsANoOpAnsweringTheSameIds() {
        String n = name("s");
        String t = token();
        CreateSecretResponse first = createSecret(n, "v", t);

        CreateSecretResponse again = createSecret(n, "v", t);

        assertEquals(first.arn(), again.arn());
        assertEquals(first.name(), again.name());
        assertEquals(t, again.versionId());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — moto aws_verified test quotes the message, not yet run by this suite")
    void sameTokenWithAnotherValueIsResourceExists() {
        String n = name("s");
        String t = token();
        String arn = createSecret(n, "v", t).arn();
        String msg = "You can't use ClientRequestToken " + t + " because that value is already in use for a version of secret "
                + arn + ".";

        unchanged(n, () -> {
            refused(ResourceExistsException.class, "ResourceExistsException", msg, () -> createSecret(n, "other", t));
            Expect.error(raw("CreateSecret", json("Name", n, "SecretString", "other", "ClientRequestToken", t)), 400,
                    "ResourceExistsException", msg);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — LocalStack snapshot of a raw request without token, not yet run by this suite")
    void rawRequestWithAValueButNoTokenIsInvalidRequest() {
        String n = name("s");

        unchanged(n, () -> {
            Expect.error(raw("CreateSecret", json("Name", n, "SecretString", "v")), 400, "InvalidRequestException", TOKEN_REQUIRED);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 CreateSecret [V] — LocalStack snapshot: empty Description is no description")
    void emptyDescriptionIsStoredAsNone() {
        String n = name("s");
        track(n);
        sm().createSecret(b -> b.name(n).description("").secretString("v"));

        assertNull(sm().describeSecret(b -> b.secretId(n)).description());
        Expect.that(raw("DescribeSecret", json("SecretId", n))).status(200).lacks("Description").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 TagResource [U] for CreateSecret — the recorded order [tag1, tag2] was TagResource's and is alphabetical as well as insertion order; that CreateSecret keeps zeta before alpha is unverified")
    void tagsAndDescriptionAreStoredInOrder() {
        String n = name("s");
        track(n);
        sm().createSecret(b -> b.name(n).description("about").secretString("v")
                .tags(Tag.builder().key("zeta").value("1").build(), Tag.builder().key("alpha").value("2").build()));

        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId(n));

        assertEquals("about", d.description());
        assertEquals(List.of("zeta", "alpha"), d.tags().stream().map(Tag::key).toList());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 CreateSecret / §7.2 [V] — 'Invalid replica region.' quoted from AWS (aws-health-aware#32)")
    void replicaInTheCallersOwnRegionIsInvalidParameter() {
        String n = name("s");

        unchanged(n, () -> {
            refused(InvalidParameterException.class, "InvalidParameterException", "Invalid replica region.", () -> {
                track(n);
                sm().createSecret(b -> b.name(n).secretString("v").addReplicaRegions(r -> r.region(target.region())));
            });
            Expect.error(raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", token(),
                    "AddReplicaRegions", List.of(Map.of("Region", target.region())))), 400, "InvalidParameterException",
                    "Invalid replica region.");
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [V prefix] — 'The operation failed because of an invalid KMS key: Invalid keyId' (boto3#1753); full text [U]")
    void malformedKmsKeyIdIsInvalidParameter() {
        String n = name("s");

        unchanged(n, () -> {
            Expect.that(raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", token(),
                    "KmsKeyId", "not-a-key"))).status(400).type("InvalidParameterException")
                    .messageStartsWith("The operation failed because of an invalid KMS key: Invalid keyId").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.1 [D][V] — a bare alias without 'alias/' is rejected (boto3#1533); message prefix [V]")
    void aliasWithoutItsPrefixIsInvalidParameter() {
        String n = name("s");

        unchanged(n, () -> {
            Expect.that(raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", token(),
                    "KmsKeyId", "aws/secretsmanager"))).status(400).type("InvalidParameterException")
                    .messageStartsWith("The operation failed because of an invalid KMS key: ").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.3 [V] — KMS 'Key ... does not exist' inside the invalid-KMS-key prefix (terraform-provider-aws#30272)")
    void unknownKeyIdIsInvalidParameterQuotingKms() {
        String n = name("s");
        String keyId = "0b6a3a3f-1d7e-4c0a-9f41-5d2a9d7e0c11";

        unchanged(n, () -> {
            Expect.that(raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", token(),
                    "KmsKeyId", keyId))).status(400).type("InvalidParameterException")
                    .messageMatches("The operation failed because of an invalid KMS key: Key 'arn:aws:kms:" + target.region()
                            + ":\\d{12}:key/" + keyId + "' does not exist.*").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 [U] — Type (2025 model addition) is stored and echoed")
    void typeIsStoredAndEchoed() {
        String n = name("s");

        var created = raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", token(),
                "Type", "custom-type"));

        Expect.ok(created, "ARN", "Name", "VersionId");
        assertEquals("custom-type", raw("DescribeSecret", json("SecretId", n)).body().path("Type").asText());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — moto aws_verified: same token and same binary value is a no-op too")
    void sameTokenAndSameBinaryValueIsANoOp() {
        String n = name("s");
        String t = token();
        track(n);
        var first = sm().createSecret(b -> b.name(n).secretBinary(SdkBytes.fromUtf8String("bytes")).clientRequestToken(t));

        var again = sm().createSecret(b -> b.name(n).secretBinary(SdkBytes.fromUtf8String("bytes")).clientRequestToken(t));

        assertEquals(first.arn(), again.arn());
        assertEquals(t, again.versionId());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — the same bytes as string instead of binary are another value")
    void sameTokenWithTheSameBytesAsStringIsResourceExists() {
        String n = name("s");
        String t = token();
        track(n);
        String arn = sm().createSecret(b -> b.name(n).secretBinary(SdkBytes.fromUtf8String("bytes")).clientRequestToken(t)).arn();

        refused(ResourceExistsException.class, "ResourceExistsException", "You can't use ClientRequestToken " + t
                + " because that value is already in use for a version of secret " + arn + ".",
                () -> sm().createSecret(b -> b.name(n).secretString("bytes").clientRequestToken(t)));
    }
}
