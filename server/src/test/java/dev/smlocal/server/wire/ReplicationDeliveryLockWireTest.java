package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.secrets.RegionalStore;
import dev.smlocal.server.secrets.StoreObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * How a replication delivery holds the stores' locks: the primary's once to decide, the replica's
 * to write the copy, and the primary's once more to record the outcome, {@code InSync} or
 * {@code Failed}, so a client that sees {@code InSync} finds the replica written (a status written
 * before the copy could be read, under the system clock, ahead of a missing replica or turn from
 * {@code InSync} to {@code Failed}, which AWS's model never does). Never two stores at once.
 * Counted with a store observer, which every hold that looks a secret up reports to (the hook
 * persistence uses), around the clock move that runs the delivery.
 */
class ReplicationDeliveryLockWireTest extends WireSupport {
    private static final Duration LAG = Duration.ofMillis(250);

    /** The (region, secret name) of every store hold that looked a secret up, in order. */
    private final List<String> holds = new ArrayList<>();

    @BeforeEach
    void countHolds() {
        emulator.secrets().stores().observe(new StoreObserver() {
            @Override
            public boolean recording() {
                return true;
            }

            @Override
            public void touched(RegionalStore store, Set<String> names) {
                synchronized (holds) {
                    for (String n : names) holds.add(store.region() + " " + n);
                }
            }
        });
    }

    private SecretsManagerClient east() { return sm("us-east-1"); }
    private SecretsManagerClient west() { return sm("eu-west-1"); }

    private List<String> holdsDuring(Runnable r) {
        synchronized (holds) {
            holds.clear();
        }
        r.run();
        synchronized (holds) {
            return List.copyOf(holds);
        }
    }

    private ReplicationStatusType status(String secret) {
        return east().describeSecret(b -> b.secretId(secret)).replicationStatus().get(0);
    }

    /** Decide on the primary, write the replica, record on the primary: in that order, nothing else. */
    private static void decideWriteRecord(List<String> holds) {
        assertEquals(List.of("us-east-1 db", "eu-west-1 db", "us-east-1 db"),
                holds.stream().filter(h -> h.endsWith(" db")).toList(), "holds: " + holds);
    }

    @Test
    void theStatusIsRecordedAfterTheReplicaIsWritten() {
        east().createSecret(b -> b.name("db").secretString("v1")
                .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").build()));

        List<String> first = holdsDuring(() -> advance(LAG));
        decideWriteRecord(first);
        assertEquals(StatusType.IN_SYNC, status("db").status());
        assertEquals("Replication succeeded", status("db").statusMessage());
        assertEquals("v1", west().getSecretValue(b -> b.secretId("db")).secretString());

        east().putSecretValue(b -> b.secretId("db").secretString("v2"));
        List<String> update = holdsDuring(() -> advance(LAG));
        decideWriteRecord(update);
        assertEquals("v2", west().getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void aDeliveryTheReplicaRefusesIsRecordedFailedTheSameWay() {
        west().createSecret(b -> b.name("db").secretString("theirs"));
        east().createSecret(b -> b.name("db").secretString("v1")
                .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").build()));

        List<String> refused = holdsDuring(() -> advance(LAG));
        decideWriteRecord(refused);
        assertEquals(StatusType.FAILED, status("db").status());
        assertEquals("Replication failed: Secret with this name already exists in this region.",
                status("db").statusMessage());
        assertEquals("theirs", west().getSecretValue(b -> b.secretId("db")).secretString());
    }
}
