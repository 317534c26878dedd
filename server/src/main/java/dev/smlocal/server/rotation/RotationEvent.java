package dev.smlocal.server.rotation;

import java.util.List;
import java.util.Objects;

/**
 * What Secrets Manager sends a rotation Lambda for one step: {@code {"SecretId", "ClientRequestToken",
 * "Step"}}. {@code secretId} is the secret's full ARN, {@code clientRequestToken} the id of the
 * version being rotated in (the AWSPENDING one).
 */
public record RotationEvent(String secretId, String clientRequestToken, String step) {
    public static final String CREATE_SECRET = "createSecret";
    public static final String SET_SECRET = "setSecret";
    public static final String TEST_SECRET = "testSecret";
    public static final String FINISH_SECRET = "finishSecret";

    /** The four steps, in the order they run. */
    public static final List<String> STEPS = List.of(CREATE_SECRET, SET_SECRET, TEST_SECRET, FINISH_SECRET);

    public RotationEvent {
        Objects.requireNonNull(secretId, "secretId");
        Objects.requireNonNull(clientRequestToken, "clientRequestToken");
        if (!STEPS.contains(step)) throw new IllegalArgumentException("step must be one of " + STEPS + ", was: " + step);
    }
}
