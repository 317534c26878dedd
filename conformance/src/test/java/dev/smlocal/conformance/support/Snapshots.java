package dev.smlocal.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opentest4j.AssertionFailedError;

/**
 * Normalised raw answers kept under {@code snapshots/<Class>/<method>.json}, one entry per raw call
 * of the check. A run against AWS with {@code -Dsmlocal.snapshots=record} writes them; every run
 * compares its answers' {@link Shape}s with the entries that exist (status, type, message, members).
 */
public final class Snapshots {
    public enum Mode { COMPARE, RECORD, OFF }

    public static final String PROPERTY = "smlocal.snapshots";
    public static final String DIR_PROPERTY = "smlocal.snapshots.dir";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Mode mode;
    /** Files rewritten by this run: the first write of a run starts afresh, later ones add entries. */
    private final Set<Path> written = ConcurrentHashMap.newKeySet();

    public Snapshots(Path dir, Mode mode) {
        this.dir = dir;
        this.mode = mode;
    }

    /** From {@code -Dsmlocal.snapshots} and {@code -Dsmlocal.snapshots.dir}; recording only against AWS. */
    public static Snapshots configured(Target target, String modeName) {
        Mode mode = switch (modeName == null ? "compare" : modeName.trim().toLowerCase()) {
            case "record" -> Mode.RECORD;
            case "off" -> Mode.OFF;
            default -> Mode.COMPARE;
        };
        if (mode == Mode.RECORD && target.kind() != Target.Kind.AWS) {
            System.out.println("[smlocal conformance] snapshots are recorded from real AWS only; target "
                    + target.spec() + " compares instead");
            mode = Mode.COMPARE;
        }
        return new Snapshots(defaultDir(), mode);
    }

    static Path defaultDir() {
        String explicit = System.getProperty(DIR_PROPERTY);
        if (explicit != null) return Path.of(explicit);
        String basedir = System.getProperty("basedir");
        if (basedir != null) return Path.of(basedir, "src", "test", "resources", "snapshots");
        Path module = Path.of("conformance");
        return Files.isDirectory(module) ? module.resolve("src/test/resources/snapshots") : Path.of("src/test/resources/snapshots");
    }

    public Mode mode() {
        return mode;
    }

    public Path file(String className, String method) {
        return dir.resolve(className).resolve(method + ".json");
    }

    /** The snapshot entries of one check. */
    public Session open(String className, String method) {
        return new Session(file(className, method));
    }

    public final class Session {
        private final Path file;
        private final ObjectNode existing;
        private final ObjectNode recorded = JSON.createObjectNode();
        private final List<String> compared = new ArrayList<>();

        Session(Path file) {
            this.file = file;
            this.existing = read(file);
        }

        /** Compares (or records) one answer under {@code key}; fails on a difference from the snapshot. */
        public void match(String key, RawAnswer answer) {
            if (mode == Mode.OFF) return;
            Shape shape = Shape.of(answer);
            if (mode == Mode.RECORD) {
                ObjectNode entry = shape.toJson();
                entry.set("body", Normaliser.body(answer.body()));
                recorded.set(key, entry);
                return;
            }
            JsonNode snap = existing == null ? null : existing.get(key);
            if (snap == null) return;
            compared.add(key);
            List<String> d = shape.differencesFrom(Shape.fromJson(snap));
            if (!d.isEmpty()) {
                throw new AssertionFailedError("differs from snapshot " + dir.relativize(file) + " [" + key + "]: "
                        + String.join("; ", d));
            }
        }

        public List<String> compared() {
            return List.copyOf(compared);
        }

        /** Writes what was recorded (record mode). */
        public void close() {
            if (mode != Mode.RECORD || recorded.isEmpty()) return;
            try {
                ObjectNode out = written.add(file) ? JSON.createObjectNode() : read(file);
                if (out == null) out = JSON.createObjectNode();
                out.setAll(recorded);
                Files.createDirectories(file.getParent());
                Files.writeString(file, JSON.writeValueAsString(out) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write snapshot " + file, e);
            }
        }
    }

    private static ObjectNode read(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return n instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + file, e);
        }
    }
}
