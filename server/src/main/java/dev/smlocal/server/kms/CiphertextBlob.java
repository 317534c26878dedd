package dev.smlocal.server.kms;

import dev.smlocal.server.aws.Errors;
import java.nio.charset.StandardCharsets;

/**
 * The emulated KMS ciphertext blob (opaque to callers):
 * {@code format(1) || account(12 ASCII digits) || idLength(1) || keyId(ASCII) || box}, where the box
 * is an {@link EnvelopeCrypto} sealed box under the key's material. The blob names the key's account
 * and id but not its region, so any related multi-Region key (same id, same material) can open it
 * in its own region, and a cross-account caller needs no KeyId.
 */
final class CiphertextBlob {
    static final byte FORMAT_V1 = 1;
    private static final int ACCOUNT_LEN = 12;
    private static final int MIN_BOX = 12 + 16;

    private CiphertextBlob() {}

    /** A parsed blob: the box is {@code blob[boxAt..]} (not copied). */
    record Parsed(String account, String keyId, byte[] blob, int boxAt) {
        int boxLength() {
            return blob.length - boxAt;
        }
    }

    static byte[] wrap(String account, String keyId, byte[] box) {
        byte[] acct = account.getBytes(StandardCharsets.US_ASCII);
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        if (acct.length != ACCOUNT_LEN || id.length > 255) throw new IllegalArgumentException("bad key reference");
        byte[] out = new byte[2 + ACCOUNT_LEN + id.length + box.length];
        out[0] = FORMAT_V1;
        System.arraycopy(acct, 0, out, 1, ACCOUNT_LEN);
        out[1 + ACCOUNT_LEN] = (byte) id.length;
        System.arraycopy(id, 0, out, 2 + ACCOUNT_LEN, id.length);
        System.arraycopy(box, 0, out, 2 + ACCOUNT_LEN + id.length, box.length);
        return out;
    }

    /** Splits a blob; anything that is not a well-formed v1 blob is {@code InvalidCiphertextException}. */
    static Parsed parse(byte[] blob) {
        if (blob == null || blob.length < 2 + ACCOUNT_LEN || blob[0] != FORMAT_V1) throw Errors.kmsInvalidCiphertext();
        String account = new String(blob, 1, ACCOUNT_LEN, StandardCharsets.US_ASCII);
        int idLen = blob[1 + ACCOUNT_LEN] & 0xff;
        int boxAt = 2 + ACCOUNT_LEN + idLen;
        if (blob.length < boxAt + MIN_BOX || !digits(blob, 1, ACCOUNT_LEN)) {
            throw Errors.kmsInvalidCiphertext();
        }
        String keyId = new String(blob, 2 + ACCOUNT_LEN, idLen, StandardCharsets.US_ASCII);
        if (!KeyRef.isKeyId(keyId)) throw Errors.kmsInvalidCiphertext();
        return new Parsed(account, keyId, blob, boxAt);
    }

    private static boolean digits(byte[] b, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (b[i] < '0' || b[i] > '9') return false;
        }
        return true;
    }
}
