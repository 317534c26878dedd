package dev.smlocal.server.secrets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Secrets Manager operations' inputs and outputs, one record each, named as in the service
 * model. Plain Java: the HTTP layer maps them to awsJson1.1 (component {@code secretId} ↔ member
 * {@code SecretId}); a null component is an absent member, never a JSON null.
 */
public final class SecretsApi {
    private SecretsApi() {}

    // ---- shared shapes -------------------------------------------------------------------------

    public record ReplicaRegion(String region, String kmsKeyId) {}

    public record ReplicationStatusEntry(String region, String kmsKeyId, String status, String statusMessage,
                                         Instant lastAccessedDate) {}

    public record MetadataItem(String key, String value) {}

    public record ArnName(@JsonProperty("ARN") String arn, String name) {}

    public record Empty() {}

    // ---- operations ----------------------------------------------------------------------------

    public record CreateSecretRequest(String name, String clientRequestToken, String description, String kmsKeyId,
                                      byte[] secretBinary, String secretString, List<Tag> tags,
                                      List<ReplicaRegion> addReplicaRegions, Boolean forceOverwriteReplicaSecret,
                                      String type) {}

    public record CreateSecretResponse(@JsonProperty("ARN") String arn, String name, String versionId,
                                       List<ReplicationStatusEntry> replicationStatus) {}

    public record GetSecretValueRequest(String secretId, String versionId, String versionStage) {}

    public record SecretValueEntry(@JsonProperty("ARN") String arn, String name, String versionId,
                                   byte[] secretBinary, String secretString, List<String> versionStages,
                                   Instant createdDate) {}

    public record BatchGetSecretValueRequest(List<String> secretIdList, List<Filter> filters, Integer maxResults,
                                             String nextToken) {}

    public record ApiErrorEntry(String secretId, String errorCode, String message) {}

    public record BatchGetSecretValueResponse(List<SecretValueEntry> secretValues, String nextToken,
                                              List<ApiErrorEntry> errors) {}

    public record PutSecretValueRequest(String secretId, String clientRequestToken, byte[] secretBinary,
                                        String secretString, List<String> versionStages, String rotationToken) {}

    public record PutSecretValueResponse(@JsonProperty("ARN") String arn, String name, String versionId,
                                         List<String> versionStages) {}

    public record UpdateSecretRequest(String secretId, String clientRequestToken, String description,
                                      String kmsKeyId, byte[] secretBinary, String secretString, String type) {}

    public record UpdateSecretResponse(@JsonProperty("ARN") String arn, String name, String versionId) {}

    public record SecretIdRequest(String secretId) {}

    public record DescribeSecretResponse(
            @JsonProperty("ARN") String arn, String name, String type, String description, String kmsKeyId,
            Boolean rotationEnabled, String rotationLambdaARN, RotationRules rotationRules,
            List<MetadataItem> externalSecretRotationMetadata, String externalSecretRotationRoleArn,
            Instant lastRotatedDate, Instant lastChangedDate, Instant lastAccessedDate, Instant deletedDate,
            Instant nextRotationDate, List<Tag> tags, Map<String, List<String>> versionIdsToStages,
            String owningService, Instant createdDate, String primaryRegion,
            List<ReplicationStatusEntry> replicationStatus) {}

    public record ListSecretsRequest(Boolean includePlannedDeletion, Integer maxResults, String nextToken,
                                     List<Filter> filters, String sortOrder, String sortBy) {}

    public record SecretListEntry(
            @JsonProperty("ARN") String arn, String name, String type, String description, String kmsKeyId,
            Boolean rotationEnabled, String rotationLambdaARN, RotationRules rotationRules,
            List<MetadataItem> externalSecretRotationMetadata, String externalSecretRotationRoleArn,
            Instant lastRotatedDate, Instant lastChangedDate, Instant lastAccessedDate, Instant deletedDate,
            Instant nextRotationDate, List<Tag> tags, Map<String, List<String>> secretVersionsToStages,
            String owningService, Instant createdDate, String primaryRegion) {}

    public record ListSecretsResponse(List<SecretListEntry> secretList, String nextToken) {}

    public record ListSecretVersionIdsRequest(String secretId, Integer maxResults, String nextToken,
                                              Boolean includeDeprecated) {}

    public record SecretVersionsListEntry(String versionId, List<String> versionStages, Instant lastAccessedDate,
                                          Instant createdDate, List<String> kmsKeyIds) {}

    public record ListSecretVersionIdsResponse(List<SecretVersionsListEntry> versions, String nextToken,
                                               @JsonProperty("ARN") String arn, String name) {}

    public record DeleteSecretRequest(String secretId, Long recoveryWindowInDays,
                                      Boolean forceDeleteWithoutRecovery) {}

    public record DeleteSecretResponse(@JsonProperty("ARN") String arn, String name, Instant deletionDate) {}

    public record TagResourceRequest(String secretId, List<Tag> tags) {}

    public record UntagResourceRequest(String secretId, List<String> tagKeys) {}

    public record UpdateSecretVersionStageRequest(String secretId, String versionStage, String removeFromVersionId,
                                                  String moveToVersionId) {}

    public record GetRandomPasswordRequest(Long passwordLength, String excludeCharacters, Boolean excludeNumbers,
                                           Boolean excludePunctuation, Boolean excludeUppercase,
                                           Boolean excludeLowercase, Boolean includeSpace,
                                           Boolean requireEachIncludedType) {}

    public record GetRandomPasswordResponse(String randomPassword) {}

    public record GetResourcePolicyResponse(@JsonProperty("ARN") String arn, String name, String resourcePolicy) {}

    public record PutResourcePolicyRequest(String secretId, String resourcePolicy, Boolean blockPublicPolicy) {}

    public record ValidateResourcePolicyRequest(String secretId, String resourcePolicy) {}

    public record ValidationErrorsEntry(String checkName, String errorMessage) {}

    public record ValidateResourcePolicyResponse(Boolean policyValidationPassed,
                                                 List<ValidationErrorsEntry> validationErrors) {}

    public record ReplicateSecretToRegionsRequest(String secretId, List<ReplicaRegion> addReplicaRegions,
                                                  Boolean forceOverwriteReplicaSecret) {}

    public record RemoveRegionsFromReplicationRequest(String secretId, List<String> removeReplicaRegions) {}

    public record ReplicationResponse(@JsonProperty("ARN") String arn,
                                      List<ReplicationStatusEntry> replicationStatus) {}

    public record ArnOnly(@JsonProperty("ARN") String arn) {}

    public record RotateSecretRequest(String secretId, String clientRequestToken, String rotationLambdaARN,
                                      RotationRules rotationRules,
                                      List<MetadataItem> externalSecretRotationMetadata,
                                      String externalSecretRotationRoleArn, Boolean rotateImmediately) {}

    public record RotateSecretResponse(@JsonProperty("ARN") String arn, String name, String versionId) {}

    public record CancelRotateSecretResponse(@JsonProperty("ARN") String arn, String name, String versionId) {}
}
