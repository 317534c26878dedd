package dev.smlocal.server.kms;

import dev.smlocal.server.auth.Authorizer;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.Regions;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.kms.KeyStore.Alias;
import dev.smlocal.server.kms.KeyStore.Key;
import dev.smlocal.server.kms.KeyStore.MrkSet;
import dev.smlocal.server.kms.KeyStore.Store;
import dev.smlocal.server.kms.KmsApi.AliasListEntry;
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
import dev.smlocal.server.kms.KmsApi.KeyListEntry;
import dev.smlocal.server.kms.KmsApi.KeyMetadata;
import dev.smlocal.server.kms.KmsApi.ListAliasesRequest;
import dev.smlocal.server.kms.KmsApi.ListAliasesResponse;
import dev.smlocal.server.kms.KmsApi.ListKeyPoliciesRequest;
import dev.smlocal.server.kms.KmsApi.ListKeyPoliciesResponse;
import dev.smlocal.server.kms.KmsApi.ListKeysRequest;
import dev.smlocal.server.kms.KmsApi.ListKeysResponse;
import dev.smlocal.server.kms.KmsApi.ListResourceTagsRequest;
import dev.smlocal.server.kms.KmsApi.ListResourceTagsResponse;
import dev.smlocal.server.kms.KmsApi.MultiRegionConfiguration;
import dev.smlocal.server.kms.KmsApi.PutKeyPolicyRequest;
import dev.smlocal.server.kms.KmsApi.ReplicateKeyRequest;
import dev.smlocal.server.kms.KmsApi.ReplicateKeyResponse;
import dev.smlocal.server.kms.KmsApi.ScheduleKeyDeletionRequest;
import dev.smlocal.server.kms.KmsApi.ScheduleKeyDeletionResponse;
import dev.smlocal.server.kms.KmsApi.Tag;
import dev.smlocal.server.kms.KmsApi.TagResourceRequest;
import dev.smlocal.server.kms.KmsApi.UntagResourceRequest;
import dev.smlocal.server.kms.KmsApi.UpdatePrimaryRegionRequest;
import dev.smlocal.server.time.EmulatorClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

import static dev.smlocal.server.kms.KeyStore.aliasArn;
import static dev.smlocal.server.kms.KeyStore.compileKeyPolicy;
import static dev.smlocal.server.kms.KeyStore.defaultPolicy;
import static dev.smlocal.server.kms.KeyStore.keyArn;

/**
 * The emulated KMS: symmetric encryption keys ({@code SYMMETRIC_DEFAULT}, {@code ENCRYPT_DECRYPT},
 * origin {@code AWS_KMS}) kept in memory per account and region, with aliases, the key state
 * machine, multi-Region keys and the subset of the KMS JSON API listed in {@link KmsApi}.
 *
 * <p>Semantics worth knowing:
 * <ul>
 *   <li>The AWS managed key behind {@code alias/aws/secretsmanager} is created the first time an
 *       account+region resolves that alias (or an empty key reference). It cannot be disabled,
 *       scheduled for deletion, tagged or aliased.</li>
 *   <li>Ciphertext blobs name the key's account and id but not its region (see
 *       {@link CiphertextBlob}), so a related multi-Region key in another region decrypts them and a
 *       cross-account caller needs no KeyId.</li>
 *   <li>A key scheduled for deletion is deleted at its {@code DeletionDate}: every operation first
 *       drops the store's keys (and their aliases) whose date has passed on the {@link EmulatorClock}.
 *       A multi-Region primary scheduled while it has replicas is {@code PendingReplicaDeletion}; its
 *       waiting period starts when the last replica is deleted.</li>
 *   <li>{@code ReplicateKey} creates the replica {@code Creating}; it turns {@code Enabled} once
 *       the replica-key delay has passed on the {@link EmulatorClock} (AWS: a few seconds; 0 makes
 *       it {@code Enabled} at once). Meanwhile cryptographic use, EnableKey, DisableKey and
 *       ScheduleKeyDeletion answer {@code KMSInvalidStateException} "{@code <key ARN> is creating.}"
 *       (docs/AWS-BEHAVIOUR.md, "Replica KMS keys"). {@code UpdatePrimaryRegion} swaps roles at
 *       once (AWS shows {@code Updating}).</li>
 * </ul>
 *
 * <p>The data (keys, aliases, policies, states, multi-Region key sets) lives in {@link KeyStore};
 * this class holds the rules: validation, the state machine, authorization, errors, and the
 * cryptography through {@link EnvelopeCrypto}. It is both the {@link Kms} port Secrets Manager uses
 * and the {@link KmsOperations} the emulator's KMS API serves.
 *
 * <p>Thread-safe: every operation works inside {@link KeyStore#inStore} (one account+region lock);
 * {@code ReplicateKey} holds the two stores involved ({@link KeyStore#inTwoStores}). Key material
 * never appears in messages or logs.
 */
