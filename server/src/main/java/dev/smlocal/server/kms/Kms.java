package dev.smlocal.server.kms;

import java.util.Map;

/**
 * The plug-in point between Secrets Manager and a key service: what Secrets Manager needs from KMS
 * to keep secret values encrypted at rest. {@link EmulatedKms} is the default; a test can plug in
 * its own (through the testkit) to exercise failures no real key can produce.
 *
 * <p>Every method throws {@link dev.smlocal.server.aws.AwsException} with a KMS {@code ErrorType}
 * ({@code NotFoundException}, {@code DisabledException}, {@code KMSInvalidStateException} ...) and
 * KMS's own message text; Secrets Manager maps them to its own errors.
 */
public interface Kms {

    /** The alias of the AWS managed key Secrets Manager uses when a secret names no key. */
    String SECRETS_MANAGER_ALIAS = "alias/aws/secretsmanager";

    /**
     * Resolves a key reference as Secrets Manager receives it in {@code KmsKeyId}: a key id
     * ({@code 1234abcd-...} or {@code mrk-...}), a key ARN, an alias name ({@code alias/...}) or an
     * alias ARN. {@code null} or empty means the AWS managed key {@code alias/aws/secretsmanager},
     * created on first use. Does not check the key's state.
     */
    KeyInfo resolve(String account, String region, String keyRef);

    /**
     * Generates a 256-bit data key under {@code keyRef}, bound to {@code context}. Fails when the
     * key does not exist, is disabled or pending deletion.
     */
    DataKey generateDataKey(String account, String region, String keyRef, Map<String, String> context);

    /**
     * Decrypts a ciphertext blob produced by {@link #generateDataKey} or encrypt in this region
     * (or by a related multi-Region key in another region), with the same {@code context}.
     */
    byte[] decrypt(String account, String region, byte[] ciphertextBlob, Map<String, String> context);

    /**
     * The key policy of the key {@code keyRef} names, compiled, with the key's ARN and account; null
     * when this KMS does not model key policies (then Secrets Manager does not check them). The AWS
     * managed key answers null too: its policy admits the owning account through Secrets Manager.
     */
    default KeyPolicy keyPolicy(String account, String region, String keyRef) {
        return null;
    }

    /** A key's policy as authorization needs it. */
    record KeyPolicy(String keyArn, String account, dev.smlocal.server.auth.Policy policy) {}

    /** Forgets every key and alias (the emulator reset). */
    void reset();

    /** A data key: the plaintext (use it, then forget it) and the same key wrapped by the KMS key. */
    record DataKey(String keyArn, byte[] plaintext, byte[] ciphertextBlob) {}
}
