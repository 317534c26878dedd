package dev.smlocal.server.aws;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The emulator's one source of non-cryptographic randomness: version ids, ARN suffixes and fault
 * coin flips. Seeded from {@code --seed}, so two runs making the same calls produce the same ARNs
 * and the same faults. Thread-safe.
 */
public final class IdGenerator {
    private static final String SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private final long seed;
    private SplittableRandom random;

    public IdGenerator(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /**
     * A generator of its own for one {@code purpose} (the KMS's key ids: {@code "kms"}), seeded from
     * this seed and the purpose: the same seed gives the same sequence, and its draws do not shift
     * this generator's (secret ARNs stay what they were when keys are created in between).
     */
    public IdGenerator derive(String purpose) {
        return new IdGenerator(seed ^ (purpose.hashCode() * 0x9E3779B97F4A7C15L));
    }

    /** Restarts the sequence from the seed (the emulator reset). */
    public synchronized void reset() {
        random = new SplittableRandom(seed);
    }

    /** Six letters and digits, as AWS appends to a secret's ARN. */
    public synchronized String arnSuffix() {
        char[] c = new char[6];
        for (int i = 0; i < c.length; i++) c[i] = SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length()));
        return new String(c);
    }

    /** A random (version 4) UUID drawn from the seeded sequence. */
    public synchronized String uuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** True with probability {@code p}. */
    public synchronized boolean chance(double p) {
        return p >= 1.0 || (p > 0.0 && random.nextDouble() < p);
    }

    public synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
