package dev.smlocal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The image's data volume and the documents that use it, checked statically (no container engine in
 * CI): the Dockerfile creates /data for its non-root user, closed to others, before declaring it a
 * volume (a named volume copies that owner and mode); it does not switch persistence on; every
 * {@code docker run} example (Dockerfile, README) passes only flags and SMLOCAL_* variables Main
 * knows; the compose example's {@code --data-dir} is that volume, with a named volume mounted there.
 */
class DockerDataVolumeTest {
    private static final Path REPO = Path.of(System.getProperty("smlocal.repo.dir", ".."));
    private static final Pattern VOLUME = Pattern.compile("^VOLUME \\[\"(/[^\"]+)\"]$");

    private static List<String> dockerfile() throws Exception {
        return Files.readAllLines(REPO.resolve("Dockerfile"));
    }

    /** The path the Dockerfile declares as its (only) volume. */
    private static String volume(List<String> lines) {
        List<String> volumes = new ArrayList<>();
        for (String l : lines) {
            Matcher m = VOLUME.matcher(l);
            if (m.matches()) volumes.add(m.group(1));
            else assertFalse(l.startsWith("VOLUME"), "VOLUME in JSON form, one path: " + l);
        }
        assertEquals(1, volumes.size(), "one data volume: " + volumes);
        return volumes.get(0);
    }

    private static Map<String, Main.Flag> flags() {
        return Main.FLAGS.stream().collect(Collectors.toMap(Main.Flag::name, f -> f));
    }

    @Test
    void theImageDeclaresAVolumeItsUserOwnsAndLeavesPersistenceOff() throws Exception {
        List<String> lines = dockerfile();
        String volume = volume(lines);
        int runtime = lines.indexOf(lines.stream().filter(l -> l.startsWith("FROM eclipse-temurin:17-jre")).findFirst().orElseThrow());
        int declared = lines.indexOf("VOLUME [\"" + volume + "\"]");
        String created = "install -d -o smlocal -g smlocal -m 0700 " + volume;
        int creates = -1;
        for (int i = runtime; i < lines.size(); i++) if (lines.get(i).contains(created)) creates = i;
        assertTrue(creates > runtime && creates < declared,
                "the runtime stage creates " + volume + " for its user, 0700, before the VOLUME line (later changes would be lost)");
        assertTrue(lines.contains("USER smlocal"));

        String dataDir = flags().get("data-dir").env();
        assertEquals("SMLOCAL_DATA_DIR", dataDir);
        for (String l : lines) {
            if (l.startsWith("#")) continue;
            assertFalse(l.contains(dataDir) || l.contains("--data-dir"), "the image keeps the in-memory default: " + l);
        }
    }

    @Test
    void everyDockerRunExampleUsesFlagsAndVariablesTheServerKnows() throws Exception {
        Map<String, Main.Flag> flags = flags();
        List<String> envs = Main.FLAGS.stream().map(Main.Flag::env).toList();
        List<String> examples = new ArrayList<>();
        for (String l : dockerfile()) if (l.startsWith("#") && l.contains("docker run ")) examples.add(l.substring(1));
        for (String l : Files.readAllLines(REPO.resolve("README.md"))) if (l.startsWith("docker run ") || l.contains("&& docker run ")) examples.add(l);
        assertTrue(examples.stream().anyMatch(e -> e.contains("-v smlocal-data:")), "a documented run with a named volume: " + examples);

        String volume = volume(dockerfile());
        for (String example : examples) {
            String[] words = example.substring(example.indexOf("docker run ") + "docker run ".length()).trim().split("\\s+");
            boolean server = false; // past the image name: the server's own arguments
            boolean serverArgs = false;
            String mounted = null;
            String dataDir = null;
            for (int i = 0; i < words.length && !words[i].startsWith("("); i++) {
                String w = words[i];
                if (!server) {
                    if (w.equals("smlocal")) server = true;
                    else if (w.equals("-e")) {
                        String var = words[++i].split("=", 2)[0];
                        if (var.startsWith("SMLOCAL_")) assertTrue(envs.contains(var), "unknown variable " + var + " in: " + example);
                        if (var.equals("SMLOCAL_DATA_DIR")) dataDir = words[i].split("=", 2)[1];
                    } else if (w.equals("-v")) mounted = words[++i].split(":")[1];
                    else if (w.equals("-p")) i++;
                } else if (w.startsWith("--")) {
                    serverArgs = true;
                    String name = w.substring(2).split("=", 2)[0];
                    assertTrue(flags.containsKey(name), "unknown flag --" + name + " in: " + example);
                    if (name.equals("data-dir")) dataDir = w.split("=", 2)[1];
                }
            }
            assertTrue(server, "the image is named smlocal: " + example);
            if (serverArgs) assertTrue(example.contains("--host=0.0.0.0"),
                    "arguments replace the image's CMD, so they repeat --host=0.0.0.0: " + example);
            if (dataDir != null) {
                assertEquals(volume, dataDir, "the data directory is the image's volume: " + example);
                assertEquals(volume, mounted, "a volume is mounted at the data directory: " + example);
            }
        }
    }

    @Test
    void theComposeExampleKeepsItsStateInANamedVolumeAtTheImagesDataDirectory() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(REPO.resolve("examples/compose/compose.yaml").toFile());
        JsonNode smlocal = compose.path("services").path("smlocal");
        String dataDir = null;
        for (JsonNode arg : smlocal.path("command")) {
            if (arg.asText().startsWith("--data-dir=")) dataDir = arg.asText().substring("--data-dir=".length());
        }
        String volume = volume(dockerfile());
        assertEquals(volume, dataDir, "--data-dir is the image's volume (its owner and mode are the server user's)");
        List<String> mounts = new ArrayList<>();
        smlocal.path("volumes").forEach(v -> mounts.add(v.asText()));
        String mount = mounts.stream().filter(m -> m.endsWith(":" + volume)).findFirst().orElseThrow(
                () -> new AssertionError("a volume is mounted at " + volume + ": " + mounts));
        String name = mount.substring(0, mount.indexOf(':'));
        assertFalse(name.startsWith("/") || name.startsWith("."), "a named volume, not a host directory: " + mount);
        assertTrue(compose.path("volumes").has(name), "the named volume is declared: " + name);
    }
}
