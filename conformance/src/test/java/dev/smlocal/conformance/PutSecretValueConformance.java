package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** PutSecretValue and staging-label movement (AWS-BEHAVIOUR §4.1, §4.2, §5). */
class PutSecretValueConformance extends ConformanceCheck {
    static final String V = "AWS-BEHAVIOUR §4.2 [V] — LocalStack snapshots of label movement against AWS, not yet run by this suite";

    Map<String, List<String>> stages(String n) {
        return sm().describeSecret(b -> b.secretId(n)).versionIdsToStages();
    }

    @Test
    @AwsUnverified(reason = V)
    void newValueTakesAwsCurrentAndThePreviousBecomesAwsPrevious() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);

        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two")).versionId();

        assertEquals(Map.of(v1, List.of("AWSPREVIOUS"), v2, List.of("AWSCURRENT")), stages(n));
        assertEquals("two", sm().getSecretValue(b -> b.secretId(n)).secretString());
        assertEquals("one", sm().getSecretValue(b -> b.secretId(n).versionStage("AWSPREVIOUS")).secretString());
    }

    @Test
    @AwsUnverified(reason = V)
    void thirdValueLeavesTheOldestWithoutLabelsAndOutOfTheMap() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two")).versionId();

        String v3 = sm().putSecretValue(b -> b.secretId(n).secretString("three")).versionId();

        assertEquals(Map.of(v2, List.of("AWSPREVIOUS"), v3, List.of("AWSCURRENT")), stages(n));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.2 / §5 PutSecretValue [V] — LocalStack snapshot of the answer")
    void answersArnNameVersionIdAndTheVersionsStages() {
        String n = name("s");
        createSecret(n, "one");
        String t = token();

        var raw = raw("PutSecretValue", json("SecretId", n, "SecretString", "two", "ClientRequestToken", t));

        Expect.ok(raw, "ARN", "Name", "VersionId", "VersionStages");
        assertEquals(t, raw.body().get("VersionId").asText());
        assertEquals("[\"AWSCURRENT\"]", raw.body().get("VersionStages").toString());
    }

    @Test
    @AwsUnverified(reason = V)
    void pendingValueLeavesAwsCurrentWhereItWas() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);

        PutSecretValueResponse p = sm().putSecretValue(b -> b.secretId(n).secretString("next").versionStages("AWSPENDING"));

        assertEquals(List.of("AWSPENDING"), p.versionStages());
        assertEquals("one", sm().getSecretValue(b -> b.secretId(n)).secretString());
        assertEquals("next", sm().getSecretValue(b -> b.secretId(n).versionStage("AWSPENDING")).secretString());
        assertEquals(List.of("AWSCURRENT"), stages(n).get(v1));
    }

    @Test
    @AwsUnverified(reason = V)
    void customLabelsLiveBesideAwsLabels() {
        String n = name("s");
        createSecret(n, "one");

        var p = sm().putSecretValue(b -> b.secretId(n).secretString("two").versionStages("PUT1", "AWSCURRENT"));

        assertTrue(p.versionStages().containsAll(List.of("PUT1", "AWSCURRENT")), p.versionStages().toString());
        assertEquals("two", sm().getSecretValue(b -> b.secretId(n).versionStage("PUT1")).secretString());
    }

    @Test
    @AwsUnverified(reason = V + " (v2 one,two,three → new one,two,three,four: v2 loses every label)")
    void takingEveryLabelOfAVersionDropsItFromTheMap() {
        String n = name("s");
        createSecret(n, "base");
        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two").versionStages("one", "two", "three")).versionId();

        String v3 = sm().putSecretValue(b -> b.secretId(n).secretString("three").versionStages("one", "two", "three", "four"))
                .versionId();

        Map<String, List<String>> map = stages(n);
        assertFalse(map.containsKey(v2), "v2 has no label left: " + map);
        assertEquals(4, map.get(v3).size(), map.toString());
    }

    @Test
    @AwsUnverified(reason = V + " (v2 one,two,three → new one,two,four: v2 keeps three)")
    void takingSomeLabelsLeavesTheOthers() {
        String n = name("s");
        createSecret(n, "base");
        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two").versionStages("one", "two", "three")).versionId();

        sm().putSecretValue(b -> b.secretId(n).secretString("three").versionStages("one", "two", "four"));

        assertEquals(List.of("three"), stages(n).get(v2));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.2 [D] — the first version always gets AWSCURRENT")
    void firstVersionOfAnEmptySecretGetsAwsCurrentWhateverWasAsked() {
        String n = name("s");
        createSecret(n, null);

        var p = sm().putSecretValue(b -> b.secretId(n).secretString("v").versionStages("CUSTOM"));

        assertTrue(p.versionStages().contains("AWSCURRENT"), p.versionStages().toString());
        assertEquals("v", sm().getSecretValue(b -> b.secretId(n)).secretString());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — moto aws_verified: same token and value answer that version's stages")
    void sameTokenAndValueIsANoOp() {
        String n = name("s");
        createSecret(n, "one");
        String t = token();
        sm().putSecretValue(b -> b.secretId(n).secretString("two").clientRequestToken(t));

        var again = sm().putSecretValue(b -> b.secretId(n).secretString("two").clientRequestToken(t));

        assertEquals(t, again.versionId());
        assertEquals(List.of("AWSCURRENT"), again.versionStages());
        assertEquals(2, stages(n).size());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — moto aws_verified test quotes the message")
    void sameTokenWithAnotherValueIsResourceExists() {
        String n = name("s");
        String arn = createSecret(n, "one").arn();
        String t = token();
        sm().putSecretValue(b -> b.secretId(n).secretString("two").clientRequestToken(t));
        String msg = "You can't use ClientRequestToken " + t + " because that value is already in use for a version of secret "
                + arn + ".";

        unchanged(n, () -> {
            refused(ResourceExistsException.class, "ResourceExistsException", msg,
                    () -> sm().putSecretValue(b -> b.secretId(n).secretString("three").clientRequestToken(t)));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — LocalStack snapshot of a raw request without token")
    void rawRequestWithoutTokenIsInvalidRequest() {
        String n = name("s");
        createSecret(n, "one");

        unchanged(n, () -> {
            Expect.error(raw("PutSecretValue", json("SecretId", n, "SecretString", "two")), 400, "InvalidRequestException",
                    CreateSecretConformance.TOKEN_REQUIRED);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.1 [V] — the token is checked before the secret is looked up")
    void missingTokenIsReportedBeforeAnUnknownSecret() {
        String n = name("missing");

        unchanged(n, () -> {
            Expect.error(raw("PutSecretValue", json("SecretId", n, "SecretString", "two")), 400, "InvalidRequestException",
                    CreateSecretConformance.TOKEN_REQUIRED);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 PutSecretValue [E] — LocalStack's text for a call without any value")
    void noValueIsInvalidRequest() {
        String n = name("s");
        createSecret(n, "one");

        unchanged(n, () -> {
            Expect.error(raw("PutSecretValue", json("SecretId", n, "ClientRequestToken", token())), 400,
                    "InvalidRequestException", "You must provide either SecretString or SecretBinary.");
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 PutSecretValue [V/U] — as CreateSecret's both-values refusal")
    void bothValuesIsInvalidParameter() {
        String n = name("s");
        createSecret(n, "one");

        unchanged(n, () -> {
            refused(InvalidParameterException.class, "InvalidParameterException", CreateSecretConformance.BOTH,
                    () -> sm().putSecretValue(b -> b.secretId(n).secretString("s").secretBinary(SdkBytes.fromUtf8String("b"))));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §6 [V/E] — marked-for-deletion text on writes")
    void secretScheduledForDeletionIsInvalidRequest() {
        String n = name("s");
        createSecret(n, "one");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        unchanged(n, () -> {
            refused(InvalidRequestException.class, "InvalidRequestException", MARKED_FOR_DELETION,
                    () -> sm().putSecretValue(b -> b.secretId(n).secretString("two")));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 [D] — unknown secret, the common not-found text [V]")
    void unknownSecretIsResourceNotFound() {
        String n = name("missing");

        unchanged(n, () -> {
            refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                    () -> sm().putSecretValue(b -> b.secretId(n).secretString("two")));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.4 [D] — values up to 65,536 bytes")
    void valueOf65536CharactersIsAccepted() {
        String n = name("s");
        createSecret(n, "one");

        sm().putSecretValue(b -> b.secretId(n).secretString("x".repeat(65536)));

        assertEquals(65536, sm().getSecretValue(b -> b.secretId(n)).secretString().length());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.4 [D] limit; §1.3 [V template] ValidationException — wording for a sensitive member [U]")
    void valueOver65536CharactersIsAValidationException() {
        String n = name("s");
        createSecret(n, "one");

        unchanged(n, () -> {
            Expect.that(raw("PutSecretValue", json("SecretId", n, "SecretString", "x".repeat(65537), "ClientRequestToken",
                    token()))).status(400).type("ValidationException").messageContains("secretString").verify();
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.4 [D] — at most 20 staging labels across a secret's versions: LimitExceededException; message [U]")
    void twentyFirstLabelIsLimitExceeded() {
        String n = name("s");
        createSecret(n, "base");
        List<String> eighteen = new java.util.ArrayList<>();
        for (int i = 1; i <= 18; i++) eighteen.add("L" + i);
        sm().putSecretValue(b -> b.secretId(n).secretString("a").versionStages(eighteen));
        sm().putSecretValue(b -> b.secretId(n).secretString("b").versionStages("L19"));

        unchanged(n, () -> {
            Expect.that(raw("PutSecretValue", json("SecretId", n, "SecretString", "c", "ClientRequestToken", token(),
                    "VersionStages", List.of("L20")))).status(400).type("LimitExceededException").verify();
        });
        assertEquals(20, stages(n).values().stream().mapToInt(List::size).sum());
    }

    @Test
    @EmulatorOnly("clock: deprecated versions are purged once a day old")
    void deprecatedVersionsBeyondAHundredArePurgedOnlyOnceADayOld() {
        String n = name("s");
        createSecret(n, "v0");
        for (int i = 1; i <= 102; i++) {
            String value = "v" + i;
            sm().putSecretValue(b -> b.secretId(n).secretString(value));
        }
        assertEquals(103, allVersions(n), "101 deprecated versions younger than a day are all kept");
        powers().advance(java.time.Duration.ofHours(25));

        sm().putSecretValue(b -> b.secretId(n).secretString("later"));

        assertEquals(102, allVersions(n), "100 deprecated versions are kept, plus AWSCURRENT and AWSPREVIOUS");
    }

    int allVersions(String n) {
        return (int) sm().listSecretVersionIdsPaginator(b -> b.secretId(n).includeDeprecated(true)).stream()
                .mapToLong(p -> p.versions().size()).sum();
    }
}
