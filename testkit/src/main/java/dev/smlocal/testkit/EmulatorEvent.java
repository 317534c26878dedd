package dev.smlocal.testkit;

import java.time.Instant;
import java.util.Map;

/**
 * One CloudTrail-shaped record of the emulator's event log: an API call (answered or failed) or an
 * emulator happening such as {@code FaultApplied}. Secret material never appears:
 * {@code requestParameters} holds the request's top-level scalar members with secret values
 * replaced.
 *
 * @param eventTime          emulator-clock instant of the event
 * @param eventSource        {@code secretsmanager.amazonaws.com}, {@code kms.amazonaws.com} or {@code smlocal}
 * @param eventName          the operation, e.g. {@code GetSecretValue}, or {@code FaultApplied}
 * @param awsRegion          the region the call was signed for
 * @param recipientAccountId the account the call acted in
 * @param requestId          the {@code x-amzn-RequestId} of the answer
 * @param requestParameters  redacted request members, or null
 * @param errorCode          the AWS error code, e.g. {@code ServiceUnavailableException}; null on success
 * @param errorMessage       the AWS error message; null on success
 */
@PublicApi
public record EmulatorEvent(Instant eventTime, String eventSource, String eventName, String awsRegion,
                            String recipientAccountId, String requestId, Map<String, Object> requestParameters,
                            String errorCode, String errorMessage) {
    public EmulatorEvent {
        requestParameters = requestParameters == null ? null
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(requestParameters));
    }

    /** Whether the call failed. */
    public boolean failed() {
        return errorCode != null;
    }

    /** One line: {@code time name region account -> outcome}; emulator happenings show their parameters. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(eventTime).append(' ').append(eventName).append(' ').append(awsRegion);
        if (recipientAccountId != null) sb.append(' ').append(recipientAccountId);
        if ("smlocal".equals(eventSource)) return sb.append(' ').append(requestParameters).toString();
        return sb.append(errorCode == null ? " ok" : " -> " + errorCode + ": " + errorMessage).toString();
    }
}
