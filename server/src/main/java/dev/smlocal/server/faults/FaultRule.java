package dev.smlocal.server.faults;

import java.util.Locale;
import java.util.Set;

/**
 * One injected fault: a kind with its own typed settings, and a {@link Scope} shared by every kind:
 * where (a {@code region}, an {@code operation}, an {@code account}, or the replication route
 * {@code from → to}), how often ({@code probability}, drawn from the emulator's seeded random) and
 * how many times ({@code count}; null = until removed).
 *
 * <p>The kinds (their admin API {@code action} in brackets):
 * <ul>
 *   <li>{@link Outage} ({@code outage}): calls signed for the region answer 503, or in
 *       {@code timeout} mode no answer until the client gives up (bounded by {@code timeoutMillis});
 *       work waiting for the region (replication into or out of it, its rotations) waits at the
 *       {@link RegionGate} until the outage ends;</li>
 *   <li>{@link ErrorFault} ({@code error}): the call answers the AWS error {@code errorType}
 *       (default InternalServiceError) with {@code message};</li>
 *   <li>{@link Throttle} ({@code throttle}): the call answers ThrottlingException "Rate exceeded";</li>
 *   <li>{@link Latency} ({@code latency}): the answer is delayed by {@code millis} of real, bounded time;</li>
 *   <li>{@link ConnectionReset} ({@code connection-reset}): the connection is closed without an answer;</li>
 *   <li>{@link ReplicationFailure} ({@code fail-replication}): a replication attempt on the route
 *       fails (status Failed, with {@code message}).</li>
 * </ul>
 * The first five act on API calls ({@link CallFault}, carried out by the HTTP dispatcher), the last
 * on replication deliveries (carried out by the replicator). Each kind is handled through
 * {@link Cases}: one method per kind, so adding a kind is a compile error in every place that must
 * handle it (Java 17 has no pattern switch; this is its checked equivalent). JSON form:
 * {@link FaultJson}.
 */
public sealed interface FaultRule {

    /** The admin API's action names, one per kind. */
    Set<String> ACTIONS = Set.of(Outage.ACTION, ErrorFault.ACTION, Throttle.ACTION, Latency.ACTION,
            ConnectionReset.ACTION, ReplicationFailure.ACTION);

    /** Where, how often and how many times; what every kind has. */
    Scope scope();

    /** This kind's admin API action name, e.g. {@code fail-replication}. */
    String action();

    /** The same fault with another scope. */
    FaultRule withScope(Scope scope);

    /** Calls the method of {@code cases} for this rule's kind. */
    <R> R match(Cases<R> cases);

    /** One method per kind: what to do with each. */
    interface Cases<R> extends CallFault.Cases<R> {
        R replicationFailure(ReplicationFailure f);
    }

    default String id() { return scope().id(); }
    default String name() { return scope().name(); }
    default String region() { return scope().region(); }
    default String operation() { return scope().operation(); }
    default String account() { return scope().account(); }
    default String from() { return scope().from(); }
    default String to() { return scope().to(); }
    default double probability() { return scope().probability(); }
    default Integer count() { return scope().count(); }

    /** Every region outage: 503 for calls, replication and rotation wait (the shorthand the admin API and tests use). */
    static Outage outage(String region) {
        return new Outage(Scope.any().inRegion(region), null, null);
    }

    /** Every replication attempt from {@code from} to {@code to} (null: any) fails. */
    static ReplicationFailure failReplication(String from, String to) {
        return new ReplicationFailure(Scope.any().onRoute(from, to), null);
    }

    /** The rule as added to a plan: its id, and a name derived from the action and scope when it has none. */
    default FaultRule withId(String newId) {
        Scope s = scope();
        String n = s.name() != null ? s.name() : action() + "_" + (s.region() != null ? s.region()
                : (s.from() != null || s.to() != null)
                        ? (s.from() == null ? "*" : s.from()) + "->" + (s.to() == null ? "*" : s.to()) : "all");
        return withScope(new Scope(newId, n, s.region(), s.operation(), s.account(), s.from(), s.to(),
                s.probability(), s.count()));
    }

    /**
     * What every kind has. {@code id} is given by the {@link FaultPlan}; {@code name} labels listings
     * and events; null scope fields match anything.
     */
    record Scope(String id, String name, String region, String operation, String account, String from, String to,
                 double probability, Integer count) {
        public Scope {
            if (probability < 0.0 || probability > 1.0) {
                throw new IllegalArgumentException("probability must be between 0.0 and 1.0, was: " + probability);
            }
            if (count != null && count < 1) throw new IllegalArgumentException("count must be at least 1, was: " + count);
        }

        /** Any call or route, always, until removed. */
        public static Scope any() {
            return new Scope(null, null, null, null, null, null, null, 1.0, null);
        }

        public Scope inRegion(String newRegion) {
            return new Scope(id, name, newRegion, operation, account, from, to, probability, count);
        }

        public Scope onRoute(String newFrom, String newTo) {
            return new Scope(id, name, region, operation, account, newFrom, newTo, probability, count);
        }

        public Scope times(Integer newCount) {
            return new Scope(id, name, region, operation, account, from, to, probability, newCount);
        }

        boolean matchesCall(String callRegion, String callOperation, String callAccount) {
            return (region == null || region.equals(callRegion))
                    && (operation == null || operation.equals(callOperation))
                    && (account == null || account.equals(callAccount));
        }

        boolean matchesRoute(String routeFrom, String routeTo) {
            return (from == null || from.equals(routeFrom)) && (to == null || to.equals(routeTo))
                    && (region == null || region.equals(routeTo));
        }
    }

