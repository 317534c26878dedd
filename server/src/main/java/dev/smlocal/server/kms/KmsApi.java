package dev.smlocal.server.kms;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Request and response records of the KMS JSON API subset that {@link EmulatedKms} serves. Each
 * record is named after its shape in {@code kms-service-2.json} and its components are that shape's
 * members, in UpperCamelCase on the wire ({@code keyId} ↔ {@code KeyId}); the few wire names that
 * are not the UpperCamelCase of the component carry {@link JsonProperty}. Null components are
 * omitted, {@code byte[]} is base64 and {@link Instant} is epoch seconds (the mapper's job).
 *
 * <p>Members the emulator accepts but ignores: {@code GrantTokens}, {@code BypassPolicyLockoutSafetyCheck},
 * {@code EncryptionAlgorithm} on requests (only {@code SYMMETRIC_DEFAULT} exists here).
 * Operations without an output shape (CreateAlias, DeleteAlias, EnableKey, DisableKey,
 * UpdatePrimaryRegion, TagResource, UntagResource, PutKeyPolicy) return nothing and answer {@code {}}.
 */
public final class KmsApi {
    private KmsApi() {}

    // ---- shared shapes -------------------------------------------------------------------------

    public record Tag(String tagKey, String tagValue) {}

    public record MultiRegionKey(String arn, String region) {}

    /** {@code multiRegionKeyType} is PRIMARY or REPLICA; {@code replicaKeys} lists every replica. */
    public record MultiRegionConfiguration(String multiRegionKeyType, MultiRegionKey primaryKey,
                                           List<MultiRegionKey> replicaKeys) {}

    public record KeyMetadata(
            @JsonProperty("AWSAccountId") String awsAccountId,
            String keyId,
            String arn,
            Instant creationDate,
            Boolean enabled,
            String description,
            String keyUsage,
            KeyState keyState,
            Instant deletionDate,
            String origin,
            String keyManager,
            String customerMasterKeySpec,
            String keySpec,
            List<String> encryptionAlgorithms,
            Boolean multiRegion,
            MultiRegionConfiguration multiRegionConfiguration,
            Integer pendingDeletionWindowInDays) {}

    public record KeyListEntry(String keyId, String keyArn) {}

    public record AliasListEntry(String aliasName, String aliasArn, String targetKeyId,
                                 Instant creationDate, Instant lastUpdatedDate) {}

    // ---- keys ----------------------------------------------------------------------------------

    public record CreateKeyRequest(String policy, String description, String keyUsage, String customerMasterKeySpec,
                                   String keySpec, String origin, String customKeyStoreId,
                                   Boolean bypassPolicyLockoutSafetyCheck, List<Tag> tags, Boolean multiRegion,
                                   String xksKeyId) {}

    public record CreateKeyResponse(KeyMetadata keyMetadata) {}

    public record DescribeKeyRequest(String keyId, List<String> grantTokens) {}

    public record DescribeKeyResponse(KeyMetadata keyMetadata) {}

    public record ListKeysRequest(Integer limit, String marker) {}

    public record ListKeysResponse(List<KeyListEntry> keys, String nextMarker, Boolean truncated) {}

    public record EnableKeyRequest(String keyId) {}

    public record DisableKeyRequest(String keyId) {}

    public record ScheduleKeyDeletionRequest(String keyId, Integer pendingWindowInDays) {}

    public record ScheduleKeyDeletionResponse(String keyId, Instant deletionDate, KeyState keyState,
                                              Integer pendingWindowInDays) {}

    public record CancelKeyDeletionRequest(String keyId) {}

    public record CancelKeyDeletionResponse(String keyId) {}

    // ---- key policies --------------------------------------------------------------------------

    public record PutKeyPolicyRequest(String keyId, String policyName, String policy,
                                      Boolean bypassPolicyLockoutSafetyCheck) {}

    public record GetKeyPolicyRequest(String keyId, String policyName) {}

    public record GetKeyPolicyResponse(String policy, String policyName) {}

    public record ListKeyPoliciesRequest(String keyId, Integer limit, String marker) {}

    public record ListKeyPoliciesResponse(List<String> policyNames, String nextMarker, Boolean truncated) {}

    // ---- aliases -------------------------------------------------------------------------------

    public record CreateAliasRequest(String aliasName, String targetKeyId) {}

    public record DeleteAliasRequest(String aliasName) {}

    public record ListAliasesRequest(String keyId, Integer limit, String marker) {}

    public record ListAliasesResponse(List<AliasListEntry> aliases, String nextMarker, Boolean truncated) {}

    // ---- cryptography --------------------------------------------------------------------------

    public record EncryptRequest(String keyId, byte[] plaintext, Map<String, String> encryptionContext,
                                 List<String> grantTokens, String encryptionAlgorithm) {}

    public record EncryptResponse(byte[] ciphertextBlob, String keyId, String encryptionAlgorithm) {}

    public record DecryptRequest(byte[] ciphertextBlob, Map<String, String> encryptionContext,
                                 List<String> grantTokens, String keyId, String encryptionAlgorithm) {}

    public record DecryptResponse(String keyId, byte[] plaintext, String encryptionAlgorithm) {}

    public record GenerateDataKeyRequest(String keyId, Map<String, String> encryptionContext, Integer numberOfBytes,
                                         String keySpec, List<String> grantTokens) {}

    public record GenerateDataKeyResponse(byte[] ciphertextBlob, byte[] plaintext, String keyId) {}

    // ---- multi-Region keys ---------------------------------------------------------------------

    public record ReplicateKeyRequest(String keyId, String replicaRegion, String policy,
                                      Boolean bypassPolicyLockoutSafetyCheck, String description, List<Tag> tags) {}

    public record ReplicateKeyResponse(KeyMetadata replicaKeyMetadata, String replicaPolicy, List<Tag> replicaTags) {}

    public record UpdatePrimaryRegionRequest(String keyId, String primaryRegion) {}

    // ---- tags ----------------------------------------------------------------------------------

    public record TagResourceRequest(String keyId, List<Tag> tags) {}

    public record UntagResourceRequest(String keyId, List<String> tagKeys) {}

    public record ListResourceTagsRequest(String keyId, Integer limit, String marker) {}

    public record ListResourceTagsResponse(List<Tag> tags, String nextMarker, Boolean truncated) {}
}
