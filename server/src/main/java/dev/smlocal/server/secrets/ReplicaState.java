package dev.smlocal.server.secrets;

import java.time.Instant;

/** One entry of a primary's ReplicationStatus. Mutable under the primary store's lock. */
public final class ReplicaState {
    public static final String IN_PROGRESS = "InProgress";
    public static final String IN_SYNC = "InSync";
    public static final String FAILED = "Failed";

    private final String region;
    private String kmsKeyId;
    private String status = IN_PROGRESS;
    private String statusMessage;
    private Instant lastAccessedDate;

    public ReplicaState(String region, String kmsKeyId) {
        this.region = region;
        this.kmsKeyId = kmsKeyId;
    }

    public String region() { return region; }
    public String kmsKeyId() { return kmsKeyId; }
    public String status() { return status; }
    public String statusMessage() { return statusMessage; }
    public Instant lastAccessedDate() { return lastAccessedDate; }

    public void update(String status, String message) {
        this.status = status;
        this.statusMessage = message;
    }

    public void setKmsKeyId(String keyRef) { this.kmsKeyId = keyRef; }

    public void accessed(Instant day) { this.lastAccessedDate = day; }
}
