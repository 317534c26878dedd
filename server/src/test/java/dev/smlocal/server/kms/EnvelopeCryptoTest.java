package dev.smlocal.server.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sealed box is standard AES-256-GCM whichever GHASH multiplier a length picks: the JDK's own
 * AES/GCM opens it, and a changed byte or context does not authenticate.
 */
class EnvelopeCryptoTest {
    private static final byte[] AAD = "9:SecretARN40:arn:aws:secretsmanager:...;".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 32, 1000, EnvelopeCrypto.SMALL_INPUT - 1, EnvelopeCrypto.SMALL_INPUT,
            EnvelopeCrypto.SMALL_INPUT + 1, 65536})
    void boxesAreStandardGcmOnBothSidesOfTheMultiplierSwitch(int length) throws Exception {
        byte[] key = EnvelopeCrypto.newKey();
        byte[] plain = new byte[length];
        new Random(length).nextBytes(plain);
        byte[] box = EnvelopeCrypto.seal(key, plain, AAD);

        assertArrayEquals(plain, EnvelopeCrypto.open(key, box, AAD));
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, box, 0, 12));
        jdk.updateAAD(AAD);
        assertArrayEquals(plain, jdk.doFinal(box, 12, box.length - 12), "the JDK's AES-GCM opens the box");

        byte[] jdkBox = new byte[12 + length + 16];
        System.arraycopy(box, 0, jdkBox, 0, 12);
        Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
        enc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, box, 0, 12));
        enc.updateAAD(AAD);
        enc.doFinal(plain, 0, length, jdkBox, 12);
        assertArrayEquals(plain, EnvelopeCrypto.open(key, jdkBox, AAD), "a box the JDK sealed opens");
    }

    @ParameterizedTest
    @ValueSource(ints = {16, EnvelopeCrypto.SMALL_INPUT + 100})
    void aChangedByteOrContextDoesNotAuthenticate(int length) {
        byte[] key = EnvelopeCrypto.newKey();
        byte[] box = EnvelopeCrypto.seal(key, new byte[length], AAD);
        byte[] tampered = Arrays.copyOf(box, box.length);
        tampered[tampered.length / 2] ^= 1;
        assertThrows(EnvelopeCrypto.CryptoFailure.class, () -> EnvelopeCrypto.open(key, tampered, AAD));
        byte[] otherAad = Arrays.copyOf(AAD, AAD.length);
        otherAad[0] ^= 1;
        assertThrows(EnvelopeCrypto.CryptoFailure.class, () -> EnvelopeCrypto.open(key, box, otherAad));
        assertThrows(EnvelopeCrypto.CryptoFailure.class, () -> EnvelopeCrypto.open(EnvelopeCrypto.newKey(), box, AAD));
    }
}