public final class EmulatedKms implements Kms, KmsOperations, KmsState {
    static final String MANAGED_KEY_DESCRIPTION = KeyStore.MANAGED_KEY_DESCRIPTION;
    private static final String SYMMETRIC = "SYMMETRIC_DEFAULT";
    private static final List<String> ALGORITHMS = List.of(SYMMETRIC);
    private static final int DEFAULT_WINDOW_DAYS = 30;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The only key policy name KMS knows. */
    public static final String DEFAULT_POLICY_NAME = "default";

    private final EmulatorClock clock;
    private final KeyStore store;
    /** How long a new replica key stays {@code Creating}. */
    private final Duration replicaKeyDelay;
    /** Key policies are enforced on cryptographic calls through this; null (a bare KMS) allows everything. */
    private final Authorizer authorizer;

    /** Replica keys are {@code Enabled} at once; key ids come from seed 0. */
    public EmulatedKms(EmulatorClock clock) {
        this(clock, new IdGenerator(0), Duration.ZERO);
    }

    /** Replica keys stay {@code Creating} for {@code replicaKeyDelay} of emulator time; key ids come from seed 0. */
    public EmulatedKms(EmulatorClock clock, Duration replicaKeyDelay) {
        this(clock, new IdGenerator(0), replicaKeyDelay);
    }

    /**
     * Key ids are drawn from {@code ids} (which {@link #reset} restarts, so give this KMS a generator
     * of its own, e.g. {@link IdGenerator#derive}); replica keys stay {@code Creating} for
     * {@code replicaKeyDelay} of emulator time.
     */
    public EmulatedKms(EmulatorClock clock, IdGenerator ids, Duration replicaKeyDelay) {
        this(clock, ids, replicaKeyDelay, null);
    }

    /**
     * As {@link #EmulatedKms(EmulatorClock, IdGenerator, Duration)}, with key policies enforced on
     * cryptographic calls through {@code authorizer} (null allows everything, as a bare KMS does).
     */
    public EmulatedKms(EmulatorClock clock, IdGenerator ids, Duration replicaKeyDelay, Authorizer authorizer) {
        this.authorizer = authorizer;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = new KeyStore(clock, ids);
        this.replicaKeyDelay = Objects.requireNonNull(replicaKeyDelay, "replicaKeyDelay");
        if (replicaKeyDelay.isNegative()) throw new IllegalArgumentException("replica key delay must not be negative");
    }

    // ---- the Kms seam --------------------------------------------------------------------------

    @Override
    public KeyInfo resolve(String account, String region, String keyRef) {
        KeyRef ref = KeyRef.parse(account, region, keyRef);
        return store.inStore(ref.account(), region, s -> KeyStore.info(store.find(s, ref)));
    }

    @Override
    public DataKey generateDataKey(String account, String region, String keyRef, Map<String, String> context) {
        Usable key = usable(KeyRef.parse(account, region, keyRef), region);
        byte[] plaintext = EnvelopeCrypto.newKey();
        return new DataKey(key.arn(), plaintext, seal(key, plaintext, context));
    }

