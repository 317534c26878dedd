package dev.smlocal.server.secrets;

import dev.smlocal.server.aws.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * GetRandomPassword (AWS-BEHAVIOUR §5).
 *
 * <p>The character types are upper-case letters, lower-case letters, digits and the 32 punctuation
 * characters {@link #PUNCTUATION}; each can be excluded, and {@code ExcludeCharacters} removes single
 * characters from every type. {@code IncludeSpace} adds the space to the pool but is not a type: it
 * is never required. With {@code RequireEachIncludedType} (default), every type that still has
 * characters appears at least once; the other positions are drawn uniformly from the whole pool and
 * the result is shuffled.
 *
 * <p>Errors: nothing left to draw from → {@link Errors#passwordNoCharacters()}; a length smaller than
 * the number of required types → {@link Errors#passwordTooShort()}.
 */
public final class PasswordGenerator {
    private PasswordGenerator() {}

    public static final String UPPERCASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public static final String LOWERCASE = "abcdefghijklmnopqrstuvwxyz";
    public static final String DIGITS = "0123456789";
    public static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    public static final String SPACE = " ";
    /** The model's upper bound for {@code PasswordLength}. */
    public static final long MAX_LENGTH = 4096;

    /**
     * A password for {@code spec}, drawing from {@code random} (use a CSPRNG such as
     * {@link java.security.SecureRandom} in the server; tests may seed their own).
     */
    public static String generate(PasswordSpec spec, RandomGenerator random) {
        long length = spec.length();
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException(Long.toString(length));
        }
        String excluded = spec.excluded();
        List<String> required = new ArrayList<>(4);
        StringBuilder pool = new StringBuilder();
        addType(spec.uppercase(), UPPERCASE, excluded, required, pool);
        addType(spec.lowercase(), LOWERCASE, excluded, required, pool);
        addType(spec.numbers(), DIGITS, excluded, required, pool);
        addType(spec.punctuation(), PUNCTUATION, excluded, required, pool);
        if (spec.space()) {
            pool.append(without(SPACE, excluded));
        }
        if (pool.length() == 0) {
            throw Errors.passwordNoCharacters();
        }
        if (!spec.requireEachType()) {
            required.clear();
        }
        if (length < required.size()) {
            throw Errors.passwordTooShort();
        }

        char[] out = new char[(int) length];
        int i = 0;
        for (String type : required) {
            out[i++] = pick(type, random);
        }
        String all = pool.toString();
        while (i < out.length) {
            out[i++] = pick(all, random);
        }
        for (int j = out.length - 1; j > 0; j--) {
            int k = random.nextInt(j + 1);
            char tmp = out[j];
            out[j] = out[k];
            out[k] = tmp;
        }
        return new String(out);
    }

    private static void addType(boolean included, String chars, String excluded, List<String> required,
            StringBuilder pool) {
        if (!included) {
            return;
        }
        String left = without(chars, excluded);
        if (!left.isEmpty()) {
            required.add(left);
            pool.append(left);
        }
    }

    private static String without(String chars, String excluded) {
        StringBuilder sb = new StringBuilder(chars.length());
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (excluded.indexOf(c) < 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static char pick(String chars, RandomGenerator random) {
        return chars.charAt(random.nextInt(chars.length()));
    }
}
