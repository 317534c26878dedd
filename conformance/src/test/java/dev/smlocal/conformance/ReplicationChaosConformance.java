package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.EmulatorPowers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * Replication under the emulator's clock and faults (AWS-BEHAVIOUR §7.2's asynchrony; design.md "Time, chaos
 * and the admin API"): the lag, per-route lags, a replica region or the primary's region under
 * outage, an injected replication failure, and the disaster-recovery drill AWS recommends —
 * promote the replica while the primary's region is down. None of it can be provoked on AWS, so
 * every check here is {@code @EmulatorOnly}; what the replicas show afterwards is what AWS shows.
 */
class ReplicationChaosConformance extends MultiRegionCheck {
    /** smlocal's default replication lag. */
    static final Duration LAG = Duration.ofMillis(250);

    /** Adds a fault rule for this check; it is lifted when the check ends, pass or fail. */
    private String fault(Map<String, String> rule) {
        String id = powers().addFault(rule);
        scenario().afterwards(() -> powers().removeFault(id));
        return id;
    }

    private String outage(String region) {
        return fault(Map.of("action", "outage", "region", region));
    }

    private StatusType statusNow(String n) {
        return status(n, replicaRegion()).map(ReplicationStatusType::status).orElse(null);
    }

    @Test
    @EmulatorOnly("clock: the replica lags the primary by the replication lag, then catches up")
    void aReplicaIsStaleUntilTheLagHasPassed() {
        String n = name("s");
        createReplicated(n, "v1", to(replicaRegion()));
        assertNull(valueIn(replicaRegion(), n), "not there before the lag");
        powers().advance(LAG);
        assertEquals("v1", valueIn(replicaRegion(), n));

        sm().putSecretValue(b -> b.secretId(n).secretString("v2"));

        assertEquals("v1", valueIn(replicaRegion(), n), "stale before the lag");
        powers().advance(LAG);
        assertEquals("v2", valueIn(replicaRegion(), n));
    }

    @Test
    @EmulatorOnly("replication routes: a slower route keeps its replica InProgress for longer")
    void aPerRouteLagDelaysOnlyThatRoute() {
        powers().replicationRoutes(List.of(new EmulatorPowers.Route(target.region(), replicaRegion(), Duration.ofSeconds(5))));
        scenario().afterwards(() -> powers().replicationRoutes(List.of()));
        String n = name("s");

        createReplicated(n, "v", to(replicaRegion()));
        powers().advance(Duration.ofSeconds(4));

        assertEquals(StatusType.IN_PROGRESS, statusNow(n));
        assertNull(valueIn(replicaRegion(), n));
        powers().advance(Duration.ofSeconds(1));
        assertEquals(StatusType.IN_SYNC, statusNow(n));
        assertEquals("v", valueIn(replicaRegion(), n));
    }

    @Test
    @EmulatorOnly("faults: an outage of the replica region holds replication InProgress; healing completes it in order")
    void anOutageOfTheReplicaRegionHoldsReplicationUntilItHeals() {
        String n = name("s");
        String down = outage(replicaRegion());
        createReplicated(n, "v1", to(replicaRegion()));
        powers().advance(Duration.ofSeconds(5));
        sm().putSecretValue(b -> b.secretId(n).secretString("v2"));
        powers().advance(Duration.ofSeconds(5));

        assertEquals(StatusType.IN_PROGRESS, statusNow(n));
        powers().removeFault(down);
        powers().advance(LAG);

        assertEquals(StatusType.IN_SYNC, statusNow(n));
        assertEquals("v2", valueIn(replicaRegion(), n));
        assertEquals(2, replicaSm().listSecretVersionIds(b -> b.secretId(n)).versions().size(), "both versions arrived");
    }

    @Test
    @EmulatorOnly("faults: an outage of the primary's region holds its changes back; reads of the replica go on")
    void anOutageOfThePrimaryRegionHoldsItsChangesBack() {
        String n = name("s");
        createInSync(n, "v1");
        sm().putSecretValue(b -> b.secretId(n).secretString("v2"));
        String down = outage(target.region());
        powers().advance(Duration.ofSeconds(5));

        assertEquals("v1", valueIn(replicaRegion(), n));
        powers().removeFault(down);
        powers().advance(LAG);

        assertEquals("v2", valueIn(replicaRegion(), n));
    }

    @Test
    @EmulatorOnly("faults: fail-replication fails one delivery; the next change heals the replica")
    void anInjectedReplicationFailureShowsAsFailedAndTheNextChangeHeals() {
        fault(Map.of("action", "fail-replication", "from", target.region(), "to", replicaRegion(), "count", "1"));
        String n = name("s");
        createReplicated(n, "v1", to(replicaRegion()));

        ReplicationStatusType failed = awaitOutcome(n, replicaRegion());
        assertEquals(StatusType.FAILED, failed.status());
        assertTrue(failed.statusMessage().startsWith("Replication failed: "), failed.statusMessage());

        sm().putSecretValue(b -> b.secretId(n).secretString("v2"));

        assertEquals(SUCCEEDED, awaitStatus(n, replicaRegion(), StatusType.IN_SYNC).statusMessage());
        assertEquals("v2", valueIn(replicaRegion(), n));
    }

    @Test
    @EmulatorOnly("faults: a fail-replication fault whose count runs out ends as its removal does")
    void aReplicationFaultThatRunsOutSendsWhatItFailedAgain() {
        fault(Map.of("action", "fail-replication", "from", target.region(), "to", replicaRegion(), "count", "1"));
        String n = name("s");
        createReplicated(n, "v1", to(replicaRegion()));

        assertEquals(StatusType.FAILED, awaitOutcome(n, replicaRegion()).status());

        assertEquals(SUCCEEDED, awaitStatus(n, replicaRegion(), StatusType.IN_SYNC).statusMessage(),
                "no other change is needed");
        assertEquals("v1", valueIn(replicaRegion(), n));
    }

    @Test
    @EmulatorOnly("faults: the disaster-recovery drill — primary region down, replica promoted and written, primary healed")
    void disasterRecoveryDrill() {
        String n = name("s");
        createInSync(n, "pw-1");
        scenario().track(replicaRegion(), n);
        String down = outage(target.region());

        SecretsManagerException unavailable = org.junit.jupiter.api.Assertions.assertThrows(SecretsManagerException.class,
                () -> sm().getSecretValue(b -> b.secretId(n)));
        assertEquals(503, unavailable.statusCode());
        assertEquals("pw-1", valueIn(replicaRegion(), n), "reads fail over to the replica");

        replicaSm().stopReplicationToReplica(b -> b.secretId(n));
        replicaSm().putSecretValue(b -> b.secretId(n).secretString("pw-2"));
        powers().removeFault(down);
        powers().advance(Duration.ofSeconds(5));

        assertEquals("pw-2", valueIn(replicaRegion(), n));
        assertEquals("pw-1", valueIn(target.region(), n));
        assertFalse(sm().describeSecret(b -> b.secretId(n)).hasReplicationStatus()
                && regionsOf(sm().describeSecret(b -> b.secretId(n)).replicationStatus()).contains(replicaRegion()),
                "the old primary no longer lists the promoted region");
        sm().putSecretValue(b -> b.secretId(n).secretString("east-later"));
        powers().advance(Duration.ofSeconds(5));
        assertEquals("pw-2", valueIn(replicaRegion(), n), "now independent");
    }
}