    /** The key's account comes from the blob (cross-account keys); {@code account} is the caller's. */
    @Override
    public byte[] decrypt(String account, String region, byte[] ciphertextBlob, Map<String, String> context) {
        return open(region, CiphertextBlob.parse(ciphertextBlob), context).plaintext();
    }

    /** The AWS managed key answers null (see {@link Kms#keyPolicy}). */
    @Override
    public KeyPolicy keyPolicy(String account, String region, String keyRef) {
        KeyRef ref = KeyRef.parse(account, region, keyRef);
        return store.inStore(ref.account(), region, s -> {
            Key k = store.find(s, ref);
            return k.awsManaged ? null : new KeyPolicy(k.arn, k.account, k.compiledPolicy);
        });
    }

    /** Forgets every key and alias and restarts the key id sequence from the seed. */
    @Override
    public void reset() {
        store.reset();
    }

    @Override
    public List<KeyInfo> allKeys() {
        return store.allKeys();
    }

    /** The keys of one account+region, ordered by key id (for tests and the admin API). */
    public List<KeyInfo> keys(String account, String region) {
        return store.keys(account, region);
    }

    // ---- the state document and the journal (KmsState): the KeyStore's data as plain records ----

    @Override
    public List<KeyRecord> exportKeys() {
        return store.exportKeys();
    }

    @Override
    public KeyRecord exportKey(String account, String region, String keyId) {
        return store.exportKey(account, region, keyId);
    }

    @Override
    public List<AliasRecord> exportAliases() {
        return store.exportAliases();
    }

    @Override
    public void restoreKey(KeyRecord r) {
        store.restoreKey(r);
    }

    @Override
    public void restoreAlias(AliasRecord a) {
        store.restoreAlias(a);
    }

    @Override
    public void observe(Runnable afterChange) {
        store.observe(afterChange);
    }

    // ---- keys ----------------------------------------------------------------------------------

    @Override
    public CreateKeyResponse createKey(RequestContext ctx, CreateKeyRequest req) {
        requireSupported("KeyUsage", req.keyUsage(), "ENCRYPT_DECRYPT");
        requireSupported("KeySpec", req.keySpec(), SYMMETRIC);
        requireSupported("CustomerMasterKeySpec", req.customerMasterKeySpec(), SYMMETRIC);
        requireSupported("Origin", req.origin(), "AWS_KMS");
        requireSupported("CustomKeyStoreId", req.customKeyStoreId(), null);
        requireSupported("XksKeyId", req.xksKeyId(), null);
        boolean multiRegion = Boolean.TRUE.equals(req.multiRegion());
        String id = store.newKeyId(multiRegion);
        if (req.policy() != null) compileKeyPolicy(req.policy());
        return store.inStore(ctx.account(), ctx.region(), s -> {
            Key k = new Key(s, id, EnvelopeCrypto.newKey(), multiRegion ? new MrkSet(id, s.region) : null, false, clock.now());
            k.description = req.description() == null ? "" : req.description();
            k.setPolicy(req.policy() == null ? defaultPolicy(s.account, s.region) : req.policy());
            putTags(k, req.tags());
            s.keys.put(id, k);
            return new CreateKeyResponse(metadata(k));
        });
    }

