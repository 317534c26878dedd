package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.APIErrorType;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;

/** BatchGetSecretValue (AWS-BEHAVIOUR §5). */
class BatchGetSecretValueConformance extends ConformanceCheck {
    static final String D = "AWS-BEHAVIOUR §5 BatchGetSecretValue [D][V example] — AWS docs / CLI example, not yet run by this suite";

    @Test
    @AwsUnverified(reason = D)
    void byIdsAnswersCurrentValuesAndAnErrorPerMissingSecret() {
        String a = name("a");
        String b = name("b");
        String missing = name("missing");
        createSecret(a, "va");
        createSecret(b, "vb");
        sm().putSecretValue(x -> x.secretId(b).secretString("vb2"));

        BatchGetSecretValueResponse r = sm().batchGetSecretValue(x -> x.secretIdList(a, b, missing));

        assertEquals(Map.of(a, "va", b, "vb2"), values(r));
        assertEquals(1, r.errors().size());
        APIErrorType e = r.errors().get(0);
        assertEquals(missing, e.secretId());
        assertEquals("ResourceNotFoundException", e.errorCode());
        assertEquals(NOT_FOUND, e.message());
    }

    static Map<String, String> values(BatchGetSecretValueResponse r) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (SecretValueEntry e : r.secretValues()) out.put(e.name(), e.secretString());
        return out;
    }

    @Test
    @AwsUnverified(reason = D)
    void rawAnswerCarriesSecretValuesAndErrors() {
        String a = name("a");
        createSecret(a, "va");

        var raw = raw("BatchGetSecretValue", json("SecretIdList", List.of(a)));

        Expect.that(raw).status(200).has("SecretValues", "SecretValues[].ARN", "SecretValues[].Name",
                "SecretValues[].VersionId", "SecretValues[].SecretString", "SecretValues[].VersionStages",
                "SecretValues[].CreatedDate").verify();
    }

    @Test
    @AwsUnverified(reason = D)
    void byFiltersAnswersTheMatchingSecrets() {
        createSecret(name("x/one"), "1");
        createSecret(name("x/two"), "2");
        createSecret(name("y"), "3");
        Filter f = Filter.builder().key(FilterNameStringType.NAME).values(scenario().scope() + "x/").build();

        List<String> got = new ArrayList<>();
        target.eventually("both x secrets are found", () -> {
            got.clear();
            sm().batchGetSecretValuePaginator(x -> x.filters(f)).stream().flatMap(p -> p.secretValues().stream()).forEach(e -> got.add(e.secretString()));
            return got.size() == 2;
        });

        assertEquals(List.of("1", "2"), got.stream().sorted().toList());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 BatchGetSecretValue [E] — moto's text for both lists")
    void idsAndFiltersTogetherAreInvalidParameter() {
        String a = name("a");

        Expect.error(raw("BatchGetSecretValue", json("SecretIdList", List.of(a),
                "Filters", List.of(Map.of("Key", "name", "Values", List.of(a))))), 400, "InvalidParameterException",
                "Either 'SecretIdList' or 'Filters' must be provided, but not both.");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 BatchGetSecretValue [E] — moto's text for neither list")
    void neitherIdsNorFiltersIsInvalidParameter() {
        Expect.error(raw("BatchGetSecretValue", json()), 400, "InvalidParameterException",
                "Either 'SecretIdList' or 'Filters' must be provided, but not both.");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 BatchGetSecretValue [E] — moto's text for MaxResults without Filters")
    void maxResultsWithoutFiltersIsInvalidParameter() {
        String a = name("a");

        Expect.error(raw("BatchGetSecretValue", json("SecretIdList", List.of(a), "MaxResults", 5)), 400,
                "InvalidParameterException",
                "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 BatchGetSecretValue [D][E] — per-secret failures carry GetSecretValue's code and text")
    void secretScheduledForDeletionIsAnErrorEntry() {
        String a = name("a");
        createSecret(a, "va");
        sm().deleteSecret(x -> x.secretId(a).recoveryWindowInDays(7L));

        BatchGetSecretValueResponse r = sm().batchGetSecretValue(x -> x.secretIdList(a));

        assertTrue(r.secretValues().isEmpty());
        assertEquals("InvalidRequestException", r.errors().get(0).errorCode());
        assertEquals(MARKED_FOR_DELETION, r.errors().get(0).message());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 BatchGetSecretValue [D] — binary values come back as SecretBinary")
    void binaryValuesComeBackAsSecretBinary() {
        String a = name("a");
        track(a);
        sm().createSecret(x -> x.name(a).secretBinary(SdkBytes.fromUtf8String("bytes")));

        BatchGetSecretValueResponse r = sm().batchGetSecretValue(x -> x.secretIdList(a));

        assertEquals("bytes", r.secretValues().get(0).secretBinary().asUtf8String());
    }

    @Test
    @AwsUnverified(reason = "spec Appendix A [D] — SecretIdList holds at most 20 ids (model); ValidationException template [V]")
    void moreThanTwentyIdsIsAValidationException() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 21; i++) ids.add(name("n" + i));

        Expect.that(raw("BatchGetSecretValue", json("SecretIdList", ids))).status(400).type("ValidationException")
                .messageContains("secretIdList").verify();
    }
}
