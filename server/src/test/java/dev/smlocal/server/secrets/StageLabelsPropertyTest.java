package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.kms.EmulatedKms;
import dev.smlocal.server.secrets.SecretsApi.*;
import dev.smlocal.server.time.EmulatorClock;
import dev.smlocal.server.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Staging labels under random sequences of PutSecretValue (random VersionStages), UpdateSecret
 * with a value, UpdateSecretVersionStage (valid and invalid moves), idempotent re-puts and clock
 * advances, run against the domain {@link SecretsService} (no server) and a plain model of where
 * every label should be. After every step:
 * <ul>
 *   <li>exactly one version holds AWSCURRENT, and each label is on at most one version;</li>
 *   <li>AWSPREVIOUS is on the version that held AWSCURRENT just before AWSCURRENT last moved;</li>
 *   <li>every label is where the model says (docs/AWS-BEHAVIOUR.md, "Staging labels": a write that
 *       takes AWSCURRENT also takes AWSPENDING off the old holder, a stage move keeps the other labels),
 *       and a refused move changes nothing;</li>
 *   <li>every acknowledged version is still listed by ListSecretVersionIds(IncludeDeprecated=true),
 *       or was dropped by the deprecation rule when it was dropped: it was deprecated, more than 100
 *       versions were deprecated, and it was at least 24 hours old; the quota is then enforced;</li>
 *   <li>GetSecretValue returns what was written, for every labelled version, every label and every
 *       version the step created. Values never change after they are written, so the (slower) read of
 *       every listed version runs once, on the final state of each chain.</li>
 * </ul>
 */
class StageLabelsPropertyTest {
    private static final Instant START = Instant.parse("2026-01-15T10:00:00Z");
    private static final String NAME = "prop/secret";
    private static final String CURRENT = Secret.CURRENT;
    private static final String PREVIOUS = Secret.PREVIOUS;
    private static final String PENDING = Secret.PENDING;
    /** Labels the actions attach and move. AWSPREVIOUS is never named, so only AWSCURRENT moves place it. */
    private static final List<String> LABELS = List.of(CURRENT, PENDING, "L1", "L2", "L3");
    private static final String UNKNOWN_VERSION = "ffffffff-ffff-4fff-bfff-ffffffffffff";
    private static final int MAX_DEPRECATED = 100;
    private static final Duration GRACE = Duration.ofHours(24);

    private static final ConcurrentLinkedQueue<Scheduler> SCHEDULERS = new ConcurrentLinkedQueue<>();

    @AfterTry
    void closeSchedulers() {
        Scheduler s;
        while ((s = SCHEDULERS.poll()) != null) s.close();
    }

    @Property(tries = 150)
    void stagingLabelInvariantsHoldAfterEveryStep(@ForAll("chains") ActionChain<State> chain) {
        State last = chain
                .withInvariant("exactly one AWSCURRENT, each label on at most one version", State::checkLabelUniqueness)
                .withInvariant("AWSPREVIOUS follows AWSCURRENT", State::checkPrevious)
                .withInvariant("labels are where the model puts them", State::checkLabelsMatchModel)
                .withInvariant("no acknowledged version is lost", State::checkNothingLost)
                .withInvariant("reads return what was written", State::checkLabelledAndNewValues)
                .run();

        last.checkEveryListedValue();
        Statistics.label("deprecated versions dropped").collect(last.dropped.isEmpty() ? "none" : "some");
        Statistics.label("refused stage moves").collect(last.refusedMoves == 0 ? "none" : "some");
    }

    @Provide
    Arbitrary<ActionChain<State>> chains() {
        return ActionChain.startWith(State::new)
                .withAction(3, new PutValue())
                .withAction(2, new UpdateValue())
                .withAction(4, new MoveStage())
                .withAction(1, new RePut())
                .withAction(2, new AdvanceClock())
                .withAction(1, new Burst())
                .withMaxTransformations(24);
    }

    // ---- actions -------------------------------------------------------------------------------

