package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The one ARN parser: what lookups, replication and rotation read out of an ARN. */
class SecretArnTest {
    private static final String FULL = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbC123";

    @Test
    void aFullArnHasItsFieldsNameAndSuffix() {
        SecretArn a = SecretArn.parse(FULL);

        assertEquals(new SecretArn("aws", "secretsmanager", "us-east-1", "111111111111", "secret", "prod/db-AbC123"), a);
        assertTrue(a.isSecret());
        assertTrue(a.hasSuffix());
        assertEquals("prod/db", a.name());
        assertEquals(FULL, a.text());
    }

    @Test
    void aPartialArnHasNoSuffixAndItsResourceIsTheName() {
        SecretArn a = SecretArn.parse("arn:aws-cn:secretsmanager:cn-north-1:111111111111:secret:prod/db");

        assertFalse(a.hasSuffix());
        assertEquals("prod/db", a.name());
        assertEquals("aws-cn", a.partition());
    }

    @Test
    void otherArnsParseButAreNotSecrets() {
        assertFalse(SecretArn.parse("arn:aws:kms:us-east-1:111111111111:key:1234abcd-12ab").isSecret());
        assertFalse(SecretArn.parse("arn:aws:secretsmanager:us-east-1:111111111111:other:x").isSecret());
    }

    @Test
    void textThatIsNotAnArnIsNull() {
        assertNull(SecretArn.parse("prod/db"));
        assertNull(SecretArn.parse(null));
        assertNull(SecretArn.parse("arn:aws:secretsmanager:us-east-1:111111111111"));
        assertFalse(SecretArn.isArn("prod/db"));
        assertThrows(IllegalArgumentException.class, () -> SecretArn.of("arn:too:short"));
    }

    @Test
    void aReplicasArnDiffersOnlyInItsRegion() {
        assertEquals("arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod/db-AbC123",
                SecretArn.of(FULL).inRegion("eu-west-1").text());
        assertEquals("arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod/db-AbC123",
                Replicas.replicaArn(FULL, "eu-west-1"));
    }

    @Test
    void theNameASecretIdStandsFor() {
        assertEquals("prod/db", SecretArn.nameIn(FULL));
        assertEquals("prod/db", SecretArn.nameIn("arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db"));
        assertEquals("plain-name", SecretArn.nameIn("plain-name"));
        assertEquals("arn:broken", SecretArn.nameIn("arn:broken"));
    }

    @Property
    void aNewSecretsArnParsesBackToItsParts(@ForAll("names") String name, @ForAll("suffixes") String suffix,
                                            @ForAll("regions") String region) {
        SecretArn made = SecretArn.of("aws", region, "123456789012", name, suffix);

        SecretArn parsed = SecretArn.parse(made.text());

        assertEquals(made, parsed);
        assertTrue(parsed.isSecret() && parsed.hasSuffix());
        assertEquals(name, parsed.name());
        assertEquals(region, parsed.region());
        assertEquals("123456789012", parsed.account());
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("abcXYZ019/_+=.@!-").ofMinLength(1).ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> suffixes() {
        return Arbitraries.strings().withChars("abcdefXYZ0123456789").ofLength(6);
    }

    @Provide
    Arbitrary<String> regions() {
        return Arbitraries.of("us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1");
    }
}
