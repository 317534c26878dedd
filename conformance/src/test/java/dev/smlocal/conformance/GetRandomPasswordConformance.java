package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;

/** GetRandomPassword (AWS-BEHAVIOUR §5): defaults, classes, exclusions and limits. */
class GetRandomPasswordConformance extends ConformanceCheck {
    static final String D = "AWS-BEHAVIOUR §5 GetRandomPassword [D] — AWS API reference defaults, not yet run by this suite";
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    String password(Consumer<GetRandomPasswordRequest.Builder> r) {
        return sm().getRandomPassword(r).randomPassword();
    }

    static boolean any(String s, java.util.function.IntPredicate p) {
        return s.chars().anyMatch(p);
    }

    static boolean isPunctuation(int c) {
        return PUNCTUATION.indexOf(c) >= 0;
    }

    @Test
    @AwsUnverified(reason = D)
    void defaultIsThirtyTwoCharactersOfEveryType() {
        var raw = raw("GetRandomPassword", json());

        Expect.ok(raw, "RandomPassword");
        String p = raw.body().get("RandomPassword").asText();
        assertEquals(32, p.length());
        assertTrue(any(p, Character::isUpperCase) && any(p, Character::isLowerCase) && any(p, Character::isDigit)
                && any(p, GetRandomPasswordConformance::isPunctuation), p);
        assertFalse(p.contains(" "), "no space by default");
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(longs = {4, 20, 100, 4096})
    @AwsUnverified(reason = D)
    void lengthIsHonoured(long length) {
        assertEquals(length, password(r -> r.passwordLength(length)).length());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"numbers", "punctuation", "uppercase", "lowercase"})
    @AwsUnverified(reason = D)
    void excludedClassNeverAppears(String excluded) {
        String p = password(r -> {
            r.passwordLength(512L);
            switch (excluded) {
                case "numbers" -> r.excludeNumbers(true);
                case "punctuation" -> r.excludePunctuation(true);
                case "uppercase" -> r.excludeUppercase(true);
                default -> r.excludeLowercase(true);
            }
        });

        boolean present = switch (excluded) {
            case "numbers" -> any(p, Character::isDigit);
            case "punctuation" -> any(p, GetRandomPasswordConformance::isPunctuation);
            case "uppercase" -> any(p, Character::isUpperCase);
            default -> any(p, Character::isLowerCase);
        };
        assertFalse(present, p);
    }

    @Test
    @AwsUnverified(reason = D)
    void excludedCharactersNeverAppear() {
        String p = password(r -> r.passwordLength(1024L).excludeCharacters("aeiouAEIOU0!"));

        assertTrue(p.chars().noneMatch(c -> "aeiouAEIOU0!".indexOf(c) >= 0), p);
    }

    @Test
    @AwsUnverified(reason = D)
    void includeSpaceAddsSpaceToThePool() {
        String p = password(r -> r.passwordLength(4096L).includeSpace(true));

        assertTrue(p.contains(" "), "4096 characters from a pool with a space contain one");
    }

    @Test
    @AwsUnverified(reason = D)
    void onlyDigitsWhenEverythingElseIsExcluded() {
        String p = password(r -> r.passwordLength(64L).excludePunctuation(true).excludeUppercase(true).excludeLowercase(true));

        assertTrue(p.chars().allMatch(Character::isDigit), p);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 GetRandomPassword [D] rule, [E] moto text")
    void lengthBelowTheRequiredTypesIsInvalidParameter() {
        Expect.error(raw("GetRandomPassword", json("PasswordLength", 3)), 400, "InvalidParameterException",
                "Password length is too short based on the required types.");
    }

    @Test
    @AwsUnverified(reason = D)
    void oneCharacterWorksWithoutRequiringEachType() {
        assertEquals(1, password(r -> r.passwordLength(1L).requireEachIncludedType(false)).length());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, 4097})
    @AwsUnverified(reason = "spec Appendix A [D] — PasswordLength 1..4096 (model); ValidationException template [V]")
    void lengthOutsideTheModelIsAValidationException(int length) {
        Expect.that(raw("GetRandomPassword", json("PasswordLength", length))).status(400).type("ValidationException")
                .messageContains("passwordLength").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 GetRandomPassword [U] — nothing left to draw from is refused")
    void excludingEveryClassIsRefused() {
        Expect.that(raw("GetRandomPassword", json("ExcludeNumbers", true, "ExcludePunctuation", true, "ExcludeUppercase", true,
                "ExcludeLowercase", true))).status(400).type("InvalidParameterException").verify();
    }
}
