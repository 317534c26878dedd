package dev.smlocal.server.secrets;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.kms.EncryptionContext;
import dev.smlocal.server.kms.Envelope;
import dev.smlocal.server.kms.Kms;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Secret values and KMS: every value is sealed (envelope encryption) under the secret's key before
 * it is stored, with the encryption context {@code SecretARN} + {@code SecretVersionId}, and opened
 * only to answer a read. KMS failures become Secrets Manager's errors ({@link KmsErrors}). The
 * caller holds the secret's store lock; nothing here blocks (the KMS is in-process).
 */
final class ValueSealer {
    static final String DEFAULT_KEY_LABEL = "DefaultEncryptionKey";

    private final Kms kms;
    private final IdGenerator ids;

    ValueSealer(Kms kms, IdGenerator ids) {
        this.kms = Objects.requireNonNull(kms);
        this.ids = Objects.requireNonNull(ids);
    }

    /** The encryption context of a version's value. */
    static Map<String, String> context(String arn, String versionId) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("SecretARN", arn);
        c.put("SecretVersionId", versionId);
        return c;
    }

    /**
     * {@link #context} of {@code v} in {@code s}, built once per version and kept with its canonical
     * bytes (every read of the value needs it twice: to unwrap the data key and to open the value).
     * The ARN is compared in case the version is handed to another secret (never today).
     */
    static Map<String, String> contextOf(Secret s, SecretVersion v) {
        Map<String, String> c = v.cachedContext();
        if (c == null || !s.arn().equals(c.get("SecretARN"))) {
            c = EncryptionContext.fixed(context(s.arn(), v.versionId()));
            v.cacheContext(c);
        }
        return c;
    }

    String keyLabel(Secret s) {
        return keyLabel(s.arn(), s.kmsKeyId());
    }

    /** What ListSecretVersionIds shows for a value sealed under {@code keyRef} for the secret {@code arn}. */
    String keyLabel(String arn, String keyRef) {
        if (keyRef == null) return DEFAULT_KEY_LABEL;
        try {
            SecretArn a = SecretArn.of(arn);
            return kms.resolve(a.account(), a.region(), keyRef).arn();
        } catch (AwsException e) {
            return keyRef;
        }
    }

    /** {@code str} or {@code bin} sealed under the secret's key for the version {@code versionId}. */
    Envelope.Sealed sealFor(RegionalStore store, Secret s, String versionId, String str, byte[] bin) {
        return sealUnder(store, s, s.kmsKeyId(), versionId, str, bin);
    }

    Envelope.Sealed sealUnder(RegionalStore store, Secret s, String keyRef, String versionId, String str, byte[] bin) {
        byte[] plain = str != null ? str.getBytes(StandardCharsets.UTF_8) : bin;
        try {
            return Envelope.seal(kms, store.account(), store.region(), keyRef, context(s.arn(), versionId), plain);
        } catch (AwsException e) {
            throw KmsErrors.onEncrypt(e, ids);
        }
    }

    /** Seals the value into {@code v}. */
    void seal(RegionalStore store, Secret s, SecretVersion v, String str, byte[] bin) {
        v.setValue(sealFor(store, s, v.versionId(), str, bin), bin != null, keyLabel(s));
    }

    /**
     * Opens the copy under the secret's current key; when KMS refuses it, a copy kept under an
     * earlier key (AWS-BEHAVIOUR §5 UpdateSecret: "the old key can still decrypt them"). The error names the
     * current copy's key. The caller clears the returned bytes when done.
     */
    byte[] openBytes(RegionalStore store, Secret s, SecretVersion v) {
        AwsException first = null;
        Map<String, String> context = contextOf(s, v);
        for (int i = 0, n = v.copyCount(); i < n; i++) {
            try {
                return Envelope.open(kms, store.account(), store.region(), v.copy(i), context);
            } catch (AwsException e) {
                if (first == null) first = e;
            }
        }
        throw KmsErrors.onDecrypt(first, ids);
    }

    /** Whether {@code v} holds exactly this value (an idempotent retry), compared in constant time. */
    boolean sameValue(RegionalStore store, Secret s, SecretVersion v, String str, byte[] bin) {
        if (!v.hasValue()) return false;
        if (v.isBinary() != (bin != null)) return false;
        byte[] stored = openBytes(store, s, v);
        byte[] given = str != null ? str.getBytes(StandardCharsets.UTF_8) : bin;
        boolean same = MessageDigest.isEqual(stored, given);
        Arrays.fill(stored, (byte) 0);
        return same;
    }

    /** A labelled version's value sealed again under a new key, applied once nothing else can fail. */
    record Reencrypted(SecretVersion version, Envelope.Sealed sealed) {}

    /**
     * A key change: labelled versions (AWSCURRENT, AWSPENDING, AWSPREVIOUS) are sealed again under
     * {@code newKeyRef} (their copy under the old key is kept); the rest stay as they are. Changes
     * nothing: the caller applies the result with {@link #applyKeyChange}.
     */
    List<Reencrypted> reencryptLabelled(RegionalStore store, Secret s, String newKeyRef) {
        List<Reencrypted> out = new ArrayList<>();
        for (SecretVersion v : s.versions()) {
            if (!v.hasValue() || !(v.stages().contains(Secret.CURRENT) || v.stages().contains(Secret.PENDING)
                    || v.stages().contains(Secret.PREVIOUS))) {
                continue;
            }
            byte[] plain = openBytes(store, s, v);
            try {
                out.add(new Reencrypted(v, Envelope.seal(kms, store.account(), store.region(), newKeyRef,
                        context(s.arn(), v.versionId()), plain)));
            } catch (AwsException e) {
                throw KmsErrors.onEncrypt(e, ids);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        return out;
    }

    /** Switches the secret to {@code keyRef}, adding the copies made by {@link #reencryptLabelled}. */
    void applyKeyChange(Secret s, String keyRef, List<Reencrypted> reencrypted) {
        s.setKmsKeyId(keyRef);
        String label = keyLabel(s.arn(), keyRef);
        for (Reencrypted re : reencrypted) re.version().addCopy(re.sealed(), label);
    }
}
