package dev.smlocal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness runs end to end on a tiny load (numbers are reported, not asserted). */
class BenchSmokeTest {
    @Test
    void replicationScenarioBringsEveryReplicaInSync() throws Exception {
        Bench.Result r = Bench.replication(20, List.of("eu-west-1", "us-west-2"));

        Bench.Row inSync = r.rows().stream().filter(row -> row.what().startsWith("sampled replicas")).findFirst().orElseThrow();
        assertEquals(40.0, inSync.value());
    }

    @Test
    void scaleScenarioRunsThroughAndReportsHeapPerSecret() throws Exception {
        Bench.Result r = WireBench.scale(200, List.of("us-east-1", "eu-west-1"));

        assertEquals(6, r.rows().size());
        // heap figures are noisy at this size; the scenario running through over HTTP is the point
        assertEquals("heap per secret", r.rows().get(2).what());
    }
}
