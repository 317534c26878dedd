package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.EmulatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code --idle-timeout}: an inbound connection that sends nothing is closed once the timeout
 * passes, while a connection in use is served. The idle timeout is a transport matter measured in
 * wall time (not the emulator clock), so this test waits for a real socket, bounded by a read
 * timeout well above the configured 300 ms.
 */
class IdleTimeoutWireTest extends WireSupport {
    private static final Duration IDLE = Duration.ofMillis(300);

    @Override
    protected EmulatorConfig config() {
        return super.config().withIdleTimeout(IDLE);
    }

    @Test
    void anIdleConnectionIsClosedAfterTheTimeout() throws IOException {
        try (Socket s = new Socket("127.0.0.1", emulator.port())) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            int read;
            try {
                read = s.getInputStream().read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("an idle connection stayed open for 10 s");
            } catch (IOException reset) {
                read = -1; // closed by the server
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(-1, read, "closed without an answer");
            assertTrue(ms >= IDLE.toMillis() - 50, "not before the timeout: " + ms + " ms");
        }
    }

    @Test
    void aConnectionInUseIsServed() throws IOException {
        try (Socket s = new Socket("127.0.0.1", emulator.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /_smlocal/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[12];
            int n = in.readNBytes(buf, 0, buf.length);
            assertEquals("HTTP/1.1 200", new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
    }
}
