package dev.smlocal.server.observe;

import java.time.Instant;
import java.util.Map;

/**
 * A CloudTrail-shaped record of one API call or emulator happening. {@code requestParameters}
 * holds member names with values redacted for secret material: never a secret value.
 */
public record Event(Instant eventTime, String eventSource, String eventName, String awsRegion,
                    String recipientAccountId, String requestId, Map<String, Object> requestParameters,
                    String errorCode, String errorMessage) {}
