package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.smlocal.conformance.support.CostEstimate;
import dev.smlocal.conformance.support.LyingProxy;
import dev.smlocal.conformance.support.Targets;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** How targets are chosen and guarded: the AWS refusal, skipping without powers, cleanup after failures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TargetsTest {
    private Emulator emulator;

    @BeforeAll
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults().withPort(0).withClock("manual", null).withQuiet(true));
    }

    @AfterAll
    void stop() {
        emulator.close();
    }

    static EngineExecutionResults run(String target, org.junit.platform.engine.DiscoverySelector... selectors) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectors)
                .configurationParameter("smlocal.target", target).configurationParameter("smlocal.fixtures", "true")
                .configurationParameter("smlocal.snapshots", "off").execute();
    }

    @Test
    @DisabledIfSystemProperty(named = "smlocal.aws.confirm", matches = "true")
    void awsWithoutConfirmationRefusesBeforeAnyCallAndShowsTheCost() {
        EngineExecutionResults r = run("aws", selectMethod(GetSecretValueConformance.class, "unknownSecretIsResourceNotFound"));

        assertEquals(1, r.testEvents().failed().count());
        String message = r.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertTrue(message.contains("Refusing to run the conformance suite against real AWS without -Dsmlocal.aws.confirm=true"),
                message);
        assertTrue(message.contains("Estimated cost of this run against real AWS"), message);
    }

    @Test
    void emulatorOnlyChecksAreSkippedOnAnEndpointWithoutTheAdminApi() {
        try (LyingProxy plain = LyingProxy.withoutAdminApi(emulator.endpoint())) {
            EngineExecutionResults r = run("url:" + plain.uri(),
                    selectMethod(DeletionConformance.class, "secretIsPurgedWhenTheWindowElapses"),
                    selectMethod(DeletionConformance.class, "restoringAnActiveSecretIsANoOp"));

            assertEquals(1, r.testEvents().skipped().count(), "the @EmulatorOnly check");
            assertEquals(1, r.testEvents().succeeded().count(), "the check every target runs");
            String reason = r.testEvents().skipped().list().get(0).getPayload(String.class).orElse("");
            assertTrue(reason.contains("needs emulator powers"), reason);
        }
    }

    @Test
    void emulatorOnlyChecksRunThroughTheAdminApiOfAnEndpoint() {
        EngineExecutionResults r = run("url:" + emulator.endpoint(),
                selectMethod(DeletionConformance.class, "secretIsPurgedWhenTheWindowElapses"),
                selectMethod(WireProtocolConformance.class, "throttlingIsAThrottlingExceptionTheSdkCanRetry"));

        assertEquals(2, r.testEvents().succeeded().count());
    }

    @Test
    void whatAFailingCheckCreatedIsRemovedAnyway() {
        EngineExecutionResults r = run("url:" + emulator.endpoint(), selectClass(FailsHalfway.class));

        assertEquals(1, r.testEvents().failed().count());
        try (SecretsManagerClient sm = SecretsManagerClient.builder().endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                .build()) {
            var left = sm.listSecrets(b -> b.includePlannedDeletion(true)).secretList().stream()
                    .filter(e -> e.name().contains("FailsHalfway")).toList();
            assertEquals(List.of(), left);
        }
    }

    @Test
    void costEstimateIsProratedByTheHour() {
        CostEstimate e = CostEstimate.of(150, 20, 1);

        // 300 secrets x $0.40 + 20 keys x $1, for one billed hour of a 720-hour month, plus requests
        double expected = 300 * 0.40 / 720 + 20 * 1.0 / 720 + 1800 / 10_000.0 * 0.05 + 240 / 10_000.0 * 0.03;
        assertEquals(expected, e.dollars(), 1e-9);
        assertTrue(e.describe().contains("$0.20"), e.describe());
    }

    @Test
    void replicationChecksAddReplicasAndWaitingTime() {
        CostEstimate single = CostEstimate.of(150, 20, 40, 0);
        CostEstimate multi = CostEstimate.of(150, 20, 40, 1);

        assertEquals(0, single.replicas(), "one region: the multi-Region checks are skipped");
        assertEquals(40, multi.replicas());
        assertEquals(150 * 3 + 40 * 60, multi.expectedSeconds());
        // 300 secrets + 40 replicas x $0.40 + 20 keys x $1, for one billed hour, plus requests
        double expected = 340 * 0.40 / 720 + 20 * 1.0 / 720 + (1800 + 1200) / 10_000.0 * 0.05 + 240 / 10_000.0 * 0.03;
        assertEquals(expected, multi.dollars(), 1e-9);
    }

    @Test
    void theEstimateCountsEveryDeclaredKeyAndSaysPendingDeletionIsNotCounted() {
        CostEstimate e = CostEstimate.of(150, 55, 40, 1);

        assertEquals(55, e.keys());
        assertTrue(e.describe().contains("55 KMS keys x $1/month"), e.describe());
        assertTrue(e.describe().contains("multi-Region replica keys included"), e.describe());
        assertTrue(e.describe().contains("keys pending deletion are NOT counted"), e.describe());
        // 55 keys for the 7 days pending deletion, were AWS to bill them
        assertEquals(55 * 168 / 720.0, e.pendingDeletionDollars(), 1e-9);
        assertTrue(e.describe().contains(String.format(java.util.Locale.ROOT, "add about $%.2f", 55 * 168 / 720.0)), e.describe());
    }

    @Test
    void thePlanCountsTheKeysEveryCheckDeclares() throws Exception {
        int declared = 0;
        for (Class<?> c : MarkersTest.checkClasses()) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                CreatesKeys k = m.getAnnotation(CreatesKeys.class);
                if (k != null) {
                    assertTrue(k.value() > 0, m.toString());
                    declared += k.value();
                }
            }
        }
        // the multi-Region key checks alone make a primary and a replica key each
        assertTrue(declared >= 50, "keys declared by the suite: " + declared);
        assertEquals(2, KmsConformance.class.getDeclaredMethod("replicaKeySharesTheIdAndDiffersOnlyInRegion")
                .getAnnotation(CreatesKeys.class).value());
    }

    @Test
    void unknownTargetSpecIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Targets.create("localstack"));
        assertThrows(IllegalArgumentException.class, () -> Targets.create("url:not a url"));
    }

    /** A fixture, run only through EngineTestKit above: creates secrets, then fails. */
    static class FailsHalfway extends ConformanceCheck {
        @Test
        @AwsUnverified(reason = "fixture")
        void createsThenFails() {
            createSecret(name("tracked"), "v");
            track("never-created-but-tracked-FailsHalfway");
            sm().createSecret(b -> b.name(name("untracked-by-helper")).secretString("v"));
            throw new AssertionError("failing on purpose");
        }
    }
}
