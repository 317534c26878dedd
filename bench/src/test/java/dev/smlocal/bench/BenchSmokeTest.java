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
}
