package dev.smlocal.server.rotation;

/**
 * A rotation step failed for a reason smlocal states itself (an HTTP function's status, a
 * built-in's precondition). Its message goes to the RotationFailed event; it never carries a
 * secret value.
 */
public final class RotationStepException extends Exception {
    public RotationStepException(String message) {
        super(message, null, false, false);
    }
}
