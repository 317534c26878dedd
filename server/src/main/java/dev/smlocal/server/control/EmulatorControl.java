package dev.smlocal.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.kms.KeyInfo;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.observe.EventLog;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.secrets.SecretViews.SecretSummary;
import dev.smlocal.server.time.EmulatorClock;
import dev.smlocal.server.time.Scheduler.PendingTask;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything that controls or observes a running emulator (not the AWS API): the clock, regions and
 * outages, faults, replication lags, rotation functions, principals, events, metrics and the views
 * the dashboard reads. One interface, two implementations (the shape of WireMock's {@code Admin}):
 * the emulator's own ({@code Emulator.control()}, in this JVM) and {@link HttpEmulatorControl} (the
 * {@code /_smlocal/} API of a server anywhere). The admin routes are a thin table over this
 * interface, so a call gives the same answer in process and over HTTP.
 *
 * <p>Refusals: {@link IllegalArgumentException} for bad input (admin 400), {@link IllegalStateException}
 * for what is not possible now (admin 409, e.g. moving a system clock, removing a built-in function).
 * The records below are the admin API's JSON documents, field for field ({@link ControlJson}).
 */
public interface EmulatorControl {

    /** {@code GET /_smlocal/health}. */
    record Health(String status, String version, List<String> regions) {}

    /** {@code GET /_smlocal/clock}: mode ({@code manual} or {@code system}), now, pending tasks in run order. */
    record ClockState(String mode, Instant now, List<PendingTask> pending) {}

    /** {@code GET /_smlocal/replication}: lags, pending deliveries, deliveries waiting for an outage to end. */
    record ReplicationState(Duration defaultLag, List<Replicator.Route> routes, List<PendingTask> pending,
                            List<String> waitingForOutage) {}

    /** A registered rotation function: kind {@code http}, {@code in-process} or {@code built-in}; url for HTTP ones. */
    record FunctionInfo(String name, String kind, String url) {}

    /** {@code GET /_smlocal/functions}: the functions and the time a rotation step may take. */
    record Functions(List<FunctionInfo> functions, Duration timeout) {}

    /** A declared principal; its secret access key is never shown, only whether there is one. */
    record PrincipalInfo(String accessKeyId, String arn, boolean hasSecretAccessKey, String policy) {}

    /** {@code GET /_smlocal/principals}: the declared principals and whether authorization is {@code on}. */
    record PrincipalsState(List<PrincipalInfo> principals, String authorization) {}

    /** {@code GET /_smlocal/state}: clock, regions, every secret's summary and every KMS key. */
    record State(ClockState clock, List<String> regions, List<SecretSummary> secrets, List<KeyInfo> keys) {}

    /** The dashboard's estate filter ({@code GET /_smlocal/estate}); null fields do not filter. */
    record EstateQuery(String account, String region, String q, String status, int offset, int limit) {
        public static final int DEFAULT_LIMIT = 100;
        public static final int MAX_LIMIT = 1000;

        public static EstateQuery all() {
            return new EstateQuery(null, null, null, null, 0, DEFAULT_LIMIT);
        }
    }

    // ---- the emulator ----------------------------------------------------------------------------

    /** Status, version and the enabled regions. */
    Health health();

    /** The enabled regions. */
    default List<String> regions() {
        return health().regions();
    }

    /**
     * Forgets every secret, key, event, fault and pending task and every registered rotation function
     * (the built-ins stay), rewinds a manual clock to its start; keeps configuration and principals.
     */
    void reset();

    // ---- clock -----------------------------------------------------------------------------------

    ClockState clock();

    default Instant now() {
        return clock().now();
    }

    default List<PendingTask> pending() {
        return clock().pending();
    }

    /** Switches the clock between manual and system mode. */
    void clockMode(EmulatorClock.Mode mode);

    /** Moves a manual clock forward, running every task that falls due; returns how many ran. */
    int advance(Duration amount);

    /** Moves a manual clock forward to {@code instant}; returns how many tasks ran. */
    int setTime(Instant instant);

    /** Advances a manual clock task by task until nothing is pending or {@code limit} has passed. */
    int advanceUntilIdle(Duration limit);

    // ---- faults and outages ----------------------------------------------------------------------

    /** The rules in force, with their ids. */
    List<FaultRule> faults();

    /** Adds a rule; returns it with its id. */
    FaultRule addFault(FaultRule rule);

    /** Removes a rule; false when it is gone already (removed, or its count used up). */
    boolean removeFault(String id);

    /** Removes every rule. */
    void clearFaults();

    /**
     * Takes {@code region} out: calls answer 503, or with {@code mode} {@code timeout} get no answer
     * for {@code timeoutMillis} (null: 30000). Returns the outage rule.
     */
    FaultRule startOutage(String region, String mode, String timeoutMillis);

    /** Ends every outage of {@code region}; returns how many rules that removed. */
    int heal(String region);

    // ---- replication -----------------------------------------------------------------------------

    ReplicationState replication();

    /** Sets the default lag (null: unchanged) and replaces the per-route lags (null: unchanged). */
    ReplicationState configureReplication(Duration defaultLag, List<Replicator.Route> routes);

    // ---- rotation functions ----------------------------------------------------------------------

    Functions functions();

    /** Registers an HTTP rotation function: each step of a rotation naming {@code name} is POSTed to {@code url}. */
    void registerHttpFunction(String name, URI url);

    /**
     * Forgets a registered function (HTTP or in-process); false when there is none by that name.
     *
     * @throws IllegalStateException for a built-in function, which cannot be removed
     */
    boolean removeFunction(String name);

    // ---- principals ------------------------------------------------------------------------------

    PrincipalsState principals();

    /** Declares (or replaces) a principal; a bad ARN or policy is an {@link IllegalArgumentException}. */
    PrincipalInfo declarePrincipal(Principals.Declared principal);

    /** Forgets a declared principal; false when none has that access key. */
    boolean removePrincipal(String accessKeyId);

    // ---- observation -----------------------------------------------------------------------------

    /** The event stream, oldest first. */
    List<Event> events();

    /** The events numbered {@code from} on, at most {@code limit} of them. */
    EventLog.Tail eventsSince(long from, int limit);

    /** The newest {@code last} events, at most {@code limit} of them (a poller's first call). */
    EventLog.Tail lastEvents(int last, int limit);

    /** The metrics in Prometheus text form. */
    String metrics();

    State state();

    /**
     * The whole state as one document (docs/PERSISTENCE.md): values sealed as held, or in the clear
     * only when {@code clearValues} is asked for.
     */
    JsonNode exportState(boolean clearValues);

    /**
     * Replaces the whole state with {@code document}'s and plans its timed work again. A document that
     * cannot be restored is an {@link IllegalArgumentException} naming the problem, and nothing changes.
     */
    void importState(JsonNode document);

    /** The dashboard's estate view: one row per secret with its replicas, the accounts × regions grid, outages. */
    JsonNode estate(EstateQuery query);

    /** The dashboard's view of one secret (metadata, versions, policy, its events); empty when there is none. */
    Optional<JsonNode> secret(String account, String region, String name);

    /** What the estate would cost on AWS per month. */
    CostEstimate cost();
}
