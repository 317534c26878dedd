package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** The {@code /_smlocal/} control API over plain {@code java.net.http}, with SDK calls showing its effects. */
class AdminApiWireTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One admin answer: the status, the raw text and, when it is JSON, the parsed body. */
    record Answer(int status, String text, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
    }

    private Answer send(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(admin(path)).timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (!method.equals("GET")) b.header("Content-Type", "application/json");
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    private Answer get(String path) {
        return send("GET", path, null);
    }

    private Answer post(String path, String body) {
        return send("POST", path, body);
    }

    private Answer delete(String path) {
        return send("DELETE", path, null);
    }

    private static void assertAdminError(Answer a, int status, String message) {
        assertEquals(status, a.status(), a.text());
        assertEquals(JSON.createObjectNode().put("error", message).put("status", status), a.json());
    }

    // ---- health, reset, clock ------------------------------------------------------------------

    @Test
    void healthReportsStatusVersionAndRegions() {
        Answer a = get("health");

        assertEquals(200, a.status());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        JsonNode n = a.json();
        assertEquals("ok", n.get("status").asText());
        assertEquals(dev.smlocal.server.Emulator.VERSION, n.get("version").asText());
        assertEquals(List.of("us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"), strings(n.get("regions")));
    }

    @Test
    void resetClearsSecretsKeysFaultsEventsAndRewindsTheClock() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        kms("eu-west-1").createKey(b -> { });
        assertEquals(200, post("faults", "{\"action\":\"throttle\",\"region\":\"us-west-2\"}").status());
        assertEquals(200, post("clock", "{\"advance\":\"PT5H\"}").status());

        Answer reset = post("reset", null);

        assertEquals(200, reset.status());
        assertTrue(reset.json().get("reset").asBoolean());
        assertTrue(sm().listSecrets(b -> { }).secretList().isEmpty());
        assertTrue(kms("eu-west-1").listKeys(b -> { }).keys().isEmpty());
        assertEquals("[]", get("faults").json().toString());
        assertTrue(sm("us-west-2").listSecrets(b -> { }).secretList().isEmpty(), "the throttle is gone");
        assertEquals(START.toString(), get("clock").json().get("now").asText());
        List<String> names = texts(get("events").json(), "eventName");
        assertEquals(List.of("ListSecrets", "ListKeys", "ListSecrets"), names, "only calls made after the reset");
    }

    @Test
    void clockCanBeReadAdvancedAndSet() {
        JsonNode before = get("clock").json();

        JsonNode advanced = post("clock", "{\"advance\":\"PT1H\"}").json();
        JsonNode set = post("clock", "{\"set\":\"2026-02-01T00:00:00Z\"}").json();

        assertEquals("manual", before.get("mode").asText());
        assertEquals(START.toString(), before.get("now").asText());
        assertEquals("[]", before.get("pending").toString());
        assertEquals(START.plus(Duration.ofHours(1)).toString(), advanced.get("now").asText());
        assertEquals(0, advanced.get("tasksRun").asInt());
        assertEquals("2026-02-01T00:00:00Z", set.get("now").asText());
        sm().createSecret(b -> b.name("s"));
        assertEquals(java.time.Instant.parse("2026-02-01T00:00:00Z"), sm().describeSecret(b -> b.secretId("s")).createdDate(),
                "Secrets Manager sees the admin clock");
    }

    @Test
    void clockRefusesToGoBackwardsAndBadInput() {
        post("clock", "{\"advance\":\"PT1H\"}");

        Answer back = post("clock", "{\"set\":\"" + START + "\"}");
        Answer badDuration = post("clock", "{\"advance\":\"an hour\"}");
        Answer notJson = post("clock", "{");

        assertAdminError(back, 409, "time cannot go backwards: now " + START.plus(Duration.ofHours(1)) + ", asked " + START);
        assertAdminError(badDuration, 400, "bad duration or instant: an hour");
        assertAdminError(notJson, 400, "the body is not valid JSON");
        assertEquals(START.plus(Duration.ofHours(1)).toString(), get("clock").json().get("now").asText());
    }

    @Test
    void deletionWindowElapsesThroughTheAdminClock() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        sm().deleteSecret(b -> b.secretId("s").recoveryWindowInDays(7L));
        JsonNode pending = get("clock").json().get("pending");

        JsonNode advanced = post("clock", "{\"advance\":\"P7D\"}").json();

        assertEquals(1, pending.size());
        assertEquals("purge s in 000000000000/us-east-1", pending.get(0).get("name").asText());
        assertEquals(START.plus(Duration.ofDays(7)).toString(), pending.get(0).get("dueAt").asText());
        assertEquals(1, advanced.get("tasksRun").asInt());
        assertEquals(START.plus(Duration.ofDays(7)).toString(), advanced.get("now").asText());
        assertEquals("[]", advanced.get("pending").toString());
        assertThrows(ResourceNotFoundException.class, () -> sm().describeSecret(b -> b.secretId("s")));
    }

    @Test
    void deletionWindowIsNotDoneOneMillisecondEarly() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        sm().deleteSecret(b -> b.secretId("s").recoveryWindowInDays(7L));

        JsonNode early = post("clock", "{\"advance\":\"PT167H59M59.999S\"}").json();

        assertEquals(0, early.get("tasksRun").asInt());
        assertNotNull(sm().describeSecret(b -> b.secretId("s")).deletedDate());
    }

    // ---- state ---------------------------------------------------------------------------------

    @Test
    void stateListsSecretsAndKeysButNoValues() {
        sm().createSecret(b -> b.name("db/password").secretString("hunter2-very-secret"));
        sm("eu-west-1").createSecret(b -> b.name("other").secretBinary(
                software.amazon.awssdk.core.SdkBytes.fromUtf8String("binary-very-secret")));
        String keyId = kms("us-west-2").createKey(b -> { }).keyMetadata().keyId();

        Answer a = get("state/summary");

        assertEquals(200, a.status());
        JsonNode n = a.json();
        assertFalse(a.text().contains("hunter2-very-secret"), a.text());
        assertFalse(a.text().contains("YmluYXJ5LXZlcnktc2VjcmV0"), "not even base64");
        assertFalse(a.text().contains("binary-very-secret"));
        JsonNode secrets = n.get("secrets");
        assertEquals(List.of("other", "db/password"), texts(secrets, "name"), "by account, then region");
        assertEquals(List.of("eu-west-1", "us-east-1"), texts(secrets, "region"));
        assertEquals("000000000000", secrets.get(1).get("account").asText());
        assertEquals(1, secrets.get(1).get("versions").asInt());
        assertFalse(secrets.get(1).get("deleted").asBoolean());
        assertTrue(secrets.get(1).get("arn").asText().startsWith("arn:aws:secretsmanager:us-east-1:000000000000:secret:db/password-"));
        assertTrue(texts(n.get("keys"), "keyId").contains(keyId), "a key in a region without secrets is listed too");
        assertEquals(START.toString(), n.get("clock").get("now").asText());
        assertEquals(4, n.get("regions").size());
    }

    // ---- faults --------------------------------------------------------------------------------

    @Test
    void errorFaultFailsExactlyCountCallsThenGoesAway() {
        sm().createSecret(b -> b.name("s").secretString("v"));

        Answer added = post("faults", "{\"action\":\"error\",\"region\":\"us-east-1\",\"operation\":\"GetSecretValue\","
                + "\"errorType\":\"InternalServiceError\",\"count\":2}");
        JsonNode rule = added.json();
        String id = rule.get("id").asText();
        InternalServiceErrorException first = assertThrows(InternalServiceErrorException.class,
                () -> sm().getSecretValue(b -> b.secretId("s")));
        assertEquals("s", sm().describeSecret(b -> b.secretId("s")).name(), "other operations are not affected");
        InternalServiceErrorException second = assertThrows(InternalServiceErrorException.class,
                () -> sm().getSecretValue(b -> b.secretId("s")));
        String third = sm().getSecretValue(b -> b.secretId("s")).secretString();

        assertEquals(200, added.status());
        assertEquals("error", rule.get("action").asText());
        assertEquals(2, rule.get("count").asInt());
        assertEquals("InternalServiceError", rule.get("attributes").get("errorType").asText());
        assertEquals(500, first.statusCode());
        assertEquals("InternalServiceError", first.awsErrorDetails().errorCode());
        assertEquals("Injected by smlocal fault " + id + ".", first.awsErrorDetails().errorMessage());
        assertEquals(500, second.statusCode());
        assertEquals("v", third);
        assertEquals("[]", get("faults").json().toString(), "a used-up fault is removed");
    }

    @Test
    void throttleFaultAnswersThrottlingExceptionUntilRemoved() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        String id = post("faults", "{\"action\":\"throttle\",\"region\":\"us-east-1\",\"operation\":\"DescribeSecret\"}")
                .json().get("id").asText();

        SecretsManagerException e = assertThrows(SecretsManagerException.class,
                () -> sm().describeSecret(b -> b.secretId("s")));
        Answer removed = delete("faults/" + id);
        Answer again = delete("faults/" + id);

        assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
        assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        assertTrue(e.isThrottlingException());
        assertEquals(200, removed.status());
        assertAdminError(again, 404, "no fault " + id);
        assertEquals("s", sm().describeSecret(b -> b.secretId("s")).name());
    }

    @Test
    void regionOutageFailsThatRegionOnlyUntilHealed() {
        sm("eu-west-1").createSecret(b -> b.name("s").secretString("west"));
        sm().createSecret(b -> b.name("s").secretString("east"));

        Answer outage = post("regions/eu-west-1/outage", null);
        SecretsManagerException down = assertThrows(SecretsManagerException.class,
                () -> sm("eu-west-1").getSecretValue(b -> b.secretId("s")));
        String east = sm().getSecretValue(b -> b.secretId("s")).secretString();
        Answer healed = delete("regions/eu-west-1/outage");

        assertEquals(200, outage.status());
        assertEquals("outage", outage.json().get("action").asText());
        assertEquals(503, down.statusCode());
        assertEquals("ServiceUnavailableException", down.awsErrorDetails().errorCode());
        assertEquals("east", east);
        assertEquals(1, healed.json().get("healed").asInt());
        assertEquals("west", sm("eu-west-1").getSecretValue(b -> b.secretId("s")).secretString());
    }

    @Test
    void latencyFaultDelaysTheAnswerByRealBoundedTime() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        sm().getSecretValue(b -> b.secretId("s")); // warm the connection
        post("faults", "{\"action\":\"latency\",\"region\":\"us-east-1\",\"operation\":\"GetSecretValue\",\"millis\":\"200\"}");

        long t0 = System.nanoTime();
        String value = sm().getSecretValue(b -> b.secretId("s")).secretString();
        long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;

        assertEquals("v", value);
        assertTrue(elapsedMillis >= 200, "took " + elapsedMillis + " ms");
        assertTrue(elapsedMillis < 5_000, "took " + elapsedMillis + " ms");
    }

    @Test
    void connectionResetFaultFailsTheSdkCallOnTheClientSide() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        String id = post("faults", "{\"action\":\"connection-reset\",\"region\":\"us-east-1\",\"operation\":\"GetSecretValue\"}")
                .json().get("id").asText();

        assertThrows(SdkClientException.class, () -> sm().getSecretValue(b -> b.secretId("s")));
        delete("faults/" + id);

        assertEquals("v", sm().getSecretValue(b -> b.secretId("s")).secretString());
    }

    @Test
    void badFaultsAreRefused() {
        assertAdminError(post("faults", "{\"region\":\"us-east-1\"}"), 400, "a fault needs an action");
        assertAdminError(post("faults", "{\"action\":\"explode\"}"), 400,
                "action must be one of " + dev.smlocal.server.faults.FaultRule.ACTIONS + ", was: explode");
        assertAdminError(post("faults", "{\"action\":\"throttle\",\"probability\":2}"), 400,
                "probability must be between 0.0 and 1.0, was: 2.0");
    }

    // ---- events and metrics --------------------------------------------------------------------

    @Test
    void eventsAreCloudTrailShapedAndRedacted() {
        sm().createSecret(b -> b.name("s").secretString("top-secret-value"));
        String id = post("faults", "{\"action\":\"error\",\"region\":\"us-east-1\",\"operation\":\"GetSecretValue\",\"count\":1}")
                .json().get("id").asText();
        assertThrows(InternalServiceErrorException.class, () -> sm().getSecretValue(b -> b.secretId("s")));

        Answer a = get("events");

        assertEquals(200, a.status());
        assertFalse(a.text().contains("top-secret-value"), a.text());
        JsonNode events = a.json();
        // the admin call that added the fault is an event too (FaultAdded), then the fault firing (FaultApplied)
        assertEquals(List.of("CreateSecret", "FaultAdded", "FaultApplied", "GetSecretValue"), texts(events, "eventName"));
        JsonNode create = events.get(0);
        assertEquals(START.toString(), create.get("eventTime").asText());
        assertEquals("secretsmanager.amazonaws.com", create.get("eventSource").asText());
        assertEquals("us-east-1", create.get("awsRegion").asText());
        assertEquals("000000000000", create.get("recipientAccountId").asText());
        assertTrue(create.get("requestId").asText().matches("[0-9a-f-]{36}"));
        assertEquals("s", create.get("requestParameters").get("Name").asText());
        assertEquals("HIDDEN_DUE_TO_SECURITY_REASONS", create.get("requestParameters").get("SecretString").asText());
        assertFalse(create.has("errorCode"));
        JsonNode added = events.get(1);
        assertEquals("smlocal", added.get("eventSource").asText());
        assertEquals(id, added.get("requestParameters").get("id").asText());
        assertEquals("us-east-1", added.get("awsRegion").asText());
        JsonNode fault = events.get(2);
        assertEquals("smlocal", fault.get("eventSource").asText());
        assertEquals(id, fault.get("requestParameters").get("faultId").asText());
        assertEquals("error", fault.get("requestParameters").get("action").asText());
        JsonNode failed = events.get(3);
        assertEquals("InternalServiceError", failed.get("errorCode").asText());
        assertEquals("Injected by smlocal fault " + id + ".", failed.get("errorMessage").asText());
    }

    @Test
    void anOverLimitAdminBodyIs413InJson() throws Exception {
        Answer a = post("clock", "{\"advance\":\"" + "x".repeat(300 * 1024) + "\"}");

        assertEquals(413, a.status());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.text());
        assertEquals(413, body.get("status").asInt());
        assertTrue(body.get("error").asText().contains("exceeds"), a.text());
    }

    @Test
    void metricsArePrometheusText() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        sm().getSecretValue(b -> b.secretId("s"));
        sm().getSecretValue(b -> b.secretId("s"));
        assertThrows(ResourceNotFoundException.class, () -> sm().getSecretValue(b -> b.secretId("missing")));

        Answer a = get("metrics");

        assertEquals(200, a.status());
        assertTrue(a.contentType().startsWith("text/plain"), a.contentType());
        List<String> lines = a.text().lines().toList();
        assertTrue(lines.contains("# TYPE smlocal_requests_total counter"), a.text());
        assertTrue(lines.contains("smlocal_requests_total{operation=\"GetSecretValue\",region=\"us-east-1\",outcome=\"success\"} 2"),
                a.text());
        assertTrue(lines.contains("smlocal_requests_total{operation=\"GetSecretValue\",region=\"us-east-1\","
                + "outcome=\"ResourceNotFoundException\"} 1"), a.text());
        assertTrue(lines.contains("smlocal_requests_total{operation=\"CreateSecret\",region=\"us-east-1\",outcome=\"success\"} 1"),
                a.text());
    }

    @Test
    void unknownAdminRouteIsAnAdminNotFound() {
        assertAdminError(get("nope"), 404, "no admin route GET /_smlocal/nope");
        assertAdminError(delete("health"), 404, "no admin route DELETE /_smlocal/health");
    }
}
