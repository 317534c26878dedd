package dev.smlocal.server.secrets;

import dev.smlocal.server.auth.Authorizer;
import dev.smlocal.server.auth.Policy;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.kms.Envelope;
import dev.smlocal.server.kms.Kms;
import dev.smlocal.server.secrets.SecretsApi.*;
import dev.smlocal.server.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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


    private final Stores stores;
    private final Kms kms;
    private final Scheduler scheduler;
    private final IdGenerator ids;
    private final SecretLookup lookups;
    private final ValueSealer sealer;
    private final SecretAccess access;
    private final RandomGenerator passwordRandom = new SecureRandom();
    /** Replication and rotation, reached through the holder they bind themselves to when they are built. */
    private final Links links;

    /** A bare service: everything allowed, no replication (AddReplicaRegions refused), no rotation hook. */
    public SecretsService(Stores stores, Kms kms, Scheduler scheduler, IdGenerator ids) {
        this(stores, kms, scheduler, ids, null, new Links());
    }

    /**
     * The service as the emulator wires it: {@code authorizer} decides every call (null allows
     * everything); {@code links} is the holder the {@code Replicator} and the {@code Rotator} built
     * over this service bind themselves to (create it first, hand the same one to all three).
     */
    public SecretsService(Stores stores, Kms kms, Scheduler scheduler, IdGenerator ids, Authorizer authorizer,
                          Links links) {
        this.stores = Objects.requireNonNull(stores);
        this.kms = Objects.requireNonNull(kms);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.ids = Objects.requireNonNull(ids);
        this.links = Objects.requireNonNull(links);
        this.lookups = new SecretLookup(stores);
        this.sealer = new ValueSealer(kms, ids);
        this.access = new SecretAccess(kms, ids, authorizer);
    }

    /**
     * The cross-region and rotation follow-ups {@link SecretsService} calls, bound once each by the
     * service that implements them, in its constructor ({@code Replicator}: {@link ChangeListener}
     * and {@link Replication}; {@code Rotator}: {@link RotationHook}). It breaks the construction
     * knot (they need the secrets service, it needs them) without a setter on the service: the
     * holder exists before all three, and a second binding fails. Unbound, a change tells no one,
     * AddReplicaRegions is refused and a manual rotation plans nothing (a bare service).
     */
    public static final class Links {
        private volatile ChangeListener listener = ChangeListener.NONE;
        private volatile Replication replication;
        private volatile RotationHook rotationHook;
        private boolean replicationBound;
        private boolean rotationBound;

        /** Binds the replication side (the Replicator, from its constructor); once. */
        public synchronized <R extends ChangeListener & Replication> void bindReplication(R replicator) {
            if (replicationBound) throw new IllegalStateException("replication is already bound");
            replicationBound = true;
            this.replication = Objects.requireNonNull(replicator);
            this.listener = replicator;
        }

        /** Binds the rotation side (the Rotator, from its constructor); once. */
        public synchronized void bindRotation(RotationHook hook) {
            if (rotationBound) throw new IllegalStateException("rotation is already bound");
            rotationBound = true;
            this.rotationHook = Objects.requireNonNull(hook);
        }

        ChangeListener listener() { return listener; }
        Replication replication() { return replication; }
        RotationHook rotationHook() { return rotationHook; }
    }

    public Stores stores() { return stores; }
    public Kms kms() { return kms; }
    Instant now() { return scheduler.clock().now(); }
    static Instant day(Instant t) { return t.truncatedTo(ChronoUnit.DAYS); }

    // =============================================================================================
    // CreateSecret
    // =============================================================================================

    public CreateSecretResponse createSecret(RequestContext ctx, CreateSecretRequest r) {
        SecretLookup.requireValidName(r.name());
        access.authorizeWithoutSecret(ctx, "secretsmanager:CreateSecret",
                SecretArn.of(ctx.partition(), ctx.region(), ctx.account(), r.name(), "??????").text(), r.name());
        boolean hasValue = r.secretString() != null || r.secretBinary() != null;
        if (hasValue && r.clientRequestToken() == null) throw Errors.missingClientRequestToken(ErrorType.INVALID_REQUEST);
        if (r.secretString() != null && r.secretBinary() != null) throw Errors.bothValues();
        if (r.addReplicaRegions() != null) {
            if (links.replication() == null) throw Errors.replicationNotImplemented("CreateSecret with AddReplicaRegions");
            Replicas.requireValidRegions(ctx.region(), r.addReplicaRegions());
        }
        String keyRef = emptyToNull(r.kmsKeyId());
        if (keyRef != null) access.validateKeyForWrite(ctx, ctx.account(), ctx.region(), keyRef);

        RegionalStore store = stores.get(ctx.account(), ctx.region());
        Created created = store.locked(() -> {
            Secret existing = store.byName(r.name());
            if (existing != null) {
                if (existing.isDeleted()) throw Errors.nameScheduledForDeletion();
                SecretVersion same = r.clientRequestToken() == null ? null : existing.version(r.clientRequestToken());
                if (same != null) {
                    if (sealer.sameValue(store, existing, same, r.secretString(), r.secretBinary())) {
                        return new Created(new CreateSecretResponse(existing.arn(), existing.name(), same.versionId(),
                                r.addReplicaRegions() == null ? null : SecretViews.replicationStatus(existing, store.region())), false);
                    }
                    throw Errors.tokenInUse(r.clientRequestToken(), existing.arn());
                }
                throw Errors.secretExists(r.name());
            }
            String arn = SecretArn.of(ctx.partition(), ctx.region(), ctx.account(), r.name(), ids.arnSuffix()).text();
            Secret s = new Secret(arn, r.name(), now());
            s.setDescription(r.description());
            s.setKmsKeyId(keyRef);
            s.setType(r.type());
            if (r.tags() != null) s.setTags(r.tags());
            String versionId = null;
            if (hasValue) {
                SecretVersion v = s.addVersion(r.clientRequestToken(), now(), null);
                sealer.seal(store, s, v, r.secretString(), r.secretBinary());
                versionId = v.versionId();
            }
            store.put(s);
            links.listener().changed(store, s);
            return new Created(new CreateSecretResponse(arn, s.name(), versionId, null), true);
        });
        CreateSecretResponse out = created.response();
        Replication replication = links.replication();
        if (r.addReplicaRegions() != null && replication != null && created.isNew()) {
            var status = replication.replicate(ctx, out.arn(), r.addReplicaRegions(),
                    Boolean.TRUE.equals(r.forceOverwriteReplicaSecret()));
            return new CreateSecretResponse(out.arn(), out.name(), out.versionId(), status);
        }
        return out;
    }

    /** CreateSecret's answer, and whether it made the secret (a retried call with the same token did not). */
    private record Created(CreateSecretResponse response, boolean isNew) {}

    // =============================================================================================
    // Reads
    // =============================================================================================

    public SecretValueEntry getSecretValue(RequestContext ctx, GetSecretValueRequest r) {
        RegionalStore store = lookups.storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookups.lookup(store, r.secretId());
            access.authorize(ctx, "secretsmanager:GetSecretValue", s, r.secretId(), r.versionId(),
                    r.versionStage() == null ? null : List.of(r.versionStage()));
            if (s.isDeleted()) throw Errors.markedForDeletion();
            access.requireSameAccountOrCustomerKey(store, ctx, s);
            access.requireKeyAccess(ctx, store, s, "kms:Decrypt");
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
            SecretValueEntry entry = SecretViews.valueEntry(s, v, sealer.openBytes(store, s, v));
            Instant today = day(now());
            s.accessed(today);
            v.touch(today);
            if (s.isReplicaIn(store.region())) {
                // the primary's ReplicationStatus shows the replica's LastAccessedDate: another store
                String primaryRegion = s.primaryRegion();
                String name = s.name();
                store.afterUnlock(() -> Replicas.replicaRead(stores, store.account(), primaryRegion, name,
                        store.region(), today));
            }
            return entry;
        });
    }

    public BatchGetSecretValueResponse batchGetSecretValue(RequestContext ctx, BatchGetSecretValueRequest r) {
        boolean ids = r.secretIdList() != null && !r.secretIdList().isEmpty();
        boolean filters = r.filters() != null && !r.filters().isEmpty();
        if (ids == filters) throw Errors.batchIdsOrFilters();
        if (r.maxResults() != null && !filters) throw Errors.batchMaxResultsNeedsFilters();
        access.authorizeWithoutSecret(ctx, "secretsmanager:BatchGetSecretValue", "*", "*");
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
                for (Secret s : store.all()) if (!s.isDeleted() && ListFilters.matches(r.filters(), SecretViews.facts(s))) out.add(s);
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
        RegionalStore store = lookups.storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookups.lookup(store, r.secretId());
            access.authorize(ctx, "secretsmanager:DescribeSecret", s, r.secretId());
            return SecretViews.describe(s, store.region());
        });
    }

    /** A secret with its sort keys, for ListSecrets. */
    private record Keyed(Sorting.Sortable key, Secret secret) {}

    public ListSecretsResponse listSecrets(RequestContext ctx, ListSecretsRequest r) {
        if (r.filters() != null) ListFilters.validate(r.filters());
        access.authorizeWithoutSecret(ctx, "secretsmanager:ListSecrets", "*", "*");
        RegionalStore store = stores.get(ctx.account(), ctx.region());
        boolean includeDeleted = Boolean.TRUE.equals(r.includePlannedDeletion());
        int size = r.maxResults() == null ? 100 : r.maxResults();
        String fp = "list" + r.filters() + r.sortBy() + r.sortOrder() + includeDeleted;
        int offset = PageToken.offset(r.nextToken(), fp);
        return store.locked(() -> {
            // each match's sort keys read once, not once per comparison
            List<Keyed> matching = new ArrayList<>();
            for (Secret s : store.all()) {
                if (s.isDeleted() && !includeDeleted) continue;
                if (r.filters() != null && !ListFilters.matches(r.filters(), SecretViews.facts(s))) continue;
                matching.add(new Keyed(SecretViews.sortable(s), s));
            }
            matching.sort(Sorting.comparator(r.sortBy(), r.sortOrder(), Keyed::key));
            // entries only for the page: building one for every match cost a full projection per secret
            int from = Math.min(offset, matching.size());
            int to = Math.min(from + size, matching.size());
            List<SecretListEntry> page = new ArrayList<>(to - from);
            for (Keyed k : matching.subList(from, to)) page.add(SecretViews.listEntry(k.secret()));
            return new ListSecretsResponse(page, to < matching.size() ? PageToken.next(to, fp) : null);
        });
    }

    public ListSecretVersionIdsResponse listSecretVersionIds(RequestContext ctx, ListSecretVersionIdsRequest r) {
        RegionalStore store = lookups.storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookups.lookup(store, r.secretId());
            access.authorize(ctx, "secretsmanager:ListSecretVersionIds", s, r.secretId());
            if (s.isDeleted()) throw Errors.markedForDeletion();
            boolean deprecated = Boolean.TRUE.equals(r.includeDeprecated());
            List<SecretVersionsListEntry> entries = new ArrayList<>();
            List<SecretVersion> versions = new ArrayList<>(s.versions());
            versions.sort(Comparator.comparing(SecretVersion::createdDate));
            for (SecretVersion v : versions) {
                if (v.isDeprecated() && !deprecated) continue;
                entries.add(SecretViews.versionEntry(v));
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
        RegionalStore store = lookups.storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookups.lookup(store, r.secretId());
            access.authorize(ctx, "secretsmanager:PutSecretValue", s, r.secretId(), r.clientRequestToken(), r.versionStages());
            requireWritable(store, s);
            access.requireSameAccountOrCustomerKey(store, ctx, s);
            access.requireKeyAccess(ctx, store, s, "kms:GenerateDataKey");
            SecretVersion existing = s.version(r.clientRequestToken());
            if (existing != null && existing.hasValue()) {
                if (sealer.sameValue(store, s, existing, r.secretString(), r.secretBinary())) {
                    return new PutSecretValueResponse(s.arn(), s.name(), existing.versionId(),
                            List.copyOf(existing.stages()));
                }
                throw Errors.tokenInUse(r.clientRequestToken(), s.arn());
            }
            SecretVersion currentBefore = s.holderOf(Secret.CURRENT);
            SecretVersion v;
            if (existing != null) { // a rotation placeholder receiving its value
                v = existing;
                sealer.seal(store, s, v, r.secretString(), r.secretBinary());
                s.attachStages(v, r.versionStages(), now());
            } else {
                Envelope.Sealed sealed = sealer.sealFor(store, s, r.clientRequestToken(), r.secretString(), r.secretBinary());
                v = s.addVersion(r.clientRequestToken(), now(), r.versionStages());
                v.setValue(sealed, r.secretBinary() != null, sealer.keyLabel(s));
            }
            s.changed(now());
            if (v.stages().contains(Secret.CURRENT) && currentBefore != v) manualRotation(s);
            links.listener().changed(store, s);
            return new PutSecretValueResponse(s.arn(), s.name(), v.versionId(), List.copyOf(v.stages()));
        });
    }

    public UpdateSecretResponse updateSecret(RequestContext ctx, UpdateSecretRequest r) {
        boolean hasValue = r.secretString() != null || r.secretBinary() != null;
        if (hasValue && r.clientRequestToken() == null) throw Errors.missingClientRequestToken(ErrorType.INVALID_REQUEST);
        if (r.secretString() != null && r.secretBinary() != null) throw Errors.bothValues();
        RegionalStore store = lookups.storeFor(ctx, r.secretId());
        String newKey = r.kmsKeyId();
        if (newKey != null && !newKey.isEmpty()) access.validateKeyForWrite(ctx, store.account(), store.region(), newKey);
        boolean keyOnly = !hasValue && r.description() == null && r.type() == null && newKey != null;
        return store.locked(() -> {
            Secret s = lookups.lookup(store, r.secretId());
            access.authorize(ctx, "secretsmanager:UpdateSecret", s, r.secretId());
            if (hasValue) access.requireKeyAccess(ctx, store, s, "kms:GenerateDataKey");
            if (keyOnly && s.isReplicaIn(store.region()) && !s.isDeleted()) {
                // the one thing a replica may change on its own: its encryption key (AWS-BEHAVIOUR §7.4)
                String replicaKey = emptyToNull(newKey);
                if (!Objects.equals(replicaKey, s.kmsKeyId())) {
                    sealer.applyKeyChange(s, replicaKey, sealer.reencryptLabelled(store, s, replicaKey));
                }
                s.changed(now());
                String primaryRegion = s.primaryRegion();
                String name = s.name();
                store.afterUnlock(() -> Replicas.replicaKeyChanged(stores, store.account(), primaryRegion, name,
                        store.region(), replicaKey));
                return new UpdateSecretResponse(s.arn(), s.name(), null);
            }
            requireWritable(store, s);
            if (hasValue) {
                SecretVersion existing = s.version(r.clientRequestToken());
                if (existing != null && existing.hasValue()) {
                    if (sealer.sameValue(store, s, existing, r.secretString(), r.secretBinary())
                            && r.description() == null && r.kmsKeyId() == null) {
                        return new UpdateSecretResponse(s.arn(), s.name(), existing.versionId());
                    }
                    if (!sealer.sameValue(store, s, existing, r.secretString(), r.secretBinary())) {
                        throw Errors.tokenInUse(r.clientRequestToken(), s.arn());
                    }
                }
            }
            // Everything that can fail (KMS calls, the label quota) happens before the secret changes.
            boolean keyChange = newKey != null && !Objects.equals(emptyToNull(newKey), s.kmsKeyId());
            String keyRef = keyChange ? emptyToNull(newKey) : s.kmsKeyId();
            List<ValueSealer.Reencrypted> reencrypted = keyChange ? sealer.reencryptLabelled(store, s, keyRef) : List.of();
            String versionId = null;
            if (hasValue && s.version(r.clientRequestToken()) == null) {
                Envelope.Sealed sealed = sealer.sealUnder(store, s, keyRef, r.clientRequestToken(), r.secretString(),
                        r.secretBinary());
                SecretVersion v = s.addVersion(r.clientRequestToken(), now(), null);
                v.setValue(sealed, r.secretBinary() != null, sealer.keyLabel(s.arn(), keyRef));
                versionId = v.versionId();
                manualRotation(s);
            } else if (hasValue) {
                versionId = r.clientRequestToken();
            }
            if (keyChange) sealer.applyKeyChange(s, keyRef, reencrypted);
            if (r.description() != null) s.setDescription(r.description());
            if (r.type() != null) s.setType(r.type());
            s.changed(now());
            links.listener().changed(store, s);
            return new UpdateSecretResponse(s.arn(), s.name(), versionId);
        });
    }

    public ArnName updateSecretVersionStage(RequestContext ctx, UpdateSecretVersionStageRequest r) {
        RegionalStore store = lookups.storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookups.lookup(store, r.secretId());
            access.authorize(ctx, "secretsmanager:UpdateSecretVersionStage", s, r.secretId(), null,
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
            links.listener().changed(store, s);
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
        RegionalStore store = lookups.storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s;
            try {
                s = lookups.lookup(store, r.secretId());
            } catch (AwsException e) {
                if (force && e.type() == ErrorType.RESOURCE_NOT_FOUND) {
                    String name = SecretArn.nameIn(r.secretId());
                    String arn = SecretArn.isArn(r.secretId()) ? r.secretId()
                            : SecretArn.of(ctx.partition(), store.region(), store.account(), name, ids.arnSuffix()).text();
                    return new DeleteSecretResponse(arn, name, now());
                }
                throw e;
            }
            access.authorize(ctx, "secretsmanager:DeleteSecret", s, r.secretId());
            if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
            List<String> replicaRegions = new ArrayList<>();
            for (ReplicaState rs : s.replicas()) replicaRegions.add(rs.region());
            if (!replicaRegions.isEmpty()) throw Errors.deleteWithReplicas(s.arn(), replicaRegions);
            if (force) {
                store.remove(s.name());
                links.listener().changed(store, s);
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
            links.listener().changed(store, s);
            return new DeleteSecretResponse(s.arn(), s.name(), deletionDate);
        });
    }

    public ArnName restoreSecret(RequestContext ctx, SecretIdRequest r) {
        RegionalStore store = lookups.storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookups.lookup(store, r.secretId());
            access.authorize(ctx, "secretsmanager:RestoreSecret", s, r.secretId());
            if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
            s.restore();
            s.changed(now());
            links.listener().changed(store, s);
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
        RegionalStore store = lookups.storeFor(ctx, r.secretId());
        return store.locked(() -> {
            Secret s = lookups.lookup(store, r.secretId());
            access.authorize(ctx, "secretsmanager:GetResourcePolicy", s, r.secretId());
            return new GetResourcePolicyResponse(s.arn(), s.name(), s.resourcePolicy());
        });
    }

    public ValidateResourcePolicyResponse validateResourcePolicy(RequestContext ctx, ValidateResourcePolicyRequest r) {
        if (r.secretId() != null) {
            RegionalStore store = lookups.storeFor(ctx, r.secretId());
            store.locked(() -> {
                Secret s = lookups.lookup(store, r.secretId());
                access.authorize(ctx, "secretsmanager:ValidateResourcePolicy", s, r.secretId());
                return s;
            });
        } else {
            access.authorizeWithoutSecret(ctx, "secretsmanager:ValidateResourcePolicy", "*", "*");
        }
        // the same compiled policy and public-access test as PutResourcePolicy's BlockPublicPolicy
        boolean open = compileResourcePolicy(r.resourcePolicy()).grantsPublicAccess();
        List<ValidationErrorsEntry> errors = new ArrayList<>();
        if (open) errors.add(new ValidationErrorsEntry(PolicyChecker.PUBLIC_ACCESS_CHECK, Errors.publicAccessCheckText()));
        return new ValidateResourcePolicyResponse(!open, errors);
    }

    public GetRandomPasswordResponse getRandomPassword(RequestContext ctx, GetRandomPasswordRequest r) {
        access.authorizeWithoutSecret(ctx, "secretsmanager:GetRandomPassword", "*", "*");
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

    private void manualRotation(Secret s) {
        RotationHook hook = links.rotationHook();
        if (hook == null || s.rotation() == null || !s.rotation().enabled()) return;
        Instant next = hook.manualRotation(s.arn(), s.rotation(), now());
        if (next != null) s.setNextRotationDate(next);
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
        RegionalStore store = lookups.storeFor(ctx, secretId);
        return store.locked(() -> {
            Secret s = lookups.lookup(store, secretId);
            if (action != null) access.authorize(ctx, action, s, secretId);
            if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
            if (!includeDeleted && s.isDeleted()) throw Errors.markedForDeletion();
            RotationTx tx = new RotationTx(store, s, sealer, this::now);
            try {
                return body.apply(tx);
            } finally {
                if (tx.dirty()) links.listener().changed(store, s);
            }
        });
    }

    // =============================================================================================
    // Shared steps
    // =============================================================================================

    /** A metadata change of a writable secret, under its store's lock; the listener is told. */
    private ArnName mutate(RequestContext ctx, String action, String secretId,
                           java.util.function.Consumer<Secret> change) {
        RegionalStore store = lookups.storeFor(ctx, secretId);
        return store.locked(() -> {
            Secret s = lookups.lookup(store, secretId);
            access.authorize(ctx, action, s, secretId);
            requireWritable(store, s);
            change.accept(s);
            s.changed(now());
            links.listener().changed(store, s);
            return new ArnName(s.arn(), s.name());
        });
    }

    /** Whether a secret may be changed here: not a replica in this region, not marked for deletion. */
    private void requireWritable(RegionalStore store, Secret s) {
        if (s.isReplicaIn(store.region())) throw Errors.replicaWrite();
        if (s.isDeleted()) throw Errors.markedForDeletion();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    // =============================================================================================
    // For the replication and rotation packages, the admin API and the dashboard
    // =============================================================================================

    /** The store a SecretId addresses: the caller's, or the account named by a full ARN. */
    public RegionalStore storeFor(RequestContext ctx, String secretId) {
        return lookups.storeFor(ctx, secretId);
    }

    /** Resolves a SecretId (full ARN, partial ARN or name) in {@code store}; the caller holds its lock. */
    public Secret lookup(RegionalStore store, String secretId) {
        return lookups.lookup(store, secretId);
    }

    /**
     * Throws AccessDeniedException unless the caller may do {@code action} on {@code s} (see
     * docs/AUTHORIZATION.md). Runs after the lookup, under the store's lock, before anything changes.
     * {@code asSent} is the SecretId as the caller sent it (AWS names it in the message).
     */
    public void authorize(RequestContext ctx, String action, Secret s, String asSent) {
        access.authorize(ctx, action, s, asSent);
    }

    /** Every secret of every store, for the admin state view. */
    public List<SecretViews.SecretSummary> summaries() {
        return SecretViews.summaries(stores);
    }

    /** The secret {@code name} (a name or ARN) in (account, region), or null when there is none. */
    public SecretViews.SecretView view(String account, String region, String name) {
        return SecretViews.view(stores, account, region, name);
    }

    /** Removes every secret of every store (the emulator reset). */
    public void reset() {
        stores.reset();
    }
}
