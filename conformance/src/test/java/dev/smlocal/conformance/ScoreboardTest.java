package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import dev.smlocal.conformance.support.ScoreboardListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

/** The scoreboard a run writes: target, date, totals, and a row per check with its marker and difference. */
class ScoreboardTest {

    @Test
    void aRunWritesOneRowPerCheckWithResultMarkerAndDifference(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("conformance-report.md");
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .addTestExecutionListeners(new ScoreboardListener(report)).build());

        launcher.execute(request().selectors(selectClass(FixtureConformance.class))
                .configurationParameter("smlocal.target", "in-process").configurationParameter("smlocal.fixtures", "true")
                .configurationParameter("smlocal.snapshots", "off").build());

        String md = Files.readString(report);
        assertTrue(md.contains("| target | `in-process` |"), md);
        assertTrue(md.contains("| pass | 1 |") && md.contains("| fail | 1 |") && md.contains("| skip | 1 |"), md);
        assertTrue(md.contains("| FixtureConformance | passes | AwsUnverified | pass |  |"), md);
        assertTrue(md.contains("| FixtureConformance | differs | AwsUnverified | FAIL | GetSecretValue: __type expected "
                + "NoSuchThing, was ResourceNotFoundException"), md);
        assertTrue(md.contains("| FixtureConformance | skipped | AwsValidated(2026-01-01) | skip | fixture: skipped on purpose |"),
                md);
    }

    @Test
    void cellsEscapePipesAndNewlines() {
        String md = ScoreboardListener.render("url:http://x", Instant.parse("2026-01-15T10:00:00Z"), Duration.ofSeconds(3),
                List.of(new ScoreboardListener.Row("C", "m", "EmulatorOnly", "FAIL", "a|b\nc")));

        assertTrue(md.contains("| C | m | EmulatorOnly | FAIL | a\\|b c |"), md);
        assertTrue(md.contains("| date | 2026-01-15T10:00:00Z |"), md);
    }

    /** A fixture run only through the launcher above. */
    static class FixtureConformance extends ConformanceCheck {
        @Test
        @AwsUnverified(reason = "fixture")
        void passes() {
        }

        @Test
        @AwsUnverified(reason = "fixture")
        void differs() {
            dev.smlocal.conformance.support.Expect.that(raw("GetSecretValue", json("SecretId", name("missing"))))
                    .type("NoSuchThing").verify();
        }

        @Test
        @AwsValidated(on = "2026-01-01")
        @org.junit.jupiter.api.Disabled("fixture: skipped on purpose")
        void skipped() {
        }
    }
}
