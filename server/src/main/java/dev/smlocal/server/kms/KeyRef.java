package dev.smlocal.server.kms;

import dev.smlocal.server.aws.Errors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed KMS key reference: the account whose store it addresses and either a key id or an alias
 * name (with its {@code alias/} prefix). Parsing checks only the form and the region of ARNs;
 * whether the key exists is the store's business.
 */
record KeyRef(String account, String keyId, String aliasName) {
    private static final Pattern ARN = Pattern.compile("arn:[a-z-]+:kms:([^:]*):([^:]*):(key|alias)/(.*)");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    boolean isAlias() {
        return aliasName != null;
    }

    /** A key id as KMS generates them: a UUID, or {@code mrk-} and 32 lowercase hex digits. */
    static boolean isKeyId(String s) {
        return s != null && s.length() == 36 && (isUuid(s) || isMrk(s));
    }

    /** {@code [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}, by position (a hot path). */
    private static boolean isUuid(String s) {
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') return false;
            } else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** {@code mrk-[0-9a-f]{32}}. */
    private static boolean isMrk(String s) {
        if (!s.startsWith("mrk-")) return false;
        for (int i = 4; i < 36; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    /**
     * Parses {@code ref} as seen by a caller in {@code callerAccount} / {@code region}. Null or empty
     * is the Secrets Manager default alias. An ARN must name {@code region}; its account may differ
     * from the caller's (cross-account use).
     */
    static KeyRef parse(String callerAccount, String region, String ref) {
        if (ref == null || ref.isEmpty()) return new KeyRef(callerAccount, null, Kms.SECRETS_MANAGER_ALIAS);
        if (ref.startsWith("arn:")) {
            Matcher m = ARN.matcher(ref);
            if (!m.matches()) throw Errors.kmsInvalidKeyId(ref);
            if (!m.group(1).equals(region)) throw Errors.kmsInvalidArnRegion(m.group(1));
            if (!ACCOUNT.matcher(m.group(2)).matches()) throw Errors.kmsInvalidKeyId(ref);
            if (m.group(3).equals("alias")) return new KeyRef(m.group(2), null, "alias/" + m.group(4));
            if (!isKeyId(m.group(4))) throw Errors.kmsInvalidKeyId(ref);
            return new KeyRef(m.group(2), m.group(4), null);
        }
        if (ref.startsWith("alias/")) return new KeyRef(callerAccount, null, ref);
        if (isKeyId(ref)) return new KeyRef(callerAccount, ref, null);
        throw Errors.kmsInvalidKeyId(ref);
    }
}
