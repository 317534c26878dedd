package dev.smlocal.server.rotation;

/**
 * A rotation function: what a rotation Lambda is on AWS. Called once per step with the Lambda
 * event; returning normally is success, throwing fails the rotation at that step (AWSPENDING
 * stays where it is). Calls run on a worker thread of the emulator, never on the HTTP event loop
 * and never under a store lock, so a function may call back into smlocal, through an SDK client
 * or the in-process services, and may block up to the configured function timeout.
 *
 * <p>An existing Lambda handler adapts in one line, e.g.
 * {@code e -> handler.handleRequest(Map.of("SecretId", e.secretId(), "ClientRequestToken",
 * e.clientRequestToken(), "Step", e.step()), null)}.
 */
@FunctionalInterface
public interface RotationFunction {
    void handle(RotationEvent event) throws Exception;
}
