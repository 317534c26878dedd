package dev.smlocal.server.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The KMS read path's hand-written checks give what the plain versions give: the key-id check what
 * the regular expressions say, and the encryption context the same bytes as the sorted copy that
 * sealed every box already stored (a data directory depends on them).
 */
class KmsHotPathPropertyTest {
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern MRK = Pattern.compile("mrk-[0-9a-f]{32}");

    private static boolean byRegex(String s) {
        return UUID.matcher(s).matches() || MRK.matcher(s).matches();
    }

    private static byte[] bySortedCopy(Map<String, String> context) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
            sb.append(e.getKey().length()).append(':').append(e.getKey())
              .append(e.getValue().length()).append(':').append(e.getValue()).append(';');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 2000)
    void keyIdCheckMatchesTheRegex(@ForAll("keyIdLike") String s) {
        assertEquals(byRegex(s), KeyRef.isKeyId(s), s);
    }

    @Provide
    Arbitrary<String> keyIdLike() {
        Arbitrary<String> uuid = Arbitraries.create(() -> java.util.UUID.randomUUID().toString());
        Arbitrary<String> mrk = Arbitraries.strings().withChars("0123456789abcdef").ofLength(32).map(h -> "mrk-" + h);
        // one character of a valid id replaced by any character: every position and class is tried
        Arbitrary<String> mutated = Arbitraries.oneOf(uuid, mrk, uuid.map(String::toUpperCase)).flatMap(id ->
                Arbitraries.integers().between(0, id.length() - 1).flatMap(i ->
                        Arbitraries.chars().with("-gGzZ09aAfF:/ ").ascii().map(c -> id.substring(0, i) + c + id.substring(i + 1))));
        Arbitrary<String> other = Arbitraries.strings().withChars("mrk-0123456789abcdefABCDEFg").ofMinLength(0).ofMaxLength(40);
        return Arbitraries.oneOf(uuid, mrk, mutated, other, uuid.map(s -> s + "0"), mrk.map(s -> s.substring(1)));
    }

    @Property(tries = 1000)
    void canonicalContextIsTheSortedCopysBytes(@ForAll @Size(max = 4) Map<@net.jqwik.api.constraints.StringLength(max = 12) String,
            @net.jqwik.api.constraints.StringLength(max = 20) String> context) {
        assertArrayEquals(bySortedCopy(context), EncryptionContext.canonical(context));
        Map<String, String> reversed = new LinkedHashMap<>();
        List<String> keys = new java.util.ArrayList<>(context.keySet());
        java.util.Collections.reverse(keys);
        for (String k : keys) reversed.put(k, context.get(k));
        assertArrayEquals(bySortedCopy(context), EncryptionContext.canonical(reversed), "insertion order does not matter");
        Map<String, String> fixed = EncryptionContext.fixed(reversed);
        assertEquals(context, fixed);
        assertArrayEquals(bySortedCopy(context), EncryptionContext.canonical(fixed), "a fixed context keeps the same bytes");
        // a map like any other: equal both ways, same hash, the caller's order, every key found, no other
        assertEquals(fixed, context);
        assertEquals(context.hashCode(), fixed.hashCode());
        assertEquals(keys, List.copyOf(fixed.keySet()));
        for (String k : keys) {
            assertEquals(context.get(k), fixed.get(k));
            assertTrue(fixed.containsKey(k));
        }
        assertNull(fixed.get("not a key " + keys));
        assertFalse(fixed.containsKey("not a key " + keys));
        assertEquals(context.size(), fixed.size());
        assertThrows(UnsupportedOperationException.class, () -> fixed.put("k", "v"));
        reversed.clear();
        assertEquals(context, fixed, "a fixed context does not follow its source");
    }

    @Test
    void aSecretVersionsContextIsUnchanged() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("SecretVersionId", "v1");
        c.put("SecretARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf");
        assertEquals("9:SecretARN62:arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf;15:SecretVersionId2:v1;",
                new String(EncryptionContext.canonical(c), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[0], EncryptionContext.canonical(Map.of()));
        assertArrayEquals(new byte[0], EncryptionContext.canonical(null));
    }
}
