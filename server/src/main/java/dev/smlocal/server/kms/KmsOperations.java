package dev.smlocal.server.kms;

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

/**
 * What the emulator needs from a KMS beyond the {@link Kms} port: the KMS JSON API subset it
 * answers on its endpoint ({@code TrentService.*}, the records of {@link KmsApi}) and the list of
 * keys that the admin state view, the dashboard and the cost estimate show.
 *
 * <p>{@link EmulatedKms} implements it. A custom {@link Kms} that does not is served by
 * {@link #unavailable()}: every KMS API call answers KMS's {@code UnsupportedOperationException}
 * and the key list is empty (see the emulator builder for which KMS serves the API).
 */
public interface KmsOperations {

    /** Every key of every account+region, ordered by account, region and key id. */
    List<KeyInfo> allKeys();

    CreateKeyResponse createKey(RequestContext ctx, CreateKeyRequest req);

    DescribeKeyResponse describeKey(RequestContext ctx, DescribeKeyRequest req);

    ListKeysResponse listKeys(RequestContext ctx, ListKeysRequest req);

    void enableKey(RequestContext ctx, EnableKeyRequest req);

    void disableKey(RequestContext ctx, DisableKeyRequest req);

    ScheduleKeyDeletionResponse scheduleKeyDeletion(RequestContext ctx, ScheduleKeyDeletionRequest req);

    CancelKeyDeletionResponse cancelKeyDeletion(RequestContext ctx, CancelKeyDeletionRequest req);

    void putKeyPolicy(RequestContext ctx, PutKeyPolicyRequest req);

    GetKeyPolicyResponse getKeyPolicy(RequestContext ctx, GetKeyPolicyRequest req);

    ListKeyPoliciesResponse listKeyPolicies(RequestContext ctx, ListKeyPoliciesRequest req);

    void createAlias(RequestContext ctx, CreateAliasRequest req);

    void deleteAlias(RequestContext ctx, DeleteAliasRequest req);

    ListAliasesResponse listAliases(RequestContext ctx, ListAliasesRequest req);

    EncryptResponse encrypt(RequestContext ctx, EncryptRequest req);

    DecryptResponse decrypt(RequestContext ctx, DecryptRequest req);

    GenerateDataKeyResponse generateDataKey(RequestContext ctx, GenerateDataKeyRequest req);

    ReplicateKeyResponse replicateKey(RequestContext ctx, ReplicateKeyRequest req);

    void updatePrimaryRegion(RequestContext ctx, UpdatePrimaryRegionRequest req);

    void tagResource(RequestContext ctx, TagResourceRequest req);

    void untagResource(RequestContext ctx, UntagResourceRequest req);

    ListResourceTagsResponse listResourceTags(RequestContext ctx, ListResourceTagsRequest req);

    /**
     * The operations of a KMS that does not serve the KMS API: every call answers
     * {@code UnsupportedOperationException} naming the operation; no keys are listed.
     */
    static KmsOperations unavailable() {
        return UnavailableKmsOperations.INSTANCE;
    }
}
