package dev.smlocal.server.secrets;

/**
 * GetRandomPassword input; every member is nullable and {@code null} means the AWS default.
 *
 * @param passwordLength default 32 (the model bounds it to 1..4096)
 * @param excludeCharacters characters never to use; default none
 * @param excludeNumbers default false
 * @param excludePunctuation default false
 * @param excludeUppercase default false
 * @param excludeLowercase default false
 * @param includeSpace default false
 * @param requireEachIncludedType default true
 */
public record PasswordSpec(Long passwordLength, String excludeCharacters, Boolean excludeNumbers,
        Boolean excludePunctuation, Boolean excludeUppercase, Boolean excludeLowercase, Boolean includeSpace,
        Boolean requireEachIncludedType) {

    public static final long DEFAULT_LENGTH = 32;

    /** All defaults. */
    public static PasswordSpec defaults() {
        return new PasswordSpec(null, null, null, null, null, null, null, null);
    }

    public long length() {
        return passwordLength == null ? DEFAULT_LENGTH : passwordLength;
    }

    public String excluded() {
        return excludeCharacters == null ? "" : excludeCharacters;
    }

    public boolean numbers() {
        return !Boolean.TRUE.equals(excludeNumbers);
    }

    public boolean punctuation() {
        return !Boolean.TRUE.equals(excludePunctuation);
    }

    public boolean uppercase() {
        return !Boolean.TRUE.equals(excludeUppercase);
    }

    public boolean lowercase() {
        return !Boolean.TRUE.equals(excludeLowercase);
    }

    public boolean space() {
        return Boolean.TRUE.equals(includeSpace);
    }

    public boolean requireEachType() {
        return !Boolean.FALSE.equals(requireEachIncludedType);
    }
}
