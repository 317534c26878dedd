package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.smlocal.conformance.support.Markers;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The marker rule (style.md §3.9): every test method of every {@code *Conformance} class carries
 * exactly one of {@code @AwsValidated}, {@code @AwsUnverified}, {@code @EmulatorOnly}; the classes
 * are found by scanning the test classpath, so a new check class cannot slip past.
 */
class MarkersTest {

    @Test
    void everyCheckCarriesExactlyOneMarker() throws Exception {
        List<Class<?>> checks = checkClasses();
        List<String> problems = new ArrayList<>();
        int methods = 0;

        for (Class<?> c : checks) {
            if (!ConformanceCheck.class.isAssignableFrom(c)) problems.add(c.getSimpleName() + " does not extend ConformanceCheck");
            for (Method m : c.getDeclaredMethods()) {
                if (!isTest(m)) continue;
                methods++;
                String p = Markers.problem(m);
                if (p != null) problems.add(p);
            }
        }

        assertTrue(checks.size() >= 15, "found only " + checks.size() + " *Conformance classes: " + checks);
        assertTrue(methods >= 200, "found only " + methods + " check methods");
        assertEquals(List.of(), problems);
    }

    @Test
    void markersAreUsedOnlyOnChecks() throws Exception {
        List<String> misplaced = new ArrayList<>();

        for (Class<?> c : allTestClasses()) {
            // checks, and the fixtures that meta-tests run through EngineTestKit
            if (c.getSimpleName().endsWith("Conformance") || c.getEnclosingClass() != null) continue;
            for (Method m : c.getDeclaredMethods()) {
                if (!Markers.on(m).isEmpty()) misplaced.add(c.getSimpleName() + "." + m.getName());
            }
        }

        assertEquals(List.of(), misplaced);
    }

    @Test
    void theConditionFailsACheckWithTwoMarkersOrNone() {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(BadlyMarked.class))
                .configurationParameter("smlocal.target", "in-process").configurationParameter("smlocal.fixtures", "true").execute();

        var failed = results.testEvents().failed().list();
        assertEquals(2, failed.size(), "both badly marked methods fail");
        for (var e : failed) {
            Throwable t = e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                    .getThrowable().orElseThrow();
            assertTrue(t.getMessage().contains("exactly one of @AwsValidated, @AwsUnverified, @EmulatorOnly"), t.getMessage());
        }
        assertEquals(1, results.testEvents().succeeded().count(), "the well-marked method runs");
    }

    /** A fixture, run only through EngineTestKit above (surefire skips nested classes). */
    static class BadlyMarked extends ConformanceCheck {
        @Test
        @AwsUnverified(reason = "fixture")
        @EmulatorOnly
        void twoMarkers() {
        }

        @Test
        void noMarker() {
        }

        @Test
        @AwsUnverified(reason = "fixture")
        void oneMarker() {
        }
    }

    static boolean isTest(Method m) {
        return m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class)
                || m.isAnnotationPresent(RepeatedTest.class) || m.isAnnotationPresent(TestFactory.class)
                || m.isAnnotationPresent(TestTemplate.class);
    }

    /** Every {@code *Conformance} class on the test classpath. */
    static List<Class<?>> checkClasses() throws Exception {
        return allTestClasses().stream().filter(c -> c.getSimpleName().endsWith("Conformance"))
                .filter(c -> !Modifier.isAbstract(c.getModifiers())).toList();
    }

    static List<Class<?>> allTestClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(MarkersTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = root.relativize(p).toString().replace('/', '.').replace('\\', '.');
                name = name.substring(0, name.length() - ".class".length());
                if (!name.startsWith("dev.smlocal.conformance")) continue;
                out.add(Class.forName(name, false, MarkersTest.class.getClassLoader()));
            }
        }
        return out;
    }
}
