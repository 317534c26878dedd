package dev.smlocal.server.secrets;

import dev.smlocal.server.aws.Errors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque pagination tokens: the offset of the next page, bound to the query that produced it so
 * that a token from another query (or a tampered one) is refused with InvalidNextTokenException.
 */
final class PageToken {
    private PageToken() {}

    static String next(int offset, String queryFingerprint) {
        String raw = "smlocal:" + offset + ":" + Integer.toHexString(queryFingerprint.hashCode());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static int offset(String token, String queryFingerprint) {
        if (token == null) return 0;
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split(":");
            if (parts.length != 3 || !parts[0].equals("smlocal")
                    || !parts[2].equals(Integer.toHexString(queryFingerprint.hashCode()))) {
                throw Errors.invalidNextToken();
            }
            int offset = Integer.parseInt(parts[1]);
            if (offset < 0) throw Errors.invalidNextToken();
            return offset;
        } catch (IllegalArgumentException e) {
            throw Errors.invalidNextToken();
        }
    }
}
