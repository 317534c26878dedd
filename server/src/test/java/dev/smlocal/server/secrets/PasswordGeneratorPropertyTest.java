package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.aws.AwsException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

class PasswordGeneratorPropertyTest {
    private static final List<String> TYPES = List.of(PasswordGenerator.UPPERCASE, PasswordGenerator.LOWERCASE,
            PasswordGenerator.DIGITS, PasswordGenerator.PUNCTUATION);

    @Provide
    Arbitrary<PasswordSpec> specs() {
        Arbitrary<Long> length = Arbitraries.oneOf(Arbitraries.longs().between(1, 8),
                Arbitraries.longs().between(1, 300)).injectNull(0.1);
        Arbitrary<String> exclude = Arbitraries.strings()
                .withChars(String.join("", TYPES) + " ").ofMaxLength(120).injectNull(0.3);
        Arbitrary<Boolean> flag = Arbitraries.of(true, false).injectNull(0.3);
        Arbitrary<Boolean> rare = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(4, false)).injectNull(0.3);
        return Combinators.combine(length, exclude, rare, rare, rare, rare, flag, flag)
                .as(PasswordSpec::new);
    }

    private static String left(String chars, String excluded) {
        StringBuilder sb = new StringBuilder();
        chars.chars().filter(c -> excluded.indexOf(c) < 0).forEach(c -> sb.append((char) c));
        return sb.toString();
    }

    @Property(tries = 2000)
    void passwordsSatisfyTheSpecOrTheRightErrorIsThrown(@ForAll("specs") PasswordSpec spec, @ForAll long seed) {
        String excluded = spec.excluded();
        boolean[] included = {spec.uppercase(), spec.lowercase(), spec.numbers(), spec.punctuation()};
        List<String> required = new ArrayList<>();
        StringBuilder pool = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            String l = included[i] ? left(TYPES.get(i), excluded) : "";
            pool.append(l);
            if (!l.isEmpty()) {
                required.add(l);
            }
        }
        if (spec.space() && excluded.indexOf(' ') < 0) {
            pool.append(' ');
        }
        SplittableRandom random = new SplittableRandom(seed);
        if (pool.length() == 0) {
            Statistics.collect("no characters");
            AwsException e = assertThrows(AwsException.class, () -> PasswordGenerator.generate(spec, random));
            assertEquals("The password cannot be generated because all character types are excluded.",
                    e.getMessage());
            return;
        }
        if (spec.requireEachType() && spec.length() < required.size()) {
            Statistics.collect("too short");
            AwsException e = assertThrows(AwsException.class, () -> PasswordGenerator.generate(spec, random));
            assertEquals("Password length is too short based on the required types.", e.getMessage());
            return;
        }
        Statistics.collect("generated");
        String p = PasswordGenerator.generate(spec, random);
        assertEquals(spec.length(), p.length());
        String poolChars = pool.toString();
        assertTrue(p.chars().allMatch(c -> poolChars.indexOf(c) >= 0), p);
        if (spec.requireEachType()) {
            for (String type : required) {
                assertTrue(p.chars().anyMatch(c -> type.indexOf(c) >= 0), type + " missing in " + p);
            }
        }
    }

    @Property
    void sameSeedSamePassword(@ForAll("specs") PasswordSpec spec, @ForAll long seed) {
        String a;
        try {
            a = PasswordGenerator.generate(spec, new SplittableRandom(seed));
        } catch (AwsException e) {
            return;
        }
        assertEquals(a, PasswordGenerator.generate(spec, new SplittableRandom(seed)));
    }
}
