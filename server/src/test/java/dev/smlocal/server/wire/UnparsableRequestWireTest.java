package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Requests the HTTP decoder rejects still get an answer in the documented shape: the status,
 * {@code Content-Type: application/x-amz-json-1.1} and a {@code {"__type","Message"}} body.
 * Raw sockets, because no HTTP client sends these.
 */
class UnparsableRequestWireTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", emulator.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertJsonError(String answer, int status, String type) throws IOException {
        // HTTP/1.0 when the request line itself could not be read
        assertTrue(answer.matches("(?s)HTTP/1\\.[01] " + status + " .*"), answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/x-amz-json-1.1"), answer);
        JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals(type, body.get("__type").asText(), answer);
        assertFalse(body.get("Message").asText().isBlank(), answer);
    }

    @Test
    void oversizedHeadersAre431WithAJsonBody() throws IOException {
        String answer = exchange("POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n");
        assertJsonError(answer, 431, "RequestHeaderFieldsTooLargeException");
    }

    @Test
    void anOverlongRequestLineIs414WithAJsonBody() throws IOException {
        String answer = exchange("GET /" + "p".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertJsonError(answer, 414, "RequestUriTooLongException");
    }

    @Test
    void garbageIs400WithAJsonBody() throws IOException {
        String answer = exchange("\u0001\u0002 not http at all\r\n\r\n");
        assertJsonError(answer, 400, "MalformedHttpRequestException");
    }
}
