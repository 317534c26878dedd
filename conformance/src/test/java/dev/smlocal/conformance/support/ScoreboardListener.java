package dev.smlocal.conformance.support;

import dev.smlocal.conformance.CreatesKeys;
import dev.smlocal.conformance.EmulatorOnly;
import dev.smlocal.conformance.GeneratedFromRule;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the scoreboard, {@code target/conformance-report.md}: the target, the date, totals, and one
 * row per check ({@code *Conformance} classes) with its marker, its result and, when it failed, the
 * difference. Registered through {@code META-INF/services}, so every launcher run writes it.
 */
public final class ScoreboardListener implements TestExecutionListener {
    public static final String REPORT = "conformance-report.md";

    /** One executed (or skipped) check. */
    public record Row(String className, String check, String marker, String result, String difference, String operation,
            String area, String rule) {
        /** A row whose operation and area follow from its class and check name ({@link Coverage}); no rule. */
        public Row(String className, String check, String marker, String result, String difference) {
            this(className, check, marker, result, difference, Coverage.operation(className, check.split(" ", 2)[0],
                    check.contains(" ") ? check.split(" ", 2)[1] : ""), Coverage.area(className), "");
        }

        boolean generated() {
            return !rule.isEmpty();
        }
    }

    private final Path out;
    private final boolean summary;
    private final Map<String, Row> rows = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();
    private Instant started;
    private boolean hasChecks;
    private String target = Targets.DEFAULT;

    /** The service-loaded listener: writes {@code target/conformance-report.md} of the module. */
    public ScoreboardListener() {
        this(reportDir().resolve(REPORT), true);
    }

    /** A listener writing to {@code out} without a console summary (tests of the scoreboard itself). */
    public ScoreboardListener(Path out) {
        this(out, false);
    }

