package dev.smlocal.testkit;

/** What clients see while a region is out. */
@PublicApi
public enum OutageMode {
    /** Every call signed for the region answers HTTP 503 {@code ServiceUnavailableException}. */
    UNAVAILABLE,
    /**
     * Calls get no answer until the client gives up; the server drops the connection after
     * {@link FaultSpec#DEFAULT_TIMEOUT} (or the fault's {@code timeoutMillis} attribute) of real time.
     */
    TIMEOUT
}
