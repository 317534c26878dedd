package dev.smlocal.server.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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

    /** A KMS key's kept cipher seals and opens the same standard boxes as a fresh one, both ways. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 32, EnvelopeCrypto.SMALL_INPUT + 1, 65536})
    void aKeptCipherMakesTheSameBoxes(int length) throws Exception {
        byte[] key = EnvelopeCrypto.newKey();
        EnvelopeCrypto.Keyed keyed = new EnvelopeCrypto.Keyed(key);
        byte[] plain = new byte[length];
        new Random(length).nextBytes(plain);
        for (int round = 0; round < 3; round++) { // the second and third use the kept cipher
            byte[] box = keyed.seal(plain, AAD);
            assertArrayEquals(plain, EnvelopeCrypto.open(key, box, AAD), "a fresh cipher opens the kept one's box");
            Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
            jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, box, 0, 12));
            jdk.updateAAD(AAD);
            assertArrayEquals(plain, jdk.doFinal(box, 12, box.length - 12), "the JDK's AES-GCM opens it");
            byte[] other = EnvelopeCrypto.seal(key, plain, AAD);
            byte[] framed = new byte[other.length + 7];
            System.arraycopy(other, 0, framed, 5, other.length);
            assertArrayEquals(plain, keyed.open(framed, 5, other.length, AAD), "the kept cipher opens a fresh box");
        }
    }

    /** A box that fails leaves nothing behind: the kept cipher opens the next good box. */
    @Test
    void aFailedOpenDoesNotSpoilTheKeptCipher() {
        byte[] key = EnvelopeCrypto.newKey();
        EnvelopeCrypto.Keyed keyed = new EnvelopeCrypto.Keyed(key);
        byte[] plain = "value".getBytes(StandardCharsets.UTF_8);
        byte[] box = keyed.seal(plain, AAD);
        byte[] tampered = Arrays.copyOf(box, box.length);
        tampered[tampered.length - 1] ^= 1;
        for (int i = 0; i < 3; i++) {
            assertThrows(EnvelopeCrypto.CryptoFailure.class, () -> keyed.open(tampered, 0, tampered.length, AAD));
            byte[] otherAad = Arrays.copyOf(AAD, AAD.length);
            otherAad[3] ^= 1;
            assertThrows(EnvelopeCrypto.CryptoFailure.class, () -> keyed.open(box, 0, box.length, otherAad));
            assertThrows(EnvelopeCrypto.CryptoFailure.class, () -> keyed.open(box, 0, 20, AAD));
            assertArrayEquals(plain, keyed.open(box, 0, box.length, AAD));
        }
        assertThrows(EnvelopeCrypto.CryptoFailure.class,
                () -> new EnvelopeCrypto.Keyed(EnvelopeCrypto.newKey()).open(box, 0, box.length, AAD),
                "another key's kept cipher does not open it");
    }

    /** Threads sharing one key (event loops, workers) each get a whole cipher: every box round-trips. */
    @Test
    void threadsSharingAKeyDoNotMixTheirBoxes() throws Exception {
        byte[] key = EnvelopeCrypto.newKey();
        EnvelopeCrypto.Keyed keyed = new EnvelopeCrypto.Keyed(key);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                done.add(pool.submit((Callable<Integer>) () -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 2000; i++) {
                        byte[] plain = new byte[random.nextInt(300)];
                        random.nextBytes(plain);
                        byte[] box = keyed.seal(plain, AAD);
                        assertArrayEquals(plain, keyed.open(box, 0, box.length, AAD));
                        assertArrayEquals(plain, EnvelopeCrypto.open(key, box, AAD));
                    }
                    return seed;
                }));
            }
            for (Future<Integer> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
