package dev.smlocal.server.secrets;

import dev.smlocal.server.auth.AuthRequest;
import dev.smlocal.server.auth.Authorizer;
import dev.smlocal.server.auth.Policy;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.kms.Envelope;
import dev.smlocal.server.kms.KeyInfo;
import dev.smlocal.server.kms.Kms;
import dev.smlocal.server.secrets.SecretsApi.*;
import dev.smlocal.server.time.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.security.SecureRandom;

/**
 * Secrets Manager: one method per API operation, synchronous and free of I/O. Each method finds
 * the (account, region) store, takes its lock, asks the {@link Secret} aggregate to change, and
 * tells the {@link ChangeListener} (replication) what changed. Values are sealed under the
 * secret's KMS key before they are stored and opened only to answer a read.
 */
public final class SecretsService {
    /** Told, under the primary store's lock, about every change to a secret. Must only schedule work. */
    @FunctionalInterface
    public interface ChangeListener {
        void changed(RegionalStore store, Secret secret);

        ChangeListener NONE = (store, secret) -> { };
    }

    static final String DEFAULT_KEY_LABEL = "DefaultEncryptionKey";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9/_+=.@!-]+");
    private static final java.util.regex.Pattern SUFFIXED = java.util.regex.Pattern.compile(".*-[A-Za-z0-9]{6}");

    private final Stores stores;
    private final Kms kms;
    private final Scheduler scheduler;
    private final IdGenerator ids;
    private final RandomGenerator passwordRandom = new SecureRandom();
    private volatile ChangeListener listener = ChangeListener.NONE;

    public SecretsService(Stores stores, Kms kms, Scheduler scheduler, IdGenerator ids) {
        this.stores = Objects.requireNonNull(stores);
        this.kms = Objects.requireNonNull(kms);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.ids = Objects.requireNonNull(ids);
    }

    private volatile Authorizer authorizer;

    /** Who may do what; null (the default of a bare service) allows everything. */
    public void setAuthorizer(Authorizer a) { this.authorizer = a; }

    public void setChangeListener(ChangeListener l) {
        this.listener = l == null ? ChangeListener.NONE : l;
    }

    public Stores stores() { return stores; }
    public Kms kms() { return kms; }
    Instant now() { return scheduler.clock().now(); }
    static Instant day(Instant t) { return t.truncatedTo(ChronoUnit.DAYS); }

    // =============================================================================================
    // CreateSecret
    // =============================================================================================

    public CreateSecretResponse createSecret(RequestContext ctx, CreateSecretRequest r) {
        requireValidName(r.name());
        authorizeWithoutSecret(ctx, "secretsmanager:CreateSecret",
                secretArn(ctx.partition(), ctx.region(), ctx.account(), r.name(), "??????"), r.name());
        boolean hasValue = r.secretString() != null || r.secretBinary() != null;
        if (hasValue && r.clientRequestToken() == null) throw Errors.missingClientRequestToken(ErrorType.INVALID_REQUEST);
        if (r.secretString() != null && r.secretBinary() != null) throw Errors.bothValues();
        if (r.addReplicaRegions() != null) {
            if (replication == null) throw Errors.replicationNotImplemented("CreateSecret with AddReplicaRegions");
            Replicas.requireValidRegions(ctx.region(), r.addReplicaRegions());
        }
        String keyRef = emptyToNull(r.kmsKeyId());
        if (keyRef != null) validateKeyForWrite(ctx, ctx.account(), ctx.region(), keyRef);

        RegionalStore store = stores.get(ctx.account(), ctx.region());
        boolean[] isNew = {false};
        CreateSecretResponse created = store.locked(() -> {
            Secret existing = store.byName(r.name());
            if (existing != null) {
                if (existing.isDeleted()) throw Errors.nameScheduledForDeletion();
                SecretVersion same = r.clientRequestToken() == null ? null : existing.version(r.clientRequestToken());
                if (same != null) {
                    if (sameValue(store, existing, same, r.secretString(), r.secretBinary())) {
                        return new CreateSecretResponse(existing.arn(), existing.name(), same.versionId(),
                                r.addReplicaRegions() == null ? null : replicationStatus(existing, store.region()));
                    }
                    throw Errors.tokenInUse(r.clientRequestToken(), existing.arn());
                }
                throw Errors.secretExists(r.name());
            }
            String arn = secretArn(ctx.partition(), ctx.region(), ctx.account(), r.name(), ids.arnSuffix());
            Secret s = new Secret(arn, r.name(), now());
            s.setDescription(r.description());
            s.setKmsKeyId(keyRef);
            s.setType(r.type());
            if (r.tags() != null) s.setTags(r.tags());
            String versionId = null;
            if (hasValue) {
                SecretVersion v = s.addVersion(r.clientRequestToken(), now(), null);
                seal(store, s, v, r.secretString(), r.secretBinary());
                versionId = v.versionId();
            }
            store.put(s);
            listener.changed(store, s);
            isNew[0] = true;
            return new CreateSecretResponse(arn, s.name(), versionId, null);
        });
        if (r.addReplicaRegions() != null && replication != null && isNew[0]) {
            var status = replication.replicate(ctx, created.arn(), r.addReplicaRegions(),
                    Boolean.TRUE.equals(r.forceOverwriteReplicaSecret()));
            return new CreateSecretResponse(created.arn(), created.name(), created.versionId(), status);
        }
        return created;
    }

    // =============================================================================================
    // Reads
    // =============================================================================================

    public SecretValueEntry getSecretValue(RequestContext ctx, GetSecretValueRequest r) {
        RegionalStore store = storeFor(ctx, r.secretId());
        String[] replicaOf = new String[2];
        SecretValueEntry out = store.locked(() -> {
            Secret s = lookup(store, r.secretId());
            authorize(ctx, "secretsmanager:GetSecretValue", s, r.secretId(), r.versionId(),
                    r.versionStage() == null ? null : List.of(r.versionStage()));
            if (s.isDeleted()) throw Errors.markedForDeletion();
            requireSameAccountOrCustomerKey(store, ctx, s);
            requireKeyAccess(ctx, store, s, "kms:Decrypt");
            SecretVersion v;
            if (r.versionId() != null) {
                v = s.version(r.versionId());
                if (v == null || !v.hasValue()) throw Errors.valueNotFoundForVersion(r.versionId());
                if (r.versionStage() != null && !v.stages().contains(r.versionStage())) throw Errors.stageNotOnVersion();
            } else {
                String stage = r.versionStage() == null ? Secret.CURRENT : r.versionStage();
                v = s.holderOf(stage);
                if (v == null || !v.hasValue()) throw Errors.valueNotFoundForStage(stage);
            }
            SecretValueEntry entry = open(store, s, v);
            Instant today = day(now());
            s.accessed(today);
            v.touch(today);
            if (s.isReplicaIn(store.region())) {
                replicaOf[0] = s.primaryRegion();
                replicaOf[1] = s.name();
            }
            return entry;
        });
        ReadListener l = readListener;
        if (l != null && replicaOf[0] != null) l.read(store.account(), replicaOf[0], replicaOf[1], store.region(), day(now()));
        return out;
    }

    /** Told after a replica's value was read (no lock held), for LastAccessedDate on the primary. */
    @FunctionalInterface
    public interface ReadListener {
        void read(String account, String primaryRegion, String name, String replicaRegion, Instant day);
    }

    private volatile ReadListener readListener;

    public void setReadListener(ReadListener l) { this.readListener = l; }

    public BatchGetSecretValueResponse batchGetSecretValue(RequestContext ctx, BatchGetSecretValueRequest r) {
        boolean ids = r.secretIdList() != null && !r.secretIdList().isEmpty();
        boolean filters = r.filters() != null && !r.filters().isEmpty();
        if (ids == filters) throw Errors.batchIdsOrFilters();
        if (r.maxResults() != null && !filters) throw Errors.batchMaxResultsNeedsFilters();
        authorizeWithoutSecret(ctx, "secretsmanager:BatchGetSecretValue", "*", "*");
        List<SecretValueEntry> values = new ArrayList<>();
        List<ApiErrorEntry> errors = new ArrayList<>();
        String nextToken = null;
        List<String> targets;
        if (ids) {
            targets = r.secretIdList();
        } else {
            ListFilters.validate(r.filters());
            RegionalStore store = stores.get(ctx.account(), ctx.region());
            List<Secret> matching = store.locked(() -> {
                List<Secret> out = new ArrayList<>();
                for (Secret s : store.all()) if (!s.isDeleted() && ListFilters.matches(r.filters(), facts(s))) out.add(s);
                return out;
            });
            int size = r.maxResults() == null ? 20 : r.maxResults();
            String fp = "batch" + r.filters();
            int from = Math.min(PageToken.offset(r.nextToken(), fp), matching.size());
            int to = Math.min(from + size, matching.size());
            targets = new ArrayList<>();
            for (Secret s : matching.subList(from, to)) targets.add(s.arn());
            if (to < matching.size()) nextToken = PageToken.next(to, fp);
        }
        for (String id : targets) {
            try {
                values.add(getSecretValue(ctx, new GetSecretValueRequest(id, null, null)));
            } catch (AwsException e) {
                errors.add(new ApiErrorEntry(id, e.type().code(), e.getMessage()));
            }
        }
        return new BatchGetSecretValueResponse(values, nextToken, errors.isEmpty() && !ids ? null : errors);
    }

    public DescribeSecretResponse describeSecret(RequestContext ctx, SecretIdRequest r) {
        RegionalStore store = storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookup(store, r.secretId());
            authorize(ctx, "secretsmanager:DescribeSecret", s, r.secretId());
            RotationConfig rot = s.rotation();
            Map<String, List<String>> versions = s.versionIdsToStages();
            return new DescribeSecretResponse(s.arn(), s.name(), s.type(), s.description(), s.kmsKeyId(),
                    rot == null ? null : rot.enabled(), rot == null ? null : rot.lambdaArn(),
                    rot == null ? null : rot.rules(), null, null,
                    s.lastRotatedDate(), s.lastChangedDate(), s.lastAccessedDate(), s.deletedDate(),
                    s.nextRotationDate(), s.tags(), versions.isEmpty() && !s.hasAnyVersion() ? null : versions,
                    s.owningService(), s.createdDate(), s.primaryRegion(),
                    replicationStatus(s, store.region()));
        });
    }

    public ListSecretsResponse listSecrets(RequestContext ctx, ListSecretsRequest r) {
        if (r.filters() != null) ListFilters.validate(r.filters());
        authorizeWithoutSecret(ctx, "secretsmanager:ListSecrets", "*", "*");
        RegionalStore store = stores.get(ctx.account(), ctx.region());
        boolean includeDeleted = Boolean.TRUE.equals(r.includePlannedDeletion());
        List<SecretListEntry> all = store.locked(() -> {
            List<Secret> matching = new ArrayList<>();
            for (Secret s : store.all()) {
                if (s.isDeleted() && !includeDeleted) continue;
                if (r.filters() != null && !ListFilters.matches(r.filters(), facts(s))) continue;
                matching.add(s);
            }
            matching.sort(Sorting.comparator(r.sortBy(), r.sortOrder(), SecretsService::sortable));
            List<SecretListEntry> out = new ArrayList<>();
            for (Secret s : matching) out.add(listEntry(s));
            return out;
        });
        int size = r.maxResults() == null ? 100 : r.maxResults();
        String fp = "list" + r.filters() + r.sortBy() + r.sortOrder() + includeDeleted;
        int from = Math.min(PageToken.offset(r.nextToken(), fp), all.size());
        int to = Math.min(from + size, all.size());
        return new ListSecretsResponse(new ArrayList<>(all.subList(from, to)),
                to < all.size() ? PageToken.next(to, fp) : null);
    }

    public ListSecretVersionIdsResponse listSecretVersionIds(RequestContext ctx, ListSecretVersionIdsRequest r) {
        RegionalStore store = storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookup(store, r.secretId());
            authorize(ctx, "secretsmanager:ListSecretVersionIds", s, r.secretId());
            if (s.isDeleted()) throw Errors.markedForDeletion();
            boolean deprecated = Boolean.TRUE.equals(r.includeDeprecated());
            List<SecretVersionsListEntry> entries = new ArrayList<>();
            List<SecretVersion> versions = new ArrayList<>(s.versions());
            versions.sort(Comparator.comparing(SecretVersion::createdDate));
            for (SecretVersion v : versions) {
                if (v.isDeprecated() && !deprecated) continue;
                entries.add(new SecretVersionsListEntry(v.versionId(),
                        v.isDeprecated() ? null : List.copyOf(v.stages()), v.lastAccessedDate(), v.createdDate(),
                        v.kmsKeyIds().isEmpty() ? null : v.kmsKeyIds()));
            }
            int size = r.maxResults() == null ? 100 : r.maxResults();
            String fp = "versions" + s.arn() + deprecated;
            int from = Math.min(PageToken.offset(r.nextToken(), fp), entries.size());
            int to = Math.min(from + size, entries.size());
            return new ListSecretVersionIdsResponse(new ArrayList<>(entries.subList(from, to)),
                    to < entries.size() ? PageToken.next(to, fp) : null, s.arn(), s.name());
        });
    }

    // =============================================================================================
    // Writes
    // =============================================================================================

    public PutSecretValueResponse putSecretValue(RequestContext ctx, PutSecretValueRequest r) {
        if (r.clientRequestToken() == null) throw Errors.missingClientRequestToken(ErrorType.INVALID_REQUEST);
        if (r.secretString() != null && r.secretBinary() != null) throw Errors.bothValues();
        if (r.secretString() == null && r.secretBinary() == null) throw Errors.noValue();
        RegionalStore store = storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookup(store, r.secretId());
            authorize(ctx, "secretsmanager:PutSecretValue", s, r.secretId(), r.clientRequestToken(), r.versionStages());
            requireWritable(store, s);
            requireSameAccountOrCustomerKey(store, ctx, s);
            requireKeyAccess(ctx, store, s, "kms:GenerateDataKey");
            SecretVersion existing = s.version(r.clientRequestToken());
            if (existing != null && existing.hasValue()) {
                if (sameValue(store, s, existing, r.secretString(), r.secretBinary())) {
                    return new PutSecretValueResponse(s.arn(), s.name(), existing.versionId(),
                            List.copyOf(existing.stages()));
                }
                throw Errors.tokenInUse(r.clientRequestToken(), s.arn());
            }
            SecretVersion currentBefore = s.holderOf(Secret.CURRENT);
            SecretVersion v;
            if (existing != null) { // a rotation placeholder receiving its value
                v = existing;
                seal(store, s, v, r.secretString(), r.secretBinary());
                s.attachStages(v, r.versionStages(), now());
            } else {
                Envelope.Sealed sealed = sealFor(store, s, r.clientRequestToken(), r.secretString(), r.secretBinary());
                v = s.addVersion(r.clientRequestToken(), now(), r.versionStages());
                v.setValue(sealed, r.secretBinary() != null, keyLabel(s));
            }
            s.changed(now());
            if (v.stages().contains(Secret.CURRENT) && currentBefore != v) manualRotation(s);
            listener.changed(store, s);
            return new PutSecretValueResponse(s.arn(), s.name(), v.versionId(), List.copyOf(v.stages()));
        });
    }

    public UpdateSecretResponse updateSecret(RequestContext ctx, UpdateSecretRequest r) {
        boolean hasValue = r.secretString() != null || r.secretBinary() != null;
        if (hasValue && r.clientRequestToken() == null) throw Errors.missingClientRequestToken(ErrorType.INVALID_REQUEST);
        if (r.secretString() != null && r.secretBinary() != null) throw Errors.bothValues();
        RegionalStore store = storeFor(ctx, r.secretId());
        String newKey = r.kmsKeyId();
        if (newKey != null && !newKey.isEmpty()) validateKeyForWrite(ctx, store.account(), store.region(), newKey);
        boolean keyOnly = !hasValue && r.description() == null && r.type() == null && newKey != null;
        String[] replicaKeyChange = new String[3];
        UpdateSecretResponse response = store.locked(() -> {
            Secret s = lookup(store, r.secretId());
            authorize(ctx, "secretsmanager:UpdateSecret", s, r.secretId());
            if (hasValue) requireKeyAccess(ctx, store, s, "kms:GenerateDataKey");
            if (keyOnly && s.isReplicaIn(store.region()) && !s.isDeleted()) {
                // the one thing a replica may change on its own: its encryption key (AWS-BEHAVIOUR §7.4)
                String replicaKey = emptyToNull(newKey);
                if (!Objects.equals(replicaKey, s.kmsKeyId())) {
                    applyKeyChange(s, replicaKey, reencryptLabelled(store, s, replicaKey));
                }
                s.changed(now());
                replicaKeyChange[0] = s.primaryRegion();
                replicaKeyChange[1] = s.name();
                replicaKeyChange[2] = emptyToNull(newKey);
                return new UpdateSecretResponse(s.arn(), s.name(), null);
            }
            requireWritable(store, s);
            if (hasValue) {
                SecretVersion existing = s.version(r.clientRequestToken());
                if (existing != null && existing.hasValue()) {
                    if (sameValue(store, s, existing, r.secretString(), r.secretBinary())
                            && r.description() == null && r.kmsKeyId() == null) {
                        return new UpdateSecretResponse(s.arn(), s.name(), existing.versionId());
                    }
                    if (!sameValue(store, s, existing, r.secretString(), r.secretBinary())) {
                        throw Errors.tokenInUse(r.clientRequestToken(), s.arn());
                    }
                }
            }
            // Everything that can fail (KMS calls, the label quota) happens before the secret changes.
            boolean keyChange = newKey != null && !Objects.equals(emptyToNull(newKey), s.kmsKeyId());
            String keyRef = keyChange ? emptyToNull(newKey) : s.kmsKeyId();
            List<Reencrypted> reencrypted = keyChange ? reencryptLabelled(store, s, keyRef) : List.of();
            String versionId = null;
            if (hasValue && s.version(r.clientRequestToken()) == null) {
                Envelope.Sealed sealed = sealUnder(store, s, keyRef, r.clientRequestToken(), r.secretString(),
                        r.secretBinary());
                SecretVersion v = s.addVersion(r.clientRequestToken(), now(), null);
                v.setValue(sealed, r.secretBinary() != null, keyLabel(s.arn(), keyRef));
                versionId = v.versionId();
                manualRotation(s);
            } else if (hasValue) {
                versionId = r.clientRequestToken();
            }
            if (keyChange) applyKeyChange(s, keyRef, reencrypted);
            if (r.description() != null) s.setDescription(r.description());
            if (r.type() != null) s.setType(r.type());
            s.changed(now());
            listener.changed(store, s);
            return new UpdateSecretResponse(s.arn(), s.name(), versionId);
        });
        if (replicaKeyChange[0] != null) {
            RegionalStore primary = stores.get(store.account(), replicaKeyChange[0]);
            primary.lockedRun(() -> {
                Secret p = primary.byName(replicaKeyChange[1]);
                if (p == null) return;
                for (ReplicaState rs : p.replicas()) {
                    if (rs.region().equals(store.region())) rs.setKmsKeyId(replicaKeyChange[2]);
                }
            });
        }
        return response;
    }

    /** Switches the secret to {@code keyRef}, adding the copies made by {@link #reencryptLabelled}. */
    private void applyKeyChange(Secret s, String keyRef, List<Reencrypted> reencrypted) {
        s.setKmsKeyId(keyRef);
        String label = keyLabel(s.arn(), keyRef);
        for (Reencrypted re : reencrypted) re.version().addCopy(re.sealed(), label);
    }

    public ArnName updateSecretVersionStage(RequestContext ctx, UpdateSecretVersionStageRequest r) {
        RegionalStore store = storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookup(store, r.secretId());
            authorize(ctx, "secretsmanager:UpdateSecretVersionStage", s, r.secretId(), null,
                    r.versionStage() == null ? null : List.of(r.versionStage()));
            requireWritable(store, s);
            String stage = r.versionStage();
            SecretVersion holder = s.holderOf(stage);
            if (r.moveToVersionId() == null && r.removeFromVersionId() == null) throw Errors.moveOrRemoveRequired();
            SecretVersion from = null;
            if (r.removeFromVersionId() != null) {
                from = s.version(r.removeFromVersionId());
                if (from == null) throw Errors.notAValidVersion(r.removeFromVersionId());
                if (!from.stages().contains(stage)) throw Errors.stageNotFoundInVersion(stage, r.removeFromVersionId());
            }
            if (r.moveToVersionId() != null) {
                SecretVersion to = s.version(r.moveToVersionId());
                if (to == null) throw Errors.notAValidVersion(r.moveToVersionId());
                if (holder != null && holder != to && from != holder) {
                    throw Errors.removeFromVersionRequired(stage, holder.versionId());
                }
                if (!to.stages().contains(stage)) s.checkLabelLimit(java.util.Set.of(stage));
                s.moveLabel(stage, to);
            } else {
                if (Secret.CURRENT.equals(stage)) throw Errors.cannotDetachCurrent();
                s.detachLabel(stage, from);
            }
            s.purgeDeprecated(now());
            s.changed(now());
            listener.changed(store, s);
            return new ArnName(s.arn(), s.name());
        });
    }

    // =============================================================================================
    // Deletion
    // =============================================================================================

    public DeleteSecretResponse deleteSecret(RequestContext ctx, DeleteSecretRequest r) {
        boolean force = Boolean.TRUE.equals(r.forceDeleteWithoutRecovery());
        if (force && r.recoveryWindowInDays() != null) throw Errors.forceWithWindow();
        long window = r.recoveryWindowInDays() == null ? 30 : r.recoveryWindowInDays();
        if (window < 7 || window > 30) throw Errors.recoveryWindowRange();
        RegionalStore store = storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s;
            try {
                s = lookup(store, r.secretId());
            } catch (AwsException e) {
                if (force && e.type() == ErrorType.RESOURCE_NOT_FOUND) {
                    String name = r.secretId().startsWith("arn:") ? arnName(r.secretId()) : r.secretId();
                    String arn = r.secretId().startsWith("arn:") ? r.secretId()
                            : secretArn(ctx.partition(), store.region(), store.account(), name, ids.arnSuffix());
                    return new DeleteSecretResponse(arn, name, now());
                }
                throw e;
            }
            authorize(ctx, "secretsmanager:DeleteSecret", s, r.secretId());
            if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
            List<String> replicaRegions = new ArrayList<>();
            for (ReplicaState rs : s.replicas()) replicaRegions.add(rs.region());
            if (!replicaRegions.isEmpty()) throw Errors.deleteWithReplicas(s.arn(), replicaRegions);
            if (force) {
                store.remove(s.name());
                listener.changed(store, s);
                return new DeleteSecretResponse(s.arn(), s.name(), now());
            }
            if (s.isDeleted()) throw Errors.alreadyMarkedForDeletion();
            Instant deletionDate = now().plus(Duration.ofDays(window));
            var purge = scheduler.scheduleAt("purge " + s.name() + " in " + store.account() + "/" + store.region(),
                    deletionDate, () -> store.lockedRun(() -> {
                        Secret cur = store.byName(s.name());
                        if (cur == s && cur.isDeleted()) store.remove(s.name());
                    }));
            s.markDeleted(now(), deletionDate, purge);
            listener.changed(store, s);
            return new DeleteSecretResponse(s.arn(), s.name(), deletionDate);
        });
    }

    public ArnName restoreSecret(RequestContext ctx, SecretIdRequest r) {
        RegionalStore store = storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookup(store, r.secretId());
            authorize(ctx, "secretsmanager:RestoreSecret", s, r.secretId());
            if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
            s.restore();
            s.changed(now());
            listener.changed(store, s);
            return new ArnName(s.arn(), s.name());
        });
    }

    // =============================================================================================
    // Tags and policies
    // =============================================================================================

    public Empty tagResource(RequestContext ctx, TagResourceRequest r) {
        mutate(ctx, "secretsmanager:TagResource", r.secretId(), s -> s.upsertTags(r.tags()));
        return new Empty();
    }

    public Empty untagResource(RequestContext ctx, UntagResourceRequest r) {
        mutate(ctx, "secretsmanager:UntagResource", r.secretId(), s -> s.removeTags(r.tagKeys()));
        return new Empty();
    }

    public ArnName putResourcePolicy(RequestContext ctx, PutResourcePolicyRequest r) {
        Policy compiled = compileResourcePolicy(r.resourcePolicy());
        if (Boolean.TRUE.equals(r.blockPublicPolicy()) && compiled.grantsPublicAccess()) {
            throw Errors.publicPolicy();
        }
        return mutate(ctx, "secretsmanager:PutResourcePolicy", r.secretId(),
                s -> s.setResourcePolicy(r.resourcePolicy(), compiled));
    }

    /**
     * The grammar of {@link PolicyChecker}, then compilation for evaluation: a condition operator or
     * key the evaluator does not understand is a MalformedPolicyDocumentException, never a silent allow.
     */
    static Policy compileResourcePolicy(String json) {
        PolicyChecker.requireWellFormed(json);
        try {
            return Policy.compile(json, Policy.Kind.RESOURCE);
        } catch (Policy.Invalid e) {
            throw e.syntax() ? Errors.policyInvalidSyntax() : Errors.policyUnsupportedCondition(e.getMessage());
        }
    }

    public ArnName deleteResourcePolicy(RequestContext ctx, SecretIdRequest r) {
        return mutate(ctx, "secretsmanager:DeleteResourcePolicy", r.secretId(), s -> s.setResourcePolicy(null, null));
    }

    public GetResourcePolicyResponse getResourcePolicy(RequestContext ctx, SecretIdRequest r) {
        RegionalStore store = storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookup(store, r.secretId());
            authorize(ctx, "secretsmanager:GetResourcePolicy", s, r.secretId());
            return new GetResourcePolicyResponse(s.arn(), s.name(), s.resourcePolicy());
        });
    }

    public ValidateResourcePolicyResponse validateResourcePolicy(RequestContext ctx, ValidateResourcePolicyRequest r) {
        if (r.secretId() != null) {
            RegionalStore store = storeFor(ctx, r.secretId());
            store.locked(() -> {
                Secret s = lookup(store, r.secretId());
                authorize(ctx, "secretsmanager:ValidateResourcePolicy", s, r.secretId());
                return s;
            });
        } else {
            authorizeWithoutSecret(ctx, "secretsmanager:ValidateResourcePolicy", "*", "*");
        }
        // the same compiled policy and public-access test as PutResourcePolicy's BlockPublicPolicy
        boolean open = compileResourcePolicy(r.resourcePolicy()).grantsPublicAccess();
        List<ValidationErrorsEntry> errors = new ArrayList<>();
        if (open) errors.add(new ValidationErrorsEntry(PolicyChecker.PUBLIC_ACCESS_CHECK, Errors.publicAccessCheckText()));
        return new ValidateResourcePolicyResponse(!open, errors);
    }

    public GetRandomPasswordResponse getRandomPassword(RequestContext ctx, GetRandomPasswordRequest r) {
        authorizeWithoutSecret(ctx, "secretsmanager:GetRandomPassword", "*", "*");
        PasswordSpec spec = new PasswordSpec(r.passwordLength(),
                r.excludeCharacters(), r.excludeNumbers(), r.excludePunctuation(), r.excludeUppercase(),
                r.excludeLowercase(), r.includeSpace(), r.requireEachIncludedType());
        return new GetRandomPasswordResponse(PasswordGenerator.generate(spec, passwordRandom));
    }

    // =============================================================================================
    // Replication and rotation hooks (their packages plug in here)
    // =============================================================================================

    /** Implemented by the replication package. */
    public interface Replication {
        List<ReplicationStatusEntry> replicate(RequestContext ctx, String primaryArn, List<ReplicaRegion> regions,
                                               boolean forceOverwrite);
    }

    private volatile Replication replication;

    public void setReplication(Replication r) { this.replication = r; }

    // =============================================================================================
    // Rotation: the rotation package drives these; Secret's mutators stay in this package
    // =============================================================================================

    /**
     * Implemented by the rotation package. Told, under the store's lock, that PutSecretValue or
     * UpdateSecret replaced AWSCURRENT of a secret whose rotation is enabled: AWS counts that as a
     * rotation for scheduling. Answers the new NextRotationDate (null keeps it). Must only schedule work.
     */
    @FunctionalInterface
    public interface RotationHook {
        Instant manualRotation(String arn, RotationConfig config, Instant now);
    }

    private volatile RotationHook rotationHook;

    public void setRotationHook(RotationHook hook) { this.rotationHook = hook; }

    private void manualRotation(Secret s) {
        RotationHook hook = rotationHook;
        if (hook == null || s.rotation() == null || !s.rotation().enabled()) return;
        Instant next = hook.manualRotation(s.arn(), s.rotation(), now());
        if (next != null) s.setNextRotationDate(next);
    }

    /**
     * One secret as rotation sees and changes it, under its store's lock: valid only inside the
     * {@link #rotation} call that handed it out. Every change is propagated to replicas when the
     * call returns.
     */
    public final class RotationTx {
        private final RegionalStore store;
        private final Secret s;
        private boolean dirty;

        private RotationTx(RegionalStore store, Secret s) {
            this.store = store;
            this.s = s;
        }

        public String arn() { return s.arn(); }
        public String name() { return s.name(); }
        public String account() { return store.account(); }
        public String region() { return store.region(); }
        public Instant now() { return SecretsService.this.now(); }
        public RotationConfig config() { return s.rotation(); }
        public Instant lastRotatedDate() { return s.lastRotatedDate(); }
        public Instant nextRotationDate() { return s.nextRotationDate(); }

        /** The version holding {@code stage}, or null. */
        public String holderOf(String stage) {
            SecretVersion v = s.holderOf(stage);
            return v == null ? null : v.versionId();
        }

        public boolean hasVersion(String versionId) { return s.version(versionId) != null; }

        /** Marked for deletion (only seen through {@link #rotationOfAnyState}). */
        public boolean deleted() { return s.isDeleted(); }

        /** When the current value was written (a manual write counts as a rotation); null without one. */
        public Instant currentCreatedDate() {
            SecretVersion v = s.holderOf(Secret.CURRENT);
            return v == null ? null : v.createdDate();
        }

        /** Stores the rotation settings and the NextRotationDate (null drops it). */
        public void configure(RotationConfig config, Instant nextRotationDate) {
            s.setRotation(config);
            s.setNextRotationDate(nextRotationDate);
            s.changed(now());
            dirty = true;
        }

        public void setNextRotationDate(Instant next) {
            s.setNextRotationDate(next);
            dirty = true;
        }

        /** CancelRotateSecret: automatic rotation off, NextRotationDate dropped, function and rules kept. */
        public void disable() {
            RotationConfig c = s.rotation();
            s.setRotation(new RotationConfig(false, c.lambdaArn(), c.rules()));
            s.setNextRotationDate(null);
            s.changed(now());
            dirty = true;
        }

        /**
         * A rotation of {@code versionId} completed: AWSPENDING leaves it when it holds AWSCURRENT,
         * LastRotatedDate and NextRotationDate move; LastChangedDate stays (as AWS).
         */
        public void rotated(String versionId, Instant when, Instant next) {
            s.finishRotation(versionId);
            s.setLastRotatedDate(when);
            s.setNextRotationDate(next);
            dirty = true;
        }

        /** RotateSecret's placeholder: a version without value labelled AWSPENDING. */
        public void addPendingPlaceholder(String versionId) {
            if (s.version(versionId) != null) throw Errors.tokenInUse(versionId, s.arn());
            s.addPendingVersion(versionId, now());
            s.changed(now());
            dirty = true;
        }

        /**
         * RotateImmediately=false: an AWSPENDING copy of the current value under {@code versionId}
         * (a placeholder without value when the secret has none).
         */
        public void addPendingCopyOfCurrent(String versionId) {
            if (s.version(versionId) != null) throw Errors.tokenInUse(versionId, s.arn());
            SecretVersion current = s.holderOf(Secret.CURRENT);
            if (current == null || !current.hasValue()) {
                addPendingPlaceholder(versionId);
                return;
            }
            byte[] plain = openBytes(store, s, current);
            try {
                Envelope.Sealed sealed = current.isBinary() ? sealFor(store, s, versionId, null, plain)
                        : sealFor(store, s, versionId, new String(plain, StandardCharsets.UTF_8), null);
                SecretVersion v = s.addPendingVersion(versionId, now());
                v.setValue(sealed, current.isBinary(), keyLabel(s));
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
            dirty = true;
        }

        /**
         * Removes the test copy of RotateImmediately=false. A version that meanwhile became
         * AWSCURRENT only loses AWSPENDING.
         */
        public void removePendingCopy(String versionId) {
            SecretVersion v = s.version(versionId);
            if (v == null) return;
            if (v.stages().contains(Secret.CURRENT)) s.detachLabel(Secret.PENDING, v);
            else s.removeVersion(versionId);
            dirty = true;
        }
    }

    /**
     * Runs {@code body} on the secret {@code secretId} names, under its store's lock, after the
     * checks every rotation operation shares: it exists, is not a replica in this region, is not
     * marked for deletion. Changes made through the {@link RotationTx} reach the replicas. The body
     * must not block: it decides and schedules, never runs a rotation function.
     */
    public <T> T rotation(RequestContext ctx, String secretId, java.util.function.Function<RotationTx, T> body) {
        return rotation(ctx, null, secretId, false, body);
    }

    /** As {@link #rotation}, for a caller's API call: {@code action} is authorized first. */
    public <T> T rotation(RequestContext ctx, String action, String secretId,
                         java.util.function.Function<RotationTx, T> body) {
        return rotation(ctx, action, secretId, false, body);
    }

    /** As {@link #rotation}, but a secret marked for deletion is handed out too (scheduled work decides). */
    public <T> T rotationOfAnyState(RequestContext ctx, String secretId,
                                    java.util.function.Function<RotationTx, T> body) {
        return rotation(ctx, null, secretId, true, body);
    }

    private <T> T rotation(RequestContext ctx, String action, String secretId, boolean includeDeleted,
                           java.util.function.Function<RotationTx, T> body) {
        RegionalStore store = storeFor(ctx, secretId);
        return store.locked(() -> {
            Secret s = lookup(store, secretId);
            if (action != null) authorize(ctx, action, s, secretId);
            if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
            if (!includeDeleted && s.isDeleted()) throw Errors.markedForDeletion();
            RotationTx tx = new RotationTx(store, s);
            try {
                return body.apply(tx);
            } finally {
                if (tx.dirty) listener.changed(store, s);
            }
        });
    }

    // =============================================================================================
    // Shared steps
    // =============================================================================================

    /** A metadata change of a writable secret, under its store's lock; the listener is told. */
    private ArnName mutate(RequestContext ctx, String action, String secretId,
                           java.util.function.Consumer<Secret> change) {
        RegionalStore store = storeFor(ctx, secretId);
        return store.locked(() -> {
            Secret s = lookup(store, secretId);
            authorize(ctx, action, s, secretId);
            requireWritable(store, s);
            change.accept(s);
            s.changed(now());
            listener.changed(store, s);
            return new ArnName(s.arn(), s.name());
        });
    }

    // ---- authorization ---------------------------------------------------------------------------

    /**
     * Throws AccessDeniedException unless the caller may do {@code action} on {@code s} (see
     * docs/AUTHORIZATION.md). Runs after the lookup, under the store's lock, before anything changes.
     * {@code asSent} is the SecretId as the caller sent it (AWS names it in the message).
     */
    public void authorize(RequestContext ctx, String action, Secret s, String asSent) {
        authorize(ctx, action, s, asSent, null, null);
    }

    private void authorize(RequestContext ctx, String action, Secret s, String asSent, String versionId,
                           List<String> stages) {
        Authorizer a = authorizer;
        if (a == null) return;
        a.check(ctx, action, s.arn(), arnAccount(s.arn()), s.compiledPolicy(), facts(s, versionId, stages), asSent);
    }

    /** Operations without a secret: the identity policy alone decides, on {@code resource}. */
    private void authorizeWithoutSecret(RequestContext ctx, String action, String resource, String asSent) {
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
    private void requireKeyAccess(RequestContext ctx, RegionalStore store, Secret s, String kmsAction) {
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

    private void requireWritable(RegionalStore store, Secret s) {
        if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
        if (s.isDeleted()) throw Errors.markedForDeletion();
    }

    private void requireSameAccountOrCustomerKey(RegionalStore store, RequestContext ctx, Secret s) {
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

    /** The store a SecretId addresses: the caller's, or the account named by a full ARN. */
    public RegionalStore storeFor(RequestContext ctx, String secretId) {
        if (secretId != null && secretId.startsWith("arn:")) {
            String[] p = secretId.split(":", 7);
            if (p.length == 7 && RequestContext.isAccountId(p[4]) && p[3].equals(ctx.region())) {
                return stores.get(p[4], ctx.region());
            }
        }
        return stores.get(ctx.account(), ctx.region());
    }

    /** Resolves a SecretId (full ARN, partial ARN or name) in {@code store}; the caller holds its lock. */
    public Secret lookup(RegionalStore store, String secretId) {
        if (secretId.startsWith("arn:")) {
            String[] p = secretId.split(":", 7);
            if (p.length != 7 || !p[2].equals("secretsmanager") || !p[3].equals(store.region())
                    || !p[4].equals(store.account()) || !p[5].equals("secret")) {
                throw Errors.secretNotFound();
            }
            String tail = p[6];
            if (SUFFIXED.matcher(tail).matches()) {
                Secret s = store.byName(tail.substring(0, tail.length() - 7));
                if (s != null && s.arn().equals(secretId)) return s;
            } else {
                Secret s = store.byName(tail);
                if (s != null) return s;
            }
            throw Errors.secretNotFound();
        }
        requireValidName(secretId);
        Secret s = store.byName(secretId);
        if (s == null) throw Errors.secretNotFound();
        return s;
    }

    static void requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) throw Errors.invalidName();
    }

    static String secretArn(String partition, String region, String account, String name, String suffix) {
        return "arn:" + partition + ":secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + suffix;
    }

    private static String arnName(String arn) {
        String[] p = arn.split(":", 7);
        String tail = p.length == 7 ? p[6] : arn;
        return SUFFIXED.matcher(tail).matches() ? tail.substring(0, tail.length() - 7) : tail;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static Map<String, String> context(String arn, String versionId) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("SecretARN", arn);
        c.put("SecretVersionId", versionId);
        return c;
    }

    /** KmsKeyId on CreateSecret/UpdateSecret: resolved and checked at once, as AWS does. */
    private void validateKeyForWrite(RequestContext ctx, String account, String region, String keyRef) {
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

    private String keyLabel(Secret s) {
        return keyLabel(s.arn(), s.kmsKeyId());
    }

    /** What ListSecretVersionIds shows for a value sealed under {@code keyRef} for the secret {@code arn}. */
    private String keyLabel(String arn, String keyRef) {
        if (keyRef == null) return DEFAULT_KEY_LABEL;
        try {
            return kms.resolve(arnAccount(arn), arnRegion(arn), keyRef).arn();
        } catch (AwsException e) {
            return keyRef;
        }
    }

    private static String arnAccount(String arn) { return arn.split(":")[4]; }
    private static String arnRegion(String arn) { return arn.split(":")[3]; }

    private Envelope.Sealed sealFor(RegionalStore store, Secret s, String versionId, String str, byte[] bin) {
        return sealUnder(store, s, s.kmsKeyId(), versionId, str, bin);
    }

    private Envelope.Sealed sealUnder(RegionalStore store, Secret s, String keyRef, String versionId, String str,
                                      byte[] bin) {
        byte[] plain = str != null ? str.getBytes(StandardCharsets.UTF_8) : bin;
        try {
            return Envelope.seal(kms, store.account(), store.region(), keyRef, context(s.arn(), versionId), plain);
        } catch (AwsException e) {
            throw KmsErrors.onEncrypt(e, ids);
        }
    }

    private void seal(RegionalStore store, Secret s, SecretVersion v, String str, byte[] bin) {
        v.setValue(sealFor(store, s, v.versionId(), str, bin), bin != null, keyLabel(s));
    }

    /**
     * Opens the copy under the secret's current key; when KMS refuses it, a copy kept under an
     * earlier key (AWS-BEHAVIOUR §5 UpdateSecret: "the old key can still decrypt them"). The error names the
     * current copy's key.
     */
    byte[] openBytes(RegionalStore store, Secret s, SecretVersion v) {
        AwsException first = null;
        for (Envelope.Sealed copy : v.copies()) {
            try {
                return Envelope.open(kms, store.account(), store.region(), copy, context(s.arn(), v.versionId()));
            } catch (AwsException e) {
                if (first == null) first = e;
            }
        }
        throw KmsErrors.onDecrypt(first, ids);
    }

    private SecretValueEntry open(RegionalStore store, Secret s, SecretVersion v) {
        byte[] plain = openBytes(store, s, v);
        return new SecretValueEntry(s.arn(), s.name(), v.versionId(), v.isBinary() ? plain : null,
                v.isBinary() ? null : new String(plain, StandardCharsets.UTF_8), List.copyOf(v.stages()),
                v.createdDate());
    }

    private boolean sameValue(RegionalStore store, Secret s, SecretVersion v, String str, byte[] bin) {
        if (!v.hasValue()) return false;
        if (v.isBinary() != (bin != null)) return false;
        byte[] stored = openBytes(store, s, v);
        byte[] given = str != null ? str.getBytes(StandardCharsets.UTF_8) : bin;
        boolean same = java.security.MessageDigest.isEqual(stored, given);
        Arrays.fill(stored, (byte) 0);
        return same;
    }

    /** A labelled version's value sealed again under a new key, applied once nothing else can fail. */
    private record Reencrypted(SecretVersion version, Envelope.Sealed sealed) {}

    /**
     * A key change: labelled versions (AWSCURRENT, AWSPENDING, AWSPREVIOUS) are sealed again under
     * {@code newKeyRef} (their copy under the old key is kept); the rest stay as they are. Changes
     * nothing: the caller applies the result.
     */
    private List<Reencrypted> reencryptLabelled(RegionalStore store, Secret s, String newKeyRef) {
        List<Reencrypted> out = new ArrayList<>();
        for (SecretVersion v : s.versions()) {
            if (!v.hasValue() || !(v.stages().contains(Secret.CURRENT) || v.stages().contains(Secret.PENDING)
                    || v.stages().contains(Secret.PREVIOUS))) {
                continue;
            }
            byte[] plain = openBytes(store, s, v);
            try {
                out.add(new Reencrypted(v, Envelope.seal(kms, store.account(), store.region(), newKeyRef,
                        context(s.arn(), v.versionId()), plain)));
            } catch (AwsException e) {
                throw KmsErrors.onEncrypt(e, ids);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        return out;
    }

    List<ReplicationStatusEntry> replicationStatus(Secret s, String ownRegion) {
        if (s.replicas().isEmpty() || s.isReplicaIn(ownRegion)) {
            return s.primaryRegion() != null && !s.isReplicaIn(ownRegion) ? List.of() : null;
        }
        List<ReplicationStatusEntry> out = new ArrayList<>();
        for (ReplicaState r : s.replicas()) {
            out.add(new ReplicationStatusEntry(r.region(), r.kmsKeyId() == null ? Kms.SECRETS_MANAGER_ALIAS : r.kmsKeyId(),
                    r.status(), r.statusMessage(), r.lastAccessedDate()));
        }
        return out;
    }

    private SecretListEntry listEntry(Secret s) {
        RotationConfig rot = s.rotation();
        Map<String, List<String>> versions = s.versionIdsToStages();
        return new SecretListEntry(s.arn(), s.name(), s.type(), s.description(), s.kmsKeyId(),
                rot == null ? null : rot.enabled(), rot == null ? null : rot.lambdaArn(),
                rot == null ? null : rot.rules(), null, null, s.lastRotatedDate(), s.lastChangedDate(),
                s.lastAccessedDate(), s.deletedDate(), s.nextRotationDate(), s.tags(),
                versions.isEmpty() && !s.hasAnyVersion() ? null : versions, s.owningService(), s.createdDate(),
                s.primaryRegion());
    }

    private static SecretFacts facts(Secret s) {
        return new SecretFacts(s.name(), s.description(), s.tags() == null ? List.of() : s.tags(),
                s.primaryRegion(), s.owningService());
    }

    private static Sorting.Sortable sortable(Secret s) {
        return new Sorting.SortKey(s.name(), s.arn(), s.createdDate(), s.lastAccessedDate(), s.lastChangedDate());
    }

    /**
     * One secret as the admin state view and the dashboard show it: metadata only, never a value.
     * {@code kmsKeyId} is the key reference as stored (null: the account's {@code aws/secretsmanager}).
     */
    public record SecretSummary(String account, String region, String name, String arn, String primaryRegion,
                                boolean deleted, int versions, List<ReplicationStatusEntry> replicationStatus,
                                String kmsKeyId, Instant createdDate, Instant lastChangedDate,
                                boolean rotationEnabled, Instant lastRotatedDate, Instant nextRotationDate) {}

    /** Every secret of every store, for the admin state view. */
    public List<SecretSummary> summaries() {
        List<SecretSummary> out = new ArrayList<>();
        for (RegionalStore store : stores.all()) {
            store.lockedRun(() -> {
                for (Secret s : store.all()) {
                    out.add(new SecretSummary(store.account(), store.region(), s.name(), s.arn(), s.primaryRegion(),
                            s.isDeleted(), s.versions().size(), replicationStatus(s, store.region()), s.kmsKeyId(),
                            s.createdDate(), s.lastChangedDate(), s.rotation() != null && s.rotation().enabled(),
                            s.lastRotatedDate(), s.nextRotationDate()));
                }
            });
        }
        return out;
    }

    /** One secret's versions, stages and policy as the dashboard shows them: never a value. */
    public record SecretView(SecretSummary summary, String description, String resourcePolicy, String rotationLambdaArn,
                             String rotationSchedule, List<VersionView> versions) {}

    /** A version: its id, creation, stages and whether it holds a value (the value itself never). */
    public record VersionView(String versionId, Instant createdDate, List<String> stages, boolean hasValue) {}

    /** The secret {@code name} (a name or ARN) in (account, region), or null when there is none. */
    public SecretView view(String account, String region, String name) {
        for (RegionalStore store : stores.all()) {
            if (!store.account().equals(account) || !store.region().equals(region)) continue;
            return store.locked(() -> {
                for (Secret s : store.all()) {
                    if (!s.name().equals(name) && !s.arn().equals(name)) continue;
                    List<VersionView> versions = new ArrayList<>();
                    for (SecretVersion v : s.versions()) {
                        versions.add(new VersionView(v.versionId(), v.createdDate(), List.copyOf(new java.util.TreeSet<>(v.stages())),
                                v.hasValue()));
                    }
                    versions.sort(java.util.Comparator.comparing(VersionView::createdDate));
                    RotationConfig rot = s.rotation();
                    SecretSummary summary = new SecretSummary(store.account(), store.region(), s.name(), s.arn(),
                            s.primaryRegion(), s.isDeleted(), s.versions().size(), replicationStatus(s, store.region()),
                            s.kmsKeyId(), s.createdDate(), s.lastChangedDate(), rot != null && rot.enabled(),
                            s.lastRotatedDate(), s.nextRotationDate());
                    return new SecretView(summary, s.description(), s.resourcePolicy(),
                            rot == null ? null : rot.lambdaArn(),
                            rot == null || rot.rules() == null ? null : schedule(rot.rules()), versions);
                }
                return null;
            });
        }
        return null;
    }

    private static String schedule(RotationRules r) {
        String s = r.scheduleExpression() != null ? r.scheduleExpression()
                : r.automaticallyAfterDays() != null ? "every " + r.automaticallyAfterDays() + " days" : "";
        return r.duration() == null ? s : s + " (window " + r.duration() + ")";
    }

    /** Removes every secret of every store (the emulator reset). */
    public void reset() {
        stores.reset();
    }
}
