package dev.smlocal.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A fault to inject, before it is active: what happens ({@link #action}), where (a {@code region},
 * an {@code operation}, an {@code account}, or the replication route {@code from → to}; null means
 * any), how often ({@code probability}, drawn from the emulator's seeded random, so a seed replays
 * the same draws) and how many times ({@code count}; null means until removed). Type-specific
 * settings are {@code attributes}, e.g. {@code errorType} for {@link Action#ERROR}.
 *
 * <p>Built with the static factories and refined with the {@code with…} methods:
 * <pre>{@code
 * chaos.add(FaultSpec.error("us-east-1", "GetSecretValue", "InternalServiceError")
 *         .withProbability(0.5).withCount(3));
 * }</pre>
 * This is the JSON body of {@code POST /_smlocal/faults}.
 *
 * @param name        a label for listings and events; null: the server derives {@code <action>_<scope>}
 * @param action      what the fault does
 * @param region      the region whose calls fail (for replication failures: the target region), or null
 * @param operation   the API operation, e.g. {@code GetSecretValue}, or null for every operation
 * @param account     the 12-digit account whose calls fail, or null
 * @param from        replication source region, or null
 * @param to          replication target region, or null
 * @param probability chance that a matching call is hit, 0.0 to 1.0
 * @param count       how many hits before the fault removes itself, or null for no limit
 * @param attributes  type-specific settings
 */
@PublicApi
public record FaultSpec(String name, Action action, String region, String operation, String account,
                        String from, String to, double probability, Integer count, Map<String, String> attributes) {

    /** How long a {@link OutageMode#TIMEOUT} outage holds a call before dropping the connection. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** What a fault does to the calls (or replication attempts) it matches. */
    @PublicApi
    public enum Action {
        /** The region is down: 503, or no answer in timeout mode; replication into it waits. */
        OUTAGE("outage"),
        /** The call answers the AWS error named by attribute {@code errorType}. */
        ERROR("error"),
        /** The call answers {@code ThrottlingException: Rate exceeded}. */
        THROTTLE("throttle"),
        /** The answer is delayed by attribute {@code millis} of real, bounded wall time. */
        LATENCY("latency"),
        /** The connection is closed without an answer. */
        CONNECTION_RESET("connection-reset"),
        /** A replication attempt on the route fails (replica status {@code Failed}). */
        FAIL_REPLICATION("fail-replication");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        /** The name the admin API uses, e.g. {@code fail-replication}. */
        public String wireName() {
            return wireName;
        }

        /** The action with the given admin API name. */
        public static Action fromWireName(String name) {
            for (Action a : values()) {
                if (a.wireName.equals(name)) return a;
            }
            throw new IllegalArgumentException("unknown fault action: " + name);
        }
    }

    public FaultSpec {
        Objects.requireNonNull(action, "action");
        if (probability < 0.0 || probability > 1.0) {
            throw new IllegalArgumentException("probability must be between 0.0 and 1.0, was: " + probability);
        }
        if (count != null && count < 1) throw new IllegalArgumentException("count must be at least 1, was: " + count);
        if (action == Action.OUTAGE && region == null) throw new IllegalArgumentException("an outage needs a region");
        if (account != null && !account.matches("\\d{12}")) {
            throw new IllegalArgumentException("account must be 12 digits, was: " + account);
        }
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    private static FaultSpec of(Action action, String region, String operation, Map<String, String> attributes) {
        return new FaultSpec(null, action, region, operation, null, null, null, 1.0, null, attributes);
    }

    /** Every call signed for {@code region} answers 503 until the fault is removed. */
    public static FaultSpec outage(String region) {
        return outage(region, OutageMode.UNAVAILABLE);
    }

    /** {@code region} is out; {@code mode} says whether calls answer 503 or hang until the client gives up. */
    public static FaultSpec outage(String region, OutageMode mode) {
        Objects.requireNonNull(region, "region");
        if (mode == OutageMode.TIMEOUT) {
            return of(Action.OUTAGE, region, null,
                    Map.of("mode", "timeout", "timeoutMillis", Long.toString(DEFAULT_TIMEOUT.toMillis())));
        }
        return of(Action.OUTAGE, region, null, Map.of());
    }

    /** Calls of {@code operation} (null: all) in {@code region} (null: all) answer {@code ThrottlingException}. */
    public static FaultSpec throttle(String region, String operation) {
        return of(Action.THROTTLE, region, operation, Map.of());
    }

    /**
     * Calls of {@code operation} (null: all) in {@code region} (null: all) answer the AWS error
     * {@code errorType}, e.g. {@code InternalServiceError} or {@code ResourceNotFoundException}.
     */
    public static FaultSpec error(String region, String operation, String errorType) {
        return of(Action.ERROR, region, operation, Map.of("errorType", Objects.requireNonNull(errorType, "errorType")));
    }

    /** Answers to {@code operation} (null: all) in {@code region} (null: all) are delayed by {@code delay} of wall time. */
    public static FaultSpec latency(String region, String operation, Duration delay) {
        if (delay.isNegative()) throw new IllegalArgumentException("latency must not be negative, was: " + delay);
        return of(Action.LATENCY, region, operation, Map.of("millis", Long.toString(delay.toMillis())));
    }

    /** Calls of {@code operation} (null: all) in {@code region} (null: all) have their connection closed unanswered. */
    public static FaultSpec connectionReset(String region, String operation) {
        return of(Action.CONNECTION_RESET, region, operation, Map.of());
    }

    /** Replication attempts from {@code from} (null: any) to {@code to} (null: any) fail. */
    public static FaultSpec failReplication(String from, String to) {
        return new FaultSpec(null, Action.FAIL_REPLICATION, null, null, null, from, to, 1.0, null, Map.of());
    }

    /** This fault with a label. */
    public FaultSpec withName(String newName) {
        return new FaultSpec(newName, action, region, operation, account, from, to, probability, count, attributes);
    }

    /** This fault limited to calls of {@code newOperation}. */
    public FaultSpec withOperation(String newOperation) {
        return new FaultSpec(name, action, region, newOperation, account, from, to, probability, count, attributes);
    }

    /** This fault limited to calls acting in {@code newAccount} (12 digits). */
    public FaultSpec withAccount(String newAccount) {
        return new FaultSpec(name, action, region, operation, newAccount, from, to, probability, count, attributes);
    }

    /** This fault hitting a matching call with chance {@code p}. */
    public FaultSpec withProbability(double p) {
        return new FaultSpec(name, action, region, operation, account, from, to, p, count, attributes);
    }

    /** This fault removing itself after {@code n} hits. */
    public FaultSpec withCount(int n) {
        return new FaultSpec(name, action, region, operation, account, from, to, probability, n, attributes);
    }

    /** This fault with one more attribute, e.g. {@code withAttribute("message", "boom")}. */
    public FaultSpec withAttribute(String key, String value) {
        Map<String, String> a = new LinkedHashMap<>(attributes);
        a.put(key, value);
        return new FaultSpec(name, action, region, operation, account, from, to, probability, count, a);
    }
}
