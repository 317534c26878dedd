package dev.smlocal.conformance.support;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The run's unique name prefix, {@code smlocal-conf-<timestamp>-<random>/}: stray resources left in
 * an account name the run (and, after the prefix, the check) that made them.
 */
public final class RunNames {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Matches any run prefix, for the normaliser. */
    public static final String PATTERN = "smlocal-conf-\\d{8}T\\d{6}Z-[a-z0-9]{6}/";

    private RunNames() {}

    public static String prefix() {
        String ts = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < 6; i++) r.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return "smlocal-conf-" + ts + "-" + r + "/";
    }
}
