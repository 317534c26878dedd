package dev.smlocal.testkit;

/**
 * Attached by the extension, as a suppressed exception, to the failure of a test that ran against
 * smlocal: its message lists the emulator's clock, recent events, pending scheduler tasks and active
 * faults at the moment of failure, so that a red build says what the emulator saw. Carries no stack
 * trace of its own.
 */
@PublicApi
public final class SmLocalDiagnostics extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A diagnostics report with the given text. */
    public SmLocalDiagnostics(String report) {
        super(report, null, false, false);
    }
}
