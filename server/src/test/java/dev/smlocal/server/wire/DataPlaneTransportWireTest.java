package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What the data plane's transport did when vertx-web's Router and BodyHandler served {@code POST /}
 * and still does without them: {@code Expect: 100-continue} (curl sends it for bodies over 1 KiB;
 * without the interim answer the client stalls) and a path the Router matched as {@code /}.
 */
class DataPlaneTransportWireTest extends WireSupport {
    @Test
    void clientWaitingFor100ContinueGetsItThenItsAnswer() throws Exception {
        String body = "{\"MaxResults\":5}";
        try (Socket socket = new Socket("127.0.0.1", emulator.endpoint().getPort())) {
            socket.setSoTimeout(10_000); // bounded: a missing 100 Continue fails the read, not the build
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: secretsmanager.ListSecrets\r\n"
                    + "Content-Type: application/x-amz-json-1.1\r\nExpect: 100-continue\r\nContent-Length: "
                    + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String interim = readUntil(in, "\r\n\r\n");
            assertTrue(interim.startsWith("HTTP/1.1 100"), interim);

            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readUntil(in, "\"SecretList\"");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
    }

    /** Any other expectation is answered 417 with an AWS-shaped body (the Router's path gave a logged 500). */
    @Test
    void anExpectationOtherThan100ContinueIs417WithABody() throws Exception {
        String body = "{\"MaxResults\":5}";
        try (Socket socket = new Socket("127.0.0.1", emulator.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Amz-Target: secretsmanager.ListSecrets\r\nContent-Type: application/x-amz-json-1.1\r\n"
                    + "Expect: 200-ok\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readUntil(socket.getInputStream(), "only 100-continue is supported.\"}");
            assertTrue(answer.startsWith("HTTP/1.1 417"), answer);
            assertTrue(answer.contains("\"__type\":\"ExpectationFailedException\""), answer);
        }
        // the server keeps serving
        sm("us-east-1").listSecrets();
    }

    /** The data plane answered {@code POST /./} as {@code POST /} when a router matched the path; it still does. */
    @Test
    void rootWithADotSegmentIsStillTheDataPlane() throws Exception {
        String body = "{\"MaxResults\":5}";
        try (Socket socket = new Socket("127.0.0.1", emulator.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /./ HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Amz-Target: secretsmanager.ListSecrets\r\nContent-Type: application/x-amz-json-1.1\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            String answer = readUntil(socket.getInputStream(), "\"SecretList\"");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
    }

    private static String readUntil(InputStream in, String end) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.US_ASCII).contains(end)) {
            int b = in.read();
            if (b < 0) break;
            seen.write(b);
        }
        return seen.toString(StandardCharsets.US_ASCII);
    }
}
