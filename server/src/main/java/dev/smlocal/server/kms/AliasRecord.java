package dev.smlocal.server.kms;

import java.time.Instant;

/** One alias of the emulated KMS as plain values (the state document; see {@link KeyRecord}). */
public record AliasRecord(String account, String region, String name, String targetKeyId, Instant created,
                          Instant updated) {}
