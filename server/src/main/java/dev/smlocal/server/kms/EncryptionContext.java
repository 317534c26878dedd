package dev.smlocal.server.kms;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical byte form of an encryption context, used as AES-GCM additional data: the entries in
 * key order, each {@code keyLength:key valueLength:value;} (lengths in UTF-16 chars), UTF-8 encoded.
 * Boxes already sealed (a data directory, an exported document) depend on these exact bytes.
 */
public final class EncryptionContext {
    private EncryptionContext() {}

    /**
     * {@code context} frozen, its canonical bytes computed now and handed out by {@link #canonical}
     * without being built again: for a context read on every call (a secret version's). Unmodifiable.
     */
    public static Map<String, String> fixed(Map<String, String> context) {
        return context instanceof Fixed ? context : new Fixed(context);
    }

    /**
     * Kept for every secret version, so it holds the caller's strings (no copies) in one array,
     * {@code key, value, key, value...} in the caller's order, beside the canonical bytes: about
     * 200 bytes a version where a copied map took twice that.
     */
    private static final class Fixed extends java.util.AbstractMap<String, String> {
        private final String[] pairs;
        private final byte[] canonical;

        Fixed(Map<String, String> context) {
            String[] p = new String[context.size() * 2];
            int i = 0;
            for (Map.Entry<String, String> e : context.entrySet()) {
                p[i++] = java.util.Objects.requireNonNull(e.getKey(), "encryption context key");
                p[i++] = java.util.Objects.requireNonNull(e.getValue(), "encryption context value");
            }
            this.pairs = p;
            this.canonical = build(context);
        }

        @Override
        public String get(Object key) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i].equals(key)) return pairs[i + 1];
            }
            return null;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public int size() { return pairs.length / 2; }

        @Override
        public java.util.Set<Map.Entry<String, String>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public java.util.Iterator<Map.Entry<String, String>> iterator() {
                    return new java.util.Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() { return i < pairs.length; }

                        @Override
                        public Map.Entry<String, String> next() {
                            if (i >= pairs.length) throw new java.util.NoSuchElementException();
                            Map.Entry<String, String> e = new java.util.AbstractMap.SimpleImmutableEntry<>(pairs[i], pairs[i + 1]);
                            i += 2;
                            return e;
                        }
                    };
                }

                @Override
                public int size() { return pairs.length / 2; }
            };
        }
    }

    /** The canonical bytes of {@code context}; for a {@link #fixed} context, its kept bytes, which no caller writes to. */
    public static byte[] canonical(Map<String, String> context) {
        if (context instanceof Fixed f) return f.canonical;
        return build(context);
    }

    private static byte[] build(Map<String, String> context) {
        if (context == null || context.isEmpty()) return new byte[0];
        StringBuilder sb = new StringBuilder(128);
        if (context.size() <= 2) { // a secret version's context has two entries: no sorted copy for them
            Map.Entry<String, String> first = null;
            Map.Entry<String, String> second = null;
            for (Map.Entry<String, String> e : context.entrySet()) {
                if (first == null) first = e;
                else second = e;
            }
            if (second != null && second.getKey().compareTo(first.getKey()) < 0) {
                Map.Entry<String, String> t = first;
                first = second;
                second = t;
            }
            append(sb, first);
            if (second != null) append(sb, second);
        } else {
            for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) append(sb, e);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void append(StringBuilder sb, Map.Entry<String, String> e) {
        sb.append(e.getKey().length()).append(':').append(e.getKey())
          .append(e.getValue().length()).append(':').append(e.getValue()).append(';');
    }
}
