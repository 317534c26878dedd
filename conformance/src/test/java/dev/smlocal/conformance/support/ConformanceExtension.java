package dev.smlocal.conformance.support;

import dev.smlocal.conformance.EmulatorOnly;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Wires checks to their {@link Target}: one target per engine run and target spec (kept in the root
 * store, closed when the run ends), a {@link Scenario} per check, cleanup after each check, and the
 * marker rules: a check without exactly one marker fails, an {@link EmulatorOnly} check is skipped
 * on a target without emulator powers.
 *
 * <p>The target spec is the configuration parameter {@code smlocal.target}, which JUnit also finds as
 * a system property, so {@code -Dsmlocal.target=…} works and a nested EngineTestKit run can name its
 * own.
 */
public final class ConformanceExtension implements ExecutionCondition, BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ConformanceExtension.class);

    /** Keeps a target (or the reason it could not start) for the whole engine run. */
    private static final class Holder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final Target target;
        final RuntimeException failure;
        final Snapshots snapshots;
        private boolean closed;

        Holder(Target target, RuntimeException failure, Snapshots snapshots) {
            this.target = target;
            this.failure = failure;
            this.snapshots = snapshots;
        }

        @Override
        public synchronized void close() {
            if (closed || target == null) return;
            closed = true;
            target.close();
        }
    }

    public static Target target(ExtensionContext ctx) {
        Holder h = holder(ctx);
        if (h.failure != null) throw h.failure;
        return h.target;
    }

    private static Holder holder(ExtensionContext ctx) {
        String spec = ctx.getConfigurationParameter(Targets.PROPERTY).orElse(Targets.DEFAULT);
        return ctx.getRoot().getStore(NS).getOrComputeIfAbsent("target:" + spec, k -> {
            try {
                Target t = Targets.create(spec);
                return new Holder(t, null, Snapshots.configured(t,
                        ctx.getConfigurationParameter(Snapshots.PROPERTY).orElse("compare")));
            } catch (RuntimeException e) {
                return new Holder(null, e, null);
            }
        }, Holder.class);
    }

    /** Set by meta-tests that run their nested fixture checks through a launcher of their own. */
    public static final String FIXTURES = "smlocal.fixtures";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext ctx) {
        Class<?> c = ctx.getTestClass().orElse(null);
        if (c != null && c.getEnclosingClass() != null && c.getEnclosingClass().getSimpleName().endsWith("Test")
                && !"true".equals(ctx.getConfigurationParameter(FIXTURES).orElse(null))) {
            return ConditionEvaluationResult.disabled("a meta-test's fixture: it runs only inside " + c.getEnclosingClass().getSimpleName());
        }
        Optional<Method> method = ctx.getTestMethod();
        if (method.isEmpty()) return ConditionEvaluationResult.enabled("class level");
        String problem = Markers.problem(method.get());
        if (problem != null) throw new IllegalStateException(problem);
        EmulatorOnly only = method.get().getAnnotation(EmulatorOnly.class);
        if (only == null) return ConditionEvaluationResult.enabled("runs on every target");
        Holder h = holder(ctx);
        if (h.failure != null) return ConditionEvaluationResult.enabled("the target failed to start; the check reports it");
        if (h.target.powers().isPresent()) return ConditionEvaluationResult.enabled("target has emulator powers");
        return ConditionEvaluationResult.disabled("needs emulator powers (" + (only.value().isEmpty() ? "clock, faults"
                : only.value()) + "); target " + h.target.spec() + " has none");
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        Target target = target(ctx);
        Holder h = holder(ctx);
        Object instance = ctx.getRequiredTestInstance();
        if (instance instanceof ScenarioAware aware) {
            aware.begin(target, new Scenario(target, ctx, h.snapshots));
        }
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        Object instance = ctx.getRequiredTestInstance();
        if (instance instanceof ScenarioAware aware && aware.scenario() != null) {
            aware.scenario().end(ctx.getExecutionException().isPresent());
        }
    }

    /** Implemented by the checks' base class. */
    public interface ScenarioAware {
        void begin(Target target, Scenario scenario);

        Scenario scenario();
    }
}