    private static Arbitrary<String> values() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(6);
    }

    /** PutSecretValue with VersionStages none, or up to three of AWSCURRENT, AWSPENDING and custom labels. */
    static final class PutValue implements Action.Independent<State> {
        @Override
        public Arbitrary<Transformer<State>> transformer() {
            Arbitrary<List<String>> stages = Arbitraries.of(LABELS).list().uniqueElements().ofMaxSize(3);
            return Combinators.combine(stages, values()).as((st, v) ->
                    Transformer.mutate("put " + v + " stages=" + st, s -> s.put(v, st.isEmpty() ? null : st)));
        }
    }

    /** UpdateSecret with a value: a new AWSCURRENT version. */
    static final class UpdateValue implements Action.Independent<State> {
        @Override
        public Arbitrary<Transformer<State>> transformer() {
            return values().map(v -> Transformer.mutate("update " + v, s -> s.update(v)));
        }
    }

    /** Many plain puts, to get beyond the 100 deprecated versions the deprecation rule keeps. */
    static final class Burst implements Action.Independent<State> {
        @Override
        public Arbitrary<Transformer<State>> transformer() {
            return Arbitraries.integers().between(30, 60).map(n -> Transformer.mutate("burst of " + n, s -> {
                s.burst(n);
            }));
        }
    }

    static final class AdvanceClock implements Action.Independent<State> {
        @Override
        public Arbitrary<Transformer<State>> transformer() {
            return Arbitraries.of(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofHours(12), Duration.ofHours(24),
                    Duration.ofHours(25), Duration.ofDays(3))
                    .map(d -> Transformer.mutate("advance " + d, s -> s.advance(d)));
        }
    }

    /**
     * UpdateSecretVersionStage: mostly well-formed moves (RemoveFromVersionId = the label's holder),
     * plus removals and arbitrary combinations of known, unknown and absent version ids.
     */
    static final class MoveStage implements Action.Dependent<State> {
        @Override
        public Arbitrary<Transformer<State>> transformer(State state) {
            List<String> ids = new ArrayList<>(state.live.keySet());
            ids.add(UNKNOWN_VERSION);
            Arbitrary<String> label = Arbitraries.of(LABELS);
            Arbitrary<String> version = Arbitraries.of(ids);
            Arbitrary<String> maybeVersion = version.injectNull(0.3);
            Arbitrary<Transformer<State>> wellFormed = Combinators.combine(label, version).as((l, to) ->
                    move(l, to, state.holder(l)));
            Arbitrary<Transformer<State>> removal = Combinators.combine(label, Arbitraries.of(true, false), version)
                    .as((l, fromHolder, other) -> move(l, null, fromHolder ? state.holder(l) : other));
            Arbitrary<Transformer<State>> anything = Combinators.combine(label, maybeVersion, maybeVersion).as(MoveStage::move);
            return Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(5, wellFormed),
                    net.jqwik.api.Tuple.of(2, removal),
                    net.jqwik.api.Tuple.of(3, anything));
        }

        private static Transformer<State> move(String label, String to, String from) {
            return Transformer.mutate("stage " + label + " to=" + to + " from=" + from, s -> s.moveStage(label, to, from));
        }
    }

    /** PutSecretValue reusing a version's token: the same value is a no-op, another value is refused. */
    static final class RePut implements Action.Dependent<State> {
        @Override
        public Arbitrary<Transformer<State>> transformer(State state) {
            return Combinators.combine(Arbitraries.of(new ArrayList<>(state.live.keySet())), Arbitraries.of(true, false),
                    Arbitraries.of(LABELS).list().uniqueElements().ofMaxSize(2))
                    .as((id, same, st) -> Transformer.mutate("re-put " + id + (same ? " same" : " different")
                            + " stages=" + st, s -> s.rePut(id, same, st.isEmpty() ? null : st)));
        }
    }

    // ---- the system under test and its model ---------------------------------------------------

    static final class State {
        final EmulatorClock clock = EmulatorClock.manual(START);
        final Scheduler scheduler = new Scheduler(clock);
        final SecretsService service = new SecretsService(new Stores(), new EmulatedKms(clock), scheduler, new IdGenerator(1));
        final RequestContext ctx = new RequestContext("000000000000", "us-east-1", "property");
        final String arn;

        /** The model: live versions in creation order with their labels. */
        final LinkedHashMap<String, Set<String>> live = new LinkedHashMap<>();
        final Map<String, Instant> created = new HashMap<>();
        /** Every acknowledged write: version id to value. */
        final Map<String, String> written = new HashMap<>();
        final Set<String> dropped = new HashSet<>();
        /** Versions created since the last invariant check (their values are read there). */
        final Set<String> fresh = new LinkedHashSet<>();
        /** The version that held AWSCURRENT just before it last moved; null while it never moved. */
        String previousExpected;
        private int tokens;
        int refusedMoves;

        State() {
            SCHEDULERS.add(scheduler);
            String token = nextToken();
            arn = service.createSecret(ctx, new CreateSecretRequest(NAME, token, null, null, null, "v0", null, null, null,
                    null)).arn();
            addVersion(token, "v0", null);
        }

        private String nextToken() {
            return String.format("00000000-0000-4000-8000-%012d", ++tokens);
        }

        String holder(String label) {
            for (Map.Entry<String, Set<String>> e : live.entrySet()) if (e.getValue().contains(label)) return e.getKey();
            return null;
        }

        @Override
        public String toString() {
            return "versions=" + live + " previousExpected=" + previousExpected + " now=" + clock.now();
        }

        // ---- model moves (AWS-BEHAVIOUR §4.2) -----------------------------------------------------------

        /** A new version with {@code stages} (AWSCURRENT when none), each label moved off its holder. */
        private void addVersion(String id, String value, List<String> stages) {
            live.put(id, new LinkedHashSet<>());
            created.put(id, clock.now());
            written.put(id, value);
            fresh.add(id);
            LinkedHashSet<String> effective = new LinkedHashSet<>(stages == null ? List.of(CURRENT) : stages);
            if (holder(CURRENT) == null) effective.add(CURRENT);
            String oldCurrent = holder(CURRENT);
            for (String label : effective) modelMove(label, id);
            // a write that takes AWSCURRENT also takes AWSPENDING off the old AWSCURRENT (recorded on AWS)
            if (effective.contains(CURRENT) && oldCurrent != null) live.get(oldCurrent).remove(PENDING);
        }

        private void modelMove(String label, String to) {
            String from = holder(label);
            if (to.equals(from)) return;
            if (from != null) live.get(from).remove(label);
            live.get(to).add(label);
            if (label.equals(CURRENT) && from != null) {
                String prev = holder(PREVIOUS);
                if (prev != null) live.get(prev).remove(PREVIOUS);
                live.get(from).add(PREVIOUS);
                previousExpected = from;
            }
        }

        // ---- operations ------------------------------------------------------------------------

        void put(String value, List<String> stages) {
            putWithoutSync(value, stages);
            afterMutation();
        }

        /**
         * {@code n} plain puts; the listing is checked once at the end (the clock stands still
         * meanwhile), and only the last value is read at once.
         */
        void burst(int n) {
            Set<String> before = new HashSet<>(fresh);
            for (int i = 0; i < n; i++) putWithoutSync("b" + i, null);
            String last = holder(CURRENT);
            fresh.retainAll(before); // the burst's versions are read by the final check; its last one now
            fresh.add(last);
            afterMutation();
        }

        private void putWithoutSync(String value, List<String> stages) {
            listed = null;
            String token = nextToken();
            PutSecretValueResponse r = service.putSecretValue(ctx, new PutSecretValueRequest(NAME, token, null, value,
                    stages, null));
            addVersion(token, value, stages);
            assertEquals(token, r.versionId());
            assertEquals(live.get(token), new HashSet<>(r.versionStages()), "PutSecretValue's VersionStages");
        }

        void update(String value) {
            listed = null;
            String token = nextToken();
            UpdateSecretResponse r = service.updateSecret(ctx, new UpdateSecretRequest(NAME, token, null, null, null,
                    value, null));
            addVersion(token, value, null);
            assertEquals(token, r.versionId());
            afterMutation();
        }

        void rePut(String id, boolean same, List<String> stages) {
            listed = null;
            String value = same ? written.get(id) : written.get(id) + "-changed";
            if (same) {
                PutSecretValueResponse r = service.putSecretValue(ctx, new PutSecretValueRequest(NAME, id, null, value,
                        stages, null));
                assertEquals(id, r.versionId());
                assertEquals(live.get(id), new HashSet<>(r.versionStages()), "an idempotent re-put changes no label");
            } else {
                AwsException e = assertThrows(AwsException.class, () -> service.putSecretValue(ctx,
                        new PutSecretValueRequest(NAME, id, null, value, stages, null)));
                assertSameError(Errors.tokenInUse(id, arn), e);
            }
        }

        /** UpdateSecretVersionStage, checked against the model's verdict (AWS-BEHAVIOUR §4.3). */
        void moveStage(String label, String to, String from) {
            listed = null;
            AwsException expected = verdict(label, to, from);
            UpdateSecretVersionStageRequest req = new UpdateSecretVersionStageRequest(NAME, label, from, to);
            if (expected != null) {
                AwsException e = assertThrows(AwsException.class, () -> service.updateSecretVersionStage(ctx, req),
                        "expected " + expected.getMessage());
                assertSameError(expected, e);
                refusedMoves++;
                return;
            }
            ArnName r = service.updateSecretVersionStage(ctx, req);
            assertEquals(arn, r.arn());
            if (to != null) modelMove(label, to);
            else live.get(from).remove(label);
            afterMutation();
        }

        private AwsException verdict(String label, String to, String from) {
            if (to == null && from == null) return Errors.moveOrRemoveRequired();
            if (from != null) {
                if (!live.containsKey(from)) return Errors.notAValidVersion(from);
                if (!live.get(from).contains(label)) return Errors.stageNotFoundInVersion(label, from);
            }
            if (to != null) {
                if (!live.containsKey(to)) return Errors.notAValidVersion(to);
                String holder = holder(label);
                if (holder != null && !holder.equals(to) && !holder.equals(from)) {
                    return Errors.removeFromVersionRequired(label, holder);
                }
                return null;
            }
            return label.equals(CURRENT) ? Errors.cannotDetachCurrent() : null;
        }

        private static void assertSameError(AwsException expected, AwsException actual) {
            assertEquals(expected.type(), actual.type(), actual.getMessage());
            assertEquals(expected.getMessage(), actual.getMessage());
        }

        /**
         * After a successful change the service may drop deprecated versions. Each version gone from
         * the listing must have been droppable, and no more may go than the quota allows.
         */
        private void afterMutation() {
            Set<String> ids = new HashSet<>();
            for (SecretVersionsListEntry v : listing()) ids.add(v.versionId());
            List<String> deprecated = live.keySet().stream().filter(id -> live.get(id).isEmpty()).toList();
            List<String> gone = live.keySet().stream().filter(id -> !ids.contains(id)).toList();
            Instant now = clock.now();
            for (String id : gone) {
                assertTrue(live.get(id).isEmpty(), "dropped a labelled version " + id);
                assertFalse(created.get(id).plus(GRACE).isAfter(now), "dropped " + id + " younger than 24 hours");
            }
            if (!gone.isEmpty()) {
                assertTrue(deprecated.size() > MAX_DEPRECATED, "dropped with only " + deprecated.size() + " deprecated");
                assertTrue(gone.size() <= deprecated.size() - MAX_DEPRECATED, "dropped more than the excess");
            }
            gone.forEach(id -> {
                live.remove(id);
                dropped.add(id);
                fresh.remove(id);
            });
            long left = live.values().stream().filter(Set::isEmpty).count();
            boolean oldOnesLeft = live.keySet().stream()
                    .anyMatch(id -> live.get(id).isEmpty() && !created.get(id).plus(GRACE).isAfter(now));
            assertTrue(left <= MAX_DEPRECATED || !oldOnesLeft,
                    left + " deprecated versions kept although some are older than 24 hours");
        }

        void advance(Duration d) {
            listed = null;
            scheduler.advance(d);
        }

        // ---- reads -----------------------------------------------------------------------------

        /** The listing as of the last step; every operation clears it. */
        private List<SecretVersionsListEntry> listed;

        List<SecretVersionsListEntry> listing() {
            if (listed == null) listed = freshListing();
            return listed;
        }

        private List<SecretVersionsListEntry> freshListing() {
            List<SecretVersionsListEntry> out = new ArrayList<>();
            String token = null;
            do {
                ListSecretVersionIdsResponse page = service.listSecretVersionIds(ctx,
                        new ListSecretVersionIdsRequest(NAME, 100, token, true));
                out.addAll(page.versions());
                token = page.nextToken();
            } while (token != null);
            return out;
        }

        private String read(String versionId, String stage) {
            return service.getSecretValue(ctx, new GetSecretValueRequest(NAME, versionId, stage)).secretString();
        }

        // ---- invariants ------------------------------------------------------------------------

        void checkLabelUniqueness() {
            Map<String, String> seen = new HashMap<>();
            int currents = 0;
            for (SecretVersionsListEntry v : listing()) {
                if (v.versionStages() == null) continue;
                for (String label : v.versionStages()) {
                    String other = seen.put(label, v.versionId());
                    assertNull(other, label + " on " + other + " and " + v.versionId());
                    if (label.equals(CURRENT)) currents++;
                }
            }
            assertEquals(1, currents, "versions holding AWSCURRENT");
        }

        void checkPrevious() {
            String actual = null;
            for (SecretVersionsListEntry v : listing()) {
                if (v.versionStages() != null && v.versionStages().contains(PREVIOUS)) actual = v.versionId();
            }
            assertEquals(previousExpected, actual, "AWSPREVIOUS holder");
        }

        void checkLabelsMatchModel() {
            List<SecretVersionsListEntry> listed = listing();
            assertEquals(new ArrayList<>(live.keySet()), listed.stream().map(SecretVersionsListEntry::versionId).toList(),
                    "listed versions, oldest first");
            for (SecretVersionsListEntry v : listed) {
                Set<String> expected = live.get(v.versionId());
                if (expected.isEmpty()) assertNull(v.versionStages(), "a deprecated version has no VersionStages");
                else assertEquals(expected, new HashSet<>(v.versionStages()), v.versionId());
            }
            Map<String, Set<String>> labelled = new LinkedHashMap<>();
            live.forEach((id, labels) -> {
                if (!labels.isEmpty()) labelled.put(id, labels);
            });
            Map<String, Set<String>> described = new LinkedHashMap<>();
            service.describeSecret(ctx, new SecretIdRequest(NAME)).versionIdsToStages()
                    .forEach((id, labels) -> described.put(id, new HashSet<>(labels)));
            assertEquals(labelled, described, "DescribeSecret VersionIdsToStages");
        }

        void checkNothingLost() {
            Set<String> listed = new HashSet<>();
            for (SecretVersionsListEntry v : listing()) listed.add(v.versionId());
            for (String id : written.keySet()) {
                assertTrue(listed.contains(id) != dropped.contains(id),
                        id + " must be listed or have been dropped by the deprecation rule, not both");
            }
        }

        void checkLabelledAndNewValues() {
            assertEquals(written.get(holder(CURRENT)), read(null, null), "default read is AWSCURRENT");
            for (String label : LABELS) {
                String holder = holder(label);
                if (holder != null) assertEquals(written.get(holder), read(null, label), "read by " + label);
            }
            String prev = holder(PREVIOUS);
            if (prev != null) assertEquals(written.get(prev), read(null, PREVIOUS));
            for (String id : fresh) assertEquals(written.get(id), read(id, null), "read of new version " + id);
            fresh.clear();
        }

        void checkEveryListedValue() {
            for (SecretVersionsListEntry v : listing()) {
                assertEquals(written.get(v.versionId()), read(v.versionId(), null), v.versionId());
                assertEquals(live.get(v.versionId()), v.versionStages() == null ? Set.of() : new HashSet<>(v.versionStages()),
                        v.versionId());
            }
        }
    }
}
