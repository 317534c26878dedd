package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smlocal.conformance.support.Expect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SortByType;
import software.amazon.awssdk.services.secretsmanager.model.SortOrderType;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * ListSecrets (AWS-BEHAVIOUR §5): entry shape, planned deletion, filters, order and pages. Every query is
 * narrowed to this check's names with a {@code name} filter (filters AND), so it holds in a shared
 * account; against AWS the answers are polled, ListSecrets being eventually consistent.
 */
class ListSecretsConformance extends ConformanceCheck {
    static final String V = "AWS-BEHAVIOUR §5 ListSecrets [V] — moto aws_verified filter tests / LocalStack snapshot, not yet run by this suite";

    static Filter filter(FilterNameStringType key, String... values) {
        return Filter.builder().key(key).values(values).build();
    }

    /** Names (relative to this check's scope) that ListSecrets answers for the filters. */
    List<String> listed(boolean includeDeleted, Filter... extra) {
        List<Filter> filters = new ArrayList<>();
        filters.add(filter(FilterNameStringType.NAME, scenario().scope()));
        filters.addAll(List.of(extra));
        List<String> out = new ArrayList<>();
        sm().listSecretsPaginator(b -> b.filters(filters).includePlannedDeletion(includeDeleted)).stream().flatMap(p -> p.secretList().stream())
                .forEach(e -> out.add(e.name().substring(scenario().scope().length())));
        return out;
    }

    /** Polls (AWS) until the listing equals {@code expected} in any order, then answers it. */
    void expectListed(List<String> expected, Filter... extra) {
        AtomicReference<List<String>> last = new AtomicReference<>();
        try {
            target.eventually("ListSecrets answers " + expected, () -> {
                last.set(listed(false, extra));
                return new java.util.HashSet<>(last.get()).equals(new java.util.HashSet<>(expected))
                        && last.get().size() == expected.size();
            });
        } catch (AssertionError e) {
            assertEquals(expected, last.get(), "ListSecrets with " + List.of(extra));
        }
    }

    void create(String label, String description, Tag... tags) {
        String n = name(label);
        track(n);
        sm().createSecret(b -> {
            b.name(n).secretString("v");
            if (description != null) b.description(description);
            if (tags.length > 0) b.tags(tags);
        });
    }

