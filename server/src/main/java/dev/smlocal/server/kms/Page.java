package dev.smlocal.server.kms;

import dev.smlocal.server.aws.Errors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/** One page of a KMS List* answer: the items, the marker of the next page and whether there is one. */
record Page<T>(List<T> items, String nextMarker, boolean truncated) {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    /**
     * One page of {@code sorted} (ascending by {@code name}). The marker is the base64url of
     * {@code kind:lastName}; a marker of another kind, or not base64, is {@code InvalidMarkerException}.
     */
    static <T> Page<T> of(String kind, Collection<T> sorted, Function<T, String> name, Integer limit, String marker) {
        int max = limit == null ? DEFAULT_LIMIT : Math.max(1, Math.min(MAX_LIMIT, limit));
        String after = marker == null ? null : decodeMarker(kind, marker);
        List<T> items = new ArrayList<>();
        boolean more = false;
        for (T item : sorted) {
            if (after != null && name.apply(item).compareTo(after) <= 0) continue;
            if (items.size() == max) {
                more = true;
                break;
            }
            items.add(item);
        }
        String next = more ? Base64.getUrlEncoder().withoutPadding().encodeToString(
                (kind + ":" + name.apply(items.get(items.size() - 1))).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(items, next, more);
    }

    private static String decodeMarker(String kind, String marker) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Errors.kmsInvalidMarker();
        }
        if (!text.startsWith(kind + ":")) throw Errors.kmsInvalidMarker();
        return text.substring(kind.length() + 1);
    }
}
