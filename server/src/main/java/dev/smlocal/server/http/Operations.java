package dev.smlocal.server.http;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.kms.KmsOperations;
import dev.smlocal.server.kms.KmsApi;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.rotation.Rotator;
import dev.smlocal.server.secrets.SecretsApi.*;
import dev.smlocal.server.secrets.SecretsService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatch table: every operation smlocal answers, one line each. The coverage test compares
 * it with AWS's service models and generates the README's operations table from it.
 */
public final class Operations {
    public static final String SECRETS_MANAGER = "secretsmanager";
    public static final String KMS = "TrentService";

    private final Map<String, Operation<?>> byTarget = new LinkedHashMap<>();

    private Operations() {}

    public static Operations secretsManager(SecretsService sm) {
        Operations t = new Operations();
        // ---- values
        t.add(SECRETS_MANAGER, "CreateSecret", CreateSecretRequest.class, sm::createSecret);
        t.add(SECRETS_MANAGER, "GetSecretValue", GetSecretValueRequest.class, sm::getSecretValue);
        t.add(SECRETS_MANAGER, "BatchGetSecretValue", BatchGetSecretValueRequest.class, sm::batchGetSecretValue);
        t.add(SECRETS_MANAGER, "PutSecretValue", PutSecretValueRequest.class, sm::putSecretValue);
        t.add(SECRETS_MANAGER, "UpdateSecret", UpdateSecretRequest.class, sm::updateSecret);
        t.add(SECRETS_MANAGER, "UpdateSecretVersionStage", UpdateSecretVersionStageRequest.class, sm::updateSecretVersionStage);
        // ---- metadata and listing
        t.add(SECRETS_MANAGER, "DescribeSecret", SecretIdRequest.class, sm::describeSecret);
        t.add(SECRETS_MANAGER, "ListSecrets", ListSecretsRequest.class, sm::listSecrets);
        t.add(SECRETS_MANAGER, "ListSecretVersionIds", ListSecretVersionIdsRequest.class, sm::listSecretVersionIds);
        t.add(SECRETS_MANAGER, "TagResource", TagResourceRequest.class, sm::tagResource);
        t.add(SECRETS_MANAGER, "UntagResource", UntagResourceRequest.class, sm::untagResource);
        // ---- deletion
        t.add(SECRETS_MANAGER, "DeleteSecret", DeleteSecretRequest.class, sm::deleteSecret);
        t.add(SECRETS_MANAGER, "RestoreSecret", SecretIdRequest.class, sm::restoreSecret);
        // ---- resource policies
        t.add(SECRETS_MANAGER, "GetResourcePolicy", SecretIdRequest.class, sm::getResourcePolicy);
        t.add(SECRETS_MANAGER, "PutResourcePolicy", PutResourcePolicyRequest.class, sm::putResourcePolicy);
        t.add(SECRETS_MANAGER, "DeleteResourcePolicy", SecretIdRequest.class, sm::deleteResourcePolicy);
        t.add(SECRETS_MANAGER, "ValidateResourcePolicy", ValidateResourcePolicyRequest.class, sm::validateResourcePolicy);
        // ---- passwords
        t.add(SECRETS_MANAGER, "GetRandomPassword", GetRandomPasswordRequest.class, sm::getRandomPassword);
        return t;
    }

