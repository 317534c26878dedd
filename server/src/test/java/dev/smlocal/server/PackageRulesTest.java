package dev.smlocal.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of style.md §3.2 and §3.5, checked without ArchUnit: every main source file is
 * read, comments and string literals are blanked, and what remains is searched for imports and
 * fully qualified names of other packages ({@code dev.smlocal.server.X.}, {@code io.vertx.}) and
 * for banned calls. Each rule is recorded in {@code docs/INVARIANTS.md}.
 */
class PackageRulesTest {
    private static final String ROOT = "dev.smlocal.server";
    private static final Pattern SMLOCAL_REF = Pattern.compile("\\bdev\\.smlocal\\.server\\.([a-z][a-z0-9_]*)\\.");
    private static final Pattern ROOT_CLASS_REF = Pattern.compile("\\bdev\\.smlocal\\.server\\.([A-Z]\\w*)");
    private static final Pattern VERTX_REF = Pattern.compile("\\bio\\.vertx\\.");

    /** One main source file: its package below dev.smlocal.server ("" for the root) and its code without comments or strings. */
    record Source(Path path, String pkg, String simpleName, String code) {
        /** The smlocal packages it refers to by import or qualified name ("" for a root class). */
        Set<String> smlocalPackages() {
            Set<String> out = new TreeSet<>();
            Matcher m = SMLOCAL_REF.matcher(code);
            while (m.find()) out.add(m.group(1));
            Matcher r = ROOT_CLASS_REF.matcher(code);
            while (r.find()) out.add("");
            out.remove(pkg);
            out.remove(top(pkg));
            return out;
        }

        String where() {
            return (pkg.isEmpty() ? "" : pkg + "/") + simpleName + ".java";
        }
    }

    private static List<Source> sources;

