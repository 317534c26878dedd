package dev.smlocal.server.replication;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.secrets.SecretsApi.*;
import dev.smlocal.server.secrets.SecretsService;
import dev.smlocal.server.secrets.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.*;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random interleavings of writes, stage moves, metadata changes, replications, removals,
 * promotions, faults and clock advances. Invariants: no region's replica ever goes back to an
 * older state; once faults are cleared and the clock has passed the lag, every replica equals its
 * primary (versions, stages, values, description, tags); no acknowledged value is lost.
 */
class ReplicationConvergencePropertyTest {
    private static final String HOME = "us-east-1";
    private static final List<String> OTHERS = List.of("eu-west-1", "ap-southeast-2");
    private static final Duration LAG = Duration.ofMillis(250);
    private static final String NAME = "prop/secret";

    private Emulator emulator;

    @BeforeProperty
    void start() {
        emulator = Emulator.create(EmulatorConfig.defaults().withPort(0).withQuiet(true)
                .withClock("manual", Instant.parse("2026-03-01T00:00:00Z"))
                .withRegions(List.of(HOME, "eu-west-1", "ap-southeast-2")).withReplicationLag(LAG));
    }

    @AfterProperty
    void stop() {
        emulator.close();
    }

    sealed interface Action permits Put, MoveCurrent, Describe, Replicate, Remove, Promote, Outage, Heal,
            FailReplication, Advance {}
    record Put(String value, boolean pending) implements Action {}
    record MoveCurrent(int versionIndex) implements Action {}
    record Describe(String text, String tagValue) implements Action {}
    record Replicate(String region) implements Action {}
    record Remove(String region) implements Action {}
    record Promote(String region) implements Action {}
    record Outage(String region) implements Action {}
    record Heal(String region) implements Action {}
    record FailReplication(String region, int count) implements Action {}
    record Advance(int millis) implements Action {}

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<String> other = Arbitraries.of(OTHERS);
        Arbitrary<String> any = Arbitraries.of(HOME, "eu-west-1", "ap-southeast-2");
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                        Arbitraries.of(true, false, false, false)).as(Put::new)),
                Tuple.of(2, Arbitraries.integers().between(0, 20).map(MoveCurrent::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(6),
                        Arbitraries.strings().alpha().ofMaxLength(4)).as(Describe::new)),
                Tuple.of(3, other.map(Replicate::new)),
                Tuple.of(1, other.map(Remove::new)),
                Tuple.of(1, other.map(Promote::new)),
                Tuple.of(2, any.map(Outage::new)),
                Tuple.of(2, any.map(Heal::new)),
                Tuple.of(1, Combinators.combine(other, Arbitraries.integers().between(1, 3)).as(FailReplication::new)),
                Tuple.of(5, Arbitraries.integers().between(0, 600).map(Advance::new)));
        return action.list().ofMinSize(5).ofMaxSize(40);
    }

    private RequestContext ctx(String region) {
        return new RequestContext("000000000000", region, "prop");
    }

    @Property(tries = 60)
    void replicasConvergeAndNothingAcknowledgedIsLost(@ForAll("actions") List<Action> actions) {
        emulator.reset();
        SecretsService sm = emulator.secrets();
        Replicator rep = emulator.replicator();
        sm.createSecret(ctx(HOME), new CreateSecretRequest(NAME, UUID.randomUUID().toString(), null, null, null,
                "v0", null, null, null, null));
        Map<String, String> acknowledged = new LinkedHashMap<>(); // versionId -> value on the primary
        acknowledged.put(sm.describeSecret(ctx(HOME), new SecretIdRequest(NAME)).versionIdsToStages().keySet()
                .iterator().next(), "v0");
        List<String> replicated = new ArrayList<>();
        Map<String, Instant> lastSeen = new HashMap<>();

        for (Action a : actions) {
            try {
                if (a instanceof Put p) {
                    String token = UUID.randomUUID().toString();
                    sm.putSecretValue(ctx(HOME), new PutSecretValueRequest(NAME, token, null, p.value(),
                            p.pending() ? List.of("AWSPENDING") : null, null));
                    acknowledged.put(token, p.value());
                } else if (a instanceof MoveCurrent m) {
                    var stages = sm.describeSecret(ctx(HOME), new SecretIdRequest(NAME)).versionIdsToStages();
                    List<String> ids = new ArrayList<>(acknowledged.keySet());
                    String target = ids.get(m.versionIndex() % ids.size());
                    String holder = stages.entrySet().stream().filter(e -> e.getValue().contains("AWSCURRENT"))
                            .map(Map.Entry::getKey).findFirst().orElseThrow();
                    sm.updateSecretVersionStage(ctx(HOME),
                            new UpdateSecretVersionStageRequest(NAME, "AWSCURRENT", holder, target));
                } else if (a instanceof Describe d) {
                    sm.updateSecret(ctx(HOME), new UpdateSecretRequest(NAME, null, d.text(), null, null, null, null));
                    sm.tagResource(ctx(HOME), new TagResourceRequest(NAME, List.of(new Tag("k", d.tagValue()))));
                } else if (a instanceof Replicate r) {
                    rep.replicateSecretToRegions(ctx(HOME), new ReplicateSecretToRegionsRequest(NAME,
                            List.of(new ReplicaRegion(r.region(), null)), false));
                    replicated.add(r.region());
                } else if (a instanceof Remove r) {
                    rep.removeRegionsFromReplication(ctx(HOME),
                            new RemoveRegionsFromReplicationRequest(NAME, List.of(r.region())));
                    replicated.remove(r.region());
                    lastSeen.remove(r.region());
                } else if (a instanceof Promote p) {
                    if (replicated.contains(p.region())) {
                        rep.stopReplicationToReplica(ctx(p.region()), new SecretIdRequest(NAME));
                        replicated.remove(p.region());
                        lastSeen.remove(p.region());
                        // the promoted secret is independent now: remove it so the region can be replicated again
                        sm.deleteSecret(ctx(p.region()), new DeleteSecretRequest(NAME, null, true));
                    }
                } else if (a instanceof Outage o) {
                    emulator.faults().add(FaultRule.outage(o.region()));
                } else if (a instanceof Heal h) {
                    emulator.faults().heal(h.region());
                } else if (a instanceof FailReplication f) {
                    emulator.faults().add(new FaultRule.ReplicationFailure(
                            FaultRule.Scope.any().onRoute(HOME, f.region()).times(f.count()), null));
                } else if (a instanceof Advance adv) {
                    emulator.scheduler().advance(Duration.ofMillis(adv.millis()));
                }
            } catch (AwsException expected) {
                // refusals (e.g. replicating into a region that is already a replica) are part of the game
            }
            for (String region : replicated) {
                Instant changed = replicaLastChanged(region);
                Instant before = lastSeen.get(region);
                if (changed != null && before != null) {
                    assertFalse(changed.isBefore(before), "replica in " + region + " went backwards");
                }
                if (changed != null) lastSeen.put(region, changed);
            }
        }

        emulator.faults().clear();
        emulator.scheduler().advance(LAG.multipliedBy(2));

        DescribeSecretResponse primary = sm.describeSecret(ctx(HOME), new SecretIdRequest(NAME));
        for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
            assertEquals(ack.getValue(), sm.getSecretValue(ctx(HOME),
                    new GetSecretValueRequest(NAME, ack.getKey(), null)).secretString(), "acknowledged write lost");
        }
        for (String region : replicated) {
            DescribeSecretResponse replica = sm.describeSecret(ctx(region), new SecretIdRequest(NAME));
            assertEquals(primary.versionIdsToStages(), replica.versionIdsToStages(), "stages in " + region);
            assertEquals(primary.description(), replica.description(), "description in " + region);
            assertEquals(primary.tags(), replica.tags(), "tags in " + region);
            assertEquals(HOME, replica.primaryRegion());
            for (String versionId : replica.versionIdsToStages().keySet()) {
                assertEquals(acknowledged.get(versionId), sm.getSecretValue(ctx(region),
                        new GetSecretValueRequest(NAME, versionId, null)).secretString(), "value in " + region);
            }
            String status = primary.replicationStatus().stream().filter(s -> s.region().equals(region))
                    .map(ReplicationStatusEntry::status).findFirst().orElse(null);
            assertEquals("InSync", status, "status of " + region);
        }
    }

    private Instant replicaLastChanged(String region) {
        try {
            return emulator.secrets().describeSecret(ctx(region), new SecretIdRequest(NAME)).lastChangedDate();
        } catch (AwsException notYet) {
            return null;
        }
    }
}
