package dev.smlocal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.http.Fatal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server in a child JVM with a small heap, without {@code -XX:+ExitOnOutOfMemoryError}:
 * filled with secrets until the heap runs out, it must exit with status 3 and say why on standard
 * error, not keep its port and answer nothing. The child is a real process, so this waits for it
 * with bounded polling (a deadline), not with the emulator's clock.
 */
class OutOfMemoryExitTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    @Test
    void runningOutOfHeapEndsTheProcessWithAClearMessage(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(java, "-Xmx16m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--port", "0", "--regions", "us-east-1"))
                .redirectError(stderr.toFile()).start();
        try {
            URI endpoint = readEndpoint(p);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String value = "v".repeat(60_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int created = 0;
            while (p.isAlive() && System.nanoTime() < deadline) {
                String body = "{\"Name\":\"fill-" + created + "\",\"SecretString\":\"" + value
                        + "\",\"ClientRequestToken\":\"" + new java.util.UUID(7, created) + "\"}";
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                            .header("X-Amz-Target", "secretsmanager.CreateSecret")
                            .header("Content-Type", "application/x-amz-json-1.1")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) created++;
                } catch (java.io.IOException e) {
                    // the server went away mid-request: expected once the heap is gone
                }
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the server is still running after " + created + " secrets");
            String err = Files.readString(stderr);
            assertEquals(Fatal.EXIT_STATUS, p.exitValue(), err);
            assertTrue(err.contains("smlocal: out of memory; the server stops now (exit status 3)"), err);
            assertTrue(err.contains("java.lang.OutOfMemoryError"), err);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static URI readEndpoint(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // the banner; null if the child died first
        assertTrue(line != null, "the child printed no banner");
        Matcher m = LISTENING.matcher(line);
        assertTrue(m.find(), line);
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) { /* keep the pipe empty */ }
            } catch (java.io.IOException ignored) {
                // the child ended
            }
        }, "oom-child-stdout");
        drain.setDaemon(true);
        drain.start();
        return URI.create(m.group(1) + "/");
    }
}