    @BeforeAll
    static void readSources() throws IOException {
        Path root = mainSources().resolve(ROOT.replace('.', '/'));
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().map(p -> {
                Path rel = root.relativize(p);
                String pkg = rel.getParent() == null ? "" : rel.getParent().toString().replace('/', '.');
                String name = rel.getFileName().toString().replace(".java", "");
                try {
                    return new Source(p, pkg, name, codeOnly(Files.readString(p, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
        assertTrue(sources.size() > 20, "main sources found under " + root + ": " + sources.size());
    }

    /** Vert.x is a transport detail: the domain must be callable from a unit test without a server. */
    @Test
    void onlyHttpAndAdminUseVertx() {
        List<String> offenders = new ArrayList<>();
        for (Source s : sources) {
            if (isIn(s, "http") || isIn(s, "admin")) continue;
            if (VERTX_REF.matcher(s.code()).find()) offenders.add(s.where());
        }

        assertNoOffenders(offenders, "io.vertx used outside http/ and admin/");
    }

    /** aws/ and time/ are the leaves every other package builds on; a dependency back would make a cycle. */
    @Test
    void awsAndTimeDependOnNoOtherSmlocalPackage() {
        List<String> offenders = new ArrayList<>();
        for (Source s : sources) {
            if (!isIn(s, "aws") && !isIn(s, "time")) continue;
            Set<String> refs = s.smlocalPackages();
            if (!refs.isEmpty()) offenders.add(s.where() + " -> " + refs);
        }

        assertNoOffenders(offenders, "aws/ or time/ referring to another smlocal package");
    }

    /** The transports sit on top; only the wiring at the root (Emulator, Main) may name them. */
    @Test
    void onlyTheRootWiringReferencesHttpOrAdmin() {
        List<String> offenders = new ArrayList<>();
        for (Source s : sources) {
            if (s.pkg().isEmpty() && (s.simpleName().equals("Emulator") || s.simpleName().equals("Main"))) continue;
            for (String p : s.smlocalPackages()) {
                if (isPackage(p, "http") || isPackage(p, "admin")) offenders.add(s.where() + " -> " + p);
            }
        }

        assertNoOffenders(offenders, "http/ or admin/ referenced outside Emulator and Main");
    }

    /** secrets/ talks to the Kms interface only, so another KMS backend can be plugged in. */
    @Test
    void secretsNeverNamesTheEmulatedKms() {
        List<String> offenders = new ArrayList<>();
        for (Source s : sources) {
            if (isIn(s, "secrets") && Pattern.compile("\\bEmulatedKms\\b").matcher(s.code()).find()) {
                offenders.add(s.where());
            }
        }

        assertNoOffenders(offenders, "secrets/ naming EmulatedKms");
    }

    /**
     * Outside kms/, only the wiring (Emulator, KmsContext) names EmulatedKms: admin/, http/ and the
     * rest reach the KMS through the Kms port or KmsOperations, so a custom Kms plugs in everywhere.
     */
    @Test
    void onlyTheWiringNamesTheEmulatedKms() {
        List<String> offenders = new ArrayList<>();
        for (Source s : sources) {
            if (isIn(s, "kms")) continue;
            if (s.pkg().isEmpty() && (s.simpleName().equals("Emulator") || s.simpleName().equals("KmsContext"))) continue;
            if (Pattern.compile("\\bEmulatedKms\\b").matcher(s.code()).find()) offenders.add(s.where());
        }

        assertNoOffenders(offenders, "EmulatedKms named outside kms/ and the wiring");
    }

    /** Time comes from EmulatorClock, so a manual clock governs everything the emulator does. */
    @Test
    void onlyTimeReadsTheWallClock() {
        Pattern banned = Pattern.compile("\\b(Instant\\.now|System\\.currentTimeMillis|LocalDateTime\\.now)\\s*\\(");
        List<String> offenders = new ArrayList<>();
        for (Source s : sources) {
            if (isIn(s, "time")) continue;
            Matcher m = banned.matcher(s.code());
            while (m.find()) offenders.add(s.where() + ": " + m.group(1) + "(");
        }

        assertNoOffenders(offenders, "wall-clock reads outside time/ (use EmulatorClock)");
    }

    /**
     * Delays go through the Scheduler. The one exception is http/: injected request latency and
     * held (timeout-mode) connections are real, bounded wall time (style.md §3.15.1).
     */
    @Test
    void onlyHttpSetsVertxTimers() {
        Pattern banned = Pattern.compile("\\bsetTimer\\s*\\(");
        List<String> offenders = new ArrayList<>();
        for (Source s : sources) {
            if (isIn(s, "http")) continue;
            if (banned.matcher(s.code()).find()) offenders.add(s.where());
        }

        assertNoOffenders(offenders, "setTimer outside http/ (use the Scheduler)");
    }

    /** Package slices below the root depend on each other without cycles (the root wires them and is left out). */
    @Test
    void packagesBelowTheRootHaveNoCycles() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : sources) {
            if (s.pkg().isEmpty()) continue;
            String top = top(s.pkg());
            Set<String> deps = graph.computeIfAbsent(top, k -> new TreeSet<>());
            for (String p : s.smlocalPackages()) {
                if (!p.isEmpty() && !top(p).equals(top)) deps.add(top(p));
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            path.add(start);
            findCycle(graph, start, start, path, new TreeSet<>(), cycles);
        }

        assertNoOffenders(cycles, "package cycles");
    }

    /**
     * No cycle through the root either: the root (Emulator, Main) wires every package, so nothing
     * below it may refer back to a root class (admin/ reaches the emulator through control/).
     */
    @Test
    void noPackageCycleThroughTheRoot() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : sources) {
            String top = top(s.pkg());
            Set<String> deps = graph.computeIfAbsent(top, k -> new TreeSet<>());
            for (String p : s.smlocalPackages()) {
                if (!top(p).equals(top)) deps.add(top(p));
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            path.add(start);
            findCycle(graph, start, start, path, new TreeSet<>(), cycles);
        }

        assertNoOffenders(cycles.stream().map(c -> c.replace("-> ->", "-> (root) ->")
                .replaceAll("^ ->", "(root) ->").replaceAll("-> $", "-> (root)")).toList(), "package cycles through the root");
    }

    /** control/ is the one interface both transports sit on: it knows neither (nor the root that wires them). */
    @Test
    void controlKnowsNoTransportNorTheRoot() {
        List<String> offenders = new ArrayList<>();
        for (Source s : sources) {
            if (!isIn(s, "control")) continue;
            for (String p : s.smlocalPackages()) {
                if (p.isEmpty() || isPackage(p, "http") || isPackage(p, "admin")) offenders.add(s.where() + " -> " + p);
            }
            if (VERTX_REF.matcher(s.code()).find()) offenders.add(s.where() + " -> io.vertx");
        }

        assertNoOffenders(offenders, "control/ referring to http/, admin/, Vert.x or the root");
    }

    private static void findCycle(Map<String, Set<String>> graph, String start, String at, List<String> path,
                                  Set<String> seen, List<String> cycles) {
        for (String next : graph.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (seen.add(next)) {
                path.add(next);
                findCycle(graph, start, next, path, seen, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static boolean isIn(Source s, String pkg) {
        return isPackage(s.pkg(), pkg);
    }

    private static boolean isPackage(String p, String pkg) {
        return p.equals(pkg) || p.startsWith(pkg + ".");
    }

    private static String top(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    private static void assertNoOffenders(List<String> offenders, String rule) {
        assertTrue(offenders.isEmpty(), rule + " (see docs/INVARIANTS.md): " + offenders);
    }

    private static Path mainSources() {
        String repo = System.getProperty("smlocal.repo.dir");
        if (repo != null && Files.isDirectory(Path.of(repo, "server/src/main/java"))) {
            return Path.of(repo, "server/src/main/java");
        }
        return Path.of("src/main/java").toAbsolutePath();
    }

    /** Java source with comments, string/text-block and char literals replaced by spaces (line breaks kept). */
    static String codeOnly(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') i = blank(src, i, out);
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                i = blank(src, blank(src, i, out), out);
                while (i < n && !(src.charAt(i) == '*' && i + 1 < n && src.charAt(i + 1) == '/')) i = blank(src, i, out);
                if (i < n) i = blank(src, blank(src, i, out), out);
            } else if (src.startsWith("\"\"\"", i)) {
                out.append("\"\"\"");
                i += 3;
                while (i < n && !src.startsWith("\"\"\"", i)) {
                    if (src.charAt(i) == '\\' && i + 1 < n) i = blank(src, i, out);
                    i = blank(src, i, out);
                }
                if (i < n) {
                    out.append("\"\"\"");
                    i += 3;
                }
            } else if (c == '"' || c == '\'') {
                out.append(c);
                i++;
                while (i < n && src.charAt(i) != c && src.charAt(i) != '\n') {
                    if (src.charAt(i) == '\\' && i + 1 < n) i = blank(src, i, out);
                    i = blank(src, i, out);
                }
                if (i < n && src.charAt(i) == c) {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int blank(String src, int i, StringBuilder out) {
        out.append(src.charAt(i) == '\n' ? '\n' : ' ');
        return i + 1;
    }

    @Test
    void codeOnlyBlanksCommentsAndLiterals() {
        String src = "import a.B; // Instant.now()\n/* io.vertx.X */ String s = \"io.vertx.\\\"Y\"; char q = '\"'; "
                + "String t = \"\"\"\n  setTimer(\n  \"\"\"; call();";

        String code = codeOnly(src);

        assertTrue(!code.contains("Instant") && !code.contains("vertx") && !code.contains("setTimer"), code);
        assertTrue(code.contains("import a.B;") && code.contains("call();") && code.contains("char q"), code);
    }
}
