package dev.smlocal.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's admin API curl examples, replayed as written (method, path, headers, body) against a
 * server: each answers 200, so the examples keep working under the perimeter's rules (JSON for
 * admin writes).
 */
class ReadmeAdminExampleTest {
    private static final Pattern CURL = Pattern.compile(
            "^curl -s (-H \"\\$J\" )?-X(\\w+) localhost:4599(/_smlocal/\\S+)(?: -d '([^']*)')?");

    @Test
    void everyAdminCurlExampleAnswers200() throws Exception {
        Path repo = Path.of(System.getProperty("smlocal.repo.dir", ".."));
        String readme = Files.readString(repo.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Time, chaos and the admin API"));
        String block = section.substring(section.indexOf("```bash") + 7, section.indexOf("```", section.indexOf("```bash") + 7));
        List<Matcher> calls = new ArrayList<>();
        for (String line : block.lines().toList()) {
            Matcher m = CURL.matcher(line.trim());
            if (m.find()) calls.add(m);
        }
        assertEquals(5, calls.size(), "the five curl examples of the README:\n" + block);
        assertTrue(block.contains("J='Content-Type: application/json'"), block);

        try (Emulator e = Emulator.start(EmulatorConfig.defaults().withPort(0).withQuiet(true).withClock("manual", null)
                .withRegions(List.of("us-east-1", "eu-west-1")))) {
            HttpClient http = HttpClient.newHttpClient();
            for (Matcher m : calls) {
                HttpRequest.Builder b = HttpRequest.newBuilder(e.endpoint().resolve(m.group(3)))
                        .timeout(Duration.ofSeconds(10))
                        .method(m.group(2), m.group(4) == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(m.group(4)));
                // curl -d without -H sends a form body; with -H "$J" it sends JSON
                b.header("Content-Type", m.group(1) != null ? "application/json" : "application/x-www-form-urlencoded");
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), m.group(0) + " -> " + r.body());
            }
        }
    }
}
