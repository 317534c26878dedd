package dev.smlocal.server.persist;

import java.util.concurrent.CompletableFuture;

/**
 * The durability barrier of one request, kept per thread (a request runs start to end on one
 * thread). The transport opens a scope before an operation ({@link #begin}), the stores note the
 * journal batch their records went into ({@link #noted}), and the transport asks at the end which
 * batch to wait for before it answers ({@link #end}).
 *
 * <p>A read-only scope ({@code begin(false)}) tells the stores not to record what they touch: reads
 * cost nothing and never reach the disk. Work outside any scope (scheduled tasks, rotations, admin
 * calls) records, so nothing that changes state is missed.
 */
public final class Durability {
    private static final class Scope {
        final boolean writes;
        CompletableFuture<Void> barrier;

        Scope(boolean writes) {
            this.writes = writes;
        }
    }

    private static final ThreadLocal<Scope> SCOPE = new ThreadLocal<>();

    private Durability() {}

    /** Opens this thread's scope; {@code writes}: whether the operation may change state. */
    public static void begin(boolean writes) {
        SCOPE.set(new Scope(writes));
    }

    /** Closes this thread's scope; the future to wait for before answering, or null when nothing was journaled. */
    public static CompletableFuture<Void> end() {
        Scope s = SCOPE.get();
        SCOPE.remove();
        return s == null ? null : s.barrier;
    }

    /** Whether stores should record what they touch: outside a scope, or in a writing one. */
    public static boolean recording() {
        Scope s = SCOPE.get();
        return s == null || s.writes;
    }

    /**
     * A record of this thread went into the batch that {@code batch} completes. Batches complete in
     * order, so the latest one noted is the one to wait for.
     */
    static void noted(CompletableFuture<Void> batch) {
        Scope s = SCOPE.get();
        if (s != null) s.barrier = batch;
    }
}
