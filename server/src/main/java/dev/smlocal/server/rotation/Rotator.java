package dev.smlocal.server.rotation;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.faults.RegionGate;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.observe.EventLog;
import dev.smlocal.server.observe.Metrics;
import dev.smlocal.server.secrets.RegionalStore;
import dev.smlocal.server.secrets.RotationConfig;
import dev.smlocal.server.secrets.RotationRules;
import dev.smlocal.server.secrets.Secret;
import dev.smlocal.server.secrets.SecretArn;
import dev.smlocal.server.secrets.SecretsApi.CancelRotateSecretResponse;
import dev.smlocal.server.secrets.SecretsApi.RotateSecretRequest;
import dev.smlocal.server.secrets.SecretsApi.RotateSecretResponse;
import dev.smlocal.server.secrets.SecretsApi.SecretIdRequest;
import dev.smlocal.server.secrets.SecretsService;
import dev.smlocal.server.secrets.RotationTx;
import dev.smlocal.server.time.Cancellable;
import dev.smlocal.server.time.EmulatorClock;
import dev.smlocal.server.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RotateSecret, CancelRotateSecret and the rotations they start, run as Secrets Manager runs a
 * rotation Lambda: {@code createSecret → setSecret → testSecret → finishSecret}, one
 * {@link RotationEvent} per step, through the {@link RotationFunction} the secret's
 * RotationLambdaARN resolves to ({@link RotationFunctions}).
 *
 * <p><b>Time and threads.</b> RotateSecret only decides and schedules (it runs on the HTTP event
 * loop): a rotation is a {@link Scheduler} task due at once, automatic rotations are tasks due when
 * their window opens. With a manual clock they run on the thread that moves the clock (even
 * {@code advance(Duration.ZERO)} runs due tasks), with a system clock on a rotation thread of this
 * class. Each function call runs on a worker thread, bounded by the function timeout (wall time,
 * default 30 s); no store lock is held meanwhile, so functions may call back into smlocal.
 *
 * <p><b>Outcomes.</b> A step that throws, answers non-2xx (HTTP) or times out fails the rotation:
 * AWSPENDING stays where it is, LastRotatedDate is unchanged and a {@code RotationFailed} event
 * names the step. AWS retries failed rotations; here a failed rotation is re-attempted, with the
 * same AWSPENDING version, when the next window of its schedule opens, and when RotateSecret is
 * refused because of it ("A previous rotation isn't complete. That rotation will be reattempted."),
 * which schedules the re-attempt at once. Success removes AWSPENDING from the new
 * AWSCURRENT version (as AWS does at the end of every rotation), sets LastRotatedDate, recomputes
 * NextRotationDate and schedules the next window. {@code RotateImmediately=false} runs only
 * {@code testSecret}, against an AWSPENDING copy of the current value under the request's token,
 * removed afterwards ({@code TestRotation*} events). Every change reaches replicas through the
 * service's change listener.
 */
public final class Rotator implements AutoCloseable {
    public static final Duration DEFAULT_FUNCTION_TIMEOUT = Duration.ofSeconds(30);
    private static final String SOURCE = "secretsmanager.amazonaws.com";

    private enum Mode {
        /** RotateSecret: the four steps for the request's placeholder. */
        IMMEDIATE,
        /** RotateImmediately=false: testSecret against a copy of the current value. */
        TEST,
        /** A window opened: re-attempt an unfinished rotation or start a new one. */
        AUTOMATIC,
        /** RotateSecret was refused because of an unfinished rotation: re-attempt it now. */
        REATTEMPT
    }

    /** What one run does, decided under the store lock. */
    private record Plan(String arn, String account, String region, String token, String lambdaArn,
                        RotationFunctions.Resolved function, Mode mode) {}

    /** Per secret ARN: the scheduled runs and whether one is running. Guarded by the Rotator. */
    private static final class Track {
        long generation;
        Cancellable immediate;
        Cancellable automatic;
        boolean running;

        void cancelAll() {
            if (immediate != null) immediate.cancel();
            if (automatic != null) automatic.cancel();
            immediate = null;
            automatic = null;
        }
    }

    private final SecretsService sm;
    private final Scheduler scheduler;
    private final IdGenerator ids;
    private final EventLog events;
    private final Metrics metrics;
    private final RotationFunctions functions;
    private final ExecutorService calls = Executors.newCachedThreadPool(daemons("smlocal-rotation-function-"));
    private final ExecutorService drivers = Executors.newCachedThreadPool(daemons("smlocal-rotation-"));
    private final Map<String, Track> tracks = new HashMap<>();
    private volatile Duration functionTimeout;
    private long epoch;

