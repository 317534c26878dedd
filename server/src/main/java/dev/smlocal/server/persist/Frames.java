package dev.smlocal.server.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The on-disk framing shared by journals and snapshots (docs/PERSISTENCE.md):
 * a file header {@code magic (4 bytes) · format (int32)}, then records
 * {@code length (int32) · CRC-32 of the payload (int32) · payload (length bytes)}, big-endian.
 */
final class Frames {
    /** The on-disk format this version writes and reads. */
    static final int FORMAT = 1;
    static final byte[] JOURNAL_MAGIC = {'S', 'M', 'L', 'J'};
    static final byte[] SNAPSHOT_MAGIC = {'S', 'M', 'L', 'S'};
    static final int HEADER = 8;
    static final int RECORD_HEADER = 8;
    /** Larger than any entity or section; a length beyond it is damage, not data. */
    static final int MAX_RECORD = 256 * 1024 * 1024;

    private Frames() {}

    static ByteBuffer header(byte[] magic) {
        ByteBuffer b = ByteBuffer.allocate(HEADER);
        b.put(magic).putInt(FORMAT).flip();
        return b;
    }

    static int crc(byte[] payload) {
        CRC32 c = new CRC32();
        c.update(payload);
        return (int) c.getValue();
    }

    /** The records of one batch, framed, in one buffer (one write call). Payloads are never empty. */
    static ByteBuffer frame(List<byte[]> payloads) {
        int size = 0;
        for (byte[] p : payloads) size += RECORD_HEADER + p.length;
        ByteBuffer b = ByteBuffer.allocate(size);
        for (byte[] p : payloads) b.putInt(p.length).putInt(crc(p)).put(p);
        b.flip();
        return b;
    }

    /** What reading a file gave: its good records, where they end, and how it ended. */
    record Read(List<byte[]> records, long goodEnd, long fileSize, Ending ending, String problem) {}

    enum Ending {
        /** The last record ends exactly at the end of the file. */
        CLEAN,
        /** The file ends inside a record, or in zeros after the last good one: a write that never completed. */
        TORN_TAIL,
        /** A damaged record with data after it. */
        CORRUPT
    }

    /**
     * Reads every record of {@code file} after checking its header. A header from a newer format, or
     * a header that is not ours, is a {@link DataDirException}; a file shorter than its header is
     * reported as a torn tail with no records (a file created by a crash before its header was forced).
     */
    static Read read(Path file, byte[] magic, String what) {
        byte[] all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 16) throw new DataDirException(file + " is larger than 2 GiB; it cannot be a " + what);
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read it all
            }
            all = buf.array();
        } catch (IOException e) {
            throw new DataDirException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (all.length < HEADER) {
            return new Read(List.of(), 0, all.length, Ending.TORN_TAIL, "the file ends inside its header");
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        byte[] m = new byte[4];
        b.get(m);
        if (!java.util.Arrays.equals(m, magic)) {
            throw new DataDirException(file + " is not an smlocal " + what + " (its first bytes are not "
                    + new String(magic, java.nio.charset.StandardCharsets.US_ASCII) + "). Remove it from the data"
                    + " directory, or point --data-dir at a directory only smlocal writes to.");
        }
        int format = b.getInt();
        if (format > FORMAT) {
            throw new DataDirException(file + " was written by a newer smlocal (on-disk format " + format
                    + "; this smlocal reads format " + FORMAT + " and older). Run that newer smlocal, or start this"
                    + " one with another --data-dir.");
        }
        if (format < 1) throw new DataDirException(file + " names an unknown on-disk format " + format + "; it is damaged.");
        List<byte[]> records = new ArrayList<>();
        int p = HEADER;
        while (p < all.length) {
            String problem = null;
            int len = -1;
            if (all.length - p < RECORD_HEADER) {
                problem = "the file ends inside a record header";
            } else {
                len = b.getInt(p);
                int crc = b.getInt(p + 4);
                if (len <= 0 || len > MAX_RECORD) {
                    problem = "a record length of " + len + " bytes";
                } else if ((long) p + RECORD_HEADER + len > all.length) {
                    problem = "the file ends inside a record of " + len + " bytes";
                } else {
                    byte[] payload = java.util.Arrays.copyOfRange(all, p + RECORD_HEADER, p + RECORD_HEADER + len);
                    if (crc(payload) != crc) {
                        problem = "a record whose CRC-32 does not match its content";
                    } else {
                        records.add(payload);
                        p += RECORD_HEADER + len;
                        continue;
                    }
                }
            }
            // a damaged record: the tail of an interrupted write when nothing but it (or zeros) follows
            boolean reachesEnd = all.length - p < RECORD_HEADER
                    || (len > 0 && len <= MAX_RECORD && (long) p + RECORD_HEADER + len >= all.length);
            Ending ending = reachesEnd || zerosFrom(all, p) ? Ending.TORN_TAIL : Ending.CORRUPT;
            return new Read(records, p, all.length, ending, problem + " at byte " + p);
        }
        return new Read(records, p, all.length, Ending.CLEAN, null);
    }

    private static boolean zerosFrom(byte[] all, int p) {
        for (int i = p; i < all.length; i++) if (all[i] != 0) return false;
        return true;
    }
}
