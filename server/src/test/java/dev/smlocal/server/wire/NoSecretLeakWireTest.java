package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secret values never leave through a side door: a scenario moves distinctive values through every
 * operation that carries one, successes and failures alike, while a handler on the root
 * {@code java.util.logging} logger records everything. No log record, no error message, and no
 * {@code /_smlocal/events}, {@code /_smlocal/state} or {@code /_smlocal/metrics} answer may contain
 * any of them.
 */
class NoSecretLeakWireTest extends WireSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Every record logged anywhere, formatted with its parameters and throwable. */
    static final class Capture extends Handler {
        final List<String> texts = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void publish(LogRecord r) {
            StringBuilder sb = new StringBuilder().append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ")
                    .append(r.getMessage());
            if (r.getParameters() != null) {
                for (Object p : r.getParameters()) sb.append(" | ").append(p);
            }
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) sb.append(" | ").append(t);
            texts.add(sb.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    private final Capture capture = new Capture();
    private Level rootLevel;

    /** Distinctive values, by what carries them; a test fails if any shows up where it must not. */
    private final Map<String, String> secrets = new LinkedHashMap<>();
    /** Every error answer and error message seen. */
    private final List<String> errors = new ArrayList<>();

    @BeforeEach
    void captureAllLogging() {
        Logger root = Logger.getLogger("");
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void restoreLogging() {
        Logger root = Logger.getLogger("");
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }

    private String secret(String what) {
        String value = "LEAK-" + what + "-" + Integer.toHexString(what.hashCode()) + "-q7Zx";
        secrets.put(what, value);
        return value;
    }

    private String token(int n) {
        return String.format("a1b2c3d4-0000-4000-8000-%012d", n);
    }

    /** A raw call; error answers are kept for the leak check. */
    private Raw call(String target, String body, int expectedStatus) {
        Raw r = raw(target, body);
        assertEquals(expectedStatus, r.status(), target + ": " + abbreviate(r.body()));
        if (r.status() >= 300) errors.add(r.body());
        return r;
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "...";
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(Raw r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void secretValuesNeverReachLogsErrorsEventsStateOrMetrics() throws Exception {
        Logger.getLogger("dev.smlocal.server.canary").fine("canary record");
        // values in, values out
        String created = secret("create");
        call("secretsmanager.CreateSecret", "{\"Name\":\"leak/a\",\"ClientRequestToken\":\"" + token(1)
                + "\",\"SecretString\":\"" + created + "\",\"Description\":\"plain\"}", 200);
        call("secretsmanager.PutSecretValue", "{\"SecretId\":\"leak/a\",\"ClientRequestToken\":\"" + token(2)
                + "\",\"SecretString\":\"" + secret("put") + "\"}", 200);
        call("secretsmanager.UpdateSecret", "{\"SecretId\":\"leak/a\",\"ClientRequestToken\":\"" + token(3)
                + "\",\"SecretString\":\"" + secret("update") + "\"}", 200);
        assertEquals(secrets.get("update"), json(call("secretsmanager.GetSecretValue", "{\"SecretId\":\"leak/a\"}", 200))
                .path("SecretString").asText());
        call("secretsmanager.GetSecretValue", "{\"SecretId\":\"leak/a\",\"VersionStage\":\"AWSPREVIOUS\"}", 200);
        String binary = secret("binary");
        call("secretsmanager.CreateSecret", "{\"Name\":\"leak/bin\",\"ClientRequestToken\":\"" + token(4)
                + "\",\"SecretBinary\":\"" + b64(binary) + "\"}", 200);
        call("secretsmanager.GetSecretValue", "{\"SecretId\":\"leak/bin\"}", 200);

        // token reuse with a different value
        call("secretsmanager.PutSecretValue", "{\"SecretId\":\"leak/a\",\"ClientRequestToken\":\"" + token(2)
                + "\",\"SecretString\":\"" + secret("reuse-put") + "\"}", 400);
        call("secretsmanager.UpdateSecret", "{\"SecretId\":\"leak/a\",\"ClientRequestToken\":\"" + token(3)
                + "\",\"SecretString\":\"" + secret("reuse-update") + "\"}", 400);
        call("secretsmanager.CreateSecret", "{\"Name\":\"leak/a\",\"ClientRequestToken\":\"" + token(1)
                + "\",\"SecretString\":\"" + secret("reuse-create") + "\"}", 400);
        call("secretsmanager.PutSecretValue", "{\"SecretId\":\"leak/bin\",\"ClientRequestToken\":\"" + token(4)
                + "\",\"SecretBinary\":\"" + b64(secret("reuse-binary")) + "\"}", 400);

        // values too large, malformed, mistyped, or next to another member's failure
        String oversize = secret("oversize");
        call("secretsmanager.CreateSecret", "{\"Name\":\"leak/big\",\"ClientRequestToken\":\"" + token(5)
                + "\",\"SecretString\":\"" + oversize + "x".repeat(65_537 - oversize.length()) + "\"}", 400);
        call("secretsmanager.PutSecretValue", "{\"SecretId\":\"leak/a\",\"ClientRequestToken\":\"" + token(6)
                + "\",\"SecretString\":\"" + secret("oversize-put") + "y".repeat(70_000) + "\"}", 400);
        call("secretsmanager.CreateSecret", "{\"Name\":\"leak/both\",\"ClientRequestToken\":\"" + token(7)
                + "\",\"SecretString\":\"" + secret("both-string") + "\",\"SecretBinary\":\"" + b64(secret("both-binary"))
                + "\"}", 400);
        call("secretsmanager.CreateSecret", "{\"Name\":\"leak/m\",\"SecretString\":\"" + secret("malformed") + "\"", 400);
        call("secretsmanager.PutSecretValue", "{\"SecretId\":\"leak/a\",\"ClientRequestToken\":\"" + token(8)
                + "\",\"SecretString\":\"" + secret("wrong-type") + "\",\"VersionStages\":\"AWSCURRENT\"}", 400);
        call("secretsmanager.CreateSecret", "{\"Name\":\"bad name\",\"ClientRequestToken\":\"" + token(9)
                + "\",\"SecretString\":\"" + secret("bad-name") + "\"}", 400);
        call("secretsmanager.CreateSecret", "{\"Name\":\"" + "n".repeat(600) + "\",\"ClientRequestToken\":\"" + token(10)
                + "\",\"SecretString\":\"" + secret("long-name") + "\"}", 400);
        call("secretsmanager.CreateSecret", "{\"Name\":\"leak/no-token\",\"SecretString\":\"" + secret("no-token") + "\"}", 400);
        call("secretsmanager.PutSecretValue", "{\"SecretId\":\"leak/missing\",\"ClientRequestToken\":\"" + token(11)
                + "\",\"SecretString\":\"" + secret("missing-secret") + "\"}", 400);
        call("secretsmanager.PutSecretValue", "{\"SecretId\":\"leak/a\",\"ClientRequestToken\":\"" + token(12)
                + "\",\"SecretString\":\"" + secret("bad-stage") + "\",\"VersionStages\":[\"" + "s".repeat(300) + "\"]}", 400);

        // KMS: a customer key, then disabled
        String keyId = json(call("TrentService.CreateKey", "{}", 200)).path("KeyMetadata").path("KeyId").asText();
        call("secretsmanager.CreateSecret", "{\"Name\":\"leak/kms\",\"ClientRequestToken\":\"" + token(13)
                + "\",\"KmsKeyId\":\"" + keyId + "\",\"SecretString\":\"" + secret("kms") + "\"}", 200);
        String plaintext = secret("kms-plaintext");
        String ciphertext = json(call("TrentService.Encrypt", "{\"KeyId\":\"" + keyId + "\",\"Plaintext\":\"" + b64(plaintext)
                + "\"}", 200)).path("CiphertextBlob").asText();
        call("TrentService.Decrypt", "{\"CiphertextBlob\":\"" + ciphertext + "\"}", 200);
        call("TrentService.GenerateDataKey", "{\"KeyId\":\"" + keyId + "\",\"NumberOfBytes\":32}", 200);
        call("TrentService.DisableKey", "{\"KeyId\":\"" + keyId + "\"}", 200);
        call("secretsmanager.PutSecretValue", "{\"SecretId\":\"leak/kms\",\"ClientRequestToken\":\"" + token(14)
                + "\",\"SecretString\":\"" + secret("kms-disabled-put") + "\"}", 400);
        call("secretsmanager.UpdateSecret", "{\"SecretId\":\"leak/kms\",\"ClientRequestToken\":\"" + token(15)
                + "\",\"SecretString\":\"" + secret("kms-disabled-update") + "\"}", 400);
        call("secretsmanager.CreateSecret", "{\"Name\":\"leak/kms2\",\"ClientRequestToken\":\"" + token(16)
                + "\",\"KmsKeyId\":\"" + keyId + "\",\"SecretString\":\"" + secret("kms-disabled-create") + "\"}", 400);
        call("secretsmanager.GetSecretValue", "{\"SecretId\":\"leak/kms\"}", 400);
        call("TrentService.Encrypt", "{\"KeyId\":\"" + keyId + "\",\"Plaintext\":\"" + b64(secret("kms-disabled-plaintext"))
                + "\"}", 400);
        call("TrentService.Decrypt", "{\"CiphertextBlob\":\"" + ciphertext + "\"}", 400);
        JsonNode batch = json(call("secretsmanager.BatchGetSecretValue",
                "{\"SecretIdList\":[\"leak/a\",\"leak/bin\",\"leak/kms\",\"leak/missing\"]}", 200));
        for (JsonNode e : batch.path("Errors")) errors.add(e.toString());
        assertEquals(2, batch.path("Errors").size(), batch.toString());

        // a generated password is a secret too
        String password = json(call("secretsmanager.GetRandomPassword", "{\"PasswordLength\":40}", 200))
                .path("RandomPassword").asText();
        secrets.put("random-password", password);

        // an injected fault answers before the body is read
        HttpResponse<String> fault = HTTP.send(HttpRequest.newBuilder(admin("faults")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"error\",\"operation\":\"PutSecretValue\","
                        + "\"errorType\":\"InternalServiceError\",\"count\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fault.statusCode(), fault.body());
        call("secretsmanager.PutSecretValue", "{\"SecretId\":\"leak/a\",\"ClientRequestToken\":\"" + token(17)
                + "\",\"SecretString\":\"" + secret("faulted") + "\"}", 500);

        // a secret scheduled for deletion
        call("secretsmanager.DeleteSecret", "{\"SecretId\":\"leak/a\",\"RecoveryWindowInDays\":7}", 200);
        call("secretsmanager.GetSecretValue", "{\"SecretId\":\"leak/a\"}", 400);
        call("secretsmanager.PutSecretValue", "{\"SecretId\":\"leak/a\",\"ClientRequestToken\":\"" + token(18)
                + "\",\"SecretString\":\"" + secret("deleted") + "\"}", 400);
        advance(Duration.ofDays(8));

        String events = adminGet("events");
        String state = adminGet("state");
        String metrics = adminGet("metrics");
        List<String> logs = List.copyOf(capture.texts);

        assertTrue(logs.stream().anyMatch(l -> l.contains("canary record")), "the handler captures records");
        assertTrue(events.contains("\"eventName\" : \"PutSecretValue\"") && events.contains("HIDDEN_DUE_TO_SECURITY_REASONS"),
                "events are recorded, values redacted");
        assertTrue(metrics.contains("operation=\"PutSecretValue\""), metrics);
        assertTrue(errors.size() > 20, "errors seen: " + errors.size());
        Map<String, String> forms = new LinkedHashMap<>(secrets);
        secrets.forEach((what, value) -> forms.put(what + " (base64)", b64(value)));
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> s : forms.entrySet()) {
            String value = s.getValue();
            for (String log : logs) if (log.contains(value)) leaks.add(s.getKey() + " in log: " + abbreviate(log));
            for (String error : errors) if (error.contains(value)) leaks.add(s.getKey() + " in error: " + abbreviate(error));
            if (events.contains(value)) leaks.add(s.getKey() + " in /_smlocal/events");
            if (state.contains(value)) leaks.add(s.getKey() + " in /_smlocal/state");
            if (metrics.contains(value)) leaks.add(s.getKey() + " in /_smlocal/metrics");
        }
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    private String adminGet(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(admin(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }
}
