package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
 * standalone secret that caused a name conflict included.
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
}
