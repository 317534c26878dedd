package dev.smlocal.server.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.kms.KmsState;
import dev.smlocal.server.secrets.SecretArn;
import dev.smlocal.server.secrets.RegionalStore;
import dev.smlocal.server.secrets.Secret;
import dev.smlocal.server.secrets.SecretRecord;
import dev.smlocal.server.secrets.StoreObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The file-backed storage behind the stores ({@code --data-dir}; docs/PERSISTENCE.md). Without it
 * nothing of this runs: the stores have no observer and state lives in memory only.
 *
 * <p>Journal records are JSON, one changed thing each, in the state document's own forms
 * ({@link StateCodec}):
 * <ul>
 *   <li>{@code {"t":"secret","account","region","name","secret":{...}}}, or {@code "removed":true}:
 *       one secret's full new state, read under its store's lock when a section that touched it ends;</li>
 *   <li>{@code {"t":"kms","keys":[...],"aliases":[...]}}: every key and alias, written when a
 *       writing section left them different from the last record;</li>
 *   <li>{@code {"t":"sections", clock, replication, principals, functions, faults}}: written after an
 *       admin write when they differ from the last record;</li>
 *   <li>{@code {"t":"reset"}}: everything before is forgotten.</li>
 * </ul>
 * A snapshot is a whole state document. Loading replays the records over the newest snapshot into
 * one document, restores it and re-plans timed work ({@link EmulatorParts#reconcileTimedWork}).
 */
public final class Persistence implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Persistence.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Test-only pause point: how long a compaction snapshot's temporary file waits before its rename (not the start's snapshot). */
    public static final String PAUSE_PROPERTY = "smlocal.test.snapshotPause";

    private final EmulatorParts emulator;
    private final DataDir dir;
    private final Journal journal;
    private final Object kmsLock = new Object();
    private final Object sectionsLock = new Object();
    // guarded by kmsLock / sectionsLock
    private byte[] lastKms;
    private boolean exportingKms;
    private byte[] lastSections;

    private Persistence(EmulatorParts emulator, DataDir dir, Journal journal) {
        this.emulator = emulator;
        this.dir = dir;
        this.journal = journal;
    }

    /**
     * Opens {@code emulator}'s data directory, loads what it holds into the (new, empty) emulator,
     * writes it as a fresh snapshot and starts journaling. A damaged directory throws a
     * {@link DataDirException} naming the file; the directory is then left as it was.
     */
    public static Persistence open(EmulatorParts emulator, Path path, long compactAfterBytes) {
        DataDir dir = DataDir.open(path);
        try {
            Replay replay = new Replay(emulator.version());
            long next = dir.load(replay);
            if (replay.any) {
                JsonNode document = replay.document();
                try {
                    StateTransfer.restore(emulator, StateCodec.decode(document));
                } catch (RuntimeException e) {
                    throw new DataDirException("the state in " + dir.path() + " cannot be restored: " + e.getMessage()
                            + ". Restore the directory from a backup, or move it aside and start with an empty --data-dir.", e);
                }
                emulator.reconcileTimedWork();
            }
            // one snapshot of what was loaded: the journals before it go, the next one starts empty
            dir.writeSnapshot(next, bytes(emulator.exportState(false)));
            // the test-only pause holds compactions' snapshots, not this one: the start is not delayed
            String pause = System.getProperty(PAUSE_PROPERTY);
            if (pause != null) dir.pauseBeforeRename(Duration.parse(pause));
            Persistence[] self = new Persistence[1];
            Journal journal = new Journal(dir, next, compactAfterBytes, n -> self[0].compact(n));
            Persistence p = new Persistence(emulator, dir, journal);
            self[0] = p;
            synchronized (p.kmsLock) {
                p.lastKms = p.kmsBytes();
            }
            synchronized (p.sectionsLock) {
                p.lastSections = p.sectionsBytes();
            }
            emulator.secrets().stores().observe(p.new Stores());
            if (emulator.kmsState() != null) emulator.kmsState().observe(p::kmsMaybeChanged);
            return p;
        } catch (IOException e) {
            dir.close();
            throw new DataDirException("cannot write to the data directory " + dir.path() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** The secret stores' observer: one record per touched secret, read under the store's lock. */
    private final class Stores implements StoreObserver {
        @Override
        public boolean recording() {
            return Durability.recording();
        }

        @Override
        public void touched(RegionalStore store, Set<String> names) {
            for (String name : names) {
                ObjectNode r = JSON.createObjectNode().put("t", "secret").put("account", store.account())
                        .put("region", store.region()).put("name", name);
                Secret s = store.current(name);
                if (s == null) r.put("removed", true);
                else r.set("secret", StateCodec.secret(SecretRecord.of(s)));
                append(r);
            }
        }
    }

    /** After a KMS section: journals every key and alias when they differ from the last record. */
    private void kmsMaybeChanged() {
        if (!Durability.recording()) return;
        synchronized (kmsLock) {
            if (exportingKms) return; // the export's own store visits
            byte[] now = kmsBytes();
            if (Arrays.equals(now, lastKms)) return;
            lastKms = now;
            append(now);
        }
    }

    private byte[] kmsBytes() {
        exportingKms = true;
        try {
            ObjectNode r = JSON.createObjectNode().put("t", "kms");
            ArrayNode keys = r.putArray("keys");
            ArrayNode aliases = r.putArray("aliases");
            KmsState kms = emulator.kmsState(); // null with a custom KMS: it persists itself
            if (kms != null) {
                kms.exportKeys().forEach(k -> keys.add(StateCodec.key(k)));
                kms.exportAliases().forEach(a -> aliases.add(StateCodec.alias(a)));
            }
            return bytes(r);
        } finally {
            exportingKms = false;
        }
    }

    private byte[] sectionsBytes() {
        ObjectNode doc = emulator.exportState(false);
        ObjectNode r = JSON.createObjectNode().put("t", "sections");
        for (String f : SECTIONS) if (doc.has(f)) r.set(f, doc.get(f));
        return bytes(r);
    }

    private static final List<String> SECTIONS = List.of("clock", "replication", "principals", "functions", "faults");

    /**
     * After an admin write: journals the sections (clock, replication, principals, functions, faults)
     * and the keys if they changed; the future completes once everything queued so far is on disk.
     */
    public CompletableFuture<Void> afterAdminWrite() {
        synchronized (sectionsLock) {
            byte[] now = sectionsBytes();
            if (!Arrays.equals(now, lastSections)) {
                lastSections = now;
                append(now);
            }
        }
        kmsMaybeChanged();
        return journal.flushed();
    }

    /** Everything is forgotten (the emulator's reset): a reset record, and the next sections and keys are written afresh. */
    public void reset() {
        synchronized (kmsLock) {
            synchronized (sectionsLock) {
                append(bytes(JSON.createObjectNode().put("t", "reset")));
                lastKms = null;
                lastSections = null;
            }
        }
    }

    private void append(ObjectNode record) {
        append(bytes(record));
    }

    private void append(byte[] record) {
        Durability.noted(journal.append(record));
    }

    /** The newest compaction thread; compactions run one at a time (the journal starts the next after compacted()). */
    private volatile Thread compaction;

    /** On the compaction thread: the whole state as snapshot {@code n}, which holds every journal below n. */
    private void compact(long n) {
        Thread t = new Thread(() -> {
            try {
                dir.writeSnapshot(n, bytes(emulator.exportState(false)));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "smlocal: snapshot " + n + " in " + dir.path() + " failed; the journals stay: "
                        + e.getMessage());
            } finally {
                journal.compacted();
            }
        }, "smlocal-compaction");
        t.setDaemon(true);
        compaction = t;
        t.start();
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Folds the snapshot and the records into one state document. */
    private static final class Replay implements DataDir.Loader {
        private final String version;
        boolean any;
        private ObjectNode base;
        private final Map<String, JsonNode> secrets = new LinkedHashMap<>();
        private JsonNode keys;
        private JsonNode aliases;
        private final Map<String, JsonNode> sections = new LinkedHashMap<>();

        Replay(String version) {
            this.version = version;
        }

        @Override
        public void snapshot(Path file, byte[] payload) {
            any = true;
            JsonNode d = parse(file, payload);
            if (!d.isObject()) throw new DataDirException("the snapshot " + file + " is not a state document; it is damaged.");
            StateCodec.decode(d); // a newer format or a bad field is named now, with the file
            base = (ObjectNode) d;
            for (JsonNode s : d.path("secrets")) {
                secrets.put(keyOf(s.path("arn").asText(), s.path("name").asText()), s);
            }
            keys = d.get("keys");
            aliases = d.get("aliases");
        }

        /** account/region/name, as the secret records name them. */
        private static String keyOf(String arn, String name) {
            SecretArn a = SecretArn.parse(arn);
            return a != null ? a.account() + "/" + a.region() + "/" + name : arn;
        }

        @Override
        public void record(Path file, byte[] payload) {
            any = true;
            JsonNode r = parse(file, payload);
            switch (r.path("t").asText()) {
                case "secret" -> {
                    String k = r.path("account").asText() + "/" + r.path("region").asText() + "/" + r.path("name").asText();
                    secrets.remove(k); // re-inserted last: creation order follows the journal
                    if (!r.path("removed").asBoolean(false)) secrets.put(k, r.get("secret"));
                }
                case "kms" -> {
                    keys = r.get("keys");
                    aliases = r.get("aliases");
                }
                case "sections" -> r.fields().forEachRemaining(f -> {
                    if (!f.getKey().equals("t")) sections.put(f.getKey(), f.getValue());
                });
                case "reset" -> {
                    base = null;
                    secrets.clear();
                    keys = null;
                    aliases = null;
                    sections.clear();
                }
                default -> throw new DataDirException("the journal " + file + " holds a record of unknown kind \""
                        + r.path("t").asText() + "\": it was written by a newer smlocal. Run that one, or start this one"
                        + " with another --data-dir.");
            }
        }

        private static JsonNode parse(Path file, byte[] payload) {
            try {
                return JSON.readTree(payload);
            } catch (IOException e) {
                throw new DataDirException(file + " holds a record that is not JSON although its checksum matches: "
                        + "it was not written by smlocal. Restore the directory from a backup, or move it aside.", e);
            }
        }

        JsonNode document() {
            ObjectNode d = base == null ? JSON.createObjectNode() : base.deepCopy();
            d.put("format", StateCodec.FORMAT);
            if (!d.has("smlocal")) d.put("smlocal", version);
            d.put("values", StateCodec.SEALED);
            sections.forEach(d::set);
            for (String f : List.of("functions", "faults")) if (!d.has(f)) d.putArray(f);
            d.set("keys", keys == null ? JSON.createArrayNode() : keys);
            d.set("aliases", aliases == null ? JSON.createArrayNode() : aliases);
            ArrayNode s = d.putArray("secrets");
            secrets.values().forEach(s::add);
            return d;
        }
    }

    /** Writes what is queued, stops the journal, releases the directory. */
    @Override
    public void close() {
        journal.close();
        // a compaction still writing would delete journals after the lock is released, under the
        // feet of the next server loading the directory: it finishes first
        Thread t = compaction;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dir.close();
    }

    @SuppressWarnings("unused")
    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