    /** Works in every key state; a key ARN may name another account. */
    @Override
    public DescribeKeyResponse describeKey(RequestContext ctx, DescribeKeyRequest req) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        return store.inStore(ref.account(), ctx.region(), s -> {
            Key k = store.find(s, ref);
            authorize(ctx, "kms:DescribeKey", k, req.keyId());
            return new DescribeKeyResponse(metadata(k));
        });
    }

    /** Keys of the caller's account+region ordered by key id, AWS managed keys included. */
    @Override
    public ListKeysResponse listKeys(RequestContext ctx, ListKeysRequest req) {
        return store.inStore(ctx.account(), ctx.region(), s -> {
            Page<Key> page = Page.of("keys", s.keys.values(), k -> k.id, req.limit(), req.marker());
            return new ListKeysResponse(page.items().stream().map(k -> new KeyListEntry(k.id, k.arn)).toList(),
                    page.nextMarker(), page.truncated());
        });
    }

    @Override
    public void enableKey(RequestContext ctx, EnableKeyRequest req) {
        onCustomerKey(ctx, req.keyId(), (s, k) -> {
            requireNotPendingDeletion(k);
            requireCreated(k);
            k.state = KeyState.Enabled;
            return null;
        });
    }

    @Override
    public void disableKey(RequestContext ctx, DisableKeyRequest req) {
        onCustomerKey(ctx, req.keyId(), (s, k) -> {
            requireNotPendingDeletion(k);
            requireCreated(k);
            k.state = KeyState.Disabled;
            return null;
        });
    }

    /**
     * Window 7..30 days (default 30). The key becomes {@code PendingDeletion} with
     * {@code DeletionDate = now + window}, or {@code PendingReplicaDeletion} (no date yet) for a
     * multi-Region primary that still has replicas.
     */
    @Override
    public ScheduleKeyDeletionResponse scheduleKeyDeletion(RequestContext ctx, ScheduleKeyDeletionRequest req) {
        int days = req.pendingWindowInDays() == null ? DEFAULT_WINDOW_DAYS : req.pendingWindowInDays();
        if (days < 7 || days > 30) throw Errors.kmsPendingWindowRange(days);
        return onCustomerKey(ctx, req.keyId(), (s, k) -> {
            requireNotPendingDeletion(k);
            requireCreated(k);
            Instant now = clock.now();
            k.pendingWindowDays = days;
            if (k.mrk != null && k.mrk.isPrimary(k.region) && k.mrk.othersAlive(k.region, now)) {
                k.state = KeyState.PendingReplicaDeletion;
                k.deletionDate = null;
            } else {
                k.state = KeyState.PendingDeletion;
                k.deletionDate = now.plus(Duration.ofDays(days));
                if (k.mrk != null) k.mrk.goneAt(k.region, k.deletionDate);
            }
            return new ScheduleKeyDeletionResponse(k.arn, k.deletionDate, k.state, days);
        });
    }

    /** Leaves the key {@code Disabled}, as AWS does. */
    @Override
    public CancelKeyDeletionResponse cancelKeyDeletion(RequestContext ctx, CancelKeyDeletionRequest req) {
        return onCustomerKey(ctx, req.keyId(), (s, k) -> {
            if (!k.isPendingDeletion()) throw Errors.kmsNotPendingDeletion(k.arn);
            k.state = KeyState.Disabled;
            k.deletionDate = null;
            if (k.mrk != null) k.mrk.goneAt(k.region, null);
            return new CancelKeyDeletionResponse(k.arn);
        });
    }

    // ---- key policies --------------------------------------------------------------------------

    /** Replaces the key policy ({@code default} is the only policy name); the caller's own keys only. */
    @Override
    public void putKeyPolicy(RequestContext ctx, PutKeyPolicyRequest req) {
        requirePolicyName(req.policyName());
        String policy = required(req.policy(), "policy");
        compileKeyPolicy(policy);
        onCustomerKey(ctx, req.keyId(), (s, k) -> {
            requireNotPendingDeletion(k);
            authorize(ctx, "kms:PutKeyPolicy", k, req.keyId());
            k.setPolicy(policy);
            return null;
        });
    }

    @Override
    public GetKeyPolicyResponse getKeyPolicy(RequestContext ctx, GetKeyPolicyRequest req) {
        requirePolicyName(req.policyName());
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        requireOwnAccount(ctx, ref);
        return store.inStore(ctx.account(), ctx.region(), s -> {
            Key k = store.find(s, ref);
            authorize(ctx, "kms:GetKeyPolicy", k, req.keyId());
            return new GetKeyPolicyResponse(k.policy, DEFAULT_POLICY_NAME);
        });
    }

    @Override
    public ListKeyPoliciesResponse listKeyPolicies(RequestContext ctx, ListKeyPoliciesRequest req) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        requireOwnAccount(ctx, ref);
        return store.inStore(ctx.account(), ctx.region(), s -> {
            Key k = store.find(s, ref);
            authorize(ctx, "kms:ListKeyPolicies", k, req.keyId());
            return new ListKeyPoliciesResponse(List.of(DEFAULT_POLICY_NAME), null, false);
        });
    }

    private static void requirePolicyName(String name) {
        if (name != null && !name.equals(DEFAULT_POLICY_NAME)) throw Errors.kmsPolicyNotFound(name);
    }

    /**
     * The key policy decides (AWS managed keys: only their own account may use them directly); a
     * refusal is AWS's AccessDeniedException naming {@code asSent}. Caller holds the key's store.
     */
    private void authorize(RequestContext ctx, String action, Key k, String asSent) {
        Authorizer a = authorizer;
        if (a == null) return;
        a.checkKey(ctx, action, k.arn, k.account, k.compiledPolicy, asSent);
    }

    // ---- aliases -------------------------------------------------------------------------------

    @Override
    public void createAlias(RequestContext ctx, CreateAliasRequest req) {
        String name = required(req.aliasName(), "aliasName");
        requireCustomerAliasName(name);
        KeyRef target = KeyRef.parse(ctx.account(), ctx.region(), required(req.targetKeyId(), "targetKeyId"));
        if (target.isAlias()) throw Errors.kmsAliasTargetIsAlias();
        requireOwnAccount(ctx, target);
        store.inStore(ctx.account(), ctx.region(), s -> {
            Key k = store.find(s, target);
            if (k.awsManaged) throw Errors.kmsAwsManagedKey(k.arn);
            requireNotPendingDeletion(k);
            if (s.aliases.containsKey(name)) throw Errors.kmsAliasExists(aliasArn(s.account, s.region, name));
            Instant now = clock.now();
            s.aliases.put(name, new Alias(name, k.id, now, now));
            return null;
        });
    }

    @Override
    public void deleteAlias(RequestContext ctx, DeleteAliasRequest req) {
        String name = required(req.aliasName(), "aliasName");
        requireCustomerAliasName(name);
        store.inStore(ctx.account(), ctx.region(), s -> {
            if (s.aliases.remove(name) == null) throw Errors.kmsAliasNotFound(aliasArn(s.account, s.region, name));
            return null;
        });
    }

    /** Aliases of the caller's account+region ordered by name, optionally only those of one key. */
    @Override
    public ListAliasesResponse listAliases(RequestContext ctx, ListAliasesRequest req) {
        KeyRef filter = req.keyId() == null ? null : KeyRef.parse(ctx.account(), ctx.region(), req.keyId());
        if (filter != null) requireOwnAccount(ctx, filter);
        return store.inStore(ctx.account(), ctx.region(), s -> {
            String targetId = filter == null ? null : store.find(s, filter).id;
            List<Alias> matching = s.aliases.values().stream()
                    .filter(a -> targetId == null || a.targetKeyId().equals(targetId)).toList();
            Page<Alias> page = Page.of("aliases", matching, Alias::name, req.limit(), req.marker());
            return new ListAliasesResponse(page.items().stream().map(a -> new AliasListEntry(a.name(),
                            aliasArn(s.account, s.region, a.name()), a.targetKeyId(), a.created(), a.updated())).toList(),
                    page.nextMarker(), page.truncated());
        });
    }

    // ---- cryptography --------------------------------------------------------------------------

    @Override
    public EncryptResponse encrypt(RequestContext ctx, EncryptRequest req) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        if (req.plaintext() == null) throw Errors.kmsMissingParameter("plaintext");
        Usable key = usable(ctx, "kms:Encrypt", ref, ctx.region(), req.keyId());
        return new EncryptResponse(seal(key, req.plaintext(), req.encryptionContext()), key.arn(), SYMMETRIC);
    }

    /** KeyId is optional; when given it must name the key that encrypted the blob. */
    @Override
    public DecryptResponse decrypt(RequestContext ctx, DecryptRequest req) {
        if (req.ciphertextBlob() == null) throw Errors.kmsMissingParameter("ciphertextBlob");
        CiphertextBlob.Parsed blob = CiphertextBlob.parse(req.ciphertextBlob());
        if (req.keyId() != null) {
            KeyInfo named = resolve(ctx.account(), ctx.region(), req.keyId());
            if (!named.account().equals(blob.account()) || !named.keyId().equals(blob.keyId())) {
                throw Errors.kmsIncorrectKey();
            }
        }
        usable(ctx, "kms:Decrypt", new KeyRef(blob.account(), blob.keyId(), null), ctx.region(),
                req.keyId() != null ? req.keyId() : keyArn(blob.account(), ctx.region(), blob.keyId()));
        Opened opened = open(ctx.region(), blob, req.encryptionContext());
        return new DecryptResponse(opened.keyArn(), opened.plaintext(), SYMMETRIC);
    }

    /** Exactly one of {@code KeySpec} (AES_256, AES_128) and {@code NumberOfBytes} sizes the key. */
    @Override
    public GenerateDataKeyResponse generateDataKey(RequestContext ctx, GenerateDataKeyRequest req) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        int size = dataKeySize(req.numberOfBytes(), req.keySpec());
        Usable key = usable(ctx, "kms:GenerateDataKey", ref, ctx.region(), req.keyId());
        byte[] plaintext = new byte[size];
        RANDOM.nextBytes(plaintext);
        return new GenerateDataKeyResponse(seal(key, plaintext, req.encryptionContext()), plaintext, key.arn());
    }

    // ---- multi-Region keys ---------------------------------------------------------------------

    /**
     * Called in the primary's region: creates in {@code ReplicaRegion} a replica with the same id and
     * the same key material, {@code Creating} for the replica-key delay (then {@code Enabled}), with
     * its own description, policy and tags.
     */
    @Override
    public ReplicateKeyResponse replicateKey(RequestContext ctx, ReplicateKeyRequest req) {
        String target = required(req.replicaRegion(), "replicaRegion");
        if (!Regions.isWellFormed(target)) throw Errors.kmsInvalidRegion("replicaRegion", target);
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        requireOwnAccount(ctx, ref);
        if (req.policy() != null) compileKeyPolicy(req.policy());
        return store.inTwoStores(ctx.account(), ctx.region(), target, (home, away) -> {
                Key k = store.find(home, ref);
                if (k.mrk == null) throw Errors.kmsNotMultiRegion(k.arn);
                if (!k.mrk.isPrimary(home.region)) throw Errors.kmsNotMultiRegionPrimary(k.arn);
                requireNotPendingDeletion(k);
                Instant now = clock.now();
                if (away.keys.containsKey(k.id) || k.mrk.isAlive(target, now)) {
                    throw Errors.kmsReplicaExists(keyArn(away.account, target, k.id), target);
                }
                Key replica = new Key(away, k.id, k.material, k.mrk, false, now);
                if (!replicaKeyDelay.isZero()) {
                    replica.state = KeyState.Creating;
                    replica.readyAt = now.plus(replicaKeyDelay);
                }
                replica.description = req.description() == null ? "" : req.description();
                replica.setPolicy(req.policy() == null ? defaultPolicy(away.account, target) : req.policy());
                putTags(replica, req.tags());
                away.keys.put(replica.id, replica);
                k.mrk.join(target);
                return new ReplicateKeyResponse(metadata(replica), replica.policy, tags(replica));
        });
    }

    /**
     * Called in the primary's region: makes the related key in {@code PrimaryRegion} the primary and
     * this one a replica. Naming the current primary region is a no-op.
     */
    @Override
    public void updatePrimaryRegion(RequestContext ctx, UpdatePrimaryRegionRequest req) {
        String target = required(req.primaryRegion(), "primaryRegion");
        if (!Regions.isWellFormed(target)) throw Errors.kmsInvalidRegion("primaryRegion", target);
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        requireOwnAccount(ctx, ref);
        store.inStore(ctx.account(), ctx.region(), s -> {
            Key k = store.find(s, ref);
            if (k.mrk == null) throw Errors.kmsNotMultiRegion(k.arn);
            requireNotPendingDeletion(k);
            Instant now = clock.now();
            synchronized (k.mrk) {
                if (!k.mrk.isPrimary(s.region)) throw Errors.kmsNotMultiRegionPrimary(k.arn);
                if (target.equals(s.region)) return null;
                String targetArn = keyArn(s.account, target, k.id);
                if (!k.mrk.isAlive(target, now)) throw Errors.kmsKeyDoesNotExist(targetArn);
                if (k.mrk.goneAt(target) != null) throw Errors.kmsPendingDeletion(targetArn);
                k.mrk.makePrimary(target);
            }
            return null;
        });
    }

    // ---- tags ----------------------------------------------------------------------------------

    @Override
    public void tagResource(RequestContext ctx, TagResourceRequest req) {
        onCustomerKey(ctx, req.keyId(), (s, k) -> {
            requireNotPendingDeletion(k);
            putTags(k, req.tags());
            return null;
        });
    }

    @Override
    public void untagResource(RequestContext ctx, UntagResourceRequest req) {
        onCustomerKey(ctx, req.keyId(), (s, k) -> {
            requireNotPendingDeletion(k);
            if (req.tagKeys() != null) req.tagKeys().forEach(k.tags::remove);
            return null;
        });
    }

    /** Tags ordered by tag key. */
    @Override
    public ListResourceTagsResponse listResourceTags(RequestContext ctx, ListResourceTagsRequest req) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        requireOwnAccount(ctx, ref);
        return store.inStore(ctx.account(), ctx.region(), s -> {
            Page<Tag> page = Page.of("tags", tags(store.find(s, ref)), Tag::tagKey, req.limit(), req.marker());
            return new ListResourceTagsResponse(page.items(), page.nextMarker(), page.truncated());
        });
    }

    /** Runs {@code body} on a customer managed key of the caller's own account and region. */
    private <T> T onCustomerKey(RequestContext ctx, String keyId, BiFunction<Store, Key, T> body) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(keyId, "keyId"));
        requireOwnAccount(ctx, ref);
        return store.inStore(ctx.account(), ctx.region(), s -> {
            Key k = store.find(s, ref);
            if (k.awsManaged) throw Errors.kmsAwsManagedKey(k.arn);
            return body.apply(s, k);
        });
    }

    // ---- cryptography helpers ------------------------------------------------------------------

    /** What a cryptographic operation needs of a key, taken under the store's lock. */
    private record Usable(String account, String keyId, String arn, EnvelopeCrypto.Keyed cipher) {}

    private record Opened(String keyArn, byte[] plaintext) {}

    /** As {@link #usable(KeyRef, String)}, after the key policy allowed {@code action} to the caller. */
    private Usable usable(RequestContext ctx, String action, KeyRef ref, String region, String asSent) {
        return store.inStore(ref.account(), region, s -> {
            Key k = store.find(s, ref);
            authorize(ctx, action, k, asSent);
            requireUsable(k);
            return new Usable(k.account, k.id, k.arn, k.cipher);
        });
    }

    private Usable usable(KeyRef ref, String region) {
        return store.inStore(ref.account(), region, s -> {
            Key k = store.find(s, ref);
            requireUsable(k);
            return new Usable(k.account, k.id, k.arn, k.cipher);
        });
    }

    private static byte[] seal(Usable key, byte[] plaintext, Map<String, String> context) {
        byte[] box = key.cipher().seal(plaintext, EncryptionContext.canonical(context));
        return CiphertextBlob.wrap(key.account(), key.keyId(), box);
    }

    private Opened open(String region, CiphertextBlob.Parsed blob, Map<String, String> context) {
        Usable key = usable(new KeyRef(blob.account(), blob.keyId(), null), region);
        try {
            return new Opened(key.arn(), key.cipher().open(blob.blob(), blob.boxAt(), blob.boxLength(),
                    EncryptionContext.canonical(context)));
        } catch (EnvelopeCrypto.CryptoFailure e) {
            throw Errors.kmsInvalidCiphertext();
        }
    }

    private static int dataKeySize(Integer numberOfBytes, String keySpec) {
        if ((numberOfBytes == null) == (keySpec == null)) throw Errors.kmsDataKeySizeRequired();
        if (numberOfBytes != null) {
            if (numberOfBytes < 1 || numberOfBytes > 1024) throw Errors.kmsDataKeySizeRequired();
            return numberOfBytes;
        }
        return switch (keySpec) {
            case "AES_256" -> 32;
            case "AES_128" -> 16;
            default -> throw Errors.kmsDataKeySizeRequired();
        };
    }

    // ---- checks --------------------------------------------------------------------------------

    private static void requireNotPendingDeletion(Key k) {
        if (k.isPendingDeletion()) throw Errors.kmsPendingDeletion(k.arn);
    }

    /** A replica key still {@code Creating} cannot change state yet. */
    private static void requireCreated(Key k) {
        if (k.state == KeyState.Creating) throw Errors.kmsInvalidState(k.arn, "creating");
    }

    /** The state check of cryptographic operations (AWS-BEHAVIOUR §9.3); a {@code Creating} key "is creating.". */
    private static void requireUsable(Key k) {
        switch (k.state) {
            case Enabled -> { }
            case Disabled -> throw Errors.kmsDisabled(k.arn);
            case PendingDeletion, PendingReplicaDeletion -> throw Errors.kmsPendingDeletion(k.arn);
            case PendingImport -> throw Errors.kmsInvalidState(k.arn, "pending import");
            default -> throw Errors.kmsInvalidState(k.arn, k.state.name().toLowerCase());
        }
    }

    /** Management operations (other than DescribeKey and the cryptographic ones) are not cross-account. */
    private static void requireOwnAccount(RequestContext ctx, KeyRef ref) {
        if (ref.account().equals(ctx.account())) return;
        if (ref.isAlias()) throw Errors.kmsAliasNotFound(aliasArn(ref.account(), ctx.region(), ref.aliasName()));
        throw Errors.kmsKeyDoesNotExist(keyArn(ref.account(), ctx.region(), ref.keyId()));
    }

    private static void requireCustomerAliasName(String name) {
        if (!name.startsWith("alias/")) throw Errors.kmsAliasPrefixRequired();
        if (name.startsWith("alias/aws/")) throw Errors.kmsReservedAliasPrefix();
        if (name.indexOf(':') >= 0) throw Errors.kmsAliasInvalidCharacters(name);
    }

    private static void requireSupported(String member, String value, String supported) {
        if (value != null && !value.equals(supported)) throw Errors.kmsUnsupportedKeyConfiguration(member, value);
    }

    private static String required(String value, String member) {
        if (value == null || value.isEmpty()) throw Errors.kmsMissingParameter(member);
        return value;
    }

    // ---- shapes --------------------------------------------------------------------------------

    private KeyMetadata metadata(Key k) {
        MultiRegionConfiguration mrc = k.mrk == null ? null : k.mrk.configuration(k.account, k.region, clock.now());
        return new KeyMetadata(k.account, k.id, k.arn, k.creationDate, k.state == KeyState.Enabled, k.description,
                "ENCRYPT_DECRYPT", k.state, k.state == KeyState.PendingDeletion ? k.deletionDate : null, "AWS_KMS",
                k.awsManaged ? "AWS" : "CUSTOMER", SYMMETRIC, SYMMETRIC, ALGORITHMS, k.mrk != null, mrc,
                k.state == KeyState.PendingReplicaDeletion ? k.pendingWindowDays : null);
    }

    private static List<Tag> tags(Key k) {
        return k.tags.entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
    }

    private static void putTags(Key k, List<Tag> tags) {
        if (tags == null) return;
        for (Tag t : tags) {
            k.tags.put(required(t.tagKey(), "tagKey"), t.tagValue() == null ? "" : t.tagValue());
        }
    }

}
