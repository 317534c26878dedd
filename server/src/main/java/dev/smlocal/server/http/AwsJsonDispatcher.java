package dev.smlocal.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.auth.Principal;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.faults.FaultPlan;
import dev.smlocal.server.faults.FaultRule.CallFault;
import dev.smlocal.server.faults.FaultRule.ConnectionReset;
import dev.smlocal.server.faults.FaultRule.ErrorFault;
import dev.smlocal.server.faults.FaultRule.Latency;
import dev.smlocal.server.faults.FaultRule.Outage;
import dev.smlocal.server.faults.FaultRule.Throttle;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.observe.EventLog;
import dev.smlocal.server.observe.Metrics;
import dev.smlocal.server.persist.Durability;
import dev.smlocal.server.time.EmulatorClock;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The transport-neutral core of the data plane: a target, the caller's scope and a body in, a
 * status and a JSON body out. Knows nothing of Vert.x, so protocol tests can call it without a
 * port. Every answer is AWS-shaped: a modeled response, or {@code {"__type", "Message"}}; an
 * unexpected failure becomes {@code InternalServiceError} (500) and is logged without its input.
 */
public final class AwsJsonDispatcher {
    private static final Logger LOG = Logger.getLogger(AwsJsonDispatcher.class.getName());
    private static final Set<String> SENSITIVE = Set.of("SecretString", "SecretBinary", "Plaintext",
            "CiphertextBlob", "RandomPassword");
    public static final String HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

    /** What the transport must do besides answering: injected by a fault. */
    public enum Transport { ANSWER, DELAY, RESET, TIMEOUT }

