package dev.smlocal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's start line, {@code java -XX:SharedArchiveFile=server/target/smlocal.jsa -jar
 * server/target/smlocal-server.jar}: the server build recorded the archive beside the jar, the
 * {@code java} on the PATH (the one the README's line runs) maps it ({@code -Xshare:on} refuses to
 * start otherwise) and the server starts and answers from it; {@code bench start} times that line
 * beside the plain one.
 */
class ClassDataArchiveTest {
    private static final Path SERVER = Path.of("..", "server", "target");
    private static final Path JAR = SERVER.resolve("smlocal-server.jar");
    private static final Path ARCHIVE = SERVER.resolve(ColdStart.ARCHIVE);

    @Test
    void theBuildsArchiveMapsAndTheServerStartsFromIt() throws Exception {
        assertTrue(Files.isRegularFile(ARCHIVE), "the server build records " + ARCHIVE);
        Process p = new ProcessBuilder("java", "-Xshare:on", "-XX:SharedArchiveFile=" + ARCHIVE, "-jar", JAR.toString(), "training-run")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the training run ends");
        assertEquals(0, p.exitValue(), output);
    }

    @Test
    void theReadmesStartLineUsesTheArchive() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int block = readme.indexOf("```bash\n");
        assertTrue(block >= 0, "README.md starts with its set-up commands");
        String start = readme.substring(block + 8, readme.indexOf('\n', block + 8));
        assertTrue(start.contains("&& java -XX:SharedArchiveFile=server/target/" + ColdStart.ARCHIVE
                + " -jar server/target/smlocal-server.jar"), start);
    }

    @Test
    void benchStartTimesTheReadmeLineBesideThePlainOne() throws Exception {
        Bench.Result r = ColdStart.run(1, JAR.toString(), List.of());
        List<String> medians = r.rows().stream().map(Bench.Row::what).filter(w -> w.startsWith("cold start to a healthy")).toList();
        assertEquals(2, medians.size(), medians.toString());
        assertTrue(medians.get(1).contains("-XX:SharedArchiveFile=" + ARCHIVE), medians.get(1));
    }
}
