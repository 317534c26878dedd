package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PolicyCheckerPropertyTest {
    private static final String GOOD = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"123456789012\"},\"Action\":\"secretsmanager:GetSecretValue\","
            + "\"Resource\":\"*\"}]}";

    @Provide
    Arbitrary<String> mutations() {
        // the good policy with one character replaced, inserted or removed
        Arbitrary<Integer> at = Arbitraries.integers().between(0, GOOD.length() - 1);
        Arbitrary<Character> ch = Arbitraries.chars().with("{}[]\":,*0aA \\");
        return Arbitraries.oneOf(
                at.flatMap(i -> ch.map(c -> GOOD.substring(0, i) + c + GOOD.substring(i + 1))),
                at.flatMap(i -> ch.map(c -> GOOD.substring(0, i) + c + GOOD.substring(i))),
                at.map(i -> GOOD.substring(0, i) + GOOD.substring(i + 1)));
    }

    @Property(tries = 3000)
    void anyInputIsAcceptedOrRejectedAsMalformed(@ForAll("mutations") String json) {
        try {
            SecretsService.compileResourcePolicy(json).grantsPublicAccess();
        } catch (AwsException e) {
            assertEquals(ErrorType.MALFORMED_POLICY_DOCUMENT, e.type());
        }
    }

    @Property
    void arbitraryTextNeverEscapesAsAnotherException(@ForAll String text) {
        try {
            PolicyChecker.requireWellFormed(text);
        } catch (AwsException e) {
            assertEquals(ErrorType.MALFORMED_POLICY_DOCUMENT, e.type());
        }
    }
}
