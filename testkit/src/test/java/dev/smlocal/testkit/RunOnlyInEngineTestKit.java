package dev.smlocal.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Marks an inner test class that fails on purpose: it runs only when a test launches it through
 * {@link Condition#engine(Class)}, never in the build's own test run.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RunOnlyInEngineTestKit.Condition.class)
@interface RunOnlyInEngineTestKit {
    String PARAMETER = "smlocal.testkit.selftest";

    /** Enables the class only when the configuration parameter is set. */
    final class Condition implements ExecutionCondition {
        /** A Jupiter engine run of {@code testClass} with the inner classes switched on. */
        static EngineTestKit.Builder engine(Class<?> testClass) {
            return EngineTestKit.engine("junit-jupiter")
                    .configurationParameter(PARAMETER, "true")
                    .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(testClass));
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).map(Boolean::parseBoolean).orElse(false)
                    ? ConditionEvaluationResult.enabled("launched by a testkit self-test")
                    : ConditionEvaluationResult.disabled("fails on purpose; launched by a testkit self-test only");
        }
    }
}
