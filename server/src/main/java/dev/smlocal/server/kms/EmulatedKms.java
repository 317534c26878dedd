package dev.smlocal.server.kms;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.Regions;
import dev.smlocal.server.aws.RequestContext;
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
import dev.smlocal.server.kms.KmsApi.ListKeyPoliciesRequest;
import dev.smlocal.server.kms.KmsApi.ListKeyPoliciesResponse;
import dev.smlocal.server.kms.KmsApi.PutKeyPolicyRequest;
import dev.smlocal.server.kms.KmsApi.KeyListEntry;
import dev.smlocal.server.kms.KmsApi.KeyMetadata;
import dev.smlocal.server.kms.KmsApi.ListAliasesRequest;
import dev.smlocal.server.kms.KmsApi.ListAliasesResponse;
import dev.smlocal.server.kms.KmsApi.ListKeysRequest;
import dev.smlocal.server.kms.KmsApi.ListKeysResponse;
import dev.smlocal.server.kms.KmsApi.ListResourceTagsRequest;
import dev.smlocal.server.kms.KmsApi.ListResourceTagsResponse;
import dev.smlocal.server.kms.KmsApi.MultiRegionConfiguration;
import dev.smlocal.server.kms.KmsApi.MultiRegionKey;
import dev.smlocal.server.kms.KmsApi.ReplicateKeyRequest;
import dev.smlocal.server.kms.KmsApi.ReplicateKeyResponse;
import dev.smlocal.server.kms.KmsApi.ScheduleKeyDeletionRequest;
import dev.smlocal.server.kms.KmsApi.ScheduleKeyDeletionResponse;
import dev.smlocal.server.kms.KmsApi.Tag;
import dev.smlocal.server.kms.KmsApi.TagResourceRequest;
import dev.smlocal.server.kms.KmsApi.UntagResourceRequest;
import dev.smlocal.server.kms.KmsApi.UpdatePrimaryRegionRequest;
import dev.smlocal.server.time.EmulatorClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import dev.smlocal.server.auth.Authorizer;
import dev.smlocal.server.auth.Policy;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

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
 * <p>Thread-safe: each account+region store is guarded by its own monitor; a multi-Region key set's
 * membership by its own monitor, taken only inside a store's. {@code ReplicateKey} holds the two
 * stores involved, locked in region-name order. Key material never appears in messages or logs.
 */
public final class EmulatedKms implements Kms {
    static final String MANAGED_KEY_DESCRIPTION =
            "Default key that protects my Secrets Manager data when no other key is defined";
    private static final String SYMMETRIC = "SYMMETRIC_DEFAULT";
    private static final List<String> ALGORITHMS = List.of(SYMMETRIC);
    private static final int DEFAULT_WINDOW_DAYS = 30;
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The only key policy name KMS knows. */
    public static final String DEFAULT_POLICY_NAME = "default";

    private final EmulatorClock clock;
    /** How long a new replica key stays {@code Creating}. */
    private final Duration replicaKeyDelay;
    private final ConcurrentHashMap<StoreId, Store> stores = new ConcurrentHashMap<>();
    private volatile Authorizer authorizer;

    /** Key policies are enforced on cryptographic calls through this; null (a bare KMS) allows everything. */
    public void setAuthorizer(Authorizer a) { this.authorizer = a; }

    /** Replica keys are {@code Enabled} at once. */
    public EmulatedKms(EmulatorClock clock) {
        this(clock, Duration.ZERO);
    }