    /** The KMS JSON API subset ({@code TrentService.*}) on the same endpoint. */
    public static void addKms(Operations t, KmsOperations kms) {
        // ---- keys
        t.add(KMS, "CreateKey", KmsApi.CreateKeyRequest.class, kms::createKey);
        t.add(KMS, "DescribeKey", KmsApi.DescribeKeyRequest.class, kms::describeKey);
        t.add(KMS, "ListKeys", KmsApi.ListKeysRequest.class, kms::listKeys);
        t.add(KMS, "EnableKey", KmsApi.EnableKeyRequest.class, none(kms::enableKey));
        t.add(KMS, "DisableKey", KmsApi.DisableKeyRequest.class, none(kms::disableKey));
        t.add(KMS, "ScheduleKeyDeletion", KmsApi.ScheduleKeyDeletionRequest.class, kms::scheduleKeyDeletion);
        t.add(KMS, "CancelKeyDeletion", KmsApi.CancelKeyDeletionRequest.class, kms::cancelKeyDeletion);
        // ---- aliases
        t.add(KMS, "PutKeyPolicy", KmsApi.PutKeyPolicyRequest.class, none(kms::putKeyPolicy));
        t.add(KMS, "GetKeyPolicy", KmsApi.GetKeyPolicyRequest.class, kms::getKeyPolicy);
        t.add(KMS, "ListKeyPolicies", KmsApi.ListKeyPoliciesRequest.class, kms::listKeyPolicies);

        t.add(KMS, "CreateAlias", KmsApi.CreateAliasRequest.class, none(kms::createAlias));
        t.add(KMS, "DeleteAlias", KmsApi.DeleteAliasRequest.class, none(kms::deleteAlias));
        t.add(KMS, "ListAliases", KmsApi.ListAliasesRequest.class, kms::listAliases);
        // ---- cryptography
        t.add(KMS, "Encrypt", KmsApi.EncryptRequest.class, kms::encrypt);
        t.add(KMS, "Decrypt", KmsApi.DecryptRequest.class, kms::decrypt);
        t.add(KMS, "GenerateDataKey", KmsApi.GenerateDataKeyRequest.class, kms::generateDataKey);
        // ---- multi-Region keys
        t.add(KMS, "ReplicateKey", KmsApi.ReplicateKeyRequest.class, kms::replicateKey);
        t.add(KMS, "UpdatePrimaryRegion", KmsApi.UpdatePrimaryRegionRequest.class, none(kms::updatePrimaryRegion));
        // ---- tags
        t.add(KMS, "TagResource", KmsApi.TagResourceRequest.class, none(kms::tagResource));
        t.add(KMS, "UntagResource", KmsApi.UntagResourceRequest.class, none(kms::untagResource));
        t.add(KMS, "ListResourceTags", KmsApi.ListResourceTagsRequest.class, kms::listResourceTags);
    }

    /** Multi-Region replication. */
    public static void addReplication(Operations t, Replicator replicator) {
        t.add(SECRETS_MANAGER, "ReplicateSecretToRegions", ReplicateSecretToRegionsRequest.class,
                replicator::replicateSecretToRegions);
        t.add(SECRETS_MANAGER, "RemoveRegionsFromReplication", RemoveRegionsFromReplicationRequest.class,
                replicator::removeRegionsFromReplication);
        t.add(SECRETS_MANAGER, "StopReplicationToReplica", SecretIdRequest.class,
                replicator::stopReplicationToReplica);
    }

    /** Rotation (replaces the placeholders registered by {@link #secretsManager}). */
    public static void addRotation(Operations t, Rotator rotator) {
        t.add(SECRETS_MANAGER, "RotateSecret", RotateSecretRequest.class, rotator::rotateSecret);
        t.add(SECRETS_MANAGER, "CancelRotateSecret", SecretIdRequest.class, rotator::cancelRotateSecret);
    }

    /** Adapts an operation without output to the table (it answers {@code {}}). */
    private static <I> java.util.function.BiFunction<RequestContext, I, ?> none(
            java.util.function.BiConsumer<RequestContext, I> call) {
        return (ctx, in) -> {
            call.accept(ctx, in);
            return new Empty();
        };
    }

    public <I> Operations add(String service, String name, Class<I> input,
                              java.util.function.BiFunction<dev.smlocal.server.aws.RequestContext, I, ?> handler) {
        Operation<I> op = new Operation<>(service, name, input, handler);
        if (byTarget.putIfAbsent(op.target(), op) != null) {
            throw new IllegalStateException("operation registered twice: " + op.target());
        }
        return this;
    }


    public Operation<?> get(String target) {
        return byTarget.get(target);
    }

    public List<Operation<?>> all() {
        return Collections.unmodifiableList(new ArrayList<>(byTarget.values()));
    }
}
