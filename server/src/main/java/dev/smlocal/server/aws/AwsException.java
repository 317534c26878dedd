package dev.smlocal.server.aws;

import java.util.Objects;

/**
 * The one error type of the emulator: an AWS error shape and its message. An expected outcome, not
 * a bug, so it carries no stack trace. Build instances through {@link Errors} so that each AWS
 * message is written once.
 */
public final class AwsException extends RuntimeException {
    private final ErrorType type;

    public AwsException(ErrorType type, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.type = Objects.requireNonNull(type, "type");
    }

    public ErrorType type() { return type; }

    @Override
    public String toString() {
        return type.code() + ": " + getMessage();
    }
}
