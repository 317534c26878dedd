package dev.smlocal.server.admin;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.kms.KeyInfo;
import dev.smlocal.server.kms.KeyState;
import dev.smlocal.server.secrets.SecretsService.SecretSummary;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the modelled estate would cost on AWS per month, at AWS's public list prices as of
 * {@link #PRICES_AS_OF} (see docs/dashboard.md for the sources). An estimate: no free tier, no
 * proration, no per-region price differences, KMS request charges left out.
 *
 * @param secrets         secrets not marked for deletion, every region (a replica is billed as a secret)
 * @param primarySecrets  of those, primaries
 * @param replicaSecrets  of those, replicas
 * @param apiCalls        Secrets Manager API calls answered since the last reset (the request counters)
 * @param customerManagedKeys customer managed KMS keys not pending deletion, every region (each
 *                            multi-Region replica counts as a key)
 */
public record CostEstimate(boolean estimate, String currency, String pricesAsOf, String note, Prices prices,
                           long secrets, long primarySecrets, long replicaSecrets, long apiCalls,
                           long customerManagedKeys, Monthly monthly) {
    public static final String PRICES_AS_OF = "2026-12-05";
    public static final BigDecimal SECRET_PER_MONTH = new BigDecimal("0.40");
    public static final BigDecimal PER_10K_API_CALLS = new BigDecimal("0.05");
    public static final BigDecimal KMS_KEY_PER_MONTH = new BigDecimal("1.00");

    /** The operation names of AWS's Secrets Manager service model, which the server ships. */
    static final Set<String> SECRETS_MANAGER_OPERATIONS = operations("/aws-model/secretsmanager-service-2.json");

    private static Set<String> operations(String resource) {
        try (java.io.InputStream in = CostEstimate.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing " + resource);
            Set<String> names = new HashSet<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).path("operations").fieldNames()
                    .forEachRemaining(names::add);
            return Set.copyOf(names);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    public record Prices(BigDecimal secretPerMonth, BigDecimal per10000ApiCalls, BigDecimal kmsKeyPerMonth) {}

    /** Dollars: secrets and keys per month; API calls for the calls counted so far. */
    public record Monthly(BigDecimal secrets, BigDecimal apiCalls, BigDecimal kmsKeys, BigDecimal total) {}

    public static CostEstimate of(Emulator e) {
        long primaries = 0;
        long replicas = 0;
        for (SecretSummary s : e.secrets().summaries()) {
            if (s.deleted()) continue;
            if (s.primaryRegion() == null || s.primaryRegion().equals(s.region())) primaries++;
            else replicas++;
        }
        long keys = 0;
        for (KeyInfo k : e.kmsOperations().allKeys()) {
            if (!k.awsManaged() && k.state() != KeyState.PendingDeletion) keys++;
        }
        long calls = secretsManagerCalls(e.metrics().series("smlocal_requests_total"));
        return of(primaries, replicas, calls, keys);
    }

    /** The arithmetic, apart from where the counts come from. */
    public static CostEstimate of(long primaries, long replicas, long apiCalls, long customerManagedKeys) {
        long secrets = primaries + replicas;
        BigDecimal s = SECRET_PER_MONTH.multiply(BigDecimal.valueOf(secrets)).setScale(2, RoundingMode.HALF_UP);
        BigDecimal c = PER_10K_API_CALLS.multiply(BigDecimal.valueOf(apiCalls))
                .divide(BigDecimal.valueOf(10_000), 6, RoundingMode.HALF_UP).stripTrailingZeros();
        if (c.scale() < 2) c = c.setScale(2);
        BigDecimal k = KMS_KEY_PER_MONTH.multiply(BigDecimal.valueOf(customerManagedKeys)).setScale(2, RoundingMode.HALF_UP);
        BigDecimal total = s.add(c).add(k);
        return new CostEstimate(true, "USD", PRICES_AS_OF,
                "An estimate at AWS's public list prices as of " + PRICES_AS_OF + " (us-east-1): $0.40 per secret per "
                        + "month, each replica billed as a secret; $0.05 per 10,000 API calls; $1 per customer managed "
                        + "KMS key per month, each multi-Region replica counted. No free tier, proration or regional "
                        + "price differences; KMS request charges not included. Check AWS's pricing pages.",
                new Prices(SECRET_PER_MONTH, PER_10K_API_CALLS, KMS_KEY_PER_MONTH), secrets, primaries, replicas,
                apiCalls, customerManagedKeys, new Monthly(s, c, k, total));
    }

    /**
     * Requests counted for Secrets Manager operations (KMS operations left out; a name both services
     * have, such as TagResource, counts as Secrets Manager, since the counter does not say which).
     */
    static long secretsManagerCalls(Map<String, Long> requests) {
        Set<String> sm = SECRETS_MANAGER_OPERATIONS;
        long n = 0;
        for (Map.Entry<String, Long> r : requests.entrySet()) {
            String labels = r.getKey();
            int at = labels.indexOf("operation=\"");
            if (at < 0) continue;
            int start = at + "operation=\"".length();
            String op = labels.substring(start, labels.indexOf('"', start));
            if (sm.contains(op)) n += r.getValue();
        }
        return n;
    }
}
