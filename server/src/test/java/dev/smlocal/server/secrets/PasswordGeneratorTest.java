package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class PasswordGeneratorTest {
    private static final String ALL = PasswordGenerator.UPPERCASE + PasswordGenerator.LOWERCASE
            + PasswordGenerator.DIGITS + PasswordGenerator.PUNCTUATION;

    private final RandomGenerator random = new SplittableRandom(42);

    private static PasswordSpec spec(Long length, String exclude, Boolean numbers, Boolean punct, Boolean upper,
            Boolean lower, Boolean space, Boolean require) {
        return new PasswordSpec(length, exclude, numbers, punct, upper, lower, space, require);
    }

    private static boolean containsAny(String s, String chars) {
        return s.chars().anyMatch(c -> chars.indexOf(c) >= 0);
    }

    @Test
    void punctuationIsTheDocumented32Characters() {
        assertEquals(32, PasswordGenerator.PUNCTUATION.length());
        assertEquals("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", PasswordGenerator.PUNCTUATION);
        assertEquals(94, new HashSet<>(ALL.chars().boxed().toList()).size());
    }

    @Test
    void defaultsAre32CharactersOfEveryTypeWithoutSpace() {
        for (int n = 0; n < 200; n++) {
            String p = PasswordGenerator.generate(PasswordSpec.defaults(), random);
            assertEquals(32, p.length());
            assertTrue(p.chars().allMatch(c -> ALL.indexOf(c) >= 0), p);
            assertTrue(containsAny(p, PasswordGenerator.UPPERCASE), p);
            assertTrue(containsAny(p, PasswordGenerator.LOWERCASE), p);
            assertTrue(containsAny(p, PasswordGenerator.DIGITS), p);
            assertTrue(containsAny(p, PasswordGenerator.PUNCTUATION), p);
        }
    }

    @Test
    void excludeCharactersLikeTheLocalStackAwsTest() {
        String p = PasswordGenerator.generate(spec(120L, "xyzDje@?!.", null, null, null, null, null, null), random);
        assertEquals(120, p.length());
        assertTrue(p.chars().noneMatch(c -> "xyzDje@?!.".indexOf(c) >= 0), p);
    }

    @Test
    void onlyDigits() {
        String p = PasswordGenerator.generate(spec(50L, null, false, true, true, true, false, true), random);
        assertTrue(p.chars().allMatch(Character::isDigit), p);
    }

    @Test
    void spaceOnlyWhenAskedAndNeverRequired() {
        String p = PasswordGenerator.generate(spec(4096L, null, null, null, null, null, null, null), random);
        assertTrue(p.indexOf(' ') < 0);
        String q = PasswordGenerator.generate(spec(4096L, null, null, null, null, null, true, null), random);
        assertTrue(q.indexOf(' ') >= 0);
        // four types, length four: space is not a fifth required type
        String r = PasswordGenerator.generate(spec(4L, null, null, null, null, null, true, true), random);
        assertEquals(4, r.length());
        String onlySpace = PasswordGenerator.generate(spec(3L, null, true, true, true, true, true, null), random);
        assertEquals("   ", onlySpace);
    }

    @Test
    void lengthOneWithoutRequirement() {
        String p = PasswordGenerator.generate(spec(1L, null, null, null, null, null, null, false), random);
        assertEquals(1, p.length());
    }

    @Test
    void tooShortForRequiredTypes() {
        AwsException e = assertThrows(AwsException.class,
                () -> PasswordGenerator.generate(spec(3L, null, null, null, null, null, null, null), random));
        assertEquals(ErrorType.INVALID_PARAMETER, e.type());
        assertEquals("Password length is too short based on the required types.", e.getMessage());
        // three types left after excluding numbers: length three is enough
        assertEquals(3, PasswordGenerator.generate(spec(3L, null, true, null, null, null, null, null), random).length());
    }

    @Test
    void aTypeEmptiedByExcludeCharactersIsNotRequired() {
        String p = PasswordGenerator.generate(spec(3L, PasswordGenerator.DIGITS, null, null, null, null, null, null),
                random);
        assertTrue(p.chars().noneMatch(Character::isDigit), p);
    }

    @Test
    void everythingExcluded() {
        AwsException e = assertThrows(AwsException.class,
                () -> PasswordGenerator.generate(spec(10L, null, true, true, true, true, false, null), random));
        assertEquals(ErrorType.INVALID_PARAMETER, e.type());
        assertEquals("The password cannot be generated because all character types are excluded.", e.getMessage());
        assertThrows(AwsException.class,
                () -> PasswordGenerator.generate(spec(10L, ALL + " ", null, null, null, null, true, null), random));
    }

    @Test
    void roughlyUniform() {
        // 94 symbols, 94_000 draws: every symbol should appear about 1000 times
        int[] counts = new int[128];
        for (int n = 0; n < 94; n++) {
            String p = PasswordGenerator.generate(spec(1000L, null, null, null, null, null, null, false), random);
            p.chars().forEach(c -> counts[c]++);
        }
        for (char c : ALL.toCharArray()) {
            assertTrue(counts[c] > 800 && counts[c] < 1200, c + ": " + counts[c]);
        }
    }

    @Test
    void requiredCharactersAreNotAlwaysAtTheFront() {
        Set<Integer> digitPositions = new HashSet<>();
        for (int n = 0; n < 200; n++) {
            String p = PasswordGenerator.generate(spec(4L, null, null, null, null, null, null, null), random);
            for (int i = 0; i < 4; i++) {
                if (Character.isDigit(p.charAt(i))) {
                    digitPositions.add(i);
                }
            }
        }
        assertEquals(Set.of(0, 1, 2, 3), digitPositions);
    }
}