    /** Replica keys stay {@code Creating} for {@code replicaKeyDelay} of emulator time. */
    public EmulatedKms(EmulatorClock clock, Duration replicaKeyDelay) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.replicaKeyDelay = Objects.requireNonNull(replicaKeyDelay, "replicaKeyDelay");
        if (replicaKeyDelay.isNegative()) throw new IllegalArgumentException("replica key delay must not be negative");
    }

    // ---- the Kms seam --------------------------------------------------------------------------

    @Override
    public KeyInfo resolve(String account, String region, String keyRef) {
        KeyRef ref = KeyRef.parse(account, region, keyRef);
        return inStore(ref.account(), region, s -> info(find(s, ref)));
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
        return inStore(ref.account(), region, s -> {
            Key k = find(s, ref);
            return k.awsManaged ? null : new KeyPolicy(k.arn, k.account, k.compiledPolicy);
        });
    }

    @Override
    public void reset() {
        stores.clear();
    }

    /** Every key of every account+region, ordered by account, region and key id (the admin state view). */
    public List<KeyInfo> allKeys() {
        List<StoreId> ids = new ArrayList<>(stores.keySet());
        ids.sort(java.util.Comparator.comparing(StoreId::account).thenComparing(StoreId::region));
        List<KeyInfo> out = new ArrayList<>();
        for (StoreId id : ids) out.addAll(keys(id.account(), id.region()));
        return out;
    }

    /** The keys of one account+region, ordered by key id (for tests and the admin API). */
    public List<KeyInfo> keys(String account, String region) {
        return inStore(account, region, s -> s.keys.values().stream().map(EmulatedKms::info).toList());
    }

    // ---- keys ----------------------------------------------------------------------------------

    public CreateKeyResponse createKey(RequestContext ctx, CreateKeyRequest req) {
        requireSupported("KeyUsage", req.keyUsage(), "ENCRYPT_DECRYPT");
        requireSupported("KeySpec", req.keySpec(), SYMMETRIC);
        requireSupported("CustomerMasterKeySpec", req.customerMasterKeySpec(), SYMMETRIC);
        requireSupported("Origin", req.origin(), "AWS_KMS");
        requireSupported("CustomKeyStoreId", req.customKeyStoreId(), null);
        requireSupported("XksKeyId", req.xksKeyId(), null);
        boolean multiRegion = Boolean.TRUE.equals(req.multiRegion());
        String id = multiRegion ? "mrk-" + UUID.randomUUID().toString().replace("-", "") : UUID.randomUUID().toString();
        if (req.policy() != null) compileKeyPolicy(req.policy());
        return inStore(ctx.account(), ctx.region(), s -> {
            Key k = new Key(s, id, EnvelopeCrypto.newKey(), multiRegion ? new MrkSet(id, s.region) : null, false, clock.now());
            k.description = req.description() == null ? "" : req.description();
            setPolicy(k, req.policy() == null ? defaultPolicy(s.account, s.region) : req.policy());
            putTags(k, req.tags());
            s.keys.put(id, k);
            return new CreateKeyResponse(metadata(k));
        });
    }

    /** Works in every key state; a key ARN may name another account. */
    public DescribeKeyResponse describeKey(RequestContext ctx, DescribeKeyRequest req) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        return inStore(ref.account(), ctx.region(), s -> {
            Key k = find(s, ref);
            authorize(ctx, "kms:DescribeKey", k, req.keyId());
            return new DescribeKeyResponse(metadata(k));
        });
    }

    /** Keys of the caller's account+region ordered by key id, AWS managed keys included. */
    public ListKeysResponse listKeys(RequestContext ctx, ListKeysRequest req) {
        return inStore(ctx.account(), ctx.region(), s -> {
            Page<Key> page = page("keys", s.keys.values(), k -> k.id, req.limit(), req.marker());
            return new ListKeysResponse(page.items().stream().map(k -> new KeyListEntry(k.id, k.arn)).toList(),
                    page.nextMarker(), page.truncated());
        });
    }

    public void enableKey(RequestContext ctx, EnableKeyRequest req) {
        onCustomerKey(ctx, req.keyId(), (s, k) -> {
            requireNotPendingDeletion(k);
            requireCreated(k);
            k.state = KeyState.Enabled;
            return null;
        });
    }

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
    public CancelKeyDeletionResponse cancelKeyDeletion(RequestContext ctx, CancelKeyDeletionRequest req) {
        return onCustomerKey(ctx, req.keyId(), (s, k) -> {
            if (!isPendingDeletion(k)) throw Errors.kmsNotPendingDeletion(k.arn);
            k.state = KeyState.Disabled;
            k.deletionDate = null;
            if (k.mrk != null) k.mrk.goneAt(k.region, null);
            return new CancelKeyDeletionResponse(k.arn);
        });
    }

    // ---- key policies --------------------------------------------------------------------------

    /** Replaces the key policy ({@code default} is the only policy name); the caller's own keys only. */
    public void putKeyPolicy(RequestContext ctx, PutKeyPolicyRequest req) {
        requirePolicyName(req.policyName());
        String policy = required(req.policy(), "policy");
        compileKeyPolicy(policy);
        onCustomerKey(ctx, req.keyId(), (s, k) -> {
            requireNotPendingDeletion(k);
            authorize(ctx, "kms:PutKeyPolicy", k, req.keyId());
            setPolicy(k, policy);
            return null;
        });
    }

    public GetKeyPolicyResponse getKeyPolicy(RequestContext ctx, GetKeyPolicyRequest req) {
        requirePolicyName(req.policyName());
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        requireOwnAccount(ctx, ref);
        return inStore(ctx.account(), ctx.region(), s -> {
            Key k = find(s, ref);
            authorize(ctx, "kms:GetKeyPolicy", k, req.keyId());
            return new GetKeyPolicyResponse(k.policy, DEFAULT_POLICY_NAME);
        });
    }

    public ListKeyPoliciesResponse listKeyPolicies(RequestContext ctx, ListKeyPoliciesRequest req) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        requireOwnAccount(ctx, ref);
        return inStore(ctx.account(), ctx.region(), s -> {
            Key k = find(s, ref);
            authorize(ctx, "kms:ListKeyPolicies", k, req.keyId());
            return new ListKeyPoliciesResponse(List.of(DEFAULT_POLICY_NAME), null, false);
        });
    }

    private static void requirePolicyName(String name) {
        if (name != null && !name.equals(DEFAULT_POLICY_NAME)) throw Errors.kmsPolicyNotFound(name);
    }

    private static Policy compileKeyPolicy(String json) {
        try {
            return Policy.compile(json, Policy.Kind.RESOURCE);
        } catch (Policy.Invalid e) {
            throw Errors.kmsMalformedPolicy(e.getMessage());
        }
    }

    private static void setPolicy(Key k, String json) {
        k.compiledPolicy = compileKeyPolicy(json);
        k.policy = json;
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

    public void createAlias(RequestContext ctx, CreateAliasRequest req) {
        String name = required(req.aliasName(), "aliasName");
        requireCustomerAliasName(name);
        KeyRef target = KeyRef.parse(ctx.account(), ctx.region(), required(req.targetKeyId(), "targetKeyId"));
        if (target.isAlias()) throw Errors.kmsAliasTargetIsAlias();
        requireOwnAccount(ctx, target);
        inStore(ctx.account(), ctx.region(), s -> {
            Key k = find(s, target);
            if (k.awsManaged) throw Errors.kmsAwsManagedKey(k.arn);
            requireNotPendingDeletion(k);
            if (s.aliases.containsKey(name)) throw Errors.kmsAliasExists(aliasArn(s.account, s.region, name));
            Instant now = clock.now();
            s.aliases.put(name, new Alias(name, k.id, now, now));
            return null;
        });
    }

    public void deleteAlias(RequestContext ctx, DeleteAliasRequest req) {
        String name = required(req.aliasName(), "aliasName");
        requireCustomerAliasName(name);
        inStore(ctx.account(), ctx.region(), s -> {
            if (s.aliases.remove(name) == null) throw Errors.kmsAliasNotFound(aliasArn(s.account, s.region, name));
            return null;
        });
    }

    /** Aliases of the caller's account+region ordered by name, optionally only those of one key. */
    public ListAliasesResponse listAliases(RequestContext ctx, ListAliasesRequest req) {
        KeyRef filter = req.keyId() == null ? null : KeyRef.parse(ctx.account(), ctx.region(), req.keyId());
        if (filter != null) requireOwnAccount(ctx, filter);
        return inStore(ctx.account(), ctx.region(), s -> {
            String targetId = filter == null ? null : find(s, filter).id;
            List<Alias> matching = s.aliases.values().stream()
                    .filter(a -> targetId == null || a.targetKeyId().equals(targetId)).toList();
            Page<Alias> page = page("aliases", matching, Alias::name, req.limit(), req.marker());
            return new ListAliasesResponse(page.items().stream().map(a -> new AliasListEntry(a.name(),
                            aliasArn(s.account, s.region, a.name()), a.targetKeyId(), a.created(), a.updated())).toList(),
                    page.nextMarker(), page.truncated());
        });
    }

    // ---- cryptography --------------------------------------------------------------------------

    public EncryptResponse encrypt(RequestContext ctx, EncryptRequest req) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        if (req.plaintext() == null) throw Errors.kmsMissingParameter("plaintext");
        Usable key = usable(ctx, "kms:Encrypt", ref, ctx.region(), req.keyId());
        return new EncryptResponse(seal(key, req.plaintext(), req.encryptionContext()), key.arn(), SYMMETRIC);
    }

    /** KeyId is optional; when given it must name the key that encrypted the blob. */
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
    public ReplicateKeyResponse replicateKey(RequestContext ctx, ReplicateKeyRequest req) {
        String target = required(req.replicaRegion(), "replicaRegion");
        if (!Regions.isWellFormed(target)) throw Errors.kmsInvalidRegion("replicaRegion", target);
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        requireOwnAccount(ctx, ref);
        if (req.policy() != null) compileKeyPolicy(req.policy());
        Store home = store(ctx.account(), ctx.region());
        Store away = store(ctx.account(), target);
        Store first = home.region.compareTo(away.region) <= 0 ? home : away;
        Store second = first == home ? away : home;
        ReplicateKeyResponse response;
        synchronized (first) {
            synchronized (second) {
                purge(first);
                if (second != first) purge(second);
                Key k = find(home, ref);
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
                setPolicy(replica, req.policy() == null ? defaultPolicy(away.account, target) : req.policy());
                putTags(replica, req.tags());
                away.keys.put(replica.id, replica);
                k.mrk.join(target);
                response = new ReplicateKeyResponse(metadata(replica), replica.policy, tags(replica));
            }
        }
        Runnable o = observer;
        if (o != null && DEPTH.get()[0] == 0) o.run();
        return response;
    }

    /**
     * Called in the primary's region: makes the related key in {@code PrimaryRegion} the primary and
     * this one a replica. Naming the current primary region is a no-op.
     */
    public void updatePrimaryRegion(RequestContext ctx, UpdatePrimaryRegionRequest req) {
        String target = required(req.primaryRegion(), "primaryRegion");
        if (!Regions.isWellFormed(target)) throw Errors.kmsInvalidRegion("primaryRegion", target);
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        requireOwnAccount(ctx, ref);
        inStore(ctx.account(), ctx.region(), s -> {
            Key k = find(s, ref);
            if (k.mrk == null) throw Errors.kmsNotMultiRegion(k.arn);
            requireNotPendingDeletion(k);
            Instant now = clock.now();
            synchronized (k.mrk) {
                if (!k.mrk.isPrimary(s.region)) throw Errors.kmsNotMultiRegionPrimary(k.arn);
                if (target.equals(s.region)) return null;
                String targetArn = keyArn(s.account, target, k.id);
                if (!k.mrk.isAlive(target, now)) throw Errors.kmsKeyDoesNotExist(targetArn);
                if (k.mrk.members.get(target) != null) throw Errors.kmsPendingDeletion(targetArn);
                k.mrk.primaryRegion = target;
            }
            return null;
        });
    }

    // ---- tags ----------------------------------------------------------------------------------

    public void tagResource(RequestContext ctx, TagResourceRequest req) {
        onCustomerKey(ctx, req.keyId(), (s, k) -> {
            requireNotPendingDeletion(k);
            putTags(k, req.tags());
            return null;
        });
    }

    public void untagResource(RequestContext ctx, UntagResourceRequest req) {
        onCustomerKey(ctx, req.keyId(), (s, k) -> {
            requireNotPendingDeletion(k);
            if (req.tagKeys() != null) req.tagKeys().forEach(k.tags::remove);
            return null;
        });
    }

    /** Tags ordered by tag key. */
    public ListResourceTagsResponse listResourceTags(RequestContext ctx, ListResourceTagsRequest req) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(req.keyId(), "keyId"));
        requireOwnAccount(ctx, ref);
        return inStore(ctx.account(), ctx.region(), s -> {
            Page<Tag> page = page("tags", tags(find(s, ref)), Tag::tagKey, req.limit(), req.marker());
            return new ListResourceTagsResponse(page.items(), page.nextMarker(), page.truncated());
        });
    }

    // ---- stores and lookup ---------------------------------------------------------------------

    private record StoreId(String account, String region) {}

    /** One account+region; every field is guarded by the store's monitor. */
    private static final class Store {
        final String account;
        final String region;
        final TreeMap<String, Key> keys = new TreeMap<>();
        final TreeMap<String, Alias> aliases = new TreeMap<>();

        Store(String account, String region) {
            this.account = account;
            this.region = region;
        }
    }

    /** A key in one region; mutable fields are guarded by its store's monitor. */
    private static final class Key {
        final String id;
        final String account;
        final String region;
        final String arn;
        final byte[] material;
        final MrkSet mrk;
        final boolean awsManaged;
        final Instant creationDate;
        final TreeMap<String, String> tags = new TreeMap<>();
        String description;
        String policy;
        Policy compiledPolicy;
        KeyState state = KeyState.Enabled;
        /** When a {@code Creating} replica becomes {@code Enabled}. */
        Instant readyAt;
        Instant deletionDate;
        int pendingWindowDays;

        Key(Store s, String id, byte[] material, MrkSet mrk, boolean awsManaged, Instant creationDate) {
            this.id = id;
            this.account = s.account;
            this.region = s.region;
            this.arn = keyArn(s.account, s.region, id);
            this.material = material;
            this.mrk = mrk;
            this.awsManaged = awsManaged;
            this.creationDate = creationDate;
        }
    }

    private record Alias(String name, String targetKeyId, Instant created, Instant updated) {}

    /**
     * The related multi-Region keys of one id: which region is primary and, per member region, when
     * that member is (or will be) deleted — {@code null} while it is not scheduled. A member counts
     * as alive until that instant, so every region sees the same set without reading other stores.
     */
    private static final class MrkSet {
        final String keyId;
        String primaryRegion;
        final LinkedHashMap<String, Instant> members = new LinkedHashMap<>();

        MrkSet(String keyId, String primaryRegion) {
            this.keyId = keyId;
            this.primaryRegion = primaryRegion;
            members.put(primaryRegion, null);
        }

        synchronized boolean isPrimary(String region) {
            return primaryRegion.equals(region);
        }

        synchronized boolean isAlive(String region, Instant now) {
            return members.containsKey(region) && alive(members.get(region), now);
        }

        synchronized boolean othersAlive(String region, Instant now) {
            return members.entrySet().stream().anyMatch(e -> !e.getKey().equals(region) && alive(e.getValue(), now));
        }

        /** When the last other member was deleted, or null while one is still alive. */
        synchronized Instant othersGoneBy(String region, Instant now) {
            Instant last = null;
            for (Map.Entry<String, Instant> e : members.entrySet()) {
                if (e.getKey().equals(region)) continue;
                if (alive(e.getValue(), now)) return null;
                if (last == null || e.getValue().isAfter(last)) last = e.getValue();
            }
            return last == null ? now : last;
        }

        synchronized void join(String region) {
            members.remove(region);
            members.put(region, null);
        }

        synchronized void goneAt(String region, Instant when) {
            members.put(region, when);
        }

        synchronized MultiRegionConfiguration configuration(String account, String region, Instant now) {
            List<MultiRegionKey> replicas = new ArrayList<>();
            for (Map.Entry<String, Instant> e : members.entrySet()) {
                if (!e.getKey().equals(primaryRegion) && alive(e.getValue(), now)) {
                    replicas.add(new MultiRegionKey(keyArn(account, e.getKey(), keyId), e.getKey()));
                }
            }
            return new MultiRegionConfiguration(primaryRegion.equals(region) ? "PRIMARY" : "REPLICA",
                    new MultiRegionKey(keyArn(account, primaryRegion, keyId), primaryRegion), replicas);
        }

        private static boolean alive(Instant goneAt, Instant now) {
            return goneAt == null || goneAt.isAfter(now);
        }
    }

    private <T> T inStore(String account, String region, Function<Store, T> body) {
        Store s = store(account, region);
        Runnable o = observer;
        if (o == null) {
            synchronized (s) {
                purge(s);
                return body.apply(s);
            }
        }
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            synchronized (s) {
                purge(s);
                return body.apply(s);
            }
        } finally {
            if (--depth[0] == 0) o.run(); // no store monitor held here
        }
    }

    /** How deep this thread is in {@link #inStore}: the observer runs only when it leaves the outermost one. */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    /** Persistence's observer (docs/PERSISTENCE.md); null in memory. */
    private volatile Runnable observer;

    /**
     * Persistence: {@code afterChange} runs after every section that may have changed a key or alias
     * (any store access; it decides itself whether to look), with no store monitor held.
     */
    public void observe(Runnable afterChange) {
        observer = afterChange;
    }

    private Store store(String account, String region) {
        return stores.computeIfAbsent(new StoreId(account, region), id -> new Store(id.account(), id.region()));
    }

    /** Deletes keys whose deletion date has passed (with their aliases); caller holds the store. */
    private void purge(Store s) {
        Instant now = clock.now();
        Iterator<Key> it = s.keys.values().iterator();
        while (it.hasNext()) {
            Key k = it.next();
            if (k.state == KeyState.Creating && !k.readyAt.isAfter(now)) k.state = KeyState.Enabled;
            if (k.state == KeyState.PendingReplicaDeletion) {
                Instant lastReplicaGone = k.mrk.othersGoneBy(k.region, now);
                if (lastReplicaGone != null) {
                    k.state = KeyState.PendingDeletion;
                    k.deletionDate = lastReplicaGone.plus(Duration.ofDays(k.pendingWindowDays));
                    k.mrk.goneAt(k.region, k.deletionDate);
                }
            }
            if (k.state == KeyState.PendingDeletion && !k.deletionDate.isAfter(now)) {
                it.remove();
                s.aliases.values().removeIf(a -> a.targetKeyId().equals(k.id));
            }
        }
    }

    /** The key {@code ref} names in store {@code s}; caller holds the store. */
    private Key find(Store s, KeyRef ref) {
        if (ref.isAlias()) {
            Alias alias = s.aliases.get(ref.aliasName());
            if (alias == null && ref.aliasName().equals(SECRETS_MANAGER_ALIAS)) return createManagedKey(s);
            if (alias == null) throw Errors.kmsAliasNotFound(aliasArn(s.account, s.region, ref.aliasName()));
            return s.keys.get(alias.targetKeyId());
        }
        Key k = s.keys.get(ref.keyId());
        if (k == null) throw Errors.kmsKeyDoesNotExist(keyArn(s.account, s.region, ref.keyId()));
        return k;
    }

    private Key createManagedKey(Store s) {
        Instant now = clock.now();
        Key k = new Key(s, UUID.randomUUID().toString(), EnvelopeCrypto.newKey(), null, true, now);
        k.description = MANAGED_KEY_DESCRIPTION;
        setPolicy(k, defaultPolicy(s.account, s.region));
        s.keys.put(k.id, k);
        s.aliases.put(SECRETS_MANAGER_ALIAS, new Alias(SECRETS_MANAGER_ALIAS, k.id, now, now));
        return k;
    }

    /** Runs {@code body} on a customer managed key of the caller's own account and region. */
    private <T> T onCustomerKey(RequestContext ctx, String keyId, BiFunction<Store, Key, T> body) {
        KeyRef ref = KeyRef.parse(ctx.account(), ctx.region(), required(keyId, "keyId"));
        requireOwnAccount(ctx, ref);
        return inStore(ctx.account(), ctx.region(), s -> {
            Key k = find(s, ref);
            if (k.awsManaged) throw Errors.kmsAwsManagedKey(k.arn);
            return body.apply(s, k);
        });
    }

    // ---- cryptography helpers ------------------------------------------------------------------

    /** What a cryptographic operation needs of a key, taken under the store's lock. */
    private record Usable(String account, String keyId, String arn, byte[] material) {}

    private record Opened(String keyArn, byte[] plaintext) {}

    /** As {@link #usable(KeyRef, String)}, after the key policy allowed {@code action} to the caller. */
    private Usable usable(RequestContext ctx, String action, KeyRef ref, String region, String asSent) {
        return inStore(ref.account(), region, s -> {
            Key k = find(s, ref);
            authorize(ctx, action, k, asSent);
            requireUsable(k);
            return new Usable(k.account, k.id, k.arn, k.material);
        });
    }

    private Usable usable(KeyRef ref, String region) {
        return inStore(ref.account(), region, s -> {
            Key k = find(s, ref);
            requireUsable(k);
            return new Usable(k.account, k.id, k.arn, k.material);
        });
    }

    private static byte[] seal(Usable key, byte[] plaintext, Map<String, String> context) {
        byte[] box = EnvelopeCrypto.seal(key.material(), plaintext, EncryptionContext.canonical(context));
        return CiphertextBlob.wrap(key.account(), key.keyId(), box);
    }

    private Opened open(String region, CiphertextBlob.Parsed blob, Map<String, String> context) {
        Usable key = usable(new KeyRef(blob.account(), blob.keyId(), null), region);
        try {
            return new Opened(key.arn(), EnvelopeCrypto.open(key.material(), blob.box(), EncryptionContext.canonical(context)));
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

    private static boolean isPendingDeletion(Key k) {
        return k.state == KeyState.PendingDeletion || k.state == KeyState.PendingReplicaDeletion;
    }

    private static void requireNotPendingDeletion(Key k) {
        if (isPendingDeletion(k)) throw Errors.kmsPendingDeletion(k.arn);
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

    private static KeyInfo info(Key k) {
        return new KeyInfo(k.id, k.arn, k.account, k.region, k.state, k.awsManaged, k.mrk != null);
    }

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

    static String keyArn(String account, String region, String keyId) {
        return "arn:" + Regions.partitionOf(region) + ":kms:" + region + ":" + account + ":key/" + keyId;
    }

    static String aliasArn(String account, String region, String aliasName) {
        return "arn:" + Regions.partitionOf(region) + ":kms:" + region + ":" + account + ":" + aliasName;
    }

    private static String defaultPolicy(String account, String region) {
        return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"arn:" + Regions.partitionOf(region) + ":iam::" + account
                + ":root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
    }

    // ---- paging --------------------------------------------------------------------------------

    private record Page<T>(List<T> items, String nextMarker, boolean truncated) {}

    /**
     * One page of {@code sorted} (ascending by {@code name}). The marker is the base64url of
     * {@code kind:lastName}; a marker of another kind, or not base64, is {@code InvalidMarkerException}.
     */
    private static <T> Page<T> page(String kind, Collection<T> sorted, Function<T, String> name,
                                    Integer limit, String marker) {
        int max = limit == null ? DEFAULT_LIMIT : Math.max(1, Math.min(MAX_LIMIT, limit));
        String after = marker == null ? null : decodeMarker(kind, marker);
        List<T> items = new ArrayList<>();
        boolean more = false;
        for (T item : sorted) {
            if (after != null && name.apply(item).compareTo(after) <= 0) continue;
            if (items.size() == max) {
                more = true;
                break;
            }
            items.add(item);
        }
        String next = more ? Base64.getUrlEncoder().withoutPadding().encodeToString(
                (kind + ":" + name.apply(items.get(items.size() - 1))).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(items, next, more);
    }

    private static String decodeMarker(String kind, String marker) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Errors.kmsInvalidMarker();
        }
        if (!text.startsWith(kind + ":")) throw Errors.kmsInvalidMarker();
        return text.substring(kind.length() + 1);
    }

    // ---- the state document (persist/StateCodec) -------------------------------------------------

    /** Every key of every account+region with its material, ordered by account, region and key id. */
    public List<KeyRecord> exportKeys() {
        List<KeyRecord> out = new ArrayList<>();
        for (StoreId id : sortedStoreIds()) {
            inStore(id.account(), id.region(), s -> {
                for (Key k : s.keys.values()) out.add(record(k));
                return null;
            });
        }
        return out;
    }

    /** One key's record, or null when {@code keyId} names no key in (account, region). */
    public KeyRecord exportKey(String account, String region, String keyId) {
        return inStore(account, region, s -> {
            Key k = s.keys.get(keyId);
            return k == null ? null : record(k);
        });
    }

    /** Every alias of every account+region (the managed key's included), ordered by account, region and name. */
    public List<AliasRecord> exportAliases() {
        List<AliasRecord> out = new ArrayList<>();
        for (StoreId id : sortedStoreIds()) {
            inStore(id.account(), id.region(), s -> {
                for (Alias a : s.aliases.values()) {
                    out.add(new AliasRecord(s.account, s.region, a.name(), a.targetKeyId(), a.created(), a.updated()));
                }
                return null;
            });
        }
        return out;
    }

    /**
     * Puts the key {@code r} describes in its account+region, replacing one of the same id. A
     * multi-Region key joins the set of related keys already restored in other regions (same account
     * and id), whose primary and members {@code r} sets. The policy must compile (the codec checks
     * documents before restoring anything).
     */
    public void restoreKey(KeyRecord r) {
        MrkSet shared = null;
        if (r.multiRegion() != null) {
            for (StoreId id : sortedStoreIds()) {
                if (!id.account().equals(r.account()) || id.region().equals(r.region())) continue;
                Store other = store(id.account(), id.region());
                synchronized (other) {
                    Key k = other.keys.get(r.keyId());
                    if (k != null && k.mrk != null) shared = k.mrk;
                }
                if (shared != null) break;
            }
            if (shared == null) shared = new MrkSet(r.keyId(), r.multiRegion().primaryRegion());
            synchronized (shared) {
                shared.primaryRegion = r.multiRegion().primaryRegion();
                shared.members.clear();
                shared.members.putAll(r.multiRegion().members());
            }
        }
        MrkSet mrk = shared;
        Store s = store(r.account(), r.region());
        synchronized (s) {
            Key k = new Key(s, r.keyId(), r.material().clone(), mrk, r.awsManaged(), r.creationDate());
            k.description = r.description();
            setPolicy(k, r.policy());
            if (r.tags() != null) k.tags.putAll(r.tags());
            k.state = r.state();
            k.readyAt = r.readyAt();
            k.deletionDate = r.deletionDate();
            k.pendingWindowDays = r.pendingWindowDays();
            s.keys.put(k.id, k);
        }
    }

    /** Puts an alias, replacing one of the same name in its account+region. */
    public void restoreAlias(AliasRecord a) {
        Store s = store(a.account(), a.region());
        synchronized (s) {
            s.aliases.put(a.name(), new Alias(a.name(), a.targetKeyId(), a.created(), a.updated()));
        }
    }

    private List<StoreId> sortedStoreIds() {
        List<StoreId> ids = new ArrayList<>(stores.keySet());
        ids.sort(java.util.Comparator.comparing(StoreId::account).thenComparing(StoreId::region));
        return ids;
    }

    private static KeyRecord record(Key k) {
        KeyRecord.MultiRegion mr = null;
        if (k.mrk != null) {
            synchronized (k.mrk) {
                mr = new KeyRecord.MultiRegion(k.mrk.primaryRegion, new LinkedHashMap<>(k.mrk.members));
            }
        }
        return new KeyRecord(k.account, k.region, k.id, k.material.clone(), k.awsManaged, k.creationDate,
                k.description, k.policy, new TreeMap<>(k.tags), k.state, k.readyAt, k.deletionDate,
                k.pendingWindowDays, mr);
    }
}
