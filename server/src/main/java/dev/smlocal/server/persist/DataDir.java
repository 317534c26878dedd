package dev.smlocal.server.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code --data-dir}: its lock, its files and their life cycle (docs/PERSISTENCE.md).
 *
 * <pre>
 * smlocal.lock                  held (FileChannel.tryLock) while a server uses the directory
 * snapshot-NNNNNNNNNNNNNNNN.snap  the whole state; holds every journal numbered below NNN
 * journal-NNNNNNNNNNNNNNNN.log    records after that, replayed in number order
 * *.tmp                         a snapshot being written; never read, removed on start
 * </pre>
 * The directory is created {@code rwx------} and every file {@code rw-------}: key material lives here.
 */
public final class DataDir implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DataDir.class.getName());
    static final String LOCK = "smlocal.lock";
    private static final Pattern JOURNAL = Pattern.compile("journal-(\\d{16})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{16})\\.snap");
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Test-only: how long a snapshot's temporary file stays in place before its rename (a pause point for crash tests). */
    private volatile Duration pauseBeforeRename = Duration.ZERO;

    private DataDir(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Whether {@code dir} holds a state (a snapshot or a journal): false for a directory that does not
     * exist yet or holds neither (then {@code --init} seeds it).
     */
    public static boolean holdsState(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .anyMatch(n -> JOURNAL.matcher(n).matches() || SNAPSHOT.matcher(n).matches());
        } catch (IOException e) {
            throw new DataDirException("cannot list the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Creates the directory if needed (mode 0700) and takes its lock; another server holding it is an error. */
    public static DataDir open(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(d)) {
                if (Files.exists(d)) throw new DataDirException(d + " exists and is not a directory; choose another --data-dir.");
                Files.createDirectories(d);
            }
            restrict(d, DIR_MODE);
        } catch (IOException e) {
            throw new DataDirException("cannot create or use the data directory " + d + ": " + e.getMessage(), e);
        }
        Path lockFile = d.resolve(LOCK);
        FileChannel ch;
        try {
            ch = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), fileAttributes(d));
            restrict(lockFile, FILE_MODE);
        } catch (IOException e) {
            throw new DataDirException("cannot open the lock file " + lockFile + ": " + e.getMessage(), e);
        }
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException e) {
            close(ch);
            throw new DataDirException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
        if (l == null) {
            close(ch);
            throw new DataDirException("another smlocal server is using the data directory " + d + " (it holds "
                    + lockFile + "). Stop that server first, or start this one with another --data-dir.");
        }
        return new DataDir(d, ch, l);
    }

    public Path path() { return dir; }

    void pauseBeforeRename(Duration d) { pauseBeforeRename = d; }

    static Path journalName(Path dir, long n) { return dir.resolve(String.format("journal-%016d.log", n)); }

    static Path snapshotName(Path dir, long n) { return dir.resolve(String.format("snapshot-%016d.snap", n)); }

    Path journal(long n) { return journalName(dir, n); }

    Path snapshot(long n) { return snapshotName(dir, n); }

    /** What {@link #load} found, in the order to apply it. */
    public interface Loader {
        /** The newest snapshot's payload (at most one call, before any record). */
        void snapshot(Path file, byte[] payload);

        /** One journal record, in order. */
        void record(Path file, byte[] payload);
    }

    /**
     * Reads the newest snapshot, then every journal it does not hold, handing each to {@code loader};
     * returns the number of the journal to write next. Leftovers of an interrupted compaction
     * (temporary files, journals and snapshots the newest snapshot holds) are removed. A torn tail of
     * the last journal (a write that was never acknowledged) is cut off and logged; any other damage
     * is a {@link DataDirException} and nothing is changed.
     */
    public long load(Loader loader) {
        TreeMap<Long, Path> journals = new TreeMap<>();
        TreeMap<Long, Path> snapshots = new TreeMap<>();
        List<Path> temporary = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                Matcher j = JOURNAL.matcher(name);
                Matcher s = SNAPSHOT.matcher(name);
                if (j.matches()) journals.put(Long.parseLong(j.group(1)), p);
                else if (s.matches()) snapshots.put(Long.parseLong(s.group(1)), p);
                else if (name.endsWith(".tmp")) temporary.add(p);
            }
        } catch (IOException e) {
            throw new DataDirException("cannot list the data directory " + dir + ": " + e.getMessage(), e);
        }
        long base = 0;
        if (!snapshots.isEmpty()) {
            var newest = snapshots.lastEntry();
            base = newest.getKey();
            Frames.Read r = Frames.read(newest.getValue(), Frames.SNAPSHOT_MAGIC, "snapshot");
            if (r.ending() != Frames.Ending.CLEAN || r.records().size() != 1) {
                throw new DataDirException("the snapshot " + newest.getValue() + " is damaged ("
                        + (r.problem() == null ? r.records().size() + " records instead of one" : r.problem())
                        + "). smlocal will not start from part of the state. Restore the directory from a backup, or"
                        + " move it aside and start with an empty --data-dir.");
            }
            loader.snapshot(newest.getValue(), r.records().get(0));
        }
        List<Long> live = new ArrayList<>(journals.tailMap(base, true).keySet());
        long next = base;
        Path tornFile = null;
        long tornAt = -1;
        for (int i = 0; i < live.size(); i++) {
            long n = live.get(i);
            Path file = journals.get(n);
            boolean last = i == live.size() - 1;
            Frames.Read r = Frames.read(file, Frames.JOURNAL_MAGIC, "journal");
            if (r.ending() == Frames.Ending.CORRUPT || (!last && r.ending() != Frames.Ending.CLEAN)) {
                throw new DataDirException("the journal " + file + " is damaged: " + r.problem() + ", before "
                        + (last ? "more records" : "the later journal " + journals.get(live.get(i + 1)).getFileName())
                        + ". Those records were acknowledged; smlocal will not drop them silently. Restore the directory"
                        + " from a backup; or, to keep what comes before the damage and lose the rest, truncate the file"
                        + " to " + r.goodEnd() + " bytes and delete any later journal; or move the directory aside.");
            }
            for (byte[] rec : r.records()) loader.record(file, rec);
            if (r.ending() == Frames.Ending.TORN_TAIL) {
                tornFile = file;
                tornAt = r.goodEnd();
                LOG.warning("smlocal: " + file + " ends with an incomplete record (" + r.problem() + ", "
                        + (r.fileSize() - r.goodEnd()) + " bytes): a write interrupted before it was acknowledged;"
                        + " dropped. The state before it is loaded.");
            }
            next = n + 1;
        }
        // the state is loaded: now the directory may be tidied
        if (tornFile != null) {
            try (FileChannel ch = FileChannel.open(tornFile, StandardOpenOption.WRITE)) {
                if (tornAt < Frames.HEADER) {
                    ch.truncate(0);
                    ch.write(Frames.header(Frames.JOURNAL_MAGIC), 0);
                } else {
                    ch.truncate(tornAt);
                }
                ch.force(true);
            } catch (IOException e) {
                throw new DataDirException("cannot cut the incomplete tail off " + tornFile + ": " + e.getMessage(), e);
            }
        }
        for (Path t : temporary) delete(t);
        for (var e : journals.headMap(base, false).entrySet()) delete(e.getValue());
        for (var e : snapshots.headMap(base, false).entrySet()) delete(e.getValue());
        fsyncDir();
        return next;
    }

    /** Creates journal {@code n} with its header, forced; the directory entry is forced too. */
    FileChannel createJournal(long n) throws IOException {
        Path file = journal(n);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttributes(dir));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("journal " + file + " already exists", e);
        }
        restrict(file, FILE_MODE);
        ByteBuffer h = Frames.header(Frames.JOURNAL_MAGIC);
        while (h.hasRemaining()) ch.write(h);
        ch.force(true);
        fsyncDir();
        return ch;
    }

    /**
     * Writes the snapshot that holds every journal below {@code n}: a temporary file, forced, renamed
     * atomically, the directory forced; then the journals and snapshots it replaces are deleted.
     * A crash at any step leaves either the old snapshot with all its journals, or the new one.
     */
    void writeSnapshot(long n, byte[] payload) throws IOException {
        Path target = snapshot(n);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                fileAttributes(dir))) {
            restrict(tmp, FILE_MODE);
            ByteBuffer h = Frames.header(Frames.SNAPSHOT_MAGIC);
            while (h.hasRemaining()) ch.write(h);
            ByteBuffer b = Frames.frame(List.of(payload));
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        Duration pause = pauseBeforeRename;
        if (!pause.isZero()) {
            try {
                Thread.sleep(pause.toMillis()); // test-only pause point (hidden flag), never set in normal use
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + dir + " cannot rename atomically", e);
        }
        fsyncDir();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                Matcher j = JOURNAL.matcher(name);
                Matcher s = SNAPSHOT.matcher(name);
                if ((j.matches() && Long.parseLong(j.group(1)) < n) || (s.matches() && Long.parseLong(s.group(1)) < n)) {
                    delete(p);
                }
            }
        }
        fsyncDir();
    }

    /** Forces the directory's entries (created, renamed, deleted files) to disk where the platform allows it. */
    void fsyncDir() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory; their rename is durable by other means
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warning("smlocal: cannot delete " + p + ": " + e.getMessage());
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] fileAttributes(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }

    private static void restrict(Path p, Set<PosixFilePermission> mode) throws IOException {
        if (posix(p)) Files.setPosixFilePermissions(p, mode);
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Releases the lock; the files stay. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close releases it too
        }
        close(lockChannel);
    }

    /** Test hook: applies {@code action} to every journal file name in order (for damage tests). */
    static void forEachJournal(Path dir, Consumer<Path> action) throws IOException {
        TreeMap<Long, Path> journals = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher j = JOURNAL.matcher(p.getFileName().toString());
                if (j.matches()) journals.put(Long.parseLong(j.group(1)), p);
            }
        }
        journals.values().forEach(action);
    }
}
