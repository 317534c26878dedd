package dev.smlocal.server.secrets;

import dev.smlocal.server.kms.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One version of a secret: its id, its staging labels and its value, held only in sealed
 * (envelope-encrypted) form. A version without a value is a rotation placeholder.
 */
public final class SecretVersion {
    private final String versionId;
    private final Instant createdDate;
    private final LinkedHashSet<String> stages = new LinkedHashSet<>();
    private Envelope.Sealed sealed;
    /** Copies under keys the secret used before a key change, newest first (AWS-BEHAVIOUR §5 UpdateSecret). */
    private final List<Envelope.Sealed> olderCopies = new ArrayList<>();
    private boolean binary;
    private Instant lastAccessedDate;
    /** On a replica: the primary's sealed value this copy was made from (to skip re-encrypting it). */
    private Envelope.Sealed sourceSealed;
    /** Keys the value has been encrypted under, oldest first ("DefaultEncryptionKey" for the managed key). */
    private final List<String> kmsKeyIds = new ArrayList<>();
    /** The secret holding this version, told of every label change (its label index); null while loose. */
    private Secret owner;
    /** Position in the owner's creation order. */
    private long seq;
    /** The value's encryption context, kept once built (see {@link ValueSealer#contextOf}). */
    private java.util.Map<String, String> context;

    SecretVersion(String versionId, Instant createdDate) {
        this.versionId = versionId;
        this.createdDate = createdDate;
    }

    public String versionId() { return versionId; }
    public Instant createdDate() { return createdDate; }
    public Set<String> stages() { return java.util.Collections.unmodifiableSet(stages); }
    public boolean hasValue() { return sealed != null; }
    public boolean isBinary() { return binary; }
    /** The value under the secret's current key. */
    public Envelope.Sealed sealed() { return sealed; }
    /** Every copy of the value, the current one first, then those under earlier keys. */
    public List<Envelope.Sealed> copies() {
        List<Envelope.Sealed> all = new ArrayList<>();
        if (sealed != null) all.add(sealed);
        all.addAll(olderCopies);
        return all;
    }
    /** The current copy, then those under earlier keys, newest first (no list built). */
    int copyCount() { return (sealed == null ? 0 : 1) + olderCopies.size(); }
    Envelope.Sealed copy(int i) {
        if (sealed == null) return olderCopies.get(i);
        return i == 0 ? sealed : olderCopies.get(i - 1);
    }
    java.util.Map<String, String> cachedContext() { return context; }
    void cacheContext(java.util.Map<String, String> c) { this.context = c; }
    public Instant lastAccessedDate() { return lastAccessedDate; }
    public List<String> kmsKeyIds() { return java.util.Collections.unmodifiableList(kmsKeyIds); }
    public boolean isDeprecated() { return stages.isEmpty(); }

    void setValue(Envelope.Sealed sealed, boolean binary, String kmsKeyLabel) {
        this.sealed = sealed;
        this.binary = binary;
        if (!kmsKeyIds.contains(kmsKeyLabel)) kmsKeyIds.add(kmsKeyLabel);
    }

    /** A key change re-encrypted the value: the new copy becomes current, the old one is kept. */
    void addCopy(Envelope.Sealed newer, String kmsKeyLabel) {
        if (sealed != null) olderCopies.add(0, sealed);
        sealed = newer;
        if (!kmsKeyIds.contains(kmsKeyLabel)) kmsKeyIds.add(kmsKeyLabel);
    }

    void replaceKeyIds(List<String> ids) {
        kmsKeyIds.clear();
        kmsKeyIds.addAll(ids);
    }

    Envelope.Sealed sourceSealed() { return sourceSealed; }
    void setSourceSealed(Envelope.Sealed s) { this.sourceSealed = s; }

    void touch(Instant day) { this.lastAccessedDate = day; }
    void addStage(String s) {
        if (stages.add(s) && owner != null) owner.labelAdded(this, s);
    }

    boolean removeStage(String s) {
        boolean removed = stages.remove(s);
        if (removed && owner != null) owner.labelRemoved(this, s);
        return removed;
    }

    void clearStages() {
        for (String s : List.copyOf(stages)) removeStage(s);
    }

    Secret owner() { return owner; }
    long seq() { return seq; }

    void adoptedBy(Secret s, long position) {
        this.owner = s;
        this.seq = position;
    }
}
