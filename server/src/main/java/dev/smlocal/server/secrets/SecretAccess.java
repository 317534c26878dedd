package dev.smlocal.server.secrets;

import dev.smlocal.server.auth.AuthRequest;
import dev.smlocal.server.auth.Authorizer;
import dev.smlocal.server.auth.Policy;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.kms.KeyInfo;
import dev.smlocal.server.kms.Kms;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who may do what to a secret and its KMS key: the {@link Authorizer}'s decision on the secret
 * (its resource policy, tags, version) and, for value reads and writes, on the secret's customer
 * managed key (see docs/AUTHORIZATION.md). Runs under the secret's store lock, before anything
 * changes. Without an authorizer (a bare service) everything is allowed.
 */
final class SecretAccess {
    private final Kms kms;
    private final IdGenerator ids;
    /** Null (a bare service): everything allowed. */
    private final Authorizer authorizer;

    SecretAccess(Kms kms, IdGenerator ids, Authorizer authorizer) {
        this.kms = Objects.requireNonNull(kms);
        this.ids = Objects.requireNonNull(ids);
        this.authorizer = authorizer;
    }

    /**
     * Throws AccessDeniedException unless the caller may do {@code action} on {@code s}.
     * {@code asSent} is the SecretId as the caller sent it (AWS names it in the message).
     */
    void authorize(RequestContext ctx, String action, Secret s, String asSent) {
        authorize(ctx, action, s, asSent, null, null);
    }

    void authorize(RequestContext ctx, String action, Secret s, String asSent, String versionId, List<String> stages) {
        Authorizer a = authorizer;
        if (a == null) return;
        a.check(ctx, action, s.arn(), s.account(), s.compiledPolicy(), facts(s, versionId, stages),
                asSent);
    }

    /** Operations without a secret: the identity policy alone decides, on {@code resource}. */
    void authorizeWithoutSecret(RequestContext ctx, String action, String resource, String asSent) {
        Authorizer a = authorizer;
        if (a == null) return;
        a.check(ctx, action, resource, ctx.account(), null, AuthRequest.Facts.NONE, asSent);
    }

    /** The condition keys a secret operation supplies (see {@link Policy#KEYS}). */
    private static AuthRequest.Facts facts(Secret s, String versionId, List<String> stages) {
        return key -> switch (key) {
            case "secretsmanager:secretid" -> List.of(s.arn());
            case "secretsmanager:versionid" -> versionId == null ? null : List.of(versionId);
            case "secretsmanager:versionstage" -> stages == null || stages.isEmpty() ? null : stages;
            default -> tagValue(s, key);
        };
    }

    private static List<String> tagValue(Secret s, String key) {
        int slash = key.indexOf('/');
        if (slash < 0 || s.tags() == null) return null;
        String prefix = key.substring(0, slash + 1);
        if (!prefix.equals("secretsmanager:resourcetag/") && !prefix.equals("aws:resourcetag/")) return null;
        String tagKey = key.substring(slash + 1);
        for (Tag t : s.tags()) {
            if (t.key() != null && t.key().equalsIgnoreCase(tagKey)) return List.of(t.value() == null ? "" : t.value());
        }
        return null;
    }

    /**
     * A value read or write uses the secret's customer managed key on the caller's behalf: its key
     * policy must allow {@code kmsAction} to the caller, else AWS's "Access to KMS is not allowed".
     * The AWS managed key is not checked (cross-account use of it is refused before this).
     */
    void requireKeyAccess(RequestContext ctx, RegionalStore store, Secret s, String kmsAction) {
        if (s.kmsKeyId() == null) return;
        requireKeyAccess(ctx, store.account(), store.region(), s.kmsKeyId(), kmsAction);
    }

    /** As above, for the key {@code keyRef} names in {@code account}/{@code region} (a key being chosen). */
    private void requireKeyAccess(RequestContext ctx, String account, String region, String keyRef, String kmsAction) {
        Authorizer a = authorizer;
        if (a == null || !a.enabled()) return;
        Kms.KeyPolicy kp;
        try {
            kp = kms.keyPolicy(account, region, keyRef);
        } catch (AwsException e) {
            return; // a missing or unusable key gives its own error when the value is sealed or opened
        }
        if (kp == null) return;
        String via = "secretsmanager." + region + ".amazonaws.com";
        if (!a.permitsKey(ctx, kmsAction, kp.keyArn(), kp.account(), kp.policy(),
                key -> key.equals("kms:viaservice") ? List.of(via) : null)) {
            throw Errors.kmsAccessNotAllowed();
        }
    }

    /** A caller of another account reads a value only under a customer managed key. */
    void requireSameAccountOrCustomerKey(RegionalStore store, RequestContext ctx, Secret s) {
        if (store.account().equals(ctx.account())) return;
        if (s.kmsKeyId() == null || usesAwsManagedKey(store, s)) throw Errors.crossAccountDefaultKey();
    }

    /** A KmsKeyId naming the AWS managed key itself ({@code alias/aws/secretsmanager}, its ARN or id). */
    private boolean usesAwsManagedKey(RegionalStore store, Secret s) {
        try {
            return kms.resolve(store.account(), store.region(), s.kmsKeyId()).awsManaged();
        } catch (AwsException e) {
            return false; // a missing key fails with its own error when the value is opened
        }
    }

    /** KmsKeyId on CreateSecret/UpdateSecret: resolved and checked at once, as AWS does. */
    void validateKeyForWrite(RequestContext ctx, String account, String region, String keyRef) {
        KeyInfo key;
        try {
            key = kms.resolve(account, region, keyRef);
        } catch (AwsException e) {
            throw KmsErrors.onKeyChoice(e);
        }
        requireKeyAccess(ctx, account, region, key.arn(), "kms:GenerateDataKey");
        try {
            Kms.DataKey dk = kms.generateDataKey(account, region, key.arn(),
                    Map.of("SecretVersionId", "RequestToValidateKeyAccess"));
            Arrays.fill(dk.plaintext(), (byte) 0);
        } catch (AwsException e) {
            throw KmsErrors.onEncrypt(e, ids);
        }
    }
}
