package dev.smlocal.server.secrets;

import dev.smlocal.server.aws.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ListSecrets / BatchGetSecretValue filter semantics (AWS-BEHAVIOUR §5 ListSecrets).
 *
 * <ul>
 *   <li>Filters are ANDed, even with the same key.
 *   <li>Within one filter, a value starting with {@code !} is a negation: the secret must not match the
 *       rest of the value. Every negation must hold, and if the filter has plain values at least one of
 *       them must match.
 *   <li>{@code name}, {@code tag-key}, {@code tag-value}, {@code primary-region}, {@code owning-service}:
 *       case-sensitive prefix of the attribute (any tag for the tag keys). A secret without the
 *       attribute never matches (so it does match the negation).
 *   <li>{@code description}: case-insensitive word prefix; every word of the value must prefix some word
 *       of the description.
 *   <li>{@code all}: the same word-prefix test over the words of the name, the description and every tag
 *       key and value taken together.
 * </ul>
 *
 * Words (see {@link #words}) are maximal runs of letters and digits, further split at lower→upper case
 * changes ({@code myTest} → {@code my}, {@code Test}), before the last capital of a capital run that
 * is followed by a lower-case letter ({@code COMPANYthings} → {@code COMPAN}, {@code Ythings}), and
 * between letters and digits ({@code abc123} → {@code abc}, {@code 123}). A value without words (a
 * bare punctuation character, an empty string) matches nothing.
 */
public final class ListFilters {
    private ListFilters() {}

    public static final String NAME = "name";
    public static final String DESCRIPTION = "description";
    public static final String TAG_KEY = "tag-key";
    public static final String TAG_VALUE = "tag-value";
    public static final String PRIMARY_REGION = "primary-region";
    public static final String OWNING_SERVICE = "owning-service";
    public static final String ALL = "all";

    /**
     * Checks what the service model cannot express: a filter needs a {@code Key} and {@code Values}.
     * Key enum, value pattern, lengths and counts are the model validator's job.
     */
    public static void validate(List<Filter> filters) {
        if (filters == null) {
            return;
        }
        for (Filter f : filters) {
            if (f == null || f.key() == null) {
                throw Errors.invalidFilterKey();
            }
            if (f.values() == null || f.values().isEmpty()) {
                throw Errors.invalidFilterValues(f.key());
            }
        }
    }

    /**
     * Whether {@code s} passes every filter. {@code null} or no filters match everything. Expects
     * filters that passed model validation and {@link #validate}; an unknown key is a programming error
     * ({@link IllegalArgumentException}).
     */
    public static boolean matches(List<Filter> filters, SecretFacts s) {
        if (filters == null) {
            return true;
        }
        for (Filter f : filters) {
            if (!matchesOne(f, s)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesOne(Filter f, SecretFacts s) {
        boolean anyPlain = false;
        boolean plainHit = false;
        for (String v : f.values()) {
            if (v.startsWith("!")) {
                if (positive(f.key(), v.substring(1), s)) {
                    return false;
                }
            } else {
                anyPlain = true;
                if (!plainHit && positive(f.key(), v, s)) {
                    plainHit = true;
                }
            }
        }
        return !anyPlain || plainHit;
    }

    private static boolean positive(String key, String value, SecretFacts s) {
        switch (key) {
            case NAME:
                return s.name() != null && s.name().startsWith(value);
            case DESCRIPTION:
                return s.description() != null && wordPrefixMatch(value, words(s.description()));
            case TAG_KEY:
                for (Tag t : s.tags()) {
                    if (t.key() != null && t.key().startsWith(value)) {
                        return true;
                    }
                }
                return false;
            case TAG_VALUE:
                for (Tag t : s.tags()) {
                    if (t.value() != null && t.value().startsWith(value)) {
                        return true;
                    }
                }
                return false;
            case PRIMARY_REGION:
                return s.primaryRegion() != null && s.primaryRegion().startsWith(value);
            case OWNING_SERVICE:
                return s.owningService() != null && s.owningService().startsWith(value);
            case ALL:
                return wordPrefixMatch(value, allWords(s));
            default:
                throw new IllegalArgumentException(key);
        }
    }

    private static List<String> allWords(SecretFacts s) {
        List<String> out = new ArrayList<>();
        if (s.name() != null) {
            out.addAll(words(s.name()));
        }
        if (s.description() != null) {
            out.addAll(words(s.description()));
        }
        for (Tag t : s.tags()) {
            if (t.key() != null) {
                out.addAll(words(t.key()));
            }
            if (t.value() != null) {
                out.addAll(words(t.value()));
            }
        }
        return out;
    }

    /** Every word of {@code value} prefixes (ignoring case) one of {@code targetWords}; no words: false. */
    static boolean wordPrefixMatch(String value, List<String> targetWords) {
        List<String> wanted = words(value);
        if (wanted.isEmpty()) {
            return false;
        }
        List<String> lowered = new ArrayList<>(targetWords.size());
        for (String w : targetWords) {
            lowered.add(lower(w));
        }
        for (String w : wanted) {
            String lw = lower(w);
            boolean found = false;
            for (String t : lowered) {
                if (t.startsWith(lw)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Splits text into search words, keeping case (see the class comment). */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int[] cps = text.codePoints().toArray();
        int start = -1;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (!Character.isLetterOrDigit(c)) {
                if (start >= 0) {
                    out.add(new String(cps, start, i - start));
                    start = -1;
                }
                continue;
            }
            if (start < 0) {
                start = i;
            } else if (boundary(cps, i)) {
                out.add(new String(cps, start, i - start));
                start = i;
            }
        }
        if (start >= 0) {
            out.add(new String(cps, start, cps.length - start));
        }
        return out;
    }

    /** Whether a word starts at {@code i}, given that {@code i - 1} and {@code i} are letters or digits. */
    private static boolean boundary(int[] cps, int i) {
        int prev = cps[i - 1];
        int cur = cps[i];
        if (Character.isDigit(prev) != Character.isDigit(cur)) {
            return true;
        }
        if (Character.isLowerCase(prev) && Character.isUpperCase(cur)) {
            return true;
        }
        return Character.isUpperCase(prev) && Character.isUpperCase(cur)
                && i + 1 < cps.length && Character.isLowerCase(cps[i + 1]);
    }
}
