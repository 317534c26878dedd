package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.*;

/** ListSecrets filters, sorting and paging; tags; BatchGetSecretValue; regions and accounts kept apart. */
class ListingAndTagsWireTest extends WireSupport {

    private static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    private List<String> names(ListSecretsResponse r) {
        return r.secretList().stream().map(SecretListEntry::name).collect(Collectors.toList());
    }

    @Test
    void defaultOrderIsOldestFirstAndSortByNameWorks() {
        sm().createSecret(b -> b.name("b"));
        advance(Duration.ofSeconds(1));
        sm().createSecret(b -> b.name("a"));
        advance(Duration.ofSeconds(1));
        sm().createSecret(b -> b.name("c"));

        assertEquals(List.of("b", "a", "c"), names(sm().listSecrets(b -> { })));
        assertEquals(List.of("a", "b", "c"), names(sm().listSecrets(b -> b.sortBy(SortByType.NAME).sortOrder(SortOrderType.ASC))));
        assertEquals(List.of("c", "b", "a"), names(sm().listSecrets(b -> b.sortBy(SortByType.NAME).sortOrder(SortOrderType.DESC))));
    }

    @Test
    void filtersMatchPrefixesAndNegation() {
        sm().createSecret(b -> b.name("prod/db").description("main database").tags(tag("env", "prod")));
        advance(Duration.ofSeconds(1));
        sm().createSecret(b -> b.name("prod/api").description("api key").tags(tag("env", "prod")));
        advance(Duration.ofSeconds(1));
        sm().createSecret(b -> b.name("dev/db").description("dev database").tags(tag("env", "dev")));

        assertEquals(List.of("prod/db", "prod/api"),
                names(sm().listSecrets(b -> b.filters(Filter.builder().key(FilterNameStringType.NAME).values("prod/").build()))));
        assertEquals(List.of("dev/db"),
                names(sm().listSecrets(b -> b.filters(Filter.builder().key(FilterNameStringType.TAG_VALUE).values("dev").build()))));
        assertEquals(List.of("prod/api", "dev/db"),
                names(sm().listSecrets(b -> b.filters(Filter.builder().key(FilterNameStringType.NAME).values("!prod/db").build()))));
        assertEquals(List.of("prod/db", "dev/db"),
                names(sm().listSecrets(b -> b.filters(Filter.builder().key(FilterNameStringType.DESCRIPTION).values("database").build()))));
    }

