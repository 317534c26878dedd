package dev.smlocal.server.kms;

import dev.smlocal.server.auth.Policy;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.Regions;
import dev.smlocal.server.kms.KmsApi.MultiRegionConfiguration;
import dev.smlocal.server.kms.KmsApi.MultiRegionKey;
import dev.smlocal.server.time.EmulatorClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The emulated KMS's data: per account+region, its keys (material, state, policy, tags, the
 * multi-Region key set they belong to) and aliases. It knows how to find a key by a parsed
 * reference, when time alone changes a key (a replica done {@code Creating}, a waiting period over),
 * and how to name keys; the rules of the KMS API (who may do what in which state) live in
 * {@link EmulatedKms}.
 *
 * <p>Key ids come from {@code ids}, the emulator's seeded {@link IdGenerator} (a stream of its own,
 * see {@link IdGenerator#derive}), so the same {@code --seed} and the same calls give the same key
 * ids. Key material comes from {@link EnvelopeCrypto#newKey()} (SecureRandom) and never from the seed.
 *
 * <p>Thread-safe: each account+region {@link Store} is guarded by its own monitor, which every
 * access to it holds ({@link #inStore}); a multi-Region key set's membership by its own monitor,
 * taken only inside a store's. {@link #inTwoStores} locks two stores in region-name order.
 */
final class KeyStore {
    static final String MANAGED_KEY_DESCRIPTION =
            "Default key that protects my Secrets Manager data when no other key is defined";

    private final EmulatorClock clock;
    private final IdGenerator ids;
    private final ConcurrentHashMap<StoreId, Store> stores = new ConcurrentHashMap<>();

    KeyStore(EmulatorClock clock, IdGenerator ids) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    EmulatorClock clock() {
        return clock;
    }

    /** Forgets every key and alias and restarts the id sequence from the seed. */
    void reset() {
        stores.clear();
        ids.reset();
    }

    /** A new key id: a UUID, or {@code mrk-} and 32 hex digits for a multi-Region key. */
    String newKeyId(boolean multiRegion) {
        String uuid = ids.uuid();
        return multiRegion ? "mrk-" + uuid.replace("-", "") : uuid;
    }

    /** Every key of every account+region, ordered by account, region and key id. */
    List<KeyInfo> allKeys() {
        List<StoreId> all = new ArrayList<>(stores.keySet());
        all.sort(Comparator.comparing(StoreId::account).thenComparing(StoreId::region));
        List<KeyInfo> out = new ArrayList<>();
        for (StoreId id : all) out.addAll(keys(id.account(), id.region()));
        return out;
    }

    /** The keys of one account+region, ordered by key id. */
    List<KeyInfo> keys(String account, String region) {
        return inStore(account, region, s -> s.keys.values().stream().map(KeyStore::info).toList());
    }

    /**
     * Runs {@code body} holding the store of {@code account}+{@code region}, after {@link #purge}.
     * With an {@linkplain #observe observer}, it runs when this thread leaves its outermost section.
     */
    <T> T inStore(String account, String region, Function<Store, T> body) {
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

    /** Runs {@code body} holding the stores of {@code home} and {@code away} (one lock when they are the same). */
    <T> T inTwoStores(String account, String home, String away, BiFunction<Store, Store, T> body) {
        Store h = store(account, home);
        Store a = store(account, away);
        Store first = h.region.compareTo(a.region) <= 0 ? h : a;
        Store second = first == h ? a : h;
        T result;
        synchronized (first) {
            synchronized (second) {
                purge(first);
                if (second != first) purge(second);
                result = body.apply(h, a);
            }
        }
        Runnable o = observer;
        if (o != null && DEPTH.get()[0] == 0) o.run(); // no store monitor held here
        return result;
    }

    /** How deep this thread is in {@link #inStore}: the observer runs only when it leaves the outermost one. */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    /** Persistence's observer (docs/PERSISTENCE.md); null in memory. */
    private volatile Runnable observer;

    /**
     * Persistence: {@code afterChange} runs after every section that may have changed a key or alias
     * (any store access; it decides itself whether to look), with no store monitor held.
     */
    void observe(Runnable afterChange) {
        observer = afterChange;
    }

    // ---- the state document (persist/StateCodec) -------------------------------------------------

    /** Every key of every account+region with its material, ordered by account, region and key id. */
    List<KeyRecord> exportKeys() {
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
    KeyRecord exportKey(String account, String region, String keyId) {
        return inStore(account, region, s -> {
            Key k = s.keys.get(keyId);
            return k == null ? null : record(k);
        });
    }

    /** Every alias of every account+region (the managed key's included), ordered by account, region and name. */
    List<AliasRecord> exportAliases() {
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
    void restoreKey(KeyRecord r) {
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
            k.setPolicy(r.policy());
            if (r.tags() != null) k.tags.putAll(r.tags());
            k.state = r.state();
            k.readyAt = r.readyAt();
            k.deletionDate = r.deletionDate();
            k.pendingWindowDays = r.pendingWindowDays();
            s.keys.put(k.id, k);
        }
    }

    /** Puts an alias, replacing one of the same name in its account+region. */
    void restoreAlias(AliasRecord a) {
        Store s = store(a.account(), a.region());
        synchronized (s) {
            s.aliases.put(a.name(), new Alias(a.name(), a.targetKeyId(), a.created(), a.updated()));
        }
    }

    private List<StoreId> sortedStoreIds() {
        List<StoreId> all = new ArrayList<>(stores.keySet());
        all.sort(Comparator.comparing(StoreId::account).thenComparing(StoreId::region));
        return all;
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

    private Store store(String account, String region) {
        return stores.computeIfAbsent(new StoreId(account, region), id -> new Store(id.account(), id.region()));
    }

    /**
     * Applies what time alone changes, at the clock's now: a replica whose delay is over becomes
     * {@code Enabled}; a primary whose last replica is gone starts its waiting period; a key whose
     * deletion date has passed is deleted with its aliases. Caller holds the store.
     */
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

    /**
     * The key {@code ref} names in store {@code s}; the AWS managed key of
     * {@code alias/aws/secretsmanager} is created on first use. Caller holds the store.
     */
    Key find(Store s, KeyRef ref) {
        if (ref.isAlias()) {
            Alias alias = s.aliases.get(ref.aliasName());
            if (alias == null && ref.aliasName().equals(Kms.SECRETS_MANAGER_ALIAS)) return createManagedKey(s);
            if (alias == null) throw Errors.kmsAliasNotFound(aliasArn(s.account, s.region, ref.aliasName()));
            return s.keys.get(alias.targetKeyId());
        }
        Key k = s.keys.get(ref.keyId());
        if (k == null) throw Errors.kmsKeyDoesNotExist(keyArn(s.account, s.region, ref.keyId()));
        return k;
    }

    private Key createManagedKey(Store s) {
        Instant now = clock.now();
        Key k = new Key(s, newKeyId(false), EnvelopeCrypto.newKey(), null, true, now);
        k.description = MANAGED_KEY_DESCRIPTION;
        k.setPolicy(defaultPolicy(s.account, s.region));
        s.keys.put(k.id, k);
        s.aliases.put(Kms.SECRETS_MANAGER_ALIAS, new Alias(Kms.SECRETS_MANAGER_ALIAS, k.id, now, now));
        return k;
    }

    // ---- names ---------------------------------------------------------------------------------

    static KeyInfo info(Key k) {
        return new KeyInfo(k.id, k.arn, k.account, k.region, k.state, k.awsManaged, k.mrk != null);
    }

    static String keyArn(String account, String region, String keyId) {
        return "arn:" + Regions.partitionOf(region) + ":kms:" + region + ":" + account + ":key/" + keyId;
    }

    static String aliasArn(String account, String region, String aliasName) {
        return "arn:" + Regions.partitionOf(region) + ":kms:" + region + ":" + account + ":" + aliasName;
    }

    /** The policy KMS gives a key created without one: the account's root may do everything. */
    static String defaultPolicy(String account, String region) {
        return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"arn:" + Regions.partitionOf(region) + ":iam::" + account
                + ":root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
    }

    /** A key policy compiled as a resource policy; a bad one is KMS's MalformedPolicyDocumentException. */
    static Policy compileKeyPolicy(String json) {
        try {
            return Policy.compile(json, Policy.Kind.RESOURCE);
        } catch (Policy.Invalid e) {
            throw Errors.kmsMalformedPolicy(e.getMessage());
        }
    }

    // ---- the data ------------------------------------------------------------------------------

    private record StoreId(String account, String region) {}

    /** One account+region; every field is guarded by the store's monitor. */
    static final class Store {
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
    static final class Key {
        final String id;
        final String account;
        final String region;
        final String arn;
        final byte[] material;
        /** AES-GCM under {@link #material}, its key schedule and GHASH table kept (the material is held here anyway). */
        final EnvelopeCrypto.Keyed cipher;
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
            this.cipher = new EnvelopeCrypto.Keyed(material);
            this.mrk = mrk;
            this.awsManaged = awsManaged;
            this.creationDate = creationDate;
        }

        void setPolicy(String json) {
            this.compiledPolicy = compileKeyPolicy(json);
            this.policy = json;
        }

        boolean isPendingDeletion() {
            return state == KeyState.PendingDeletion || state == KeyState.PendingReplicaDeletion;
        }
    }

    record Alias(String name, String targetKeyId, Instant created, Instant updated) {}

    /**
     * The related multi-Region keys of one id: which region is primary and, per member region, when
     * that member is (or will be) deleted — {@code null} while it is not scheduled. A member counts
     * as alive until that instant, so every region sees the same set without reading other stores.
     */
    static final class MrkSet {
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

        /** When {@code region}'s member is scheduled to be deleted; null while it is not. */
        synchronized Instant goneAt(String region) {
            return members.get(region);
        }

        synchronized void makePrimary(String region) {
            primaryRegion = region;
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
}
