package dev.smlocal.testkit;

import dev.smlocal.server.rotation.RotationFunction;
import java.net.URI;

/**
 * Rotation functions for {@code RotateSecret}. A secret whose {@code RotationLambdaARN} is
 * {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME} rotates through the function registered here
 * under {@code NAME}; the built-ins {@code smlocal-password}, {@code smlocal-alternating-users},
 * {@code smlocal-postgresql-single-user} and {@code smlocal-postgresql-multi-user}
 * need no registration. Registrations made through this handle survive the reset before each test.
 */
@PublicApi
public interface Rotation {
    /**
     * Registers an in-process Java function: it receives each step's event
     * ({@code SecretId}, {@code ClientRequestToken}, {@code Step}) and calls back into smlocal with
     * an SDK client, as a rotation Lambda does. An existing Lambda handler adapts in one line:
     * {@code rotation().register("my-rotator", e -> handler.handleRequest(Map.of("SecretId", e.secretId(), ...), null))}.
     * Needs an in-process smlocal; against {@code attachTo(..)} use {@link #registerHttp}.
     */
    void register(String name, RotationFunction function);

    /** Registers a function reached over HTTP: each step is POSTed as JSON to {@code url}; 2xx is success. */
    void registerHttp(String name, URI url);

    /** Removes a function registered under {@code name}. */
    void unregister(String name);
}
