package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ListFiltersTest {

    private static SecretFacts named(String name) {
        return new SecretFacts(name, null, List.of(), null, null);
    }

    private static SecretFacts described(String name, String description) {
        return new SecretFacts(name, description, List.of(), null, null);
    }

    private static Filter f(String key, String... values) {
        return new Filter(key, Arrays.asList(values));
    }

    /** Names of {@code secrets} that pass {@code filters}, in order. */
    private static List<String> select(Map<String, SecretFacts> secrets, Filter... filters) {
        List<String> out = new ArrayList<>();
        secrets.forEach((label, s) -> {
            if (ListFilters.matches(List.of(filters), s)) {
                out.add(label);
            }
        });
        return out;
    }

    @Nested
    class Words {
        @Test
        void splitsOnPunctuationAndWhitespace() {
            assertEquals(List.of("prod", "App", "Beta", "x"), ListFilters.words("prod/AppBeta/x"));
            for (String sep : List.of("/", "_", "+", "=", ".", "@", "-", " ", "\t", ":", "#")) {
                assertEquals(List.of("a", "b"), ListFilters.words("a" + sep + "b"), sep);
            }
            assertEquals(List.of("a", "b"), ListFilters.words("--a//b__"));
        }

        @Test
        void specExampleCompanyThings() {
            assertEquals(List.of("COMPAN", "Ythings"), ListFilters.words("COMPANYthings"));
            assertEquals(List.of("uat", "COMPANY", "abc"), ListFilters.words("uat/COMPANY/abc"));
        }

        @Test
        void caseAndDigitTransitions() {
            assertEquals(List.of("test"), ListFilters.words("test"));
            assertEquals(List.of("Mytest"), ListFilters.words("Mytest"));
            assertEquals(List.of("My", "Test"), ListFilters.words("MyTest"));
            assertEquals(List.of("My", "Test", "Phrase"), ListFilters.words("MyTestPhrase"));
            assertEquals(List.of("my", "Test"), ListFilters.words("myTest"));
            assertEquals(List.of("HTTP", "Server"), ListFilters.words("HTTPServer"));
            assertEquals(List.of("creds", "Database", "892"), ListFilters.words("credsDatabase#892"));
            assertEquals(List.of("abc", "123", "def"), ListFilters.words("abc123def"));
            assertEquals(List.of("3", "f", "2", "a"), ListFilters.words("3f2a"));
        }

        @Test
        void punctuationAloneHasNoWords() {
            assertEquals(List.of(), ListFilters.words("+"));
            assertEquals(List.of(), ListFilters.words(""));
            assertEquals(List.of(), ListFilters.words(" / "));
        }
    }

    @Nested
    class Name {
        // LocalStack test_list_secrets_filtering, validated against AWS
        private final Map<String, SecretFacts> secrets = new LinkedHashMap<>();

        Name() {
            secrets.put("1", described("testing1/one-123", "a secret"));
            secrets.put("2", described("/testing2/two-123", "an secret"));
            secrets.put("3", described("testing3/three-123", "asecret"));
            secrets.put("4", described("/testing4/four-123", "thesecret"));
        }

        @Test
        void caseSensitivePrefixOnWholeName() {
            assertEquals(List.of("2", "4"), select(secrets, f("name", "/")));
            assertEquals(List.of("1", "3"), select(secrets, f("name", "!/")));
            assertEquals(List.of(), select(secrets, f("name", "testing1 one")));
            assertEquals(List.of("1"), select(secrets, f("name", "testing1")));
            assertEquals(List.of(), select(secrets, f("name", "Testing1")));
            assertEquals(List.of(), select(secrets, f("name", "one")));
        }

        @Test
        void descriptionWordPrefix() {
            assertEquals(List.of("1", "2", "3"), select(secrets, f("description", "a")));
            assertEquals(List.of("4"), select(secrets, f("description", "!a")));
            assertEquals(List.of("1", "2"), select(secrets, f("description", "a secret")));
            assertEquals(List.of("1", "2", "3", "4"), select(secrets, f("description", "!c")));
            assertEquals(List.of("1", "2"), select(secrets, f("description", "A SECRET")));
        }

        @Test
        void filtersAreAnded() {
            assertEquals(List.of(), select(secrets, f("description", "a"), f("name", "secret")));
            assertEquals(List.of(), select(secrets, f("description", "a"), f("name", "an")));
            assertEquals(List.of("1"), select(secrets, f("description", "a"), f("name", "testing1")));
        }

        @Test
        void valuesAreOred() {
            assertEquals(List.of("1", "3"), select(secrets, f("name", "testing1", "testing3")));
        }
    }

    @Nested
    class Description {
        // moto test_with_filter_with_value_with_multiple_words / duplicate keys (verified against AWS)
        private final Map<String, SecretFacts> secrets = new LinkedHashMap<>();

        Description() {
            secrets.put("foo", described("foo", "one two"));
            secrets.put("bar", described("bar", "one and two"));
            secrets.put("baz", described("baz", "one"));
            secrets.put("qux", described("qux", "two"));
            secrets.put("none", described("none", "unrelated"));
            secrets.put("nodesc", described("nodesc", null));
        }

        @Test
        void everyWordMustPrefixSomeWord() {
            assertEquals(List.of("foo", "bar"), select(secrets, f("description", "one two")));
            assertEquals(List.of("foo", "bar"), select(secrets, f("description", "o t")));
            assertEquals(List.of("foo", "bar", "qux"), select(secrets, f("description", "t")));
            assertEquals(List.of("foo", "bar"), select(secrets, f("description", "two one")));
        }

        @Test
        void sameKeyTwiceIsAnd() {
            assertEquals(List.of("foo", "bar"), select(secrets, f("description", "one"), f("description", "two")));
        }

        @Test
        void userGuideExample() {
            String v = "My Description";
            for (String d : List.of("My Description", "my description", "My basic description",
                    "Description of my secret")) {
                assertTrue(ListFilters.matches(List.of(f("description", v)), described("x", d)), d);
            }
            assertFalse(ListFilters.matches(List.of(f("description", v)), described("x", "Descriptions")));
        }

        @Test
        void negationsAndPlainValues() {
            // all negations must hold, and one plain value must match
            assertEquals(List.of("baz"), select(secrets, f("description", "one", "!two")));
            assertEquals(List.of("qux", "none", "nodesc"), select(secrets, f("description", "!o")));
            assertEquals(List.of("none", "nodesc"), select(secrets, f("description", "!one", "!two")));
            assertEquals(List.of("baz", "qux"), select(secrets, f("description", "one", "two", "!and", "!one two")));
            assertEquals(List.of(), select(secrets, f("description", "!one", "one")));
        }

        @Test
        void missingDescriptionNeverMatchesPlainValues() {
            assertEquals(List.of(), select(Map.of("nodesc", described("nodesc", null)), f("description", "n")));
        }
    }

    @Nested
    class Tags {
        private final Map<String, SecretFacts> secrets = new LinkedHashMap<>();

        Tags() {
            secrets.put("foo", new SecretFacts("foo", null, List.of(new Tag("right", "right")), null, null));
            secrets.put("bar", new SecretFacts("bar", null, List.of(new Tag("right", "wrong")), null, null));
            secrets.put("baz", new SecretFacts("baz", null, List.of(new Tag("wrong", "right")), null, null));
            secrets.put("qux", new SecretFacts("qux", null,
                    List.of(new Tag("Production", "Prod1"), new Tag("env", "")), null, null));
            secrets.put("none", new SecretFacts("none", null, null, null, null));
        }

        @Test
        void caseSensitivePrefixOnAnyTag() {
            assertEquals(List.of("foo", "bar"), select(secrets, f("tag-key", "ri")));
            assertEquals(List.of("foo", "baz"), select(secrets, f("tag-value", "right")));
            assertEquals(List.of("foo"), select(secrets, f("tag-key", "right"), f("tag-value", "right")));
            assertEquals(List.of("qux"), select(secrets, f("tag-key", "Prod")));
            assertEquals(List.of(), select(secrets, f("tag-key", "prod")));
            assertEquals(List.of("qux"), select(secrets, f("tag-value", "Prod")));
            assertEquals(List.of("qux"), select(secrets, f("tag-key", "env")));
        }

        @Test
        void negatedTagKeyExcludesAnyTagWithThatPrefix() {
            assertEquals(List.of("baz", "qux", "none"), select(secrets, f("tag-key", "!right")));
            assertEquals(List.of("foo", "bar", "baz", "qux", "none"), select(secrets, f("tag-key", "!nothing")));
        }
    }

    @Nested
    class RegionAndOwner {
        private final Map<String, SecretFacts> secrets = new LinkedHashMap<>();

        RegionAndOwner() {
            secrets.put("primary", new SecretFacts("p", null, null, "us-east-1", null));
            secrets.put("replica", new SecretFacts("r", null, null, "us-east-1", null));
            secrets.put("west", new SecretFacts("w", null, null, "us-west-2", null));
            secrets.put("plain", new SecretFacts("x", null, null, null, null));
            secrets.put("rds", new SecretFacts("rds!db-1", null, null, null, "rds"));
        }

        @Test
        void primaryRegionPrefix() {
            assertEquals(List.of("primary", "replica"), select(secrets, f("primary-region", "us-east")));
            assertEquals(List.of("primary", "replica", "west"), select(secrets, f("primary-region", "us")));
            assertEquals(List.of(), select(secrets, f("primary-region", "US")));
        }

        @Test
        void nonReplicatedNeverMatchesPrimaryRegion() {
            assertEquals(List.of("primary", "replica", "west"), select(secrets, f("primary-region", "")));
            assertEquals(List.of("west", "plain", "rds"), select(secrets, f("primary-region", "!us-east")));
        }

        @Test
        void owningServicePrefix() {
            assertEquals(List.of("rds"), select(secrets, f("owning-service", "rd")));
            assertEquals(List.of(), select(secrets, f("owning-service", "n/a")));
            assertEquals(List.of("primary", "replica", "west", "plain"), select(secrets, f("owning-service", "!rds")));
        }
    }

    @Nested
    class All {
        private final Map<String, SecretFacts> secrets = new LinkedHashMap<>();

        All() {
            // moto test_with_all_filter_special_characters (verified against AWS)
            for (String sep : List.of("/", "_", "+", "=", ".", "@", "-")) {
                secrets.put("prod" + sep, named("prod" + sep + "AppBeta" + sep + "a1b2c3"));
            }
            secrets.put("upper", named("uat/COMPANY/a1b2c3"));
            secrets.put("partial", named("uat/COMPANYthings/a1b2c3"));
        }

        private final List<String> special = List.of("prod/", "prod_", "prod+", "prod=", "prod.", "prod@", "prod-");

        @Test
        void camelCasePartsAreWords() {
            assertEquals(special, select(secrets, f("all", "AppBeta")));
            assertEquals(special, select(secrets, f("all", "Beta")));
            assertEquals(special, select(secrets, f("all", "AppBeta", "prod")));
        }

        @Test
        void bareSeparatorMatchesNothing() {
            assertEquals(List.of(), select(secrets, f("all", "+")));
            assertEquals(List.of(), select(secrets, f("all", "/")));
        }

        @Test
        void uniqueSuffixMatchesAll() {
            List<String> everything = new ArrayList<>(special);
            everything.add("upper");
            everything.add("partial");
            assertEquals(everything, select(secrets, f("all", "a1b2c3")));
        }

        @Test
        void companyThingsSplitsAsCompanYthings() {
            assertEquals(List.of("upper"), select(secrets, f("all", "company")));
            assertEquals(List.of(), select(secrets, f("all", "things")));
            assertEquals(List.of("partial"), select(secrets, f("all", "Ythings")));
            assertEquals(List.of(), select(secrets, f("all", "N")));
            assertEquals(List.of(), select(secrets, f("all", "pany")));
            assertEquals(List.of("upper", "partial"), select(secrets, f("all", "compan")));
        }

        @Test
        void searchesNameDescriptionTagKeysAndValues() {
            // moto test_with_all_filter
            Map<String, SecretFacts> s = new LinkedHashMap<>();
            s.put("foo", named("foo"));
            s.put("bar", described("bar", "foo"));
            s.put("baz", new SecretFacts("baz", null, List.of(new Tag("foo", "1")), null, null));
            s.put("qux", new SecretFacts("qux", null, List.of(new Tag("1", "foo")), null, null));
            s.put("multi", new SecretFacts("multi", null, List.of(new Tag("foo", "foo")), null, null));
            s.put("none", named("none"));
            assertEquals(List.of("foo", "bar", "baz", "qux", "multi"), select(s, f("all", "foo")));
            assertEquals(List.of("foo", "bar", "baz", "qux", "multi"), select(s, f("all", "FOO")));
            assertEquals(List.of("none"), select(s, f("all", "!foo")));
        }

        @Test
        void wordsMayComeFromDifferentAttributes() {
            SecretFacts s = new SecretFacts("alpha", "beta", List.of(new Tag("gamma", "delta")), null, null);
            assertTrue(ListFilters.matches(List.of(f("all", "alpha beta gam del")), s));
            assertFalse(ListFilters.matches(List.of(f("all", "alpha omega")), s));
        }

        @Test
        void primaryRegionAndOwnerAreNotSearched() {
            SecretFacts s = new SecretFacts("x", null, null, "us-east-1", "rds");
            assertFalse(ListFilters.matches(List.of(f("all", "rds")), s));
            assertFalse(ListFilters.matches(List.of(f("all", "us")), s));
        }
    }

    @Test
    void noFiltersMatchEverything() {
        assertTrue(ListFilters.matches(null, named("x")));
        assertTrue(ListFilters.matches(List.of(), named("x")));
    }

    @Test
    void doubleBangNegatesALiteralBang() {
        assertFalse(ListFilters.matches(List.of(f("name", "!!x")), named("!x1")));
        assertTrue(ListFilters.matches(List.of(f("name", "!!x")), named("x1")));
    }

    @Test
    void unknownKeyIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> ListFilters.matches(List.of(f("nope", "x")), named("x")));
    }

    @Test
    void validateRequiresKeyAndValues() {
        ListFilters.validate(null);
        ListFilters.validate(List.of(f("name", "x")));
        AwsException noKey = assertThrows(AwsException.class,
                () -> ListFilters.validate(List.of(new Filter(null, List.of("x")))));
        assertEquals(ErrorType.INVALID_PARAMETER, noKey.type());
        assertEquals("Invalid filter key", noKey.getMessage());
        AwsException noValues = assertThrows(AwsException.class,
                () -> ListFilters.validate(List.of(f("name", "x"), new Filter("description", null))));
        assertEquals(ErrorType.INVALID_PARAMETER, noValues.type());
        assertEquals("Invalid filter values for key: description", noValues.getMessage());
    }
}
