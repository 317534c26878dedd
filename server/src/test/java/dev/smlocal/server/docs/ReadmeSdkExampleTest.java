package dev.smlocal.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The README's first-screen SDK example: compiled here, run against a real server, and kept equal to the README. */
class ReadmeSdkExampleTest {

    @Test
    void theReadmeBlockEqualsTheCompiledExample() throws Exception {
        Path repo = Path.of(System.getProperty("smlocal.repo.dir", ".."));
        String block = firstJavaBlock(Files.readString(repo.resolve("README.md")));
        String marked = markedRegion(Files.readString(
                repo.resolve("server/src/test/java/dev/smlocal/server/docs/ReadmeSdkExampleTest.java")));

        assertEquals(marked, block, "README.md's first Java example must equal the marked region of ReadmeSdkExampleTest");
    }

    @Test
    void theExampleRunsAgainstASmlocalOnTheDefaultPort() {
        Emulator emulator;
        try {
            emulator = Emulator.start(EmulatorConfig.defaults().withQuiet(true)
                    .withClock("manual", java.time.Instant.parse("2026-01-01T00:00:00Z")));
        } catch (IllegalStateException portTaken) {
            Assumptions.abort("port 4599 is in use (a smlocal already running?): the example was not run");
            return;
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (emulator) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            example();
            System.setOut(original);
            emulator.scheduler().advance(Duration.ofMillis(250));
            try (SecretsManagerClient east = SecretsManagerClient.builder().endpointOverride(emulator.endpoint())
                    .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("111122223333", "any"))).build()) {
                assertEquals("s3cr3t", east.getSecretValue(b -> b.secretId("db/password")).secretString(),
                        "the replica in us-east-1 after the lag");
            }
        } finally {
            System.setOut(original);
        }
        assertEquals("s3cr3t", printed.toString(StandardCharsets.UTF_8).trim());
    }

    private static void example() {
        // readme-sdk:begin
        var sm = SecretsManagerClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:4599"))
                .region(Region.EU_WEST_1)                           // any region, all at once
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("111122223333", "any")))   // 12 digits = the account
                .build();
        sm.createSecret(b -> b.name("db/password").secretString("s3cr3t")
                .addReplicaRegions(r -> r.region("us-east-1")));    // replicated after the lag (250 ms)
        System.out.println(sm.getSecretValue(b -> b.secretId("db/password")).secretString());
        // readme-sdk:end
    }

    static String firstJavaBlock(String markdown) {
        int start = markdown.indexOf("```java\n");
        assertTrue(start >= 0, "README.md has no Java example");
        int end = markdown.indexOf("```", start + 8);
        return markdown.substring(start + 8, end).stripTrailing();
    }

    static String markedRegion(String source) {
        int start = source.indexOf("// readme-sdk:begin\n") + "// readme-sdk:begin\n".length();
        int end = source.indexOf("        // readme-sdk:end");
        List<String> lines = source.substring(start, end).lines().map(l -> l.startsWith("        ") ? l.substring(8) : l).toList();
        return String.join("\n", lines).stripTrailing();
    }
}