    /**
     * What goes back on the wire. {@code transport} and {@code millis} tell the HTTP layer to delay
     * the answer, drop the connection, or hold it without answer (bounded by {@code millis}).
     */
    public record Result(int status, byte[] body, String requestId, Transport transport, long millis,
                         CompletableFuture<Void> durable) {
        public Result(int status, byte[] body, String requestId) {
            this(status, body, requestId, Transport.ANSWER, 0, null);
        }

        public Result(int status, byte[] body, String requestId, Transport transport, long millis) {
            this(status, body, requestId, transport, millis, null);
        }

        /**
         * With {@code --data-dir}: the answer may be sent only once {@code durable} completes (the
         * request's journal records are on disk); null when there is nothing to wait for.
         */
        Result after(CompletableFuture<Void> barrier) {
            return new Result(status, body, requestId, transport, millis, barrier);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Result with(Transport t, long ms) {
            return new Result(status, body, requestId, t, ms, durable);
        }
    }

    /** Upper bound of injected latency and of a held (timeout-mode) connection. */
    public static final long MAX_INJECTED_MILLIS = 60_000;

    private final Operations operations;
    private final ModelValidator secretsModel;
    private final ModelValidator kmsModel;
    private final Predicate<String> regionEnabled;
    private final EmulatorClock clock;
    private final EventLog events;
    private final Metrics metrics;
    private final FaultPlan faults;

    public AwsJsonDispatcher(Operations operations, ModelValidator secretsModel, ModelValidator kmsModel,
                             Predicate<String> regionEnabled, EmulatorClock clock, EventLog events, Metrics metrics,
                             FaultPlan faults) {
        this.faults = faults;
        this.operations = operations;
        this.secretsModel = secretsModel;
        this.kmsModel = kmsModel;
        this.regionEnabled = regionEnabled;
        this.clock = clock;
        this.events = events;
        this.metrics = metrics;
    }

    private volatile Principals principals;

    /** Declared principals: an access key declared there acts as its role or user, in that role's account. */
    public void setPrincipals(Principals p) { this.principals = p; }

    /** Works out the caller from the request's Authorization and Host headers. */
    public RequestContext context(String authorization, String host, String requestId) {
        SigV4Scope.Scope scope = SigV4Scope.parse(authorization);
        String region = scope != null ? scope.region() : SigV4Scope.regionFromHost(host);
        if (region == null) region = SigV4Scope.DEFAULT_REGION;
        if (region.isBlank()) throw Errors.regionNotEnabled(); // a signed scope naming no region
        String accessKeyId = scope == null ? null : scope.accessKeyId();
        Principals p = principals;
        if (p != null) {
            String arn = p.principalArnOf(accessKeyId);
            return new RequestContext(Principal.accountOf(arn), region, requestId, arn);
        }
        return new RequestContext(SigV4Scope.accountOf(accessKeyId), region, requestId);
    }

    private volatile boolean durable;

    /** With {@code --data-dir}: each answer carries the barrier of its request's journal records. */
    public void setDurable(boolean on) { this.durable = on; }

    /**
     * Operations that change nothing: the stores do not record what they touch while one runs, so
     * reads never reach the journal (a lazily created AWS managed key is journaled by the next write).
     */
    static boolean readOnly(String target) {
        int dot = target == null ? -1 : target.lastIndexOf('.');
        String name = dot < 0 ? String.valueOf(target) : target.substring(dot + 1).trim();
        return name.startsWith("Get") || name.startsWith("List") || name.startsWith("Describe")
                || name.startsWith("BatchGet") || name.equals("ValidateResourcePolicy") || name.equals("Encrypt")
                || name.equals("Decrypt") || name.startsWith("GenerateDataKey") || name.equals("GenerateRandom");
    }

    public Result dispatch(String target, String authorization, String host, byte[] body) {
        if (!durable) return run(target, authorization, host, body);
        Durability.begin(!readOnly(target));
        Result r = null;
        try {
            r = run(target, authorization, host, body);
        } finally {
            CompletableFuture<Void> barrier = Durability.end();
            if (r != null && barrier != null) r = r.after(barrier);
        }
        return r;
    }

    private Result run(String target, String authorization, String host, byte[] body) {
        String requestId = newRequestId();
        RequestContext ctx = null;
        Operation<?> op = null;
        JsonNode input = null;
        try {
            if (target == null || target.isBlank()) throw Errors.missingTarget();
            op = operations.get(target.trim());
            if (op == null) throw Errors.unknownOperation(target);
            ctx = context(authorization, host, requestId);
            if (!regionEnabled.test(ctx.region())) throw Errors.regionNotEnabled();
            Transport transport = Transport.ANSWER;
            long millis = 0;
            CallFault fault = faults.forCall(ctx.region(), op.name(), ctx.account()).orElse(null);
            if (fault != null) {
                Injected injected = fault.matchCall(INJECT);
                if (injected.error() != null) {
                    if (injected.transport() == Transport.ANSWER) throw injected.error();
                    record(ctx, op, null, injected.error());
                    return new Result(injected.status(), new byte[0], requestId, injected.transport(),
                            injected.millis());
                }
                transport = injected.transport();
                millis = injected.millis();
            }
            input = parse(body);
            (op.service().equals(Operations.KMS) ? kmsModel : secretsModel).validate(op.name(), input);
            Object request;
            try {
                request = readerFor(op.input()).readValue(input);
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw Errors.serialization("Cannot deserialize the request body for " + op.name() + ".");
            }
            Object response = op.invoke(ctx, request);
            byte[] out = Json.bytes(response);
            record(ctx, op, input, null);
            return new Result(200, out, requestId).with(transport, millis);
        } catch (AwsException e) {
            record(ctx, op, input, e);
            return error(e, requestId);
        } catch (RuntimeException | JsonProcessingException | Error e) {
            if (e instanceof VirtualMachineError) {
                Fatal.check(e); // the standalone server halts here; an embedded one passes it on
                throw (VirtualMachineError) e;
            }
            LOG.log(Level.SEVERE, "request " + requestId + " (" + target + ") failed: " + e.getClass().getName());
            AwsException internal = Errors.internal();
            record(ctx, op, input, internal);
            metrics.inc("smlocal_internal_errors_total");
            return error(internal, requestId);
        }
    }

    /**
     * What a call fault does to the call: answer {@code error} instead of the operation (with
     * {@code transport} ANSWER an AWS error answer; RESET or TIMEOUT: no answer, the call recorded
     * as {@code error} and {@code status}), or run the operation and delay the answer (DELAY).
     */
    private record Injected(AwsException error, int status, Transport transport, long millis) {}

    /** Each call fault kind carried out; a new kind does not compile until it is handled here. */
    private static final CallFault.Cases<Injected> INJECT = new CallFault.Cases<>() {
        @Override
        public Injected outage(Outage f) {
            return f.hangs()
                    ? new Injected(Errors.serviceUnavailable(), 503, Transport.TIMEOUT,
                            bounded(f.timeoutMillis(), MAX_INJECTED_MILLIS))
                    : new Injected(Errors.serviceUnavailable(), 503, Transport.ANSWER, 0);
        }

        @Override
        public Injected error(ErrorFault f) {
            return new Injected(Errors.injected(f.errorType(), f.message(), f.id()), 0, Transport.ANSWER, 0);
        }

        @Override
        public Injected throttle(Throttle f) {
            return new Injected(Errors.throttling(), 0, Transport.ANSWER, 0);
        }

        @Override
        public Injected latency(Latency f) {
            return new Injected(null, 0, Transport.DELAY, bounded(f.millis(), 0));
        }

        @Override
        public Injected connectionReset(ConnectionReset f) {
            return new Injected(Errors.serviceUnavailable(), 0, Transport.RESET, 0);
        }
    };

    /** {@code millis} (null: {@code fallback}) within 0 and {@link #MAX_INJECTED_MILLIS}. */
    private static long bounded(Long millis, long fallback) {
        long ms = millis == null ? fallback : millis;
        return Math.max(0, Math.min(ms, MAX_INJECTED_MILLIS));
    }

    /**
     * One ObjectReader per input type, made once: binding through it skips the per-call reader
     * and deserializer look-up of {@code treeToValue}, with the same mapper configuration.
     */
    private static final ClassValue<com.fasterxml.jackson.databind.ObjectReader> READERS = new ClassValue<>() {
        @Override
        protected com.fasterxml.jackson.databind.ObjectReader computeValue(Class<?> type) {
            return Json.MAPPER.readerFor(type);
        }
    };

    /** The kept reader that binds a request of {@code type} (same result as {@code Json.MAPPER.treeToValue}). */
    static com.fasterxml.jackson.databind.ObjectReader readerFor(Class<?> type) {
        return READERS.get(type);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) return Json.MAPPER.createObjectNode();
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node == null || node.isMissingNode() ? Json.MAPPER.createObjectNode() : node;
        } catch (java.io.IOException e) {
            throw Errors.bodyNotJson();
        }
    }

    public static Result error(AwsException e, String requestId) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("__type", e.type().code());
        body.put("Message", e.getMessage());
        try {
            return new Result(e.type().httpStatus(), Json.MAPPER.writeValueAsBytes(body), requestId);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The label every region that is not enabled, and every unknown operation, is counted under. */
    public static final String OTHER = "other";

    private void record(RequestContext ctx, Operation<?> op, JsonNode input, AwsException error) {
        String region = ctx == null ? "unknown" : ctx.region();
        String name = op == null ? "Unknown" : op.name();
        String outcome = error == null ? "success" : error.type().code();
        // label values come only from bounded sets: a region the caller made up is not a new series
        countRequest(op == null ? OTHER : name, ctx != null && regionEnabled.test(region) ? region : OTHER, outcome);
        events.add(new Event(clock.now(), op != null && op.service().equals(Operations.KMS)
                ? "kms.amazonaws.com" : "secretsmanager.amazonaws.com", name, EventLog.clip(region),
                ctx == null ? null : ctx.account(), ctx == null ? null : ctx.requestId(), redacted(input),
                error == null ? null : error.type().code(), error == null ? null : EventLog.clip(error.getMessage())));
    }

    /** One series of {@code smlocal_requests_total}: its three label values. */
    private record RequestSeries(String operation, String region, String outcome) {}

    /**
     * The counters of {@code smlocal_requests_total} for one generation of the metrics, kept so a
     * request builds no series key string. Replaced whole when the metrics are reset: a request on
     * another event loop that still holds the old one counts into a map nobody keeps, so no stale
     * counter survives a reset.
     */
    private record KeptCounters(long generation,
                                java.util.concurrent.ConcurrentHashMap<RequestSeries, java.util.concurrent.atomic.LongAdder> counters) {}

    private volatile KeptCounters requestCounters = new KeptCounters(Long.MIN_VALUE, new java.util.concurrent.ConcurrentHashMap<>());

    private void countRequest(String operation, String region, String outcome) {
        long generation = metrics.generation();
        KeptCounters kept = requestCounters;
        if (kept.generation() != generation) {
            kept = new KeptCounters(generation, new java.util.concurrent.ConcurrentHashMap<>());
            requestCounters = kept;
        }
        RequestSeries series = new RequestSeries(operation, region, outcome);
        java.util.concurrent.atomic.LongAdder counter = kept.counters().get(series);
        if (counter == null) {
            counter = kept.counters().computeIfAbsent(series, s -> metrics.counter("smlocal_requests_total",
                    "operation", s.operation(), "region", s.region(), "outcome", s.outcome()));
        }
        counter.increment();
    }

    /**
     * A version-4-shaped UUID from a thread-local generator: request ids need to be unique, not
     * secret, and {@link UUID#randomUUID()} serializes every request on one SecureRandom.
     */
    static String newRequestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(msb, lsb).toString();
    }

    /** Top-level scalar members of the input, secret material replaced, long strings cut ({@link EventLog#clip}). */
    static Map<String, Object> redacted(JsonNode input) {
        if (input == null || !input.isObject()) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        input.fields().forEachRemaining(e -> {
            if (out.size() >= EventLog.MAX_MEMBERS) return;
            String k = EventLog.clip(e.getKey());
            JsonNode v = e.getValue();
            if (SENSITIVE.contains(k)) out.put(k, HIDDEN);
            else if (v.isTextual()) out.put(k, EventLog.clip(v.asText()));
            else if (v.isNumber()) out.put(k, v.numberValue());
            else if (v.isBoolean()) out.put(k, v.asBoolean());
        });
        return out;
    }
}
