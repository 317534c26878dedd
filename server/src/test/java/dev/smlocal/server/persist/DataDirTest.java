package dev.smlocal.server.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal and snapshot files: group commit, reload, and each way a directory can be damaged. */
class DataDirTest {
    @TempDir
    Path dir;

    /** Everything {@link DataDir#load} handed over: the snapshot (if any), then the records. */
    static final class Seen implements DataDir.Loader {
        String snapshot;
        final List<String> records = new ArrayList<>();

        @Override
        public void snapshot(Path file, byte[] payload) {
            snapshot = new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public void record(Path file, byte[] payload) {
            records.add(new String(payload, StandardCharsets.UTF_8));
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Seen reload() {
        Seen seen = new Seen();
        try (DataDir d = DataDir.open(dir)) {
            d.load(seen);
        }
        return seen;
    }

    /** Writes {@code records} to a fresh journal, waits until they are durable, closes. */
    private void write(String... records) throws Exception {
        try (DataDir d = DataDir.open(dir)) {
            long next = d.load(new Seen());
            try (Journal j = new Journal(d, next, Long.MAX_VALUE, n -> { })) {
                CompletableFuture<Void> last = null;
                for (String r : records) last = j.append(b(r));
                if (last != null) last.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void acknowledgedRecordsFromManyThreadsAreReadBackInTheOrderEachThreadWroteThem() throws Exception {
        try (DataDir d = DataDir.open(dir); Journal j = new Journal(d, d.load(new Seen()), Long.MAX_VALUE, n -> { })) {
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Void>> acks = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 500; i++) acks.add(j.append(b(id + ":" + i)));
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) t.join();
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        Seen seen = reload();

        assertEquals(2000, seen.records.size());
        for (int t = 0; t < 4; t++) {
            String prefix = t + ":";
            List<String> mine = seen.records.stream().filter(r -> r.startsWith(prefix)).toList();
            for (int i = 0; i < 500; i++) assertEquals(prefix + i, mine.get(i));
        }
    }

    @Test
    void aTornTailIsDroppedAndTheStartGoesOn() throws Exception {
        write("one", "two", "three");
        Path journal = onlyJournal();
        long size = Files.size(journal);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.truncate(size - 2); // the last record lost its end: a write the crash interrupted
        }

        Seen seen = reload();

        assertEquals(List.of("one", "two"), seen.records);
        assertEquals(List.of("one", "two"), reload().records, "the tail was cut off: the next start is clean");
    }

    @Test
    void zerosAfterTheLastRecordAreATornTail() throws Exception {
        write("one", "two");
        try (FileChannel ch = FileChannel.open(onlyJournal(), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.allocate(100)); // space the file system allocated but the crash never filled
        }

        assertEquals(List.of("one", "two"), reload().records);
    }

    @Test
    void aDamagedRecordInTheMiddleStopsTheStartAndNamesTheFile() throws Exception {
        write("first record", "second", "third");
        Path journal = onlyJournal();
        flipByte(journal, Frames.HEADER + Frames.RECORD_HEADER + 3);

        DataDirException e = assertThrows(DataDirException.class, this::reload);

        assertTrue(e.getMessage().contains(journal.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("CRC-32") && e.getMessage().contains("backup"), e.getMessage());
        assertTrue(Files.exists(journal), "nothing is changed on refusal");
    }

    @Test
    void aJournalFromANewerFormatIsRefusedWithWhatToDo() throws Exception {
        write("one");
        Path journal = onlyJournal();
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, Frames.FORMAT + 1), 4);
        }

        DataDirException e = assertThrows(DataDirException.class, this::reload);

        assertTrue(e.getMessage().contains("newer smlocal") && e.getMessage().contains(journal.toString()), e.getMessage());
    }

    @Test
    void aDamagedSnapshotStopsTheStart() throws Exception {
        try (DataDir d = DataDir.open(dir)) {
            d.load(new Seen());
            d.writeSnapshot(3, b("{\"state\":\"all of it\"}"));
        }
        Path snap = DataDir.snapshotName(dir.toAbsolutePath(), 3);
        flipByte(snap, Files.size(snap) - 4);

        DataDirException e = assertThrows(DataDirException.class, this::reload);

        assertTrue(e.getMessage().contains(snap.toString()) && e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void aSnapshotHoldsTheJournalsBelowItsNumberAndReplacesThem() throws Exception {
        write("old-1", "old-2"); // journal 0
        try (DataDir d = DataDir.open(dir)) {
            long next = d.load(new Seen());
            assertEquals(1, next);
            try (Journal j = new Journal(d, next, Long.MAX_VALUE, n -> { })) {
                j.append(b("new-1")).get(10, TimeUnit.SECONDS); // journal 1
            }
            d.writeSnapshot(1, b("snap of old-1 and old-2"));
        }

        Seen seen = reload();

        assertEquals("snap of old-1 and old-2", seen.snapshot);
        assertEquals(List.of("new-1"), seen.records);
        assertFalse(Files.exists(DataDir.journalName(dir.toAbsolutePath(), 0)), "journal 0 is held by the snapshot");
    }

    @Test
    void aCrashDuringCompactionLeavesTheOldSnapshotAndItsJournalsInCharge() throws Exception {
        write("a"); // journal 0
        write("b"); // journal 1: as if the writer had rotated for a compaction
        Path tmp = dir.resolve("snapshot-0000000000000002.snap.tmp");
        Files.write(tmp, b("half a snapshot")); // the crash came before the rename

        Seen seen = reload();

        assertEquals(null, seen.snapshot);
        assertEquals(List.of("a", "b"), seen.records);
        assertFalse(Files.exists(tmp), "the temporary file is removed");
    }

    @Test
    void theWriterRotatesPastTheThresholdAndHandsOverTheNewNumber() throws Exception {
        List<Long> rotations = java.util.Collections.synchronizedList(new ArrayList<>());
        try (DataDir d = DataDir.open(dir); Journal j = new Journal(d, d.load(new Seen()), 64, rotations::add)) {
            j.append(b("x".repeat(100))).get(10, TimeUnit.SECONDS);
            j.append(b("after")).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(1L), rotations, "one rotation until the compaction says it is done");
            j.compacted();
            j.append(b("y".repeat(100))).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(1L, 2L), rotations);
        }
        assertEquals(List.of("x".repeat(100), "after", "y".repeat(100)), reload().records);
    }

    @Test
    void aSecondServerOnTheSameDirectoryIsRefused() {
        try (DataDir first = DataDir.open(dir)) {
            DataDirException e = assertThrows(DataDirException.class, () -> DataDir.open(dir));
            assertTrue(e.getMessage().contains("another smlocal server") && e.getMessage().contains(DataDir.LOCK),
                    e.getMessage());
        }
        DataDir.open(dir).close(); // released with the first
    }

    @Test
    void theDirectoryAndItsFilesAreTheOwnersOnly() throws Exception {
        Path data = dir.resolve("data");
        try (DataDir d = DataDir.open(data)) {
            long next = d.load(new Seen());
            try (Journal j = new Journal(d, next, Long.MAX_VALUE, n -> { })) {
                j.append(b("key material")).get(10, TimeUnit.SECONDS);
            }
            d.writeSnapshot(next + 1, b("snapshot"));
        }
        if (!data.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        try (var files = Files.list(data)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
        }
    }

    private Path onlyJournal() throws IOException {
        List<Path> all = new ArrayList<>();
        DataDir.forEachJournal(dir, all::add);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
            ch.write(one, at);
        }
    }
}
