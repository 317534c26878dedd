package dev.smlocal.server.secrets;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.time.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The secret aggregate: metadata plus its versions, owning the staging-label invariants.
 * <ul>
 *   <li>a label is attached to at most one version;</li>
 *   <li>once the secret has a value, exactly one version carries {@code AWSCURRENT};</li>
 *   <li>when {@code AWSCURRENT} moves, {@code AWSPREVIOUS} moves to the version that lost it;</li>
 *   <li>a version without labels is deprecated; beyond {@value #MAX_DEPRECATED} deprecated
 *       versions, the oldest ones older than 24 hours are dropped.</li>
 * </ul>
 * Not thread-safe: the owning {@link RegionalStore}'s lock guards it.
 *
 * <p>A write costs the same whether the secret has 3 versions or 50,000 (a burst of puts keeps
 * every version for 24 hours): which version holds a label, and the deprecated versions oldest
 * first, are indexes kept in step by {@link SecretVersion#addStage}/{@link SecretVersion#removeStage},
 * so no write scans the version list.
 */
public final class Secret {
    public static final String CURRENT = "AWSCURRENT";
    public static final String PREVIOUS = "AWSPREVIOUS";
    public static final String PENDING = "AWSPENDING";
    static final int MAX_LABELS = 20;
    static final int MAX_DEPRECATED = 100;
    static final Duration DEPRECATED_GRACE = Duration.ofHours(24);

    private final String arn;
    /** {@link #account()}, parsed on first use; a racing second parse gives the same string. */
    private String account;
    private final String name;
    private final Instant createdDate;
    private String description;
    /** The KmsKeyId as the caller gave it; null for the AWS managed key. */
    private String kmsKeyId;
    private List<Tag> tags;
    private String resourcePolicy;
    /** The resource policy compiled once when stored, so requests never parse it. */
    private dev.smlocal.server.auth.Policy compiledPolicy;
    private Instant lastChangedDate;
    private Instant lastAccessedDate;
    private Instant deletedDate;
    /** When a secret marked for deletion is removed (DeletedDate plus the recovery window). */
    private Instant deletionDate;
    private Cancellable purgeTask;
    private String owningService;
    private String type;
    private final LinkedHashMap<String, SecretVersion> versions = new LinkedHashMap<>();
    /** Label to the version carrying it (a label is on at most one version). */
    private final HashMap<String, SecretVersion> holders = new HashMap<>();
    /** Versions without labels, oldest first: created date, then creation order (time never goes back). */
    private final TreeSet<SecretVersion> deprecated = new TreeSet<>(
            Comparator.comparing(SecretVersion::createdDate).thenComparingLong(SecretVersion::seq));
    private long nextSeq;
    /**
     * {@link #versionIdsToStages()} as last computed; null after any label or version change. Every
     * ListSecrets entry and DescribeSecret answer shows it, and labels change far less often.
     */
    private volatile Map<String, List<String>> stagesView;

    // rotation
    private RotationConfig rotation;
    private Instant lastRotatedDate;
    private Instant nextRotationDate;

    // replication: primaryRegion null = standalone; equal to own region = primary with replicas
    private String primaryRegion;
    private final List<ReplicaState> replicas = new ArrayList<>();
    /** On a primary: the sequence number of its last snapshot. On a replica: the last one applied. */
    private long replicationSeq;

    Secret(String arn, String name, Instant createdDate) {
        this.arn = arn;
        this.name = name;
        this.createdDate = createdDate;
        this.lastChangedDate = createdDate;
    }

    // ---- read access ---------------------------------------------------------------------------

    public String arn() { return arn; }

    /** The account field of the ARN, read once (every authorized call asks for it). */
    public String account() {
        String a = account;
        if (a == null) account = a = SecretArn.of(arn).account();
        return a;
    }
    public String name() { return name; }
    public Instant createdDate() { return createdDate; }
    public String description() { return description; }
    public String kmsKeyId() { return kmsKeyId; }
    public List<Tag> tags() { return tags == null ? null : List.copyOf(tags); }
    public String resourcePolicy() { return resourcePolicy; }
    public Instant lastChangedDate() { return lastChangedDate; }
    public Instant lastAccessedDate() { return lastAccessedDate; }
    public Instant deletedDate() { return deletedDate; }
    public boolean isDeleted() { return deletedDate != null; }
    /** When a secret marked for deletion will be removed; null when it is not marked. */
    public Instant deletionDate() { return deletionDate; }
    public String owningService() { return owningService; }
    public String type() { return type; }
    public RotationConfig rotation() { return rotation; }
    public Instant lastRotatedDate() { return lastRotatedDate; }
    public Instant nextRotationDate() { return nextRotationDate; }
    public String primaryRegion() { return primaryRegion; }
    public List<ReplicaState> replicas() { return replicas; }
    public Collection<SecretVersion> versions() { return versions.values(); }
    public SecretVersion version(String versionId) { return versions.get(versionId); }
    public boolean hasAnyVersion() { return !versions.isEmpty(); }

    /** Whether this secret is a read-only replica living in {@code ownRegion}. */
    public boolean isReplicaIn(String ownRegion) {
        return primaryRegion != null && !primaryRegion.equals(ownRegion);
    }

    public SecretVersion holderOf(String stage) {
        return holders.get(stage);
    }

    /** Version ids to labels, deprecated versions left out, in creation order. */
    public Map<String, List<String>> versionIdsToStages() {
        Map<String, List<String>> view = stagesView;
        if (view == null) stagesView = view = computeVersionIdsToStages();
        return view;
    }

    private Map<String, List<String>> computeVersionIdsToStages() {
        List<SecretVersion> labelled = new ArrayList<>(new HashSet<>(holders.values())); // at most 20
        labelled.sort(Comparator.comparingLong(SecretVersion::seq));
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (SecretVersion v : labelled) out.put(v.versionId(), List.copyOf(v.stages()));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** How many versions carry no label. */
    int deprecatedCount() { return deprecated.size(); }

    // ---- metadata changes ----------------------------------------------------------------------

    void setDescription(String d) { this.description = (d == null || d.isEmpty()) ? null : d; }
    void setKmsKeyId(String k) { this.kmsKeyId = (k == null || k.isEmpty()) ? null : k; }
    void setType(String t) { this.type = t; }
    public dev.smlocal.server.auth.Policy compiledPolicy() { return compiledPolicy; }
    void setResourcePolicy(String p, dev.smlocal.server.auth.Policy compiled) {
        this.resourcePolicy = p;
        this.compiledPolicy = compiled;
    }
    void changed(Instant now) { this.lastChangedDate = now; }
    void accessed(Instant day) { this.lastAccessedDate = day; }
    void setPrimaryRegion(String r) { this.primaryRegion = r; }

    void setTags(List<Tag> newTags) { this.tags = newTags == null ? null : new ArrayList<>(newTags); }

    void upsertTags(List<Tag> add) {
        if (tags == null) tags = new ArrayList<>();
        for (Tag t : add) {
            boolean replaced = false;
            for (int i = 0; i < tags.size(); i++) {
                if (tags.get(i).key().equals(t.key())) {
                    tags.set(i, t);
                    replaced = true;
                    break;
                }
            }
            if (!replaced) tags.add(t);
        }
    }

    void removeTags(Collection<String> keys) {
        if (tags == null) tags = new ArrayList<>();
        tags.removeIf(t -> keys.contains(t.key()));
    }

    void markDeleted(Instant when, Instant removeAt, Cancellable purge) {
        this.deletedDate = when;
        this.deletionDate = removeAt;
        this.purgeTask = purge;
    }

    void setOwningService(String service) { this.owningService = service; }

    void restore() {
        this.deletedDate = null;
        this.deletionDate = null;
        if (purgeTask != null) purgeTask.cancel();
        purgeTask = null;
    }

    void cancelPurge() {
        if (purgeTask != null) purgeTask.cancel();
        purgeTask = null;
    }

    void setRotation(RotationConfig cfg) { this.rotation = cfg; }
    void setLastRotatedDate(Instant d) { this.lastRotatedDate = d; }
    void setNextRotationDate(Instant d) { this.nextRotationDate = d; }

    // ---- versions and labels -------------------------------------------------------------------

    /**
     * Adds a version carrying {@code requestedStages} (AWSCURRENT when none are given, and always
     * AWSCURRENT for a secret's first version), moving each label off its previous holder.
     */
    SecretVersion addVersion(String versionId, Instant now, List<String> requestedStages) {
        return addWith(versionId, now, stagesFor(requestedStages));
    }

    /**
     * Adds a version carrying only {@code AWSPENDING} (moved off its holder), never AWSCURRENT:
     * RotateSecret's placeholder, which receives its value later through PutSecretValue.
     */
    SecretVersion addPendingVersion(String versionId, Instant now) {
        return addWith(versionId, now, new LinkedHashSet<>(List.of(PENDING)));
    }

    /** Attaches labels to an existing version (a placeholder receiving its value). */
    void attachStages(SecretVersion v, List<String> requestedStages, Instant now) {
        LinkedHashSet<String> stages = stagesFor(requestedStages);
        checkLabelLimit(stages);
        writeStages(v, stages);
        purgeDeprecated(now);
    }

    /** The labels a write asks for: AWSCURRENT when none, and always AWSCURRENT for the first value. */
    private LinkedHashSet<String> stagesFor(List<String> requestedStages) {
        LinkedHashSet<String> stages = new LinkedHashSet<>();
        if (requestedStages == null || requestedStages.isEmpty()) stages.add(CURRENT);
        else stages.addAll(requestedStages);
        if (holderOf(CURRENT) == null) stages.add(CURRENT);
        return stages;
    }

    private SecretVersion addWith(String versionId, Instant now, LinkedHashSet<String> stages) {
        checkLabelLimit(stages);
        SecretVersion v = new SecretVersion(versionId, now);
        adopt(v);
        writeStages(v, stages);
        purgeDeprecated(now);
        return v;
    }

    /**
     * A write (PutSecretValue, UpdateSecret, CreateSecret) labels a version. When it takes
     * AWSCURRENT from another version, that version also loses AWSPENDING: AWSPENDING left on the
     * AWSCURRENT version is a finished rotation's label, and AWS drops it when a write moves
     * AWSCURRENT on (recorded sequence in docs/AWS-BEHAVIOUR.md, "Staging labels").
     * UpdateSecretVersionStage does not go through here: it keeps the other labels of both versions.
     */
    private void writeStages(SecretVersion target, Set<String> stages) {
        SecretVersion oldCurrent = holderOf(CURRENT);
        attachAll(target, stages);
        if (oldCurrent != null && oldCurrent != target && stages.contains(CURRENT)) {
            oldCurrent.removeStage(PENDING);
        }
    }

    /**
     * A rotation finished: AWSPENDING leaves {@code versionId} when that version carries
     * AWSCURRENT (AWS ends every successful rotation so; docs/AWS-BEHAVIOUR.md). A version whose
     * AWSPENDING did not become AWSCURRENT keeps it.
     */
    void finishRotation(String versionId) {
        SecretVersion v = versionId == null ? null : versions.get(versionId);
        if (v != null && v.stages().contains(CURRENT)) v.removeStage(PENDING);
    }

    /** The 20-label quota across all versions, counting AWSPREVIOUS when AWSCURRENT moves. */
    void checkLabelLimit(Set<String> adding) {
        Set<String> all = new HashSet<>(holders.keySet());
        all.addAll(adding);
        if (adding.contains(CURRENT) && holderOf(CURRENT) != null) all.add(PREVIOUS);
        if (all.size() > MAX_LABELS) throw Errors.tooManyLabels();
    }

    private void attachAll(SecretVersion target, Set<String> stages) {
        for (String s : stages) moveLabel(s, target);
    }

    /** Moves {@code stage} to {@code target} from whichever version holds it, keeping the AWSPREVIOUS rule. */
    void moveLabel(String stage, SecretVersion target) {
        SecretVersion holder = holderOf(stage);
        if (holder == target) {
            target.addStage(stage);
            return;
        }
        if (holder != null) holder.removeStage(stage);
        target.addStage(stage);
        if (CURRENT.equals(stage) && holder != null) {
            SecretVersion prev = holderOf(PREVIOUS);
            if (prev != null) prev.removeStage(PREVIOUS);
            holder.addStage(PREVIOUS);
        }
    }

    void detachLabel(String stage, SecretVersion from) {
        from.removeStage(stage);
    }

    /**
     * Drops the oldest deprecated versions beyond the quota that are older than 24 hours. Oldest
     * first, so the first one younger than 24 hours ends the walk: the rest are younger still.
     */
    void purgeDeprecated(Instant now) {
        int excess = deprecated.size() - MAX_DEPRECATED;
        Iterator<SecretVersion> oldestFirst = deprecated.iterator();
        while (excess > 0 && oldestFirst.hasNext()) {
            SecretVersion v = oldestFirst.next();
            if (v.createdDate().plus(DEPRECATED_GRACE).isAfter(now)) break;
            oldestFirst.remove();
            versions.remove(v.versionId());
            v.adoptedBy(null, v.seq());
            excess--;
        }
    }

    void removeVersion(String versionId) {
        SecretVersion v = versions.remove(versionId);
        if (v == null) return;
        stagesView = null;
        deprecated.remove(v);
        for (String stage : v.stages()) holders.remove(stage, v);
        v.adoptedBy(null, v.seq());
    }

    /** Replaces every version (a replica receiving its primary's state). */
    void replaceVersions(List<SecretVersion> copies) {
        for (SecretVersion v : versions.values()) v.adoptedBy(null, v.seq());
        versions.clear();
        holders.clear();
        deprecated.clear();
        stagesView = null;
        for (SecretVersion v : copies) adopt(v);
    }

    /** Takes {@code v} (with whatever labels it carries) into this secret's versions and indexes. */
    private void adopt(SecretVersion v) {
        if (versions.containsKey(v.versionId())) removeVersion(v.versionId());
        v.adoptedBy(this, nextSeq++);
        stagesView = null;
        versions.put(v.versionId(), v);
        for (String stage : v.stages()) holders.put(stage, v);
        if (v.isDeprecated()) deprecated.add(v);
    }

    /** Told by {@code v} that it now carries {@code stage} (it did not before). */
    void labelAdded(SecretVersion v, String stage) {
        stagesView = null;
        if (v.stages().size() == 1) deprecated.remove(v);
        holders.put(stage, v);
    }

    /** Told by {@code v} that it no longer carries {@code stage}. */
    void labelRemoved(SecretVersion v, String stage) {
        stagesView = null;
        holders.remove(stage, v);
        if (v.isDeprecated()) deprecated.add(v);
    }

    long bumpReplicationSeq() { return ++replicationSeq; }
    long appliedReplicationSeq() { return replicationSeq; }
    void setAppliedReplicationSeq(long seq) { this.replicationSeq = seq; }

    static SecretVersion newVersionForCopy(String versionId, Instant created) {
        return new SecretVersion(versionId, created);
    }
}