    /**
     * Binds its manual-rotation hook to {@code links}, the holder {@code sm} was built with (see
     * {@link SecretsService.Links}). Rotations due in a region under outage wait at {@code gate} (as
     * the region's own service would be down) and run, in order, once the outage ends; a null gate
     * never parks.
     */
    public Rotator(SecretsService sm, SecretsService.Links links, IdGenerator ids, Scheduler scheduler, RegionGate gate,
                   EventLog events, Metrics metrics, Duration functionTimeout) {
        this.gate = gate;
        this.sm = Objects.requireNonNull(sm);
        this.ids = Objects.requireNonNull(ids);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.events = Objects.requireNonNull(events);
        this.metrics = Objects.requireNonNull(metrics);
        setFunctionTimeout(functionTimeout == null ? DEFAULT_FUNCTION_TIMEOUT : functionTimeout);
        this.functions = new RotationFunctions(sm, this::functionTimeout);
        links.bindRotation(this::manualRotation);
    }

    public RotationFunctions functions() { return functions; }

    /** Where rotations due in a region under outage wait; null: they never wait. */
    private final RegionGate gate;

    private static String regionOf(String arn) {
        SecretArn a = SecretArn.parse(arn);
        return a == null ? "" : a.region();
    }

    public Duration functionTimeout() { return functionTimeout; }

