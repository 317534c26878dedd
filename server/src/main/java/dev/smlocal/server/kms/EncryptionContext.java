package dev.smlocal.server.kms;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** The canonical byte form of an encryption context, used as AES-GCM additional data. */
public final class EncryptionContext {
    private EncryptionContext() {}

    public static byte[] canonical(Map<String, String> context) {
        if (context == null || context.isEmpty()) return new byte[0];
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
            sb.append(e.getKey().length()).append(':').append(e.getKey())
              .append(e.getValue().length()).append(':').append(e.getValue()).append(';');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
