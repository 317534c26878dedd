package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.smlocal.conformance.support.LyingProxy;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * A green run means something: a slice of the suite, pointed at an emulator whose answers a proxy
 * falsifies ({@code ResourceNotFoundException} becomes {@code ResourceNotFound}, one message is
 * reworded), fails check by check, for those reasons; the same slice passes against the honest
 * emulator. The blind spots found by planting bugs each have a planted wrong emulator here too: a
 * ListSecrets that ignores {@code !} (every negation check fails) and writes on a deleted secret
 * that are applied and then refused (every "nothing changed" comparison fails).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscriminationTest {
    /** Checks whose outcome depends on exactly what the proxy falsifies. */
    static final List<MethodSelector> SLICE = List.of(
            selectMethod(GetSecretValueConformance.class, "unknownSecretIsResourceNotFound"),
            selectMethod(GetSecretValueConformance.class, "secretWithoutValueHasNoAwsCurrentValue"),
            selectMethod(DescribeSecretConformance.class, "unknownSecretIsResourceNotFound"),
            selectMethod(DeletionConformance.class, "plainDeleteOfAMissingSecretIsResourceNotFound"),
            selectMethod(CreateSecretConformance.class, "nameOfASecretScheduledForDeletionIsInvalidRequest"));

    /** The falsified code as the SDK or the raw view reports it (not the expected ResourceNotFoundException). */
    static final java.util.regex.Pattern WRONG_TYPE = java.util.regex.Pattern.compile("ResourceNotFound(?!Exception)");

    /** Checks that assert the raw view only: the proxy's change must show there too. */
    static final List<MethodSelector> RAW_SLICE = List.of(
            selectMethod(ResourcePolicyConformance.class, "unknownSecretIsResourceNotFound", "java.lang.String"),
            selectMethod(WireProtocolConformance.class, "errorCarriesARequestIdAndACapitalisedMessageKey"));

    /** Multi-Region and rotation checks, against a proxy that rewords their messages. */
    static final List<MethodSelector> REPLICATION_SLICE = List.of(
            selectMethod(ReplicationConformance.class, "replicaBecomesInSyncWithReplicationSucceeded"),
            selectMethod(ReplicaRefusalsConformance.class, "sdkSeesTheReplicaRefusal"),
            selectMethod(ReplicaRefusalsConformance.class, "verifiedWritesOnAReplicaAreRefused", "java.lang.String"),
            selectMethod(RotationRefusalsConformance.class, "withoutALambdaFunctionRotationIsInvalidRequest"));

    /**
     * Every negation check (ListSecrets {@code !} on each filter key, alone and mixed), found by name so
     * a new one joins: against a filter that drops the {@code !}, each must fail.
     */
    static List<MethodSelector> negationSlice() {
        List<MethodSelector> out = new ArrayList<>();
        for (Class<?> c : List.of(ListSecretsConformance.class, ReplicationConformance.class)) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class) && m.getName().toLowerCase().contains("negat")) {
                    out.add(selectMethod(c, m.getName()));
                }
            }
        }
        return out;
    }

    /** Refusals of writes on a secret scheduled for deletion, whose state the checks compare before and after. */
    static final List<MethodSelector> APPLIED_SLICE = List.of(
            selectMethod(TagsConformance.class, "secretScheduledForDeletionIsInvalidRequest", "java.lang.String"),
            selectMethod(ResourcePolicyConformance.class, "putOnASecretScheduledForDeletionIsInvalidRequest"),
            selectMethod(UpdateSecretConformance.class, "secretScheduledForDeletionIsInvalidRequest"),
            selectMethod(PutSecretValueConformance.class, "secretScheduledForDeletionIsInvalidRequest"));

    private Emulator emulator;

    @BeforeAll
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults().withPort(0).withClock("manual", null).withQuiet(true));
    }

    @AfterAll
    void stop() {
        emulator.close();
    }

    EngineExecutionResults runSliceAgainst(String target) {
        return run(SLICE, target);
    }

    EngineExecutionResults run(List<MethodSelector> slice, String target) {
        return EngineTestKit.engine("junit-jupiter").selectors(slice.toArray(MethodSelector[]::new))
                .configurationParameter("smlocal.target", target)
                .configurationParameter("smlocal.snapshots", "off")
                .execute();
    }

    @Test
    void sliceFailsAgainstAnEmulatorThatAnswersWrongly() {
        try (LyingProxy proxy = LyingProxy.start(emulator.endpoint(), LyingProxy.wrongTypeAndOneMessage())) {
            EngineExecutionResults r = runSliceAgainst("url:" + proxy.uri());

            assertEquals(SLICE.size(), r.testEvents().started().count(), "every check of the slice ran");
            assertEquals(0, r.testEvents().succeeded().count(), "no check passed against the lying target");
            List<String> reasons = failures(r);
            assertEquals(SLICE.size(), reasons.size(), reasons.toString());
            long typeMismatches = reasons.stream().filter(m -> WRONG_TYPE.matcher(m).find()).count();
            long messageMismatches = reasons.stream().filter(m -> m.contains("A secret with this name is scheduled for deletion."))
                    .count();
            assertEquals(SLICE.size() - 1, typeMismatches, "four checks see the wrong __type: " + reasons);
            assertEquals(1, messageMismatches, "one check sees the reworded message: " + reasons);
        }
    }

    @Test
    void sameSlicePassesAgainstTheHonestEmulator() {
        EngineExecutionResults r = runSliceAgainst("url:" + emulator.endpoint());

        assertEquals(SLICE.size(), r.testEvents().succeeded().count(), failures(r).toString());
        assertEquals(0, r.testEvents().failed().count());
    }

    @Test
    void rawViewAloneAlsoSeesTheWrongType() {
        try (LyingProxy proxy = LyingProxy.start(emulator.endpoint(), LyingProxy.wrongTypeAndOneMessage())) {
            EngineExecutionResults lying = run(RAW_SLICE, "url:" + proxy.uri());
            EngineExecutionResults honest = run(RAW_SLICE, "url:" + emulator.endpoint());

            List<String> reasons = failures(lying);
            assertEquals(4, lying.testEvents().started().count(), "three parameterized invocations and one check");
            assertEquals(4, reasons.size(), reasons.toString());
            assertTrue(reasons.stream().allMatch(m -> m.contains("__type expected ResourceNotFoundException, was ResourceNotFound")),
                    reasons.toString());
            assertEquals(4, honest.testEvents().succeeded().count(), failures(honest).toString());
        }
    }

    @Test
    void replicationAndRotationChecksSeeRewordedMessages() {
        try (LyingProxy proxy = LyingProxy.start(emulator.endpoint(), LyingProxy.rewordedReplicationAndRotation())) {
            EngineExecutionResults lying = run(REPLICATION_SLICE, "url:" + proxy.uri());
            EngineExecutionResults honest = run(REPLICATION_SLICE, "url:" + emulator.endpoint());

            List<String> reasons = failures(lying);
            assertEquals(5, lying.testEvents().started().count(), "two parameterized invocations and three checks");
            assertEquals(0, lying.testEvents().succeeded().count(), reasons.toString());
            assertEquals(1, reasons.stream().filter(m -> m.contains("Replication complete")).count(), reasons.toString());
            assertEquals(3, reasons.stream().filter(m -> m.contains("Operation not allowed on a replica.")).count(),
                    reasons.toString());
            assertEquals(1, reasons.stream().filter(m -> m.contains("This secret has no rotation function.")).count(),
                    reasons.toString());
            assertEquals(5, honest.testEvents().succeeded().count(), failures(honest).toString());
        }
    }

    @Test
    void everyNegationCheckFailsWhenTheFilterIgnoresTheExclamationMark() {
        List<MethodSelector> slice = negationSlice();
        assertTrue(slice.size() >= 12, "negation checks on every key, alone and mixed: " + slice);
        try (LyingProxy proxy = LyingProxy.start(emulator.endpoint(), LyingProxy.ignoredNegation())) {
            EngineExecutionResults lying = run(slice, "url:" + proxy.uri());
            EngineExecutionResults honest = run(slice, "url:" + emulator.endpoint());

            assertEquals(slice.size(), lying.testEvents().started().count(), "every negation check ran");
            assertEquals(0, lying.testEvents().succeeded().count(), "no negation check passed: " + passed(lying));
            assertEquals(slice.size(), honest.testEvents().succeeded().count(), failures(honest).toString());
        }
    }

    @Test
    void refusalsThatWereAppliedAnywayAreCaught() {
        try (LyingProxy proxy = LyingProxy.start(emulator.endpoint(), LyingProxy.appliedThenRefused())) {
            EngineExecutionResults lying = run(APPLIED_SLICE, "url:" + proxy.uri());
            EngineExecutionResults honest = run(APPLIED_SLICE, "url:" + emulator.endpoint());

            List<String> reasons = failures(lying);
            assertEquals(5, lying.testEvents().started().count(), "two parameterized invocations and three checks");
            assertEquals(5, reasons.size(), reasons.toString());
            assertTrue(reasons.stream().allMatch(m -> m.contains("refused, but the secret changed")), reasons.toString());
            assertEquals(5, honest.testEvents().succeeded().count(), failures(honest).toString());
        }
    }

    /** Writes on a replica, refused by the honest emulator; the lying one applies them to the primary first. */
    static final List<MethodSelector> REPLICA_APPLIED_SLICE = List.of(
            selectMethod(ReplicaRefusalsConformance.class, "verifiedWritesOnAReplicaAreRefused", "java.lang.String"),
            selectMethod(ReplicaRefusalsConformance.class, "otherWritesOnAReplicaAreRefused", "java.lang.String"));

    @Test
    void replicaWritesAppliedToThePrimaryAndThenRefusedAreCaught() {
        try (LyingProxy proxy = LyingProxy.start(emulator.endpoint(), LyingProxy.appliedOnThePrimaryThenRefused())) {
            EngineExecutionResults lying = run(REPLICA_APPLIED_SLICE, "url:" + proxy.uri());

            // the writes the lie applies (tags, policy, description, value) must each be caught, even a policy
            // deletion that only moves LastChangedDate; the others
            // (delete, restore, rotation, replication) it leaves alone, so they pass
            List<String> caught = lying.testEvents().failed().list().stream().map(e -> e.getTestDescriptor().getDisplayName())
                    .sorted().toList();
            assertEquals(List.of("DeleteResourcePolicy", "PutResourcePolicy", "PutSecretValue", "TagResource", "UntagResource",
                    "UpdateSecret"),
                    caught, failures(lying).toString());
            assertTrue(failures(lying).stream().allMatch(m -> m.contains("refused, but the secret changed")),
                    failures(lying).toString());
        }
    }

    static List<String> passed(EngineExecutionResults r) {
        return r.testEvents().succeeded().list().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }

    @Test
    void sliceNamesRealChecks() {
        for (MethodSelector s : concat(concat(concat(SLICE, REPLICATION_SLICE), concat(APPLIED_SLICE, negationSlice())),
                REPLICA_APPLIED_SLICE)) {
            assertTrue(s.getJavaMethod().getDeclaringClass().getSimpleName().endsWith("Conformance"), s.toString());
        }
    }

    private static List<MethodSelector> concat(List<MethodSelector> a, List<MethodSelector> b) {
        List<MethodSelector> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static List<String> failures(EngineExecutionResults r) {
        List<String> out = new ArrayList<>();
        for (Event e : r.testEvents().failed().list()) {
            e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                    .ifPresent(t -> out.add(e.getTestDescriptor().getDisplayName() + ": " + t.getMessage()));
        }
        return out;
    }
}
