package dev.smlocal.server.kms;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.kms.KmsApi.CancelKeyDeletionRequest;
import dev.smlocal.server.kms.KmsApi.CancelKeyDeletionResponse;
import dev.smlocal.server.kms.KmsApi.CreateAliasRequest;
import dev.smlocal.server.kms.KmsApi.CreateKeyRequest;
import dev.smlocal.server.kms.KmsApi.CreateKeyResponse;
import dev.smlocal.server.kms.KmsApi.DecryptRequest;
import dev.smlocal.server.kms.KmsApi.DecryptResponse;
import dev.smlocal.server.kms.KmsApi.DeleteAliasRequest;
import dev.smlocal.server.kms.KmsApi.DescribeKeyRequest;
import dev.smlocal.server.kms.KmsApi.DescribeKeyResponse;
import dev.smlocal.server.kms.KmsApi.DisableKeyRequest;
import dev.smlocal.server.kms.KmsApi.EnableKeyRequest;
import dev.smlocal.server.kms.KmsApi.EncryptRequest;
import dev.smlocal.server.kms.KmsApi.EncryptResponse;
import dev.smlocal.server.kms.KmsApi.GenerateDataKeyRequest;
import dev.smlocal.server.kms.KmsApi.GenerateDataKeyResponse;
import dev.smlocal.server.kms.KmsApi.GetKeyPolicyRequest;
import dev.smlocal.server.kms.KmsApi.GetKeyPolicyResponse;
import dev.smlocal.server.kms.KmsApi.ListAliasesRequest;
import dev.smlocal.server.kms.KmsApi.ListAliasesResponse;
import dev.smlocal.server.kms.KmsApi.ListKeyPoliciesRequest;
import dev.smlocal.server.kms.KmsApi.ListKeyPoliciesResponse;
import dev.smlocal.server.kms.KmsApi.ListKeysRequest;
import dev.smlocal.server.kms.KmsApi.ListKeysResponse;
import dev.smlocal.server.kms.KmsApi.ListResourceTagsRequest;
import dev.smlocal.server.kms.KmsApi.ListResourceTagsResponse;
import dev.smlocal.server.kms.KmsApi.PutKeyPolicyRequest;
import dev.smlocal.server.kms.KmsApi.ReplicateKeyRequest;
import dev.smlocal.server.kms.KmsApi.ReplicateKeyResponse;
import dev.smlocal.server.kms.KmsApi.ScheduleKeyDeletionRequest;
import dev.smlocal.server.kms.KmsApi.ScheduleKeyDeletionResponse;
import dev.smlocal.server.kms.KmsApi.TagResourceRequest;
import dev.smlocal.server.kms.KmsApi.UntagResourceRequest;
import dev.smlocal.server.kms.KmsApi.UpdatePrimaryRegionRequest;
import java.util.List;

/** {@link KmsOperations#unavailable()}: the KMS API of a KMS that does not serve it. */
final class UnavailableKmsOperations implements KmsOperations {
    static final UnavailableKmsOperations INSTANCE = new UnavailableKmsOperations();

    private UnavailableKmsOperations() {}

    @Override
    public List<KeyInfo> allKeys() {
        return List.of();
    }

    @Override
    public CreateKeyResponse createKey(RequestContext ctx, CreateKeyRequest req) {
        throw Errors.kmsApiUnavailable("CreateKey");
    }

    @Override
    public DescribeKeyResponse describeKey(RequestContext ctx, DescribeKeyRequest req) {
        throw Errors.kmsApiUnavailable("DescribeKey");
    }

    @Override
    public ListKeysResponse listKeys(RequestContext ctx, ListKeysRequest req) {
        throw Errors.kmsApiUnavailable("ListKeys");
    }

    @Override
    public void enableKey(RequestContext ctx, EnableKeyRequest req) {
        throw Errors.kmsApiUnavailable("EnableKey");
    }

    @Override
    public void disableKey(RequestContext ctx, DisableKeyRequest req) {
        throw Errors.kmsApiUnavailable("DisableKey");
    }

    @Override
    public ScheduleKeyDeletionResponse scheduleKeyDeletion(RequestContext ctx, ScheduleKeyDeletionRequest req) {
        throw Errors.kmsApiUnavailable("ScheduleKeyDeletion");
    }

    @Override
    public CancelKeyDeletionResponse cancelKeyDeletion(RequestContext ctx, CancelKeyDeletionRequest req) {
        throw Errors.kmsApiUnavailable("CancelKeyDeletion");
    }

    @Override
    public void putKeyPolicy(RequestContext ctx, PutKeyPolicyRequest req) {
        throw Errors.kmsApiUnavailable("PutKeyPolicy");
    }

    @Override
    public GetKeyPolicyResponse getKeyPolicy(RequestContext ctx, GetKeyPolicyRequest req) {
        throw Errors.kmsApiUnavailable("GetKeyPolicy");
    }

    @Override
    public ListKeyPoliciesResponse listKeyPolicies(RequestContext ctx, ListKeyPoliciesRequest req) {
        throw Errors.kmsApiUnavailable("ListKeyPolicies");
    }

    @Override
    public void createAlias(RequestContext ctx, CreateAliasRequest req) {
        throw Errors.kmsApiUnavailable("CreateAlias");
    }

    @Override
    public void deleteAlias(RequestContext ctx, DeleteAliasRequest req) {
        throw Errors.kmsApiUnavailable("DeleteAlias");
    }

    @Override
    public ListAliasesResponse listAliases(RequestContext ctx, ListAliasesRequest req) {
        throw Errors.kmsApiUnavailable("ListAliases");
    }

    @Override
    public EncryptResponse encrypt(RequestContext ctx, EncryptRequest req) {
        throw Errors.kmsApiUnavailable("Encrypt");
    }

    @Override
    public DecryptResponse decrypt(RequestContext ctx, DecryptRequest req) {
        throw Errors.kmsApiUnavailable("Decrypt");
    }

    @Override
    public GenerateDataKeyResponse generateDataKey(RequestContext ctx, GenerateDataKeyRequest req) {
        throw Errors.kmsApiUnavailable("GenerateDataKey");
    }

    @Override
    public ReplicateKeyResponse replicateKey(RequestContext ctx, ReplicateKeyRequest req) {
        throw Errors.kmsApiUnavailable("ReplicateKey");
    }

    @Override
    public void updatePrimaryRegion(RequestContext ctx, UpdatePrimaryRegionRequest req) {
        throw Errors.kmsApiUnavailable("UpdatePrimaryRegion");
    }

    @Override
    public void tagResource(RequestContext ctx, TagResourceRequest req) {
        throw Errors.kmsApiUnavailable("TagResource");
    }

    @Override
    public void untagResource(RequestContext ctx, UntagResourceRequest req) {
        throw Errors.kmsApiUnavailable("UntagResource");
    }

    @Override
    public ListResourceTagsResponse listResourceTags(RequestContext ctx, ListResourceTagsRequest req) {
        throw Errors.kmsApiUnavailable("ListResourceTags");
    }
}
