package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ListFiltersPropertyTest {
    private static final String VALUE_CHARS = "abcXYZ019 :_@/+=.-";
    private static final List<String> KEYS = List.of("name", "description", "tag-key", "tag-value",
            "primary-region", "owning-service", "all");

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars(VALUE_CHARS).ofMaxLength(12);
    }

    @Provide
    Arbitrary<SecretFacts> secrets() {
        Arbitrary<String> t = text();
        Arbitrary<List<Tag>> tags = Combinators.combine(t, t).as(Tag::new).list().ofMaxSize(3);
        return Combinators.combine(t, t.injectNull(0.3), tags, t.injectNull(0.5), t.injectNull(0.5))
                .as(SecretFacts::new);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(KEYS);
    }

    @Property
    void negationIsTheComplementOfASinglePlainValue(@ForAll("keys") String key, @ForAll("text") String v,
            @ForAll("secrets") SecretFacts s) {
        boolean plain = ListFilters.matches(List.of(new Filter(key, List.of(v))), s);
        boolean negated = ListFilters.matches(List.of(new Filter(key, List.of("!" + v))), s);
        assertNotEquals(plain, negated);
    }

    @Property
    void valueOrderDoesNotMatter(@ForAll("keys") String key, @ForAll("secrets") SecretFacts s,
            @ForAll("values") List<String> values) {
        List<String> reversed = new ArrayList<>(values);
        Collections.reverse(reversed);
        assertEquals(ListFilters.matches(List.of(new Filter(key, values)), s),
                ListFilters.matches(List.of(new Filter(key, reversed)), s));
    }

    @Provide
    Arbitrary<List<String>> values() {
        Arbitrary<String> maybeNegated = Combinators.combine(Arbitraries.of("", "!"), text()).as(String::concat);
        return maybeNegated.list().ofMinSize(1).ofMaxSize(4);
    }

    @Property
    void oneFilterEqualsAndOfItsNegationsAndOrOfItsPlainValues(@ForAll("keys") String key,
            @ForAll("secrets") SecretFacts s, @ForAll("values") List<String> values) {
        boolean negationsHold = true;
        boolean anyPlain = false;
        boolean somePlainMatches = false;
        for (String v : values) {
            boolean single = ListFilters.matches(List.of(new Filter(key, List.of(v))), s);
            if (v.startsWith("!")) {
                negationsHold &= single;
            } else {
                anyPlain = true;
                somePlainMatches |= single;
            }
        }
        assertEquals(negationsHold && (!anyPlain || somePlainMatches),
                ListFilters.matches(List.of(new Filter(key, values)), s));
    }

    @Property
    void everyPrefixOfTheNameMatches(@ForAll("secrets") SecretFacts s, @ForAll int cut) {
        String prefix = s.name().substring(0, Math.floorMod(cut, s.name().length() + 1));
        assertTrue(ListFilters.matches(List.of(new Filter("name", List.of(prefix))), s));
    }

    @Property
    void wordsAreNonEmptyAlphanumericAndInOrder(@ForAll("text") String text) {
        List<String> words = ListFilters.words(text);
        String joined = String.join("", words);
        StringBuilder alnum = new StringBuilder();
        text.codePoints().filter(Character::isLetterOrDigit).forEach(alnum::appendCodePoint);
        assertEquals(alnum.toString(), joined);
        words.forEach(w -> assertTrue(!w.isEmpty()));
    }

    @Property
    void anyWordOfTheNameFindsTheSecretWithAll(@ForAll("secrets") SecretFacts s) {
        for (String w : ListFilters.words(s.name())) {
            assertTrue(ListFilters.matches(List.of(new Filter("all", List.of(w.toUpperCase()))), s));
            assertTrue(ListFilters.matches(List.of(new Filter("all", List.of(w.toLowerCase()))), s));
        }
    }
}
