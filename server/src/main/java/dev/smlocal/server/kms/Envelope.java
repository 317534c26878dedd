package dev.smlocal.server.kms;

import java.util.Arrays;
import java.util.Map;

/**
 * Envelope encryption of one secret version: a fresh data key from {@link Kms#generateDataKey}
 * encrypts the value with AES-256-GCM; only the wrapped data key and the ciphertext are kept. The
 * plaintext data key is wiped as soon as it has been used.
 */
public final class Envelope {
    private Envelope() {}

    /** An encrypted value: the KMS key that wrapped the data key, the wrapped key and the box. */
    public record Sealed(String keyArn, byte[] wrappedKey, byte[] box) {}

    public static Sealed seal(Kms kms, String account, String region, String keyRef,
                              Map<String, String> context, byte[] plaintext) {
        Kms.DataKey dk = kms.generateDataKey(account, region, keyRef, context);
        try {
            return new Sealed(dk.keyArn(), dk.ciphertextBlob(),
                    EnvelopeCrypto.seal(dk.plaintext(), plaintext, EncryptionContext.canonical(context)));
        } finally {
            Arrays.fill(dk.plaintext(), (byte) 0);
        }
    }

    public static byte[] open(Kms kms, String account, String region, Sealed sealed, Map<String, String> context) {
        byte[] key = kms.decrypt(account, region, sealed.wrappedKey(), context);
        try {
            return EnvelopeCrypto.open(key, sealed.box(), EncryptionContext.canonical(context));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