    private ScoreboardListener(Path out, boolean summary) {
        this.out = out;
        this.summary = summary;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        started = Instant.now();
        target = plan.getConfigurationParameters().get(Targets.PROPERTY).filter(t -> !t.isBlank()).orElse(Targets.DEFAULT);
        int awsChecks = 0;
        int kmsKeys = 0;
        int replicaChecks = 0;
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                Optional<Method> m = method(id);
                if (m.isEmpty() || !isCheck(m.get())) continue;
                hasChecks = true;
                if (m.get().isAnnotationPresent(EmulatorOnly.class)) continue;
                // a parameterized check is a container in the plan; count its invocations as several checks
                int weight = id.isContainer() ? 6 : 1;
                awsChecks += weight;
                Class<?> c = m.get().getDeclaringClass();
                CreatesKeys keys = m.get().getAnnotation(CreatesKeys.class);
                if (keys != null) kmsKeys += weight * keys.value();
                if (extendsNamed(c, "MultiRegionCheck")) replicaChecks += weight;
            }
        }
        RunPlan.planned(awsChecks, kmsKeys, replicaChecks);
    }

    private static boolean extendsNamed(Class<?> c, String simpleName) {
        for (Class<?> k = c.getSuperclass(); k != null; k = k.getSuperclass()) {
            if (k.getSimpleName().equals(simpleName)) return true;
        }
        return false;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) record(id, "skip", reason);
        else if (id.isContainer()) {
            // a skipped class or parameterized method: one row for it
            method(id).ifPresent(m -> record(id, "skip", reason));
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) return;
        switch (result.getStatus()) {
            case SUCCESSFUL -> record(id, "pass", "");
            case ABORTED -> record(id, "skip", result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
            case FAILED -> record(id, "FAIL", result.getThrowable().map(ScoreboardListener::describe).orElse("failed"));
        }
    }

    private void record(TestIdentifier id, String result, String difference) {
        Optional<Method> m = method(id);
        if (m.isEmpty() || !isCheck(m.get())) return;
        String shown = id.getDisplayName();
        boolean plain = shown.equals(m.get().getName() + "()") || shown.equals(m.get().getName());
        String check = m.get().getName() + (plain ? "" : " " + shown);
        String className = m.get().getDeclaringClass().getSimpleName();
        GeneratedFromRule rule = m.get().getAnnotation(GeneratedFromRule.class);
        Row row = new Row(className, check, Markers.label(m.get()), result, difference == null ? "" : difference,
                Coverage.operation(className, m.get().getName(), plain ? "" : shown), Coverage.area(className),
                rule == null ? "" : rule.value());
        synchronized (order) {
            if (rows.put(id.getUniqueId(), row) == null) order.add(id.getUniqueId());
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (!hasChecks) return;
        List<Row> all;
        synchronized (order) {
            all = order.stream().map(rows::get).toList();
        }
        String md = render(target, Instant.now(), Duration.between(started, Instant.now()), all);
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, md);
            long pass = all.stream().filter(r -> r.result().equals("pass")).count();
            long fail = all.stream().filter(r -> r.result().equals("FAIL")).count();
            long skip = all.stream().filter(r -> r.result().equals("skip")).count();
            if (summary) System.out.println("[smlocal conformance] " + target + ": " + pass + " pass, " + fail + " fail, " + skip
                    + " skip; scoreboard " + out);
        } catch (IOException e) {
            System.err.println("[smlocal conformance] cannot write " + out + ": " + e.getMessage());
        }
    }

    static Path reportDir() {
        String basedir = System.getProperty("basedir");
        if (basedir != null) return Path.of(basedir, "target");
        return Files.isDirectory(Path.of("conformance")) ? Path.of("conformance", "target") : Path.of("target");
    }

    /** The scoreboard as Markdown. */
    public static String render(String target, Instant when, Duration took, List<Row> rows) {
        long pass = rows.stream().filter(r -> r.result().equals("pass")).count();
        long fail = rows.stream().filter(r -> r.result().equals("FAIL")).count();
        long skip = rows.stream().filter(r -> r.result().equals("skip")).count();
        StringBuilder b = new StringBuilder();
        b.append("# smlocal conformance scoreboard\n\n");
        b.append("| | |\n|---|---|\n");
        b.append("| target | `").append(target).append("` |\n");
        b.append("| date | ").append(DateTimeFormatter.ISO_INSTANT.format(when.atOffset(ZoneOffset.UTC).toInstant()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS))).append(" |\n");
        b.append("| duration | ").append(took.toSeconds()).append(" s |\n");
        b.append("| checks | ").append(rows.size()).append(" |\n");
        b.append("| pass | ").append(pass).append(" |\n");
        b.append("| fail | ").append(fail).append(" |\n");
        b.append("| skip | ").append(skip).append(" |\n\n");
        b.append("Markers: `AwsValidated(date)` passed against AWS on that date; `AwsUnverified` not yet run ")
                .append("against AWS by this suite; `EmulatorOnly` needs emulator powers and is skipped elsewhere.\n\n");
        coverage(b, rows);
        b.append("## Every check\n\n");
        b.append("| class | check | marker | result | difference |\n|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(cell(r.className())).append(" | ").append(cell(r.check())).append(" | ")
                    .append(cell(r.marker())).append(" | ").append(r.result()).append(" | ")
                    .append(cell(r.difference())).append(" |\n");
        }
        return b.toString();
    }

    /** Counts of a group of rows. */
    private static final class Tally {
        int checks;
        int pass;
        int fail;
        int skip;
        int generated;

        void add(Row r) {
            checks++;
            switch (r.result()) {
                case "pass" -> pass++;
                case "FAIL" -> fail++;
                default -> skip++;
            }
            if (r.generated()) generated++;
        }

        String cells() {
            return checks + " | " + pass + " | " + fail + " | " + skip + " | " + generated + " |";
        }
    }

    private static Map<String, Tally> tally(List<Row> rows, java.util.function.Function<Row, String> key) {
        Map<String, Tally> out = new java.util.TreeMap<>();
        for (Row r : rows) out.computeIfAbsent(key.apply(r), k -> new Tally()).add(r);
        return out;
    }

    /**
     * Coverage beyond the total: hand-written checks apart from the invocations of generated
     * validation rules, then per area and per operation (with the operations no check covers).
     */
    static void coverage(StringBuilder b, List<Row> rows) {
        Tally handWritten = new Tally();
        for (Row r : rows) if (!r.generated()) handWritten.add(r);
        Map<String, Tally> rules = tally(rows.stream().filter(Row::generated).toList(),
                r -> r.className() + "." + r.check().split(" ", 2)[0] + " | " + r.rule());
        int generated = rows.size() - handWritten.checks;
        b.append("## Hand-written checks and generated rules\n\n");
        b.append(rows.size()).append(" checks: ").append(handWritten.checks).append(" hand-written, ").append(generated)
                .append(" generated by ").append(rules.size()).append(rules.size() == 1 ? " validation rule" : " validation rules")
                .append(" (one parameterized check applied to every operation or input; each is one rule, however many rows).\n\n");
        b.append("| | checks | pass | fail | skip |\n|---|---|---|---|---|\n");
        b.append("| hand-written | ").append(handWritten.checks).append(" | ").append(handWritten.pass).append(" | ")
                .append(handWritten.fail).append(" | ").append(handWritten.skip).append(" |\n");
        rules.forEach((k, t) -> b.append("| rule ").append(cell(k.substring(0, k.indexOf(" | ")))).append(": ")
                .append(cell(k.substring(k.indexOf(" | ") + 3))).append(" | ").append(t.checks).append(" | ").append(t.pass)
                .append(" | ").append(t.fail).append(" | ").append(t.skip).append(" |\n"));
        b.append("\n## By area\n\n| area | checks | pass | fail | skip | generated |\n|---|---|---|---|---|---|\n");
        tally(rows, Row::area).forEach((k, t) -> b.append("| ").append(cell(k)).append(" | ").append(t.cells()).append("\n"));
        b.append("\n## By operation\n\nA parameterized check over operations counts under each operation it ran; other checks ")
                .append("under the operation their class is about; `(Theme)` rows are checks of a theme, not one operation.\n\n");
        b.append("| operation | checks | pass | fail | skip | generated |\n|---|---|---|---|---|---|\n");
        Map<String, Tally> ops = tally(rows, Row::operation);
        ops.forEach((k, t) -> b.append("| ").append(cell(k)).append(" | ").append(t.cells()).append("\n"));
        List<String> uncovered = Coverage.SECRETS_MANAGER.stream().filter(op -> !ops.containsKey(op)).toList();
        b.append("\nSecrets Manager operations without a check of their own: ")
                .append(uncovered.isEmpty() ? "none" : String.join(", ", uncovered)).append(".\n\n");
    }

    static String cell(String s) {
        String t = s == null ? "" : s.replace("\r", "").replace("\n", " ").replace("|", "\\|");
        return t.length() > 700 ? t.substring(0, 700) + "…" : t;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return (m == null || m.isBlank()) ? t.getClass().getSimpleName() : m;
    }

    private static boolean isCheck(Method m) {
        return m.getDeclaringClass().getSimpleName().endsWith("Conformance");
    }

    static Optional<Method> method(TestIdentifier id) {
        Optional<TestSource> source = id.getSource();
        if (source.isEmpty() || !(source.get() instanceof MethodSource ms)) return Optional.empty();
        try {
            return Optional.of(ms.getJavaMethod());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
