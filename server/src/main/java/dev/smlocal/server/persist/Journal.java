package dev.smlocal.server.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The append-only journal with group commit. {@link #append} only queues a record (callers may hold
 * a store lock) and returns the future of the batch it will be written in; one writer thread takes
 * everything queued, writes it with one call, forces it with one {@code FileChannel.force}, and then
 * completes that batch's future. Batches complete in order.
 *
 * <p>Past {@code compactAfterBytes} the writer starts the next journal file and hands its number to
 * {@code onRotate} (which writes a snapshot elsewhere, then calls {@link #compacted}); records keep
 * flowing into the new file meanwhile. A write or force that fails fails its batch and every later
 * one: the server answers InternalServiceError instead of acknowledging what is not on disk.
 */
final class Journal implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Journal.class.getName());

    private final DataDir dir;
    private final long compactAfterBytes;
    private final LongConsumer onRotate;
    private final Object lock = new Object();
    private final Thread writer;
    // guarded by lock
    private List<byte[]> pending = new ArrayList<>();
    private CompletableFuture<Void> batch = new CompletableFuture<>();
    private IOException failure;
    private boolean closing;
    private boolean compacting;
    // writer thread only
    private FileChannel channel;
    private long number;
    private long size;

    Journal(DataDir dir, long number, long compactAfterBytes, LongConsumer onRotate) throws IOException {
        this.dir = dir;
        this.compactAfterBytes = compactAfterBytes;
        this.onRotate = onRotate;
        this.number = number;
        this.channel = dir.createJournal(number);
        this.size = Frames.HEADER;
        this.writer = new Thread(this::run, "smlocal-journal");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues one record; the future completes once it is on disk (forced). */
    CompletableFuture<Void> append(byte[] payload) {
        synchronized (lock) {
            if (failure != null) return CompletableFuture.failedFuture(failure);
            if (closing) return CompletableFuture.failedFuture(new IOException("the journal is closed"));
            pending.add(payload);
            if (pending.size() == 1) lock.notifyAll();
            return batch;
        }
    }

    /** A future that completes once everything queued so far is on disk. */
    CompletableFuture<Void> flushed() {
        synchronized (lock) {
            if (failure != null) return CompletableFuture.failedFuture(failure);
            return pending.isEmpty() ? CompletableFuture.completedFuture(null) : batch;
        }
    }

    /** The compaction {@code onRotate} started has finished (or failed): the next one may start. */
    void compacted() {
        synchronized (lock) {
            compacting = false;
        }
    }

    private void run() {
        while (true) {
            List<byte[]> take;
            CompletableFuture<Void> done;
            synchronized (lock) {
                while (pending.isEmpty() && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                if (pending.isEmpty()) break;
                take = pending;
                pending = new ArrayList<>();
                done = batch;
                batch = new CompletableFuture<>();
            }
            try {
                ByteBuffer b = Frames.frame(take);
                size += b.remaining();
                while (b.hasRemaining()) channel.write(b);
                channel.force(false);
            } catch (IOException | RuntimeException e) {
                IOException io = e instanceof IOException x ? x : new IOException(e);
                LOG.log(Level.SEVERE, "smlocal: cannot write the journal " + dir.journal(number)
                        + "; writes fail from now on: " + e.getMessage());
                synchronized (lock) {
                    failure = io;
                    pending.clear();
                    batch.completeExceptionally(io);
                }
                done.completeExceptionally(io);
                break;
            }
            maybeRotate(); // before the acknowledgement, so a test sees the rotation of the batch it waited for
            done.complete(null);
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void maybeRotate() {
        if (size < compactAfterBytes) return;
        synchronized (lock) {
            if (compacting || closing) return;
            compacting = true;
        }
        try {
            FileChannel next = dir.createJournal(number + 1);
            channel.close();
            channel = next;
            number++;
            size = Frames.HEADER;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "smlocal: cannot start a new journal; compaction postponed: " + e.getMessage());
            compacted();
            return;
        }
        onRotate.accept(number);
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
