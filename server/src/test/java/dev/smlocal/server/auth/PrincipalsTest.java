package dev.smlocal.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Access keys to principals, the identity policy per principal ARN, and the JSON declaration form. */
class PrincipalsTest {
    static final String ROLE = "arn:aws:iam::111122223333:role/Reader";
    static final String ALLOW_ALL = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";

    @Test
    void undeclaredKeysAreRootsOfTheirAccountOrOfTheDefaultAccount() {
        Principals p = new Principals();

        assertEquals("arn:aws:iam::111122223333:root", p.principalArnOf("111122223333"));
        assertEquals("arn:aws:iam::000000000000:root", p.principalArnOf("AKIDEXAMPLE"));
        assertEquals("arn:aws:iam::000000000000:root", p.principalArnOf("11112222333x"));
        assertEquals("arn:aws:iam::000000000000:root", p.principalArnOf(null));
    }

    @Test
    void aDeclaredKeyActsAsItsPrincipalAndServesItsSecretKey() {
        Principals p = new Principals();
        p.declare(new Principals.Declared("AKIAREADER", ROLE, "s3cr3t", null));
        Function<String, Optional<String>> secretKeys = p::secretKeyOf; // what a signature check codes against

        assertEquals(ROLE, p.principalArnOf("AKIAREADER"));
        assertEquals(Optional.of("s3cr3t"), secretKeys.apply("AKIAREADER"));
        assertEquals(Optional.empty(), secretKeys.apply("111122223333"));
        assertNull(p.identityPolicyOf(ROLE));
    }

    @Test
    void theIdentityPolicyBelongsToThePrincipalAndTheLatestDeclarationWins() {
        Principals p = new Principals();
        p.declare(new Principals.Declared("K1", ROLE, null, ALLOW_ALL));
        Policy first = p.identityPolicyOf(ROLE);
        p.declare(new Principals.Declared("K2", ROLE, null, null));

        assertNotNull(first);
        assertNull(p.identityPolicyOf(ROLE), "K2's declaration (no policy) is the latest");
        p.remove("K2");
        assertNotNull(p.identityPolicyOf(ROLE), "K1's policy again");
        assertTrue(p.remove("K1"));
        assertNull(p.identityPolicyOf(ROLE));
        assertEquals(List.of(), p.all());
    }

    @Test
    void badDeclarationsNameTheirProblem() {
        Principals p = new Principals();

        IllegalArgumentException arn = assertThrows(IllegalArgumentException.class,
                () -> p.declare(new Principals.Declared("K", "arn:aws:iam::1:role/X", null, null)));
        IllegalArgumentException policy = assertThrows(IllegalArgumentException.class,
                () -> p.declare(new Principals.Declared("K", ROLE, null,
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}}")));

        assertTrue(arn.getMessage().startsWith("principal must be arn:aws:iam::ACCOUNT:root"), arn.getMessage());
        assertTrue(policy.getMessage().startsWith("identity policy of " + ROLE + ": "), policy.getMessage());
        assertEquals(List.of(), p.all());
    }

    @Test
    void theJsonFormTakesAPolicyAsObjectOrText() {
        List<Principals.Declared> list = Principals.parseList("{\"principals\": ["
                + "{\"accessKeyId\": \"A\", \"arn\": \"" + ROLE + "\", \"policy\": " + ALLOW_ALL + "},"
                + "{\"accessKeyId\": \"B\", \"arn\": \"" + ROLE + "\", \"secretAccessKey\": \"s\", \"policy\": "
                + "\"" + ALLOW_ALL.replace("\"", "\\\"") + "\"}]}");

        assertEquals(2, list.size());
        assertEquals(Policy.compile(list.get(0).policy(), Policy.Kind.IDENTITY).kind(), Policy.Kind.IDENTITY);
        assertEquals(ALLOW_ALL, list.get(1).policy());
        assertEquals("s", list.get(1).secretAccessKey());
        assertThrows(IllegalArgumentException.class, () -> Principals.parseList("{\"principals\": {}}"));
        assertThrows(IllegalArgumentException.class, () -> Principals.parseList("[{\"arn\": \"" + ROLE + "\"}]"));
    }
}