    static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    /** Lets time pass between creations: the emulator clock, or a little real time. */
    void tick() {
        if (target.powers().isPresent()) {
            powers().advance(Duration.ofSeconds(1));
        } else {
            try {
                Thread.sleep(1100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [V][D] — entries name their version map SecretVersionsToStages and carry no ReplicationStatus")
    void entriesUseSecretVersionsToStages() {
        create("a", "words");
        target.eventually("the secret is listed", () -> listed(false).size() == 1);

        var raw = raw("ListSecrets", json("Filters", List.of(Map.of("Key", "name", "Values", List.of(scenario().scope())))));

        Expect.that(raw).status(200).fields("SecretList")
                .has("SecretList[].ARN", "SecretList[].Name", "SecretList[].Description", "SecretList[].SecretVersionsToStages",
                        "SecretList[].CreatedDate", "SecretList[].LastChangedDate")
                .lacks("SecretList[].VersionIdsToStages", "SecretList[].ReplicationStatus").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [D] — planned deletions are hidden unless IncludePlannedDeletion")
    void scheduledSecretsAreHiddenUnlessAskedFor() {
        create("kept", null);
        create("going", null);
        sm().deleteSecret(b -> b.secretId(scenario().scope() + "going").recoveryWindowInDays(7L));

        expectListed(List.of("kept"));
        target.eventually("IncludePlannedDeletion shows both", () -> listed(true).size() == 2);
        SecretListEntry going = sm().listSecrets(b -> b.includePlannedDeletion(true)
                .filters(filter(FilterNameStringType.NAME, scenario().scope() + "going"))).secretList().get(0);
        assertTrue(going.deletedDate() != null, "a planned deletion carries DeletedDate");
    }

    @Test
    @AwsUnverified(reason = V)
    void nameFilterIsACaseSensitivePrefix() {
        create("alpha/one", null);
        create("alpha/two", null);
        create("beta", null);

        expectListed(List.of("alpha/one", "alpha/two"), filter(FilterNameStringType.NAME, scenario().scope() + "alpha"));
        expectListed(List.of(), filter(FilterNameStringType.NAME, scenario().scope() + "ALPHA"));
    }

    @Test
    @AwsUnverified(reason = V + " ('testing1 one' matches nothing)")
    void nameFilterWithASpaceMatchesNothing() {
        create("testing1", null);

        expectListed(List.of(), filter(FilterNameStringType.NAME, scenario().scope() + "testing1 one"));
    }

    @Test
    @AwsUnverified(reason = V + " (values OR, filters AND)")
    void valuesOfOneFilterAreOredAndFiltersAreAnded() {
        create("a", "red apple");
        create("b", "green apple");
        create("c", "red cherry");

        expectListed(List.of("a", "b"), filter(FilterNameStringType.NAME, scenario().scope() + "a", scenario().scope() + "b"));
        expectListed(List.of("a"), filter(FilterNameStringType.DESCRIPTION, "red"),
                filter(FilterNameStringType.DESCRIPTION, "apple"));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [D] — a value starting with '!' negates")
    void exclamationMarkNegatesAValue() {
        create("keep", "plain");
        create("drop", "special");

        expectListed(List.of("keep"), filter(FilterNameStringType.DESCRIPTION, "!special"));
    }

    // ---- negation on every filter key, alone and mixed with plain values ------------------------
    // A broken negation shows as a different listing: '!' ignored lists the negated set, '!' taken as
    // part of the value lists nothing, negations ORed with plain values list too much.

    static final String NEG = "AWS-BEHAVIOUR §5 ListSecrets [D: API Filter] — a value starting with '!' negates, on every key";
    static final String NEG_MIXED = NEG + "; [U] with plain values in the same filter every negation must hold and one "
            + "plain value match (smlocal and moto)";
    static final String NEG_ABSENT = NEG + "; [U] a secret without the attribute does not match it, so it matches the negation";

    static String not(String value) {
        return "!" + value;
    }

    @Test
    @AwsUnverified(reason = NEG)
    void negatedNameExcludesThatPrefix() {
        create("alpha/one", null);
        create("alpha/two", null);
        create("beta", null);

        expectListed(List.of("beta"), filter(FilterNameStringType.NAME, not(scenario().scope() + "alpha")));
    }

    @Test
    @AwsUnverified(reason = NEG_MIXED)
    void negatedNameMixedWithAPlainName() {
        create("alpha/one", null);
        create("alpha/two", null);
        create("beta", null);

        expectListed(List.of("alpha/one"), filter(FilterNameStringType.NAME, scenario().scope() + "alpha",
                not(scenario().scope() + "alpha/two")));
    }

    @Test
    @AwsUnverified(reason = NEG_MIXED)
    void negatedDescriptionMixedWithAPlainDescription() {
        create("a", "shared plain");
        create("b", "shared special");
        create("c", "other words");

        expectListed(List.of("a", "c"), filter(FilterNameStringType.DESCRIPTION, not("special")),
                filter(FilterNameStringType.DESCRIPTION, "shared", "other"));
        expectListed(List.of("a"), filter(FilterNameStringType.DESCRIPTION, "shared", not("special")));
    }

    @Test
    @AwsUnverified(reason = NEG)
    void negatedTagKeyExcludesEverySecretWithSuchAKey() {
        create("a", null, tag("Env", "prod"));
        create("b", null, tag("Owner", "x"));
        create("c", null, tag("Environment", "staging"), tag("Owner", "y"));

        expectListed(List.of("b"), filter(FilterNameStringType.TAG_KEY, not("Env")));
    }

    @Test
    @AwsUnverified(reason = NEG_MIXED)
    void negatedTagKeyMixedWithAPlainTagKey() {
        create("a", null, tag("Env", "prod"));
        create("b", null, tag("Owner", "x"));
        create("c", null, tag("Env", "staging"), tag("Owner", "y"));
        create("d", null, tag("Team", "z"));

        expectListed(List.of("b"), filter(FilterNameStringType.TAG_KEY, "Owner", not("Env")));
    }

    @Test
    @AwsUnverified(reason = NEG)
    void negatedTagValueExcludesEverySecretWithSuchAValue() {
        create("a", null, tag("k", "prod"));
        create("b", null, tag("k", "staging"));
        create("c", null, tag("k1", "dev"), tag("k2", "prod-eu"));

        expectListed(List.of("b"), filter(FilterNameStringType.TAG_VALUE, not("prod")));
    }

    @Test
    @AwsUnverified(reason = NEG_MIXED)
    void negatedTagValueMixedWithAPlainTagValue() {
        create("a", null, tag("k", "prod"));
        create("b", null, tag("k", "staging"));
        create("c", null, tag("k1", "staging-2"), tag("k2", "prod-eu"));
        create("d", null, tag("k", "dev"));

        expectListed(List.of("b"), filter(FilterNameStringType.TAG_VALUE, "sta", not("prod")));
    }

    @Test
    @AwsUnverified(reason = NEG_ABSENT + " (primary-region: a secret that is not replicated has none)")
    void negatedPrimaryRegionListsAStandaloneSecret() {
        create("a", null);

        expectListed(List.of("a"), filter(FilterNameStringType.PRIMARY_REGION, not(target.region())));
        expectListed(List.of(), filter(FilterNameStringType.PRIMARY_REGION, target.region(), not("xx-")));
    }

    @Test
    @AwsUnverified(reason = NEG_ABSENT + " (owning-service: secrets made through this API have none)")
    void negatedOwningServiceListsSecretsNoServiceOwns() {
        create("a", null);
        create("b", "text");

        expectListed(List.of(), filter(FilterNameStringType.OWNING_SERVICE, "rds"));
        expectListed(List.of("a", "b"), filter(FilterNameStringType.OWNING_SERVICE, not("rds")));
        expectListed(List.of(), filter(FilterNameStringType.OWNING_SERVICE, "rds", not("secretsmanager")));
    }

    @Test
    @AwsUnverified(reason = NEG + " (all: the word search over name, description and tags, negated)")
    void negatedAllExcludesSecretsWithTheWordAnywhere() {
        create("x1", "orders cache");
        create("x2", null, tag("queue", "v"));
        create("x3", "billing");
        create("x4", null, tag("k", "ORDERS"));

        expectListed(List.of("x2", "x3"), filter(FilterNameStringType.ALL, not("orders")));
    }

    @Test
    @AwsUnverified(reason = NEG_MIXED + " (all)")
    void negatedAllMixedWithAPlainWord() {
        create("x1", "orders cache");
        create("x2", "orders queue");
        create("x3", "billing queue");

        expectListed(List.of("x1"), filter(FilterNameStringType.ALL, "orders", not("queue")));
    }

    @Test
    @AwsUnverified(reason = V + " (description: case-insensitive word prefixes)")
    void descriptionFilterMatchesWordPrefixesIgnoringCase() {
        create("a", "a secret");
        create("b", "An Secret thing");
        create("c", "asecret");

        expectListed(List.of("a", "b"), filter(FilterNameStringType.DESCRIPTION, "a SEC"));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [D] — tag-key and tag-value are prefix matches")
    void tagKeyAndTagValueFiltersArePrefixes() {
        create("a", null, tag("Environment", "production"));
        create("b", null, tag("Owner", "prod-team"));
        create("c", null, tag("Env", "staging"));

        expectListed(List.of("a", "c"), filter(FilterNameStringType.TAG_KEY, "Env"));
        expectListed(List.of("a", "b"), filter(FilterNameStringType.TAG_VALUE, "prod"));
    }

    @Test
    @AwsUnverified(reason = V + " (all: word prefixes over name, description, tag keys and values)")
    void allFilterSearchesNameDescriptionAndTags() {
        create("orders-db", null);
        create("x1", "the Orders cache");
        create("x2", null, tag("orderservice", "v"));
        create("x3", null, tag("k", "ORDERS"));
        create("x4", "unrelated");

        expectListed(List.of("orders-db", "x1", "x2", "x3"), filter(FilterNameStringType.ALL, "orders"));
    }

    @Test
    @AwsUnverified(reason = V + " (all: words split on lower-to-upper case and letter/number transitions)")
    void allFilterSplitsWordsOnCaseTransitions() {
        create("x1", "COMPANYthings");
        create("x2", "companythings");

        expectListed(List.of("x1"), filter(FilterNameStringType.ALL, "Ythings"));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [D][E] — primary-region never matches a secret that is not replicated")
    void primaryRegionFilterNeverMatchesAStandaloneSecret() {
        create("a", null);

        expectListed(List.of(), filter(FilterNameStringType.PRIMARY_REGION, target.region()));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [V-ish] — moto aws_verified tests observed oldest first")
    void defaultOrderIsOldestFirst() {
        create("c", null);
        tick();
        create("a", null);
        tick();
        create("b", null);

        expectListed(List.of("c", "a", "b"));
        assertEquals(List.of("c", "a", "b"), listed(false));
    }

    @Test
    @AwsUnverified(reason = "spec Appendix A [D] — SortBy name, SortOrder desc")
    void sortByNameDescending() {
        create("b", null);
        create("c", null);
        create("a", null);
        expectListed(List.of("a", "b", "c"));

        List<String> names = new ArrayList<>();
        sm().listSecretsPaginator(b -> b.filters(filter(FilterNameStringType.NAME, scenario().scope()))
                .sortBy(SortByType.NAME).sortOrder(SortOrderType.DESC)).stream().flatMap(p -> p.secretList().stream())
                .forEach(e -> names.add(e.name().substring(scenario().scope().length())));

        assertEquals(List.of("c", "b", "a"), names);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [D] — MaxResults pages with NextToken (pages may be short)")
    void pagesCoverEverySecretOnce() {
        for (String l : List.of("a", "b", "c", "d", "e")) create(l, null);
        expectListed(List.of("a", "b", "c", "d", "e"));

        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            String t = next;
            var page = sm().listSecrets(b -> b.maxResults(2).nextToken(t)
                    .filters(filter(FilterNameStringType.NAME, scenario().scope())));
            page.secretList().forEach(e -> seen.add(e.name()));
            next = page.nextToken();
            pages++;
        } while (next != null && pages < 20);

        assertEquals(5, seen.size(), seen.toString());
        assertEquals(5, new java.util.HashSet<>(seen).size());
        assertTrue(pages >= 3, "five secrets in pages of two take at least three pages, took " + pages);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §11 [D] — a tampered NextToken is InvalidNextTokenException; message [U]")
    void tamperedNextTokenIsInvalidNextToken() {
        Expect.that(raw("ListSecrets", json("NextToken", "bm90LWEtdG9rZW4"))).status(400).type("InvalidNextTokenException")
                .verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [E] — an unknown filter key is the enum ValidationException")
    void unknownFilterKeyIsAValidationException() {
        Expect.that(raw("ListSecrets", json("Filters", List.of(Map.of("Key", "colour", "Values", List.of("red"))))))
                .status(400).type("ValidationException")
                .messageStartsWith("1 validation error detected: Value 'colour' at 'filters.1.member.key' failed to satisfy "
                        + "constraint: Member must satisfy enum value set: [").verify();
    }

    @Test
    @AwsUnverified(reason = "spec Appendix A [D] — MaxResults 1..100 (model); ValidationException template [V]")
    void maxResultsAbove100IsAValidationException() {
        Expect.that(raw("ListSecrets", json("MaxResults", 101))).status(400).type("ValidationException")
                .messageContains("maxResults").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [D] — entries carry LastAccessedDate after a read")
    void entriesShowLastAccessedDateAfterARead() {
        create("a", null);
        sm().getSecretValue(b -> b.secretId(scenario().scope() + "a"));

        target.eventually("the entry shows LastAccessedDate", () -> {
            var l = sm().listSecrets(b -> b.filters(filter(FilterNameStringType.NAME, scenario().scope()))).secretList();
            return l.size() == 1 && l.get(0).lastAccessedDate() != null;
        });
        assertFalse(listed(false).isEmpty());
    }

    @Test
    @AwsUnverified(reason = V + " (all: every word of the value must match)")
    void allFilterNeedsEveryWord() {
        create("x1", "orders cache");
        create("x2", "orders queue");

        expectListed(List.of("x1"), filter(FilterNameStringType.ALL, "orders cache"));
    }

    @Test
    @AwsUnverified(reason = V + " (all: a bare punctuation character matches nothing)")
    void allFilterWithBarePunctuationMatchesNothing() {
        create("a-b", "x-y");

        expectListed(List.of(), filter(FilterNameStringType.ALL, "-"));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [V] — only the caller's account and region are listed")
    void anotherRegionDoesNotListTheSecret() {
        // with one region there is no other region to list: skipped (and so reported), not passed
        assumeTrue(!target.otherRegion().equals(target.region()), "needs two regions (-Dsmlocal.regions)");
        create("a", null);
        expectListed(List.of("a"));

        var there = sm(target.otherRegion()).listSecrets(b -> b.filters(filter(FilterNameStringType.NAME,
                scenario().scope()))).secretList();

        assertTrue(there.isEmpty(), there.toString());
    }
}
