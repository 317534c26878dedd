package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written parsers on the request path give the answers the regular expressions and
 * {@code String.split} they replaced gave: the secret name check and the ARN split.
 */
class HotPathParsersPropertyTest {

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ09/_+=.@!-:é ✓\n*").ofMinLength(0).ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(8));
    }

    @Property(tries = 500)
    void theNameCheckIsTheNamePattern(@ForAll("names") String name) {
        assertEquals(SecretLookup.NAME.matcher(name).matches(), SecretLookup.isValidName(name), name);
    }

    @Provide
    Arbitrary<String> arns() {
        Arbitrary<String> field = Arbitraries.strings().withChars("ab:1-/").ofMaxLength(5);
        return Arbitraries.oneOf(
                field.list().ofMaxSize(9).map(parts -> "arn:" + String.join(":", parts)),
                field.list().ofMaxSize(9).map(parts -> String.join(":", parts)),
                Arbitraries.strings().withChars("arn:x").ofMaxLength(14));
    }

    @Property(tries = 1000)
    void theArnSplitIsSplitOnTheFirstSixColons(@ForAll("arns") String text) {
        SecretArn expected = null;
        if (text.startsWith("arn:")) {
            String[] p = text.split(":", 7);
            if (p.length == 7) expected = new SecretArn(p[1], p[2], p[3], p[4], p[5], p[6]);
        }
        assertEquals(expected, SecretArn.parse(text), text);
    }
}
