package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smlocal.server.EmulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The emulator's perimeter over raw HTTP/1.1 on a socket (a browser or a rebinding page can send any
 * Host and Origin; java.net.http cannot): each refusal has its status and JSON body, and the state
 * is unchanged afterwards.
 */
class PerimeterWireTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "perimeter-token-42";
    private static final String DELETE_BODY = "{\"SecretId\":\"kept\",\"ForceDeleteWithoutRecovery\":true}";

    @Override
    protected EmulatorConfig config() {
        return super.config().toBuilder().adminToken(TOKEN).allowedOrigins(List.of("https://tools.example.com"))
                .allowedHosts(List.of("host.docker.internal")).allowedFunctionHosts(List.of("rotator")).build();
    }

    /** One raw exchange: status, lower-cased headers, body. */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private Answer send(String method, String path, Map<String, String> headers, String body) {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        if (!headers.containsKey("Host")) req.append("Host: 127.0.0.1:").append(emulator.port()).append("\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("Content-Length: ").append(payload.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), emulator.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String[] head = text.substring(0, split).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                h.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(head[0].split(" ")[1]), h, text.substring(split + 4));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    private Answer deleteSecret(Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>(extra);
        h.put("Content-Type", "application/x-amz-json-1.1");
        h.put("X-Amz-Target", "secretsmanager.DeleteSecret");
        return send("POST", "/", h, DELETE_BODY);
    }

    private Answer reset(Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Authorization", "Bearer " + TOKEN);
        h.putAll(extra);
        return send("POST", "/_smlocal/reset", h, "{}");
    }

    private void assertSecretKept() {
        assertEquals("v", sm().getSecretValue(b -> b.secretId("kept")).secretString(), "the state is unchanged");
    }

    private static void assertAdminError(Answer a, int status, String messagePart) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.headers().get("content-type").startsWith("application/json"), a.headers().toString());
        assertEquals(status, a.json().path("status").asInt(), a.body());
        assertTrue(a.json().path("error").asText().contains(messagePart), a.body());
    }

    @Test
    void aForeignOriginIsRefusedOnTheDataPlaneAndTheAdminApiAndGetsNoCors() {
        sm().createSecret(b -> b.name("kept").secretString("v"));

        Answer data = deleteSecret(Map.of("Origin", "https://evil.example.com"));
        Answer admin = reset(Map.of("Origin", "https://evil.example.com"));
        Answer preflight = send("OPTIONS", "/", Map.of("Origin", "https://evil.example.com",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-amz-target"), null);

        assertEquals(403, data.status(), data.body());
        assertEquals("AccessDeniedException", data.json().path("__type").asText());
        assertTrue(data.json().path("Message").asText().contains("'https://evil.example.com'"), data.body());
        assertAdminError(admin, 403, "only loopback origins");
        assertEquals(403, preflight.status());
        for (Answer a : List.of(data, admin, preflight)) {
            assertFalse(a.headers().containsKey("access-control-allow-origin"), a.headers().toString());
        }
        assertSecretKept();
    }

    @Test
    void loopbackAndAllowedOriginsAreServedWithCorsForThemAlone() {
        sm().createSecret(b -> b.name("kept").secretString("v"));

        Answer preflight = send("OPTIONS", "/", Map.of("Origin", "http://localhost:3000",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-amz-target,content-type"), null);
        Answer get = send("POST", "/", Map.of("Origin", "http://localhost:3000", "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "secretsmanager.GetSecretValue"), "{\"SecretId\":\"kept\"}");
        Answer listed = send("GET", "/_smlocal/health", Map.of("Origin", "https://tools.example.com"), null);

        assertEquals(204, preflight.status());
        assertEquals("http://localhost:3000", preflight.headers().get("access-control-allow-origin"));
        assertEquals("x-amz-target,content-type", preflight.headers().get("access-control-allow-headers"));
        assertEquals(200, get.status(), get.body());
        assertEquals("v", get.json().path("SecretString").asText());
        assertEquals("http://localhost:3000", get.headers().get("access-control-allow-origin"));
        assertEquals("Origin", get.headers().get("vary"));
        assertEquals(200, listed.status(), listed.body());
        assertEquals("https://tools.example.com", listed.headers().get("access-control-allow-origin"));
    }

    @Test
    void aForeignHostIsRefusedWith421AndTouchesNothing() {
        sm().createSecret(b -> b.name("kept").secretString("v"));

        Answer data = deleteSecret(Map.of("Host", "rebind.evil.example.com:" + emulator.port()));
        Answer admin = reset(Map.of("Host", "rebind.evil.example.com"));

        assertEquals(421, data.status(), data.body());
        assertEquals("AccessDeniedException", data.json().path("__type").asText());
        assertAdminError(admin, 421, "does not answer to Host 'rebind.evil.example.com'");
        assertSecretKept();
    }

    @Test
    void localNamesIpLiteralsServiceNamesAndAllowedHostsAreServed() {
        for (String host : List.of("localhost:4599", "secretsmanager.eu-west-1.localhost:4599", "[::1]:4599",
                "10.0.0.7:4599", "smlocal:4599", "host.docker.internal:4599")) {
            Answer a = send("POST", "/", Map.of("Host", host, "Content-Type", "application/x-amz-json-1.1",
                    "X-Amz-Target", "secretsmanager.ListSecrets"), "{}");
            assertEquals(200, a.status(), host + ": " + a.body());
        }
    }

    @Test
    void anAdminWriteThatIsNotJsonIsRefusedWith415() {
        sm().createSecret(b -> b.name("kept").secretString("v"));

        Answer textPlain = reset(Map.of("Content-Type", "text/plain"));
        Answer form = reset(Map.of("Content-Type", "application/x-www-form-urlencoded"));

        assertAdminError(textPlain, 415, "Content-Type: application/json");
        assertAdminError(form, 415, "Content-Type: application/json");
        assertSecretKept();
    }

    @Test
    void withATokenEveryAdminRouteButHealthNeedsIt() {
        sm().createSecret(b -> b.name("kept").secretString("v"));

        Answer missing = reset(Map.of("Authorization", "none"));
        Answer wrong = reset(Map.of("Authorization", "Bearer not-the-token"));
        Answer state = send("GET", "/_smlocal/state", Map.of(), null);
        Answer health = send("GET", "/_smlocal/health", Map.of(), null);

        assertAdminError(missing, 401, "admin token");
        assertEquals("Bearer realm=\"smlocal\"", missing.headers().get("www-authenticate"));
        assertAdminError(wrong, 401, "admin token");
        assertAdminError(state, 401, "admin token");
        assertFalse(state.body().contains("kept"), "nothing of the state leaks");
        assertEquals(200, health.status(), "health stays open for container health checks");
        assertEquals("ok", health.json().path("status").asText());
        assertSecretKept();

        Answer withToken = reset(Map.of());
        assertEquals(200, withToken.status(), withToken.body());
        assertThrows(software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException.class,
                () -> sm().getSecretValue(b -> b.secretId("kept")), "the token's reset did happen");
    }

    @Test
    void aFunctionUrlOutsideLoopbackIsRefusedWhenRegistered() {
        Map<String, String> h = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + TOKEN);
        List<String> refused = List.of("http://169.254.169.254/latest/meta-data/", "http://example.com/rotate",
                "http://10.0.0.8:9000/rotate", "http://user@127.0.0.1:9000/rotate", "http://127.0.0.1.nip.io/rotate");

        for (String url : refused) {
            Answer a = send("PUT", "/_smlocal/functions/outside", h, "{\"url\":\"" + url + "\"}");
            assertEquals(400, a.status(), url + ": " + a.body());
            assertFalse(a.json().path("error").asText().isBlank(), a.body());
        }
        Answer listed = send("GET", "/_smlocal/functions", h, null);
        Answer loopback = send("PUT", "/_smlocal/functions/local", h, "{\"url\":\"http://127.0.0.1:9000/rotate\"}");
        Answer allowed = send("PUT", "/_smlocal/functions/named", h, "{\"url\":\"http://rotator:8080/rotate\"}");

        assertAdminError(send("PUT", "/_smlocal/functions/outside", h, "{\"url\":\"http://example.com/rotate\"}"), 400,
                "not loopback");
        assertFalse(listed.body().contains("outside"), listed.body());
        assertEquals(200, loopback.status(), loopback.body());
        assertEquals(200, allowed.status(), "--allowed-function-hosts names more: " + allowed.body());
        assertThrows(IllegalArgumentException.class, () -> emulator.rotationFunctions()
                .registerHttp("inproc", java.net.URI.create("https://example.com/rotate")), "the in-process path too");
    }
}
