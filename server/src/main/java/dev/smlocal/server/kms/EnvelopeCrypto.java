package dev.smlocal.server.kms;

import java.security.SecureRandom;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables4kGCMMultiplier;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-GCM through BouncyCastle's lightweight API (no JCE provider registration, so it works
 * the same on any JVM and inside a shaded jar). A sealed box is {@code iv(12) || ciphertext || tag(16)}.
 *
 * <p>Every box has its own key (a data key, or a KMS key's material), so GHASH set-up happens per
 * call. BouncyCastle's default GHASH multiplier precomputes a 4 KiB table per key, which costs
 * more than the whole operation on a short value (a data key, a small secret); the plain multiplier
 * needs no table. Short inputs use the plain one, long ones the table (measured crossover near
 * 1-2 KiB, docs/PERFORMANCE.md). Both compute the same GCM: the boxes are interchangeable.
 */
public final class EnvelopeCrypto {
    public static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Inputs up to this many bytes use the table-free GHASH multiplier. */
    static final int SMALL_INPUT = 2048;

    private EnvelopeCrypto() {}

    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Encrypts {@code plaintext} under {@code key}, authenticating {@code aad}. */
    public static byte[] seal(byte[] key, byte[] plaintext, byte[] aad) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        GCMBlockCipher gcm = cipher(true, key, iv, aad, plaintext.length);
        byte[] out = new byte[IV_BYTES + gcm.getOutputSize(plaintext.length)];
        System.arraycopy(iv, 0, out, 0, IV_BYTES);
        int n = gcm.processBytes(plaintext, 0, plaintext.length, out, IV_BYTES);
        try {
            gcm.doFinal(out, IV_BYTES + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return out;
    }

    /** Decrypts a box made by {@link #seal}; throws {@link CryptoFailure} if it does not authenticate. */
    public static byte[] open(byte[] key, byte[] box, byte[] aad) {
        return open(key, box, 0, box.length, aad);
    }

    /** As {@link #open(byte[], byte[], byte[])} for the box at {@code box[offset, offset + length)}. */
    public static byte[] open(byte[] key, byte[] box, int offset, int length, byte[] aad) {
        if (length < IV_BYTES + TAG_BITS / 8) throw new CryptoFailure("ciphertext too short");
        byte[] iv = java.util.Arrays.copyOfRange(box, offset, offset + IV_BYTES);
        return finish(cipher(false, key, iv, aad, length - IV_BYTES), box, offset, length);
    }

    private static byte[] finish(GCMBlockCipher gcm, byte[] box, int offset, int length) {
        byte[] out = new byte[gcm.getOutputSize(length - IV_BYTES)];
        int n = gcm.processBytes(box, offset + IV_BYTES, length - IV_BYTES, out, 0);
        try {
            n += gcm.doFinal(out, n);
        } catch (InvalidCipherTextException | IllegalStateException e) {
            java.util.Arrays.fill(out, (byte) 0);
            throw new CryptoFailure("ciphertext does not authenticate");
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * AES-256-GCM under one long-lived key (a KMS key's material, which its key store holds anyway):
     * the AES key schedule and a GHASH table are built once per cipher and the ciphers are reused,
     * re-initialised with a fresh IV and no key, which BouncyCastle's GCM allows (it keeps the key
     * and the table and, when encrypting, refuses a repeated IV). A few ciphers are kept, one per
     * slot picked by the calling thread, so event loops do not share one; a slot in use by another
     * thread means a fresh cipher for this call. Same boxes as {@link #seal} and {@link #open}.
     */
    public static final class Keyed {
        private static final int SLOTS = 4;
        private final byte[] key;
        private final java.util.concurrent.atomic.AtomicReferenceArray<GCMBlockCipher> slots =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(SLOTS);

        /** {@code key} is not copied: it stays the owner's. */
        public Keyed(byte[] key) {
            if (key.length != KEY_BYTES) throw new IllegalArgumentException("AES-256 needs a 32-byte key");
            this.key = key;
        }

        public byte[] seal(byte[] plaintext, byte[] aad) {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            int slot = slot();
            GCMBlockCipher gcm = take(slot, true, iv);
            try {
                gcm.processAADBytes(aad, 0, aad.length);
                byte[] out = new byte[IV_BYTES + gcm.getOutputSize(plaintext.length)];
                System.arraycopy(iv, 0, out, 0, IV_BYTES);
                int n = gcm.processBytes(plaintext, 0, plaintext.length, out, IV_BYTES);
                gcm.doFinal(out, IV_BYTES + n);
                return out;
            } catch (InvalidCipherTextException e) {
                throw new IllegalStateException("AES-GCM encryption failed", e);
            } finally {
                slots.lazySet(slot, gcm);
            }
        }

        public byte[] open(byte[] box, int offset, int length, byte[] aad) {
            if (length < IV_BYTES + TAG_BITS / 8) throw new CryptoFailure("ciphertext too short");
            int slot = slot();
            GCMBlockCipher gcm = take(slot, false, java.util.Arrays.copyOfRange(box, offset, offset + IV_BYTES));
            try {
                gcm.processAADBytes(aad, 0, aad.length);
                return finish(gcm, box, offset, length);
            } finally {
                slots.lazySet(slot, gcm);
            }
        }

        private static int slot() {
            return (int) (Thread.currentThread().getId() & (SLOTS - 1));
        }

        /** The slot's cipher (or a new one) initialised for {@code iv}; the slot is empty until it is put back. */
        @SuppressWarnings("deprecation")
        private GCMBlockCipher take(int slot, boolean encrypt, byte[] iv) {
            GCMBlockCipher gcm = slots.getAndSet(slot, null);
            if (gcm == null) {
                gcm = new GCMBlockCipher(new AESEngine(), new Tables4kGCMMultiplier());
                gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, iv));
            } else {
                gcm.init(encrypt, new AEADParameters(null, TAG_BITS, iv)); // same key, schedule and table
            }
            return gcm;
        }
    }

    @SuppressWarnings("deprecation")
    private static GCMBlockCipher cipher(boolean encrypt, byte[] key, byte[] iv, byte[] aad, int length) {
        if (key.length != KEY_BYTES) throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        GCMBlockCipher gcm = new GCMBlockCipher(new AESEngine(),
                length + aad.length <= SMALL_INPUT ? new BasicGCMMultiplier() : new Tables4kGCMMultiplier());
        // the AAD goes in after init, not in the parameters: BouncyCastle replays parameter AAD through
        // GHASH again when doFinal resets the cipher for reuse, and these ciphers are used once
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, iv));
        gcm.processAADBytes(aad, 0, aad.length);
        return gcm;
    }

    /** A ciphertext that does not decrypt under the given key and context. */
    public static final class CryptoFailure extends RuntimeException {
        public CryptoFailure(String message) {
            super(message, null, false, false);
        }
    }
}
