package dev.smlocal.server.kms;

import java.time.Instant;
import java.util.Map;

/**
 * Everything the emulated KMS holds about one key in one region, as plain values: what the state
 * document ({@code persist/StateCodec}) writes and reads back through
 * {@link EmulatedKms#exportKeys} and {@link EmulatedKms#restoreKey}. {@code material} is the key
 * material itself: a document holding it must be protected like the keys.
 *
 * @param readyAt      when a {@code Creating} replica key turns {@code Enabled} (null otherwise)
 * @param deletionDate when a key {@code PendingDeletion} is deleted (null otherwise)
 * @param pendingWindowDays the waiting period of a scheduled deletion, in days (0 when not scheduled)
 * @param multiRegion  null for a single-Region key
 */
public record KeyRecord(String account, String region, String keyId, byte[] material, boolean awsManaged,
                        Instant creationDate, String description, String policy, Map<String, String> tags,
                        KeyState state, Instant readyAt, Instant deletionDate, int pendingWindowDays,
                        MultiRegion multiRegion) {

    /**
     * The related multi-Region keys of this key's id, as every member sees them: the primary's region
     * and, per member region in the order they joined, when that member is (or will be) deleted
     * (null while it is not scheduled).
     */
    public record MultiRegion(String primaryRegion, Map<String, Instant> members) {}

    public String arn() { return KeyStore.keyArn(account, region, keyId); }
}
