package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.persist.InitialState;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * {@code initialState}: each test starts from the declared estate (secrets, a multi-Region key with
 * its alias, a replica InSync), whatever the previous test did; the reset that returns to it stays fast.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InitialStateTest {
    static final int ROUNDS = 30;

    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder().regions("us-east-1", "eu-west-1")
            .initialState("estate-10.json").build();

    @Test
    @Order(1)
    void theEstateIsThereAndATestMayChangeIt(@InRegion("us-east-1") SecretsManagerClient east,
                                             @InRegion("eu-west-1") SecretsManagerClient eu) {
        assertEquals(10, east.listSecrets(b -> { }).secretList().size());
        assertEquals(StatusType.IN_SYNC,
                east.describeSecret(b -> b.secretId("svc-0/config")).replicationStatus().get(0).status());
        assertEquals("{\"user\":\"svc0\",\"password\":\"pw-0\"}",
                eu.getSecretValue(b -> b.secretId("svc-0/config")).secretString());

        east.deleteSecret(b -> b.secretId("svc-3/config").forceDeleteWithoutRecovery(true));
        east.putSecretValue(b -> b.secretId("svc-1/config").secretString("changed"));
        east.createSecret(b -> b.name("extra").secretString("x"));
    }

    @Test
    @Order(2)
    void theNextTestStartsFromTheEstateAgain(@InRegion("us-east-1") SecretsManagerClient east) {
        assertEquals(10, east.listSecrets(b -> { }).secretList().size());
        assertEquals("{\"user\":\"svc3\",\"password\":\"pw-3\"}",
                east.getSecretValue(b -> b.secretId("svc-3/config")).secretString());
        assertEquals("{\"user\":\"svc1\",\"password\":\"pw-1\"}",
                east.getSecretValue(b -> b.secretId("svc-1/config")).secretString());
        assertThrows(ResourceNotFoundException.class, () -> east.getSecretValue(b -> b.secretId("extra")));
    }

    @Test
    @Order(3)
    void resettingToATenSecretEstateStaysFast(SmLocal smlocal, @InRegion("us-east-1") SecretsManagerClient east) {
        long[] nanos = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            east.deleteSecret(b -> b.secretId("svc-5/config").forceDeleteWithoutRecovery(true));
            long started = System.nanoTime();
            smlocal.reset();
            nanos[round] = System.nanoTime() - started;
        }
        assertEquals(10, east.listSecrets(b -> { }).secretList().size());

        Arrays.sort(nanos);
        double medianMs = nanos[ROUNDS / 2] / 1e6;
        System.out.printf("smlocal reset + 10-secret estate: median %.2f ms, p95 %.2f ms, max %.2f ms over %d rounds%n",
                medianMs, nanos[ROUNDS * 95 / 100] / 1e6, nanos[ROUNDS - 1] / 1e6, ROUNDS);
        assertTrue(medianMs < 100.0, "median reset + estate " + medianMs + " ms");
    }

    /** The declarative form, from a file path: the example estate of the repository (examples/init). */
    @Nested
    class FromTheRepositoryExample {
        @RegisterExtension
        final SmLocalExtension example = SmLocalExtension.builder().regions("us-east-1", "eu-west-1")
                .initialState(Path.of(System.getProperty("smlocal.repo.dir", "..")).resolve("examples/init/estate.json"))
                .build();

        @Test
        void itsSecretsAreThere() {
            assertTrue(example.client("us-east-1").getSecretValue(b -> b.secretId("app/db")).secretString()
                    .contains("change-me"));
        }
    }

    @Test
    @Order(4)
    void anAttachedServerRefusesAnInitialState() {
        try (Emulator standalone = Emulator.start(EmulatorConfig.defaults().withPort(0).withQuiet(true)
                .withRegions(List.of("us-east-1")))) {
            Settings s = new Settings(List.of(), EmulatorConfig.DEFAULT_REPLICATION_LAG, SmLocalTest.Clock.MANUAL, null,
                    0, true, false, false, standalone.endpoint(), 0, List.of(), null, false, "classpath:estate-10.json", null);

            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Session.open(s));

            assertTrue(e.getMessage().startsWith("initialState needs an in-process server; the server at "
                    + standalone.endpoint() + " is not started by the testkit: start it with --init"), e.getMessage());
        }
    }

    @Test
    @Order(5)
    void aTypoInTheEstateFailsWithTheEntryNamed() {
        Settings s = Settings.defaults();
        Settings typo = new Settings(s.regions(), s.replicationLag(), s.clock(), s.clockStart(), s.seed(), true, false,
                false, null, 0, List.of(), null, false, "classpath:estate-typo.json", null);

        InitialState.Invalid e = assertThrows(InitialState.Invalid.class, typo::estate);

        assertEquals("classpath:estate-typo.json: Secrets[0].Tag: unknown member (known: Account, AddReplicaRegions, "
                + "BlockPublicPolicy, Description, ForceOverwriteReplicaSecret, KmsKeyId, Name, Region, ResourcePolicy, "
                + "RotateImmediately, RotationLambdaARN, RotationRules, SecretBinary, SecretString, Tags)", e.getMessage());
    }
}