    /** How long one step of a rotation function may take (wall time) before the rotation fails. */
    public void setFunctionTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the function timeout must be positive, was: " + timeout);
        }
        this.functionTimeout = timeout;
    }

    // =============================================================================================
    // RotateSecret
    // =============================================================================================

    public RotateSecretResponse rotateSecret(RequestContext ctx, RotateSecretRequest r) {
        if (r.clientRequestToken() == null) throw Errors.missingClientRequestToken(ErrorType.INVALID_PARAMETER);
        String token = r.clientRequestToken();
        boolean immediately = !Boolean.FALSE.equals(r.rotateImmediately());
        return sm.rotation(ctx, "secretsmanager:RotateSecret", r.secretId(), tx -> {
            RotationConfig stored = tx.config();
            RotationRules rules = isEmpty(r.rotationRules()) ? (stored == null ? null : stored.rules()) : r.rotationRules();
            RotationSchedule schedule = RotationSchedule.of(rules);
            String lambda = emptyToNull(r.rotationLambdaARN());
            if (lambda == null && stored != null) lambda = emptyToNull(stored.lambdaArn());
            if (lambda == null) throw Errors.noRotationLambda();
            String pending = tx.holderOf(Secret.PENDING);
            if (pending != null && !pending.equals(tx.holderOf(Secret.CURRENT))) {
                if (pending.equals(token)) return new RotateSecretResponse(tx.arn(), tx.name(), token); // a retried call
                reattemptSoon(tx);
                throw Errors.previousRotationIncomplete();
            }
            if (functions.resolve(lambda) == null) throw Errors.cannotInvokeLambda();
            if (tx.hasVersion(token)) throw Errors.tokenInUse(token, tx.arn());

            Instant now = tx.now();
            RotationSchedule.Window window = schedule == null ? null
                    : schedule.nextAfter(immediately ? now : lastRotation(tx), now);
            tx.configure(new RotationConfig(schedule != null, lambda, rules),
                    window == null ? null : window.nextRotationDate());
            if (immediately) tx.addPendingPlaceholder(token);
            else tx.addPendingCopyOfCurrent(token);

            String arn = tx.arn();
            synchronized (this) {
                Track t = tracks.computeIfAbsent(arn, k -> new Track());
                t.generation++;
                t.cancelAll();
                long gen = t.generation;
                long ep = epoch;
                Mode mode = immediately ? Mode.IMMEDIATE : Mode.TEST;
                t.immediate = scheduler.schedule(taskName(arn, mode), Duration.ZERO, () -> fire(arn, ep, gen, token, mode));
                if (window != null) scheduleAutomatic(t, arn, window.start());
            }
            return new RotateSecretResponse(arn, tx.name(), token);
        });
    }

    // =============================================================================================
    // CancelRotateSecret
    // =============================================================================================

    public CancelRotateSecretResponse cancelRotateSecret(RequestContext ctx, SecretIdRequest r) {
        return sm.rotation(ctx, "secretsmanager:CancelRotateSecret", r.secretId(), tx -> {
            if (tx.config() == null) throw Errors.rotationNotConfigured();
            String pending = tx.holderOf(Secret.PENDING);
            String interrupted = pending != null && !pending.equals(tx.holderOf(Secret.CURRENT)) ? pending : null;
            tx.disable();
            synchronized (this) {
                Track t = tracks.get(tx.arn());
                if (t != null) {
                    t.generation++;
                    t.cancelAll();
                }
            }
            return new CancelRotateSecretResponse(tx.arn(), tx.name(), interrupted);
        });
    }

    // =============================================================================================
    // Scheduling
    // =============================================================================================

    /**
     * A restored state (state document, data directory): plans the automatic rotation of the secret
     * {@code arn} again from its stored settings. A window its NextRotationDate says was missed runs
     * at once; otherwise the next window of the schedule. An unfinished rotation (AWSPENDING on
     * another version than AWSCURRENT) is re-attempted in that window, as always. Replicas and secrets
     * without automatic rotation are left alone.
     */
    public void resume(String arn) {
        try {
            sm.rotationOfAnyState(contextOf(arn), arn, tx -> {
                RotationConfig c = tx.config();
                RotationSchedule schedule = c == null || !c.enabled() ? null : scheduleOf(c);
                if (schedule == null) return null;
                Instant now = tx.now();
                Instant next = tx.nextRotationDate();
                Instant start = next != null && !next.isAfter(now) ? now
                        : schedule.nextAfter(lastRotation(tx), now).start();
                synchronized (this) {
                    scheduleAutomatic(tracks.computeIfAbsent(arn, k -> new Track()), arn, start);
                }
                return null;
            });
        } catch (AwsException notRotatable) {
            // gone, or a replica: its primary rotates
        }
    }

    /** Under the store lock: RotateSecret was refused because of an unfinished rotation. */
    private void reattemptSoon(RotationTx tx) {
        RotationConfig c = tx.config();
        if (c == null || functions.resolve(c.lambdaArn()) == null) return;
        String arn = tx.arn();
        synchronized (this) {
            Track t = tracks.computeIfAbsent(arn, k -> new Track());
            if (t.running || t.immediate != null) return;
            long gen = t.generation;
            long ep = epoch;
            t.immediate = scheduler.schedule(taskName(arn, Mode.REATTEMPT), Duration.ZERO,
                    () -> fire(arn, ep, gen, null, Mode.REATTEMPT));
        }
    }

    /** Schedules the automatic rotation of {@code t} at {@code start}, replacing an earlier one. */
    private void scheduleAutomatic(Track t, String arn, Instant start) {
        if (t.automatic != null) t.automatic.cancel();
        long gen = t.generation;
        long ep = epoch;
        t.automatic = scheduler.scheduleAt(taskName(arn, Mode.AUTOMATIC), start,
                () -> fire(arn, ep, gen, null, Mode.AUTOMATIC));
    }

    private synchronized void scheduleAutomatic(String arn, long ep, long gen, Instant start) {
        if (ep != epoch) return;
        Track t = tracks.get(arn);
        if (t == null || t.generation != gen) return;
        scheduleAutomatic(t, arn, start);
    }

    /**
     * The service's hook, under the store lock: a manual PutSecretValue / UpdateSecret counts as a
     * rotation, which moves day schedules (they count from the last rotation).
     */
    private Instant manualRotation(String arn, RotationConfig config, Instant now) {
        RotationSchedule schedule;
        try {
            schedule = RotationSchedule.of(config.rules());
        } catch (AwsException e) {
            return null;
        }
        if (schedule == null || !schedule.countsFromLastRotation()) return null;
        RotationSchedule.Window w = schedule.nextAfter(now, now);
        synchronized (this) {
            Track t = tracks.get(arn);
            if (t != null) scheduleAutomatic(t, arn, w.start());
        }
        return w.nextRotationDate();
    }

    private static String taskName(String arn, Mode mode) {
        return "rotate " + arn + " (" + mode.name().toLowerCase() + ")";
    }

    /** The scheduled task: with a system clock the rotation leaves the scheduler thread. */
    private void fire(String arn, long ep, long gen, String token, Mode mode) {
        RegionGate g = gate;
        if (g != null) {
            synchronized (this) {
                if (ep != epoch) return; // from before a reset
            }
            if (g.waitIfDown(this, taskName(arn, mode), () -> fire(arn, ep, gen, token, mode), regionOf(arn))) return;
        }
        if (scheduler.clock().mode() == EmulatorClock.Mode.SYSTEM) {
            try {
                drivers.execute(() -> run(arn, ep, gen, token, mode));
            } catch (RejectedExecutionException closed) {
                // shutting down
            }
        } else {
            run(arn, ep, gen, token, mode);
        }
    }

    // =============================================================================================
    // Running a rotation
    // =============================================================================================

    private void run(String arn, long ep, long gen, String token, Mode mode) {
        synchronized (this) {
            if (ep != epoch) return;
            Track t = tracks.get(arn);
            if (t == null || t.generation != gen) return;
            if (mode == Mode.AUTOMATIC) t.automatic = null;
            else t.immediate = null;
            if (t.running) return;
            t.running = true;
        }
        try {
            Plan plan = prepare(arn, ep, gen, token, mode);
            if (plan == null) return;
            String failedStep = null;
            String error = null;
            boolean cancelled = false;
            List<String> steps = mode == Mode.TEST ? List.of(RotationEvent.TEST_SECRET) : RotationEvent.STEPS;
            event(mode == Mode.TEST ? "TestRotationStarted" : "RotationStarted", plan, null, null);
            if (plan.function() == null) {
                failedStep = steps.get(0);
                error = Errors.cannotInvokeLambda().getMessage();
            } else {
                for (String step : steps) {
                    if (stale(arn, ep, gen)) {
                        cancelled = true;
                        break;
                    }
                    try {
                        invoke(plan.function(), new RotationEvent(arn, plan.token(), step));
                    } catch (RotationStepException e) {
                        failedStep = step;
                        error = e.getMessage();
                        break;
                    }
                }
            }
            complete(plan, ep, gen, failedStep, error, cancelled);
        } finally {
            synchronized (this) {
                Track t = tracks.get(arn);
                if (t != null && ep == epoch) t.running = false;
            }
        }
    }

    /** Under the store lock: what to run, or null when there is nothing to do. */
    private Plan prepare(String arn, long ep, long gen, String token, Mode mode) {
        try {
            return sm.rotationOfAnyState(contextOf(arn), arn, tx -> {
                RotationConfig c = tx.config();
                if (c == null) return null;
                if (tx.deleted()) {
                    if (mode == Mode.AUTOMATIC) rescheduleAfter(tx, ep, gen); // rotation resumes after RestoreSecret
                    if (mode == Mode.TEST) tx.removePendingCopy(token);
                    return null;
                }
                if (mode == Mode.AUTOMATIC && !c.enabled()) return null;
                RotationFunctions.Resolved fn = functions.resolve(c.lambdaArn());
                String runToken = token;
                if (mode == Mode.AUTOMATIC || mode == Mode.REATTEMPT) {
                    String pending = tx.holderOf(Secret.PENDING);
                    if (pending != null && !pending.equals(tx.holderOf(Secret.CURRENT))) {
                        runToken = pending; // the unfinished rotation, with its AWSPENDING version
                    } else if (mode == Mode.REATTEMPT) {
                        return null; // finished meanwhile
                    } else if (fn != null) {
                        runToken = ids.uuid();
                        tx.addPendingPlaceholder(runToken);
                    } else {
                        runToken = null; // nothing can run: the failure is reported without a version
                    }
                }
                return new Plan(arn, tx.account(), tx.region(), runToken, c.lambdaArn(), fn, mode);
            });
        } catch (AwsException gone) {
            forget(arn, ep, gen);
            return null;
        }
    }

    /** After the steps: record the outcome, move the dates, schedule the next window. */
    private void complete(Plan plan, long ep, long gen, String failedStep, String error, boolean cancelled) {
        String arn = plan.arn();
        boolean test = plan.mode() == Mode.TEST;
        if (test) {
            try {
                sm.rotationOfAnyState(contextOf(arn), arn, tx -> {
                    tx.removePendingCopy(plan.token());
                    return null;
                });
            } catch (AwsException gone) {
                // deleted meanwhile: nothing to clean up
            }
        }
        if (cancelled) {
            event(test ? "TestRotationFailed" : "RotationFailed", plan, null, "the rotation was cancelled");
            return;
        }
        String outcome = failedStep == null ? "succeeded" : "failed";
        metrics.inc("smlocal_rotations_total", "kind", test ? "test" : "rotation", "outcome", outcome);
        if (test) {
            event(failedStep == null ? "TestRotationSucceeded" : "TestRotationFailed", plan, failedStep, error);
            return;
        }
        Instant now = scheduler.clock().now();
        try {
            sm.rotation(contextOf(arn), arn, tx -> {
                RotationConfig c = tx.config();
                RotationSchedule schedule = c == null || !c.enabled() ? null : scheduleOf(c);
                if (failedStep == null) {
                    RotationSchedule.Window w = schedule == null ? null : schedule.nextAfter(now, now);
                    tx.rotated(plan.token(), now, w == null ? null : w.nextRotationDate());
                    if (w != null) scheduleAutomatic(arn, ep, gen, w.start());
                } else if (schedule != null) {
                    // NextRotationDate stays (it may fall into the past, as AWS says); retry in the next window
                    scheduleAutomatic(arn, ep, gen, schedule.nextAfter(lastRotation(tx), now).start());
                }
                return null;
            });
        } catch (AwsException gone) {
            event("RotationFailed", plan, failedStep, "the secret was deleted or marked for deletion during the rotation");
            return;
        }
        event(failedStep == null ? "RotationSucceeded" : "RotationFailed", plan, failedStep, error);
    }

    private void rescheduleAfter(RotationTx tx, long ep, long gen) {
        RotationConfig c = tx.config();
        RotationSchedule schedule = c == null || !c.enabled() ? null : scheduleOf(c);
        if (schedule != null) scheduleAutomatic(tx.arn(), ep, gen, schedule.nextAfter(lastRotation(tx), tx.now()).start());
    }

    private static RotationSchedule scheduleOf(RotationConfig c) {
        try {
            return RotationSchedule.of(c.rules());
        } catch (AwsException e) {
            return null;
        }
    }

    /** The previous rotation for day schedules: LastRotatedDate or a later manual write of the value. */
    private static Instant lastRotation(RotationTx tx) {
        Instant rotated = tx.lastRotatedDate();
        Instant written = tx.currentCreatedDate();
        if (rotated == null) return written;
        if (written == null) return rotated;
        return written.isAfter(rotated) ? written : rotated;
    }

    private synchronized boolean stale(String arn, long ep, long gen) {
        if (ep != epoch) return true;
        Track t = tracks.get(arn);
        return t == null || t.generation != gen;
    }

    private synchronized void forget(String arn, long ep, long gen) {
        Track t = tracks.get(arn);
        if (ep == epoch && t != null && t.generation == gen && t.immediate == null && t.automatic == null) {
            tracks.remove(arn);
        }
    }

    /** One step, on a worker thread, bounded by the function timeout. */
    private void invoke(RotationFunctions.Resolved fn, RotationEvent event) throws RotationStepException {
        RegionalStore.requireNoLockHeld("calling rotation function " + fn.name());
        Duration timeout = functionTimeout;
        Future<?> call;
        try {
            call = calls.submit(() -> {
                fn.function().handle(event);
                return null;
            });
        } catch (RejectedExecutionException closed) {
            throw new RotationStepException("the emulator is shutting down");
        }
        try {
            call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new RotationStepException("function " + fn.name() + " timed out after " + timeout);
        } catch (ExecutionException e) {
            throw new RotationStepException(describe(e.getCause()));
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new RotationStepException("interrupted while waiting for function " + fn.name());
        }
    }

    /** A failure as the event shows it: AWS errors by type and message, others by class and message. */
    private static String describe(Throwable t) {
        String text;
        if (t instanceof RotationStepException) text = t.getMessage();
        else if (t instanceof AwsException a) text = a.type().code() + ": " + a.getMessage();
        else text = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private void event(String name, Plan plan, String step, String error) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("secretId", plan.arn());
        if (plan.token() != null) params.put("clientRequestToken", plan.token());
        params.put("rotationLambdaARN", plan.lambdaArn());
        if (step != null) params.put("step", step);
        events.add(new Event(scheduler.clock().now(), SOURCE, name, plan.region(), plan.account(), null, params,
                error == null ? null : name, error));
    }

    private static RequestContext contextOf(String arn) {
        return BuiltInFunctions.contextOf(arn);
    }

    private static boolean isEmpty(RotationRules r) {
        return r == null || (r.automaticallyAfterDays() == null && r.scheduleExpression() == null && r.duration() == null);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // =============================================================================================
    // Lifecycle
    // =============================================================================================

    /** Forgets every rotation in progress or scheduled and every registered function (the emulator reset). */
    public void reset() {
        synchronized (this) {
            epoch++;
            tracks.clear();
        }
        RegionGate g = gate;
        if (g != null) g.forget(this);
        functions.reset();
    }

    @Override
    public void close() {
        calls.shutdownNow();
        drivers.shutdownNow();
    }
}
