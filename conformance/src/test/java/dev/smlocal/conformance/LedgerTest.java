package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Ledger;
import dev.smlocal.conformance.support.Target;
import dev.smlocal.conformance.support.Targets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The cleanup the multi-Region checks rely on (AWS refuses to delete a primary that has replicas, and
 * refuses DeleteSecret on a replica): whatever order a check tracked primaries and replicas in, the
 * ledger removes replicas through their primary and leaves nothing behind — failed replicas and the
 * standalone secret that caused a name conflict included. A removal that fails is retried (bounded,
 * with a doubling wait against AWS only) and what is still left is kept and reported with its cost.
 */
class LedgerTest {

    private static void gone(SecretsManagerClient sm, String id) {
        assertThrows(ResourceNotFoundException.class, () -> sm.describeSecret(b -> b.secretId(id)), id + " is gone");
    }

    @Test
    void replicasGoFirstAndATrackedReplicaGoesThroughItsPrimary() {
        try (Target t = Targets.create("in-process")) {
            String east = t.region();
            String west = t.otherRegion();
            SecretsManagerClient e = t.secrets(east);
            SecretsManagerClient w = t.secrets(west);
            ReplicaRegionType toWest = ReplicaRegionType.builder().region(west).build();
            e.createSecret(b -> b.name("ledger/a").secretString("v").addReplicaRegions(toWest));
            e.createSecret(b -> b.name("ledger/b").secretString("v").addReplicaRegions(toWest));
            w.createSecret(b -> b.name("ledger/c").secretString("local"));
            e.createSecret(b -> b.name("ledger/c").secretString("v").addReplicaRegions(toWest)); // Failed: name taken
            t.powers().orElseThrow().advance(Duration.ofSeconds(1));

            t.ledger().clean(List.of(
                    new Ledger.Secret(west, "ledger/a"), new Ledger.Secret(east, "ledger/a"), // replica before primary
                    new Ledger.Secret(west, "ledger/b"),                                        // only the replica
                    new Ledger.Secret(east, "ledger/c"), new Ledger.Secret(west, "ledger/c")), List.of());

            for (String id : List.of("ledger/a", "ledger/c")) {
                gone(e, id);
                gone(w, id);
            }
            gone(w, "ledger/b");
            assertFalse(e.describeSecret(b -> b.secretId("ledger/b")).hasReplicationStatus()
                    && !e.describeSecret(b -> b.secretId("ledger/b")).replicationStatus().isEmpty(),
                    "b's primary no longer replicates");
            assertEquals(0, t.ledger().outstanding());
        }
    }

    /** A remover that fails the first {@code failures} tries for each resource (-1: always). */
    static final class Flaky implements Ledger.Remover {
        final java.util.Map<Object, Integer> tries = new java.util.HashMap<>();
        final java.util.Map<Object, Integer> failures;

        Flaky(java.util.Map<Object, Integer> failures) {
            this.failures = failures;
        }

        private void attempt(Object what) {
            int n = tries.merge(what, 1, Integer::sum);
            int f = failures.getOrDefault(what, 0);
            if (f < 0 || n <= f) throw new IllegalStateException("throttled (try " + n + ")");
        }

        @Override
        public void secret(Ledger.Secret s) {
            attempt(s);
        }

        @Override
        public void key(Ledger.Key k) {
            attempt(k);
        }
    }

    @Test
    void aFailedRemovalIsRetriedWithADoublingWaitAndWhatIsLeftIsReportedWithItsCost() {
        Ledger.Secret flaky = new Ledger.Secret("us-east-1", "conf/flaky");
        Ledger.Secret stuck = new Ledger.Secret("us-east-1", "conf/stuck");
        Ledger.Secret fine = new Ledger.Secret("us-west-2", "conf/fine");
        Ledger.Key key = new Ledger.Key("us-west-2", "mrk-1234");
        Flaky remover = new Flaky(java.util.Map.of(flaky, 2, stuck, -1, key, -1));
        List<Duration> waits = new java.util.ArrayList<>();
        Ledger ledger = Ledger.with(remover, waits::add);
        for (Ledger.Secret s : List.of(flaky, stuck, fine)) ledger.add(s);
        ledger.add(key);

        ledger.clean(List.of(flaky, stuck, fine), List.of(key));

        assertEquals(3, remover.tries.get(flaky), "two failures, then removed");
        assertEquals(Ledger.ATTEMPTS, remover.tries.get(stuck), "bounded");
        assertEquals(1, remover.tries.get(fine));
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4),                              // flaky
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),                       // stuck
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)), waits);              // key
        assertEquals(2, ledger.outstanding(), "what could not be removed stays in the ledger");
        assertEquals(1.40, ledger.monthlyCost(), 1e-9);
        String report = ledger.report();
        assertTrue(report.startsWith("2 resources left behind, about $1.40 per month until removed by hand:"), report);
        assertTrue(report.contains("secret conf/stuck in us-east-1: $0.40/month"), report);
        assertTrue(report.contains("KMS key mrk-1234 in us-west-2: $1.00/month"), report);
        assertTrue(report.contains("last error IllegalStateException: throttled (try 4)"), report);
        assertFalse(report.contains("conf/flaky") || report.contains("conf/fine"), report);

        // the target's close tries again; once it works nothing is left and the report is empty
        Ledger retried = Ledger.with(new Flaky(java.util.Map.of()), waits::add);
        retried.add(stuck);
        retried.cleanAll();
        assertEquals(0, retried.outstanding());
        assertEquals("", retried.report());
    }

    @Test
    void onlyTheRealAwsPathWaits() {
        // an hour's backoff returns at once against an emulator or an endpoint
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            Ledger.pauseFor(Target.Kind.IN_PROCESS).pause(Duration.ofHours(1));
            Ledger.pauseFor(Target.Kind.URL).pause(Duration.ofHours(1));
        });
        long start = System.nanoTime();
        Ledger.pauseFor(Target.Kind.AWS).pause(Duration.ofMillis(50));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(45).toNanos(), "the AWS path really waits");
    }
}
