package dev.smlocal.server.persist;

/**
 * A data directory that cannot be used as it is: the message names the file and says what to do.
 * The server does not start; nothing in the directory has been changed by the failed start.
 */
public final class DataDirException extends RuntimeException {
    public DataDirException(String message) {
        super(message);
    }

    public DataDirException(String message, Throwable cause) {
        super(message, cause);
    }
}
