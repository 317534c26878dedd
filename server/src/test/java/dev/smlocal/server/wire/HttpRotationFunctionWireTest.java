package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.rotation.Rotator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Rotation functions behind HTTP, registered through the admin API: a real local server performs
 * the four steps by calling back into smlocal through the SDK, as a team's Lambda code would behind
 * a tiny wrapper. The clock is moved through the admin API, which runs due work off the event loop.
 */
class HttpRotationFunctionWireTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer functions;
    private ExecutorService functionThreads;
    private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch entered;
    private volatile CountDownLatch release;

    @BeforeAll
    void startFunctionServer() throws IOException {
        functions = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        functionThreads = Executors.newCachedThreadPool();
        functions.setExecutor(functionThreads);
        functions.createContext("/rotate", this::rotate);
        functions.createContext("/hang", ex -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, 200);
        });
        functions.createContext("/broken", ex -> answer(ex, 500));
        functions.start();
    }

    @AfterAll
    void stopFunctionServer() {
        functions.stop(0);
        functionThreads.shutdownNow();
    }

    @BeforeEach
    void clear() {
        received.clear();
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + functions.getAddress().getPort() + path;
    }

    private static String lambda(String name) {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + name;
    }

    /** A rotation Lambda in miniature, written against the SDK like AWS's templates. */
    private void rotate(HttpExchange ex) throws IOException {
        try {
            JsonNode event = JSON.readTree(ex.getRequestBody());
            received.add(event);
            String arn = event.get("SecretId").asText();
            String token = event.get("ClientRequestToken").asText();
            SecretsManagerClient client = sm();
            switch (event.get("Step").asText()) {
                case "createSecret":
                    client.getSecretValue(b -> b.secretId(arn).versionStage("AWSCURRENT"));
                    try {
                        client.getSecretValue(b -> b.secretId(arn).versionId(token).versionStage("AWSPENDING"));
                    } catch (ResourceNotFoundException none) {
                        client.putSecretValue(b -> b.secretId(arn).clientRequestToken(token)
                                .secretString(newValue(token)).versionStages("AWSPENDING"));
                    }
                    break;
                case "setSecret":
                    break; // the database would learn the new password here
                case "testSecret":
                    String pending = client.getSecretValue(b -> b.secretId(arn).versionId(token)
                            .versionStage("AWSPENDING")).secretString();
                    if (!pending.equals(newValue(token))) throw new IllegalStateException("unexpected pending value");
                    break;
                case "finishSecret":
                    String current = client.describeSecret(b -> b.secretId(arn)).versionIdsToStages().entrySet()
                            .stream().filter(e -> e.getValue().contains("AWSCURRENT")).map(Map.Entry::getKey)
                            .findFirst().orElseThrow();
                    if (!current.equals(token)) {
                        client.updateSecretVersionStage(b -> b.secretId(arn).versionStage("AWSCURRENT")
                                .moveToVersionId(token).removeFromVersionId(current));
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown step");
            }
            answer(ex, 200);
        } catch (RuntimeException e) {
            answer(ex, 500);
        }
    }

    private static String newValue(String token) {
        return "{\"username\":\"app\",\"password\":\"from-http-" + token.substring(0, 8) + "\"}";
    }

    private static void answer(HttpExchange ex, int status) throws IOException {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(admin(path)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("admin call failed", e);
        }
    }

    private void registerFunction(String name, String path) {
        HttpResponse<String> r = admin("PUT", "functions/" + name, "{\"url\":\"" + url(path) + "\"}");
        assertEquals(200, r.statusCode(), r.body());
    }

    private List<Event> events(String name) {
        return emulator.events().all().stream().filter(e -> e.eventName().equals(name)).toList();
    }

    @Test
    void anHttpFunctionPerformsTheFourStepsThroughTheSdk() throws Exception {
        registerFunction("db-rotator", "/rotate");
        String old = sm().createSecret(b -> b.name("db").secretString("{\"username\":\"app\",\"password\":\"old\"}"))
                .versionId();
        String arn = sm().describeSecret(b -> b.secretId("db")).arn();

        String token = sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("db-rotator"))
                .rotationRules(r -> r.automaticallyAfterDays(30L))).versionId();
        HttpResponse<String> clock = admin("POST", "clock", "{\"advance\":\"PT0S\"}");

        assertEquals(200, clock.statusCode(), clock.body());
        assertEquals(List.of("createSecret", "setSecret", "testSecret", "finishSecret"),
                received.stream().map(e -> e.get("Step").asText()).toList());
        for (JsonNode e : received) {
            assertEquals(arn, e.get("SecretId").asText(), "SecretId is the ARN");
            assertEquals(token, e.get("ClientRequestToken").asText());
            assertEquals(3, e.size(), "the Lambda event has exactly three members");
        }
        assertEquals(newValue(token), sm().getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals(old, sm().getSecretValue(b -> b.secretId("db").versionStage("AWSPREVIOUS")).versionId());
        assertEquals(1, events("RotationSucceeded").size());
        JsonNode listed = JSON.readTree(admin("GET", "functions", null).body());
        assertEquals("http", listed.at("/functions/0/kind").asText());
        assertEquals(url("/rotate"), listed.at("/functions/0/url").asText());
        assertEquals("PT30S", listed.get("timeout").asText());
    }

    @Test
    void aHangingFunctionFailsTheRotationAfterTheTimeoutWhileTheServerKeepsServing() throws Exception {
        emulator.rotator().setFunctionTimeout(Duration.ofMillis(500));
        try {
            registerFunction("stuck", "/hang");
            String old = sm().createSecret(b -> b.name("db").secretString("v1")).versionId();
            String token = sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("stuck"))).versionId();

            CompletableFuture<HttpResponse<String>> advancing =
                    CompletableFuture.supplyAsync(() -> admin("POST", "clock", "{\"advance\":\"PT0S\"}"));
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the function was called");
            assertEquals("v1", sm().getSecretValue(b -> b.secretId("db")).secretString(), "reads go on");
            sm().createSecret(b -> b.name("other").secretString("x"));
            assertEquals(200, admin("GET", "health", null).statusCode());
            HttpResponse<String> clock = advancing.get(10, TimeUnit.SECONDS);

            assertEquals(200, clock.statusCode(), clock.body());
            Event failed = events("RotationFailed").get(0);
            assertEquals("createSecret", failed.requestParameters().get("step"));
            assertEquals("function stuck timed out after PT0.5S", failed.errorMessage());
            assertEquals(old, sm().getSecretValue(b -> b.secretId("db")).versionId());
            assertEquals(List.of("AWSPENDING"), sm().describeSecret(b -> b.secretId("db")).versionIdsToStages().get(token));
            assertThrows(ResourceNotFoundException.class,
                    () -> sm().getSecretValue(b -> b.secretId("db").versionStage("AWSPENDING")));
        } finally {
            release.countDown();
            emulator.rotator().setFunctionTimeout(Rotator.DEFAULT_FUNCTION_TIMEOUT);
        }
    }

    @Test
    void aFunctionAnsweringAnErrorFailsTheRotation() {
        registerFunction("broken", "/broken");
        sm().createSecret(b -> b.name("db").secretString("v1"));

        sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("broken")));
        admin("POST", "clock", "{\"advance\":\"PT0S\"}");

        Event failed = events("RotationFailed").get(0);
        assertEquals("createSecret", failed.requestParameters().get("step"));
        assertEquals("HTTP function broken answered HTTP 500", failed.errorMessage());
        assertEquals("v1", sm().getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void registrationsCanBeListedRemovedAndAreForgottenOnReset() throws Exception {
        registerFunction("gone-soon", "/rotate");
        sm().createSecret(b -> b.name("db").secretString("v1"));

        HttpResponse<String> removed = admin("DELETE", "functions/gone-soon", null);
        SecretsManagerException denied = assertThrows(SecretsManagerException.class,
                () -> sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(lambda("gone-soon"))));
        registerFunction("kept-until-reset", "/rotate");
        admin("POST", "reset", null);
        JsonNode listed = JSON.readTree(admin("GET", "functions", null).body());

        assertEquals(200, removed.statusCode());
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        List<String> names = new ArrayList<>();
        listed.get("functions").forEach(f -> names.add(f.get("name").asText() + ":" + f.get("kind").asText()));
        assertEquals(List.of("smlocal-password:built-in", "smlocal-alternating-users:built-in",
                "smlocal-postgresql-single-user:built-in", "smlocal-postgresql-multi-user:built-in"), names);
        assertEquals(404, admin("DELETE", "functions/nothing-here", null).statusCode());
        assertEquals(409, admin("DELETE", "functions/smlocal-password", null).statusCode());
        assertEquals(400, admin("PUT", "functions/bad", "{\"url\":\"ftp://example\"}").statusCode());
        assertEquals(400, admin("PUT", "functions/bad", "{}").statusCode());
        assertEquals(400, admin("PUT", "functions/bad%20name", "{\"url\":\"" + url("/rotate") + "\"}").statusCode());
    }
}
