package dev.smlocal.server.http;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;

/**
 * What to do when the JVM runs out of memory. A server that has met an {@link OutOfMemoryError}
 * may have lost any thread, lock or buffer; it must not keep its port open and answer nothing.
 * The standalone server ({@code Main}) {@link #install installs} the halting policy: the first
 * {@code OutOfMemoryError} that reaches smlocal's code, Vert.x's exception handler or an
 * uncaught-exception handler prints one line on standard error and halts with status
 * {@value #EXIT_STATUS} (the status {@code -XX:+ExitOnOutOfMemoryError} uses). An embedded emulator
 * (the testkit) leaves that decision to its host JVM: the error is passed on.
 */
public final class Fatal {
    /** The exit status after an OutOfMemoryError, as the JVM's own {@code ExitOnOutOfMemoryError}. */
    public static final int EXIT_STATUS = 3;
    /** Prepared at class load: printing must not need much memory when there is none. */
    private static final byte[] MESSAGE = ("smlocal: out of memory; the server stops now (exit status " + EXIT_STATUS
            + "). Give the JVM more heap (-Xmx) or hold fewer or smaller secrets. Cause: ")
            .getBytes(StandardCharsets.US_ASCII);
    private static volatile boolean halting;

    private Fatal() {}

    /** Halts this process on any OutOfMemoryError from now on, including in threads that die of it. */
    public static void install() {
        halting = true;
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            check(error);
            if (previous != null) previous.uncaughtException(thread, error);
            else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace();
            }
        });
    }

    /** Halts the process if the policy is installed and {@code t} is, or was caused by, an OutOfMemoryError. */
    public static void check(Throwable t) {
        if (!halting) return;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError) halt(c);
        }
    }

    private static void halt(Throwable oom) {
        try {
            FileOutputStream err = new FileOutputStream(FileDescriptor.err);
            err.write(MESSAGE);
            String what = oom.toString();
            err.write(what.getBytes(StandardCharsets.US_ASCII));
            err.write('\n');
            err.flush();
        } catch (Throwable ignored) {
            // nothing more can be said; the exit status still tells
        } finally {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