    @Test
    void pagesCarryANextTokenUntilTheEnd() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            sm().createSecret(b -> b.name("s" + n));
            advance(Duration.ofMillis(10));
        }

        ListSecretsResponse p1 = sm().listSecrets(b -> b.maxResults(2));
        ListSecretsResponse p2 = sm().listSecrets(b -> b.maxResults(2).nextToken(p1.nextToken()));
        ListSecretsResponse p3 = sm().listSecrets(b -> b.maxResults(2).nextToken(p2.nextToken()));

        assertEquals(List.of("s0", "s1"), names(p1));
        assertEquals(List.of("s2", "s3"), names(p2));
        assertEquals(List.of("s4"), names(p3));
        assertNull(p3.nextToken());
        InvalidNextTokenException e = assertThrows(InvalidNextTokenException.class,
                () -> sm().listSecrets(b -> b.maxResults(2).nextToken("garbage")));
        assertEquals(400, e.statusCode());
    }

    @Test
    void tagsAreUpsertedInOrderAndRemovingAllLeavesAnEmptyList() {
        sm().createSecret(b -> b.name("s"));
        assertFalse(sm().describeSecret(b -> b.secretId("s")).hasTags());

        sm().tagResource(b -> b.secretId("s").tags(tag("a", "1"), tag("b", "2")));
        sm().tagResource(b -> b.secretId("s").tags(tag("a", "3")));
        assertEquals(List.of(tag("a", "3"), tag("b", "2")), sm().describeSecret(b -> b.secretId("s")).tags());

        sm().untagResource(b -> b.secretId("s").tagKeys("a", "b", "unknown"));
        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId("s"));
        assertTrue(d.hasTags());
        assertEquals(List.of(), d.tags());
    }

    @Test
    void batchGetReturnsValuesAndPerSecretErrors() {
        sm().createSecret(b -> b.name("a").secretString("1"));
        sm().createSecret(b -> b.name("b").secretString("2"));

        BatchGetSecretValueResponse r = sm().batchGetSecretValue(b -> b.secretIdList("a", "b", "missing"));

        assertEquals(List.of("1", "2"), r.secretValues().stream().map(SecretValueEntry::secretString).collect(Collectors.toList()));
        assertEquals(1, r.errors().size());
        assertEquals("missing", r.errors().get(0).secretId());
        assertEquals("ResourceNotFoundException", r.errors().get(0).errorCode());
    }

    @Test
    void batchGetByFilterAndItsRefusals() {
        sm().createSecret(b -> b.name("app/a").secretString("1"));
        sm().createSecret(b -> b.name("other").secretString("2"));

        BatchGetSecretValueResponse r = sm().batchGetSecretValue(b -> b.filters(
                Filter.builder().key(FilterNameStringType.NAME).values("app/").build()));
        InvalidParameterException both = assertThrows(InvalidParameterException.class, () -> sm().batchGetSecretValue(b -> b
                .secretIdList("a").filters(Filter.builder().key(FilterNameStringType.NAME).values("x").build())));

        assertEquals(List.of("app/a"), r.secretValues().stream().map(SecretValueEntry::name).collect(Collectors.toList()));
        assertEquals("Either 'SecretIdList' or 'Filters' must be provided, but not both.", both.awsErrorDetails().errorMessage());
    }

    @Test
    void regionsAndAccountsAreKeptApart() {
        sm("us-east-1").createSecret(b -> b.name("shared").secretString("east"));
        sm("eu-west-1").createSecret(b -> b.name("shared").secretString("west"));
        sm("us-east-1", OTHER_ACCOUNT).createSecret(b -> b.name("shared").secretString("other-account"));

        assertEquals("east", sm("us-east-1").getSecretValue(b -> b.secretId("shared")).secretString());
        assertEquals("west", sm("eu-west-1").getSecretValue(b -> b.secretId("shared")).secretString());
        assertEquals("other-account", sm("us-east-1", OTHER_ACCOUNT).getSecretValue(b -> b.secretId("shared")).secretString());
        String westArn = sm("eu-west-1").describeSecret(b -> b.secretId("shared")).arn();
        assertTrue(westArn.startsWith("arn:aws:secretsmanager:eu-west-1:000000000000:secret:shared-"));
        assertTrue(sm("us-east-1", OTHER_ACCOUNT).describeSecret(b -> b.secretId("shared")).arn()
                .startsWith("arn:aws:secretsmanager:us-east-1:111122223333:secret:shared-"));
        assertThrows(ResourceNotFoundException.class, () -> sm("us-east-1").describeSecret(b -> b.secretId(westArn)));
        assertThrows(ResourceNotFoundException.class, () -> sm("us-west-2").describeSecret(b -> b.secretId("shared")));
    }

    @Test
    void crossAccountArnReachesTheOwnerButNotItsDefaultKeyValue() {
        String arn = sm("us-east-1", OTHER_ACCOUNT).createSecret(b -> b.name("x").secretString("v")).arn();
        // AWS needs the owner's resource policy to let the other account in at all
        sm("us-east-1", OTHER_ACCOUNT).putResourcePolicy(b -> b.secretId(arn).resourcePolicy(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                        + "\"arn:aws:iam::000000000000:root\"},\"Action\":[\"secretsmanager:DescribeSecret\","
                        + "\"secretsmanager:GetSecretValue\"],\"Resource\":\"*\"}]}"));

        assertEquals("x", sm("us-east-1").describeSecret(b -> b.secretId(arn)).name());
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> sm("us-east-1").getSecretValue(b -> b.secretId(arn)));

        assertEquals("You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.",
                e.awsErrorDetails().errorMessage());
        assertTrue(sm("us-east-1").listSecrets(b -> { }).secretList().isEmpty());
    }

    @Test
    void resourcePoliciesRoundTripAndPublicOnesCanBeBlocked() {
        sm().createSecret(b -> b.name("s"));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
        String open = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";

        assertNull(sm().getResourcePolicy(b -> b.secretId("s")).resourcePolicy());
        sm().putResourcePolicy(b -> b.secretId("s").resourcePolicy(policy));
        assertEquals(policy, sm().getResourcePolicy(b -> b.secretId("s")).resourcePolicy());
        assertThrows(PublicPolicyException.class,
                () -> sm().putResourcePolicy(b -> b.secretId("s").resourcePolicy(open).blockPublicPolicy(true)));
        assertThrows(MalformedPolicyDocumentException.class,
                () -> sm().putResourcePolicy(b -> b.secretId("s").resourcePolicy("{not json")));
        var refused = sm().validateResourcePolicy(b -> b.resourcePolicy(open));
        assertFalse(refused.policyValidationPassed());
        assertEquals(1, refused.validationErrors().size());
        assertEquals("PUBLIC_ACCESS_CHECK", refused.validationErrors().get(0).checkName());
        assertEquals("The resource policy grants public access to the secret.",
                refused.validationErrors().get(0).errorMessage());
        assertTrue(sm().validateResourcePolicy(b -> b.resourcePolicy(policy)).policyValidationPassed());
        sm().deleteResourcePolicy(b -> b.secretId("s"));
        assertNull(sm().getResourcePolicy(b -> b.secretId("s")).resourcePolicy());
    }

    @Test
    void randomPasswordsFollowTheRequest() {
        String p = sm().getRandomPassword(b -> b.passwordLength(20L).excludePunctuation(true)).randomPassword();

        assertEquals(20, p.length());
        assertTrue(p.chars().allMatch(Character::isLetterOrDigit), p);
        assertEquals(32, sm().getRandomPassword(b -> { }).randomPassword().length());
    }
}
