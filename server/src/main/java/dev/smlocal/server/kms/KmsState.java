package dev.smlocal.server.kms;

import java.util.List;

/**
 * The emulated KMS's data (its {@link KeyStore}) as plain records, for what outlives a process:
 * the state document ({@code persist/StateCodec}) and the {@code --data-dir} journal. Only the
 * emulated KMS has it; a custom {@link Kms} keeps (and persists) its keys itself.
 */
public interface KmsState {
    /** Every key of every account+region with its material, ordered by account, region and key id. */
    List<KeyRecord> exportKeys();

    /** One key's record, or null when {@code keyId} names no key in (account, region). */
    KeyRecord exportKey(String account, String region, String keyId);

    /** Every alias of every account+region (the managed key's included), ordered by account, region and name. */
    List<AliasRecord> exportAliases();

    /**
     * Puts the key {@code r} describes in its account+region, replacing one of the same id (a
     * multi-Region key joins the related keys already restored). The policy must compile.
     */
    void restoreKey(KeyRecord r);

    /** Puts an alias, replacing one of the same name in its account+region. */
    void restoreAlias(AliasRecord a);

    /**
     * Persistence: {@code afterChange} runs after every section that may have changed a key or alias
     * (any store access; it decides itself whether to look), with no store monitor held.
     */
    void observe(Runnable afterChange);
}
