package dev.smlocal.server.faults;

import java.util.Map;
import java.util.Set;

/**
 * One injected fault: what happens ({@link #action}), where ({@code region}, {@code operation},
 * {@code account}, or the replication route {@code from → to}), how often ({@code probability},
 * drawn from the emulator's seeded random) and how many times ({@code count}; null = until removed).
 *
 * <p>Actions:
 * <ul>
 *   <li>{@code outage}: calls signed for the region answer 503 (attribute {@code mode=timeout}: no
 *       answer until the client gives up, bounded by {@code timeoutMillis}); replication into the
 *       region waits and a primary in the region stops sending until the outage ends;</li>
 *   <li>{@code error}: the call answers the AWS error named by attribute {@code errorType}
 *       (default InternalServiceError) with attribute {@code message};</li>
 *   <li>{@code throttle}: the call answers ThrottlingException "Rate exceeded";</li>
 *   <li>{@code latency}: the answer is delayed by attribute {@code millis} of real, bounded time;</li>
 *   <li>{@code connection-reset}: the connection is closed without an answer;</li>
 *   <li>{@code fail-replication}: a replication attempt on the route fails (status Failed).</li>
 * </ul>
 */
public record FaultRule(String id, String name, String action, String region, String operation, String account,
                        String from, String to, double probability, Integer count, Map<String, String> attributes) {

    public static final Set<String> ACTIONS =
            Set.of("outage", "error", "throttle", "latency", "connection-reset", "fail-replication");

    public FaultRule {
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action must be one of " + ACTIONS + ", was: " + action);
        }
        if (probability < 0.0 || probability > 1.0) {
            throw new IllegalArgumentException("probability must be between 0.0 and 1.0, was: " + probability);
        }
        if (count != null && count < 1) throw new IllegalArgumentException("count must be at least 1, was: " + count);
        if (action.equals("outage") && region == null) throw new IllegalArgumentException("an outage needs a region");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static FaultRule outage(String region) {
        return new FaultRule(null, null, "outage", region, null, null, null, null, 1.0, null, Map.of());
    }

    public static FaultRule failReplication(String from, String to) {
        return new FaultRule(null, null, "fail-replication", null, null, null, from, to, 1.0, null, Map.of());
    }

    FaultRule withId(String newId) {
        String n = name != null ? name : action + "_" + (region != null ? region
                : (from != null || to != null) ? (from == null ? "*" : from) + "->" + (to == null ? "*" : to) : "all");
        return new FaultRule(newId, n, action, region, operation, account, from, to, probability, count, attributes);
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