    /** A fault that answers an API call instead of (or later than) the operation. */
    sealed interface CallFault extends FaultRule {
        /** One method per call kind: what the dispatcher does with each. */
        interface Cases<R> {
            R outage(Outage f);

            R error(ErrorFault f);

            R throttle(Throttle f);

            R latency(Latency f);

            R connectionReset(ConnectionReset f);
        }

        /** Calls the method of {@code cases} for this rule's kind. */
        <R> R matchCall(Cases<R> cases);

        @Override
        default <R> R match(FaultRule.Cases<R> cases) {
            return matchCall(cases);
        }
    }

    /** How calls into a region under outage end. */
    enum OutageMode {
        /** 503 ServiceUnavailableException at once. */
        UNAVAILABLE,
        /** No answer: the connection is held (bounded) and then dropped, as a client timeout sees it. */
        TIMEOUT;

        /** The admin API's name, e.g. {@code timeout}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode named {@code text}, case-insensitively; null for null. */
        public static OutageMode parse(String text) {
            if (text == null) return null;
            for (OutageMode m : values()) if (m.wireName().equalsIgnoreCase(text.trim())) return m;
            throw new IllegalArgumentException("mode must be unavailable or timeout, was: " + text);
        }
    }

    /**
     * The region is down. {@code mode} and {@code timeoutMillis} are as given (null: not given,
     * which means {@link OutageMode#UNAVAILABLE} and the dispatcher's longest hold). A region outage
     * covers every operation; an outage limited to an operation fails only those calls and holds
     * no replication or rotation.
     */
    record Outage(Scope scope, OutageMode mode, Long timeoutMillis) implements CallFault {
        public static final String ACTION = "outage";

        public Outage {
            if (scope.region() == null) throw new IllegalArgumentException("an outage needs a region");
        }

        /** Whether calls hang instead of answering 503. */
        public boolean hangs() {
            return mode == OutageMode.TIMEOUT;
        }

        /** Whether the whole region is down (not just one operation's calls). */
        public boolean regionWide() {
            return scope.operation() == null;
        }

        @Override public String action() { return ACTION; }
        @Override public Outage withScope(Scope s) { return new Outage(s, mode, timeoutMillis); }
        @Override public <R> R matchCall(CallFault.Cases<R> c) { return c.outage(this); }
    }

    /** The call answers the AWS error {@code errorType} (null or unknown: InternalServiceError) with {@code message} (null: a default naming the fault). */
    record ErrorFault(Scope scope, String errorType, String message) implements CallFault {
        public static final String ACTION = "error";

        @Override public String action() { return ACTION; }
        @Override public ErrorFault withScope(Scope s) { return new ErrorFault(s, errorType, message); }
        @Override public <R> R matchCall(CallFault.Cases<R> c) { return c.error(this); }
    }

    /** The call answers ThrottlingException. */
    record Throttle(Scope scope) implements CallFault {
        public static final String ACTION = "throttle";

        @Override public String action() { return ACTION; }
        @Override public Throttle withScope(Scope s) { return new Throttle(s); }
        @Override public <R> R matchCall(CallFault.Cases<R> c) { return c.throttle(this); }
    }

    /** The answer is delayed by {@code millis} of real time (the dispatcher bounds it). */
    record Latency(Scope scope, long millis) implements CallFault {
        public static final String ACTION = "latency";

        @Override public String action() { return ACTION; }
        @Override public Latency withScope(Scope s) { return new Latency(s, millis); }
        @Override public <R> R matchCall(CallFault.Cases<R> c) { return c.latency(this); }
    }

    /** The connection is closed without an answer. */
    record ConnectionReset(Scope scope) implements CallFault {
        public static final String ACTION = "connection-reset";

        @Override public String action() { return ACTION; }
        @Override public ConnectionReset withScope(Scope s) { return new ConnectionReset(s); }
        @Override public <R> R matchCall(CallFault.Cases<R> c) { return c.connectionReset(this); }
    }

    /**
     * A replication attempt on the route ({@code from → to}; a {@code region} is the target) fails,
     * with {@code message} (null: a default naming the fault). When the rule ends, what it failed is
     * delivered again (see {@link FaultPlan.Ending}).
     */
    record ReplicationFailure(Scope scope, String message) implements FaultRule {
        public static final String ACTION = "fail-replication";

        @Override public String action() { return ACTION; }
        @Override public ReplicationFailure withScope(Scope s) { return new ReplicationFailure(s, message); }
        @Override public <R> R match(FaultRule.Cases<R> c) { return c.replicationFailure(this); }
    }
}
