package dev.smlocal.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Rotation "Lambdas" for an emulator target: a small HTTP server in the test JVM that the emulator
 * calls for each step once the function is registered with
 * {@link EmulatorPowers#registerFunction} (smlocal's {@code PUT /_smlocal/functions/NAME}). Each
 * function performs AWS's rotation template for a generic secret by calling back into the target
 * through the SDK, as a real Lambda would: {@code createSecret} puts the new value under the token
 * with {@code AWSPENDING} unless that version has one, {@code setSecret} does nothing,
 * {@code testSecret} reads the pending value, {@code finishSecret} moves {@code AWSCURRENT} to the
 * token's version. A function records the events it received and can be told to fail a step
 * (HTTP 500).
 *
 * <p>The server listens on the loopback address, or on every address when
 * {@code -Dsmlocal.functionHost} names the host an out-of-process emulator reaches this JVM by; it
 * starts with the first function and stops when the last one is closed.
 */
public final class RotationFunctionServer {
    public static final String HOST_PROPERTY = "smlocal.functionHost";

    private static RotationFunctionServer running;

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Function> functions = new ConcurrentHashMap<>();

    private RotationFunctionServer() throws IOException {
        String host = System.getProperty(HOST_PROPERTY);
        InetSocketAddress address = host == null ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)
                : new InetSocketAddress(0);
        server = HttpServer.create(address, 0);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rotation-function");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/fn/", this::handle);
        server.start();
    }

    /** A new function named {@code name} (not yet registered with the emulator) calling back into {@code target}. */
    public static synchronized Function create(String name, Target target) {
        try {
            if (running == null) running = new RotationFunctionServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the rotation function server: " + e.getMessage(), e);
        }
        Function f = new Function(running, name, target);
        running.functions.put(name, f);
        return f;
    }

    private static synchronized void closed(Function f) {
        if (running == null) return;
        running.functions.remove(f.name);
        if (running.functions.isEmpty()) {
            running.server.stop(0);
            running.threads.shutdownNow();
            running = null;
        }
    }

    private URI url(String name) {
        String host = System.getProperty(HOST_PROPERTY, "127.0.0.1");
        return URI.create("http://" + host + ":" + server.getAddress().getPort() + "/fn/" + name);
    }

    private void handle(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().substring("/fn/".length());
        Function f = functions.get(name);
        int status;
        if (f == null) {
            status = 404;
        } else {
            status = f.invoke(ex.getRequestBody().readAllBytes());
        }
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    /** One rotation function: what it received, and where it should fail. */
    public static final class Function implements AutoCloseable {
        private final RotationFunctionServer server;
        private final String name;
        private final Target target;
        private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        private volatile String failAt;

        private Function(RotationFunctionServer server, String name, Target target) {
            this.server = server;
            this.name = name;
            this.target = target;
        }

        public String name() {
            return name;
        }

        public URI url() {
            return server.url(name);
        }

        /** The ARN naming this function in {@code region} of {@code account}. */
        public String arn(String region, String account) {
            return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
        }

        /** Fail (HTTP 500) when this step arrives, before doing its work; null: fail nowhere. */
        public void failAt(String step) {
            failAt = step;
        }

        /** The events received, as sent. */
        public List<JsonNode> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        /** The steps received, in order. */
        public List<String> steps() {
            return events().stream().map(e -> e.path("Step").asText()).toList();
        }

        /** Unexpected failures while performing a step (an SDK error), for diagnostics. */
        public List<String> errors() {
            synchronized (errors) {
                return List.copyOf(errors);
            }
        }

        /** The value {@code createSecret} puts for a token. */
        public static String valueFor(String token) {
            return "rotated-" + token;
        }

        int invoke(byte[] body) {
            JsonNode event;
            try {
                event = RawClient.JSON.readTree(body);
            } catch (IOException e) {
                errors.add("unreadable event: " + e.getMessage());
                return 400;
            }
            events.add(event);
            String step = event.path("Step").asText();
            if (step.equals(failAt)) return 500;
            try {
                perform(step, event.path("SecretId").asText(), event.path("ClientRequestToken").asText());
                return 200;
            } catch (RuntimeException e) {
                errors.add(step + ": " + e);
                return 500;
            }
        }

        private void perform(String step, String arn, String token) {
            SecretsManagerClient sm = target.secrets(arn.split(":")[3]);
            switch (step) {
                case "createSecret" -> {
                    sm.getSecretValue(b -> b.secretId(arn).versionStage("AWSCURRENT"));
                    try {
                        sm.getSecretValue(b -> b.secretId(arn).versionId(token).versionStage("AWSPENDING"));
                    } catch (ResourceNotFoundException none) {
                        sm.putSecretValue(b -> b.secretId(arn).clientRequestToken(token).secretString(valueFor(token))
                                .versionStages("AWSPENDING"));
                    }
                }
                case "setSecret" -> {
                    // a database would learn the new password here
                }
                case "testSecret" -> sm.getSecretValue(b -> b.secretId(arn).versionId(token).versionStage("AWSPENDING"));
                case "finishSecret" -> {
                    String current = sm.describeSecret(b -> b.secretId(arn)).versionIdsToStages().entrySet().stream()
                            .filter(e -> e.getValue().contains("AWSCURRENT")).map(Map.Entry::getKey).findFirst()
                            .orElseThrow();
                    if (!current.equals(token)) {
                        sm.updateSecretVersionStage(b -> b.secretId(arn).versionStage("AWSCURRENT")
                                .moveToVersionId(token).removeFromVersionId(current));
                    }
                }
                default -> throw new IllegalArgumentException("unknown step " + step);
            }
        }

        @Override
        public void close() {
            closed(this);
        }
    }
}
