package dev.smlocal.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Base of the wire tests: one emulator per test class on a free port with a manual clock, reset
 * before each test; AWS SDK v2 clients per (region, account), retries off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class WireSupport {
    public static final Instant START = Instant.parse("2026-01-15T10:00:00Z");
    public static final String OTHER_ACCOUNT = "111122223333";

    protected Emulator emulator;
    private final ConcurrentHashMap<String, AutoCloseable> clients = new ConcurrentHashMap<>();

    protected EmulatorConfig config() {
        return EmulatorConfig.defaults().withPort(0).withClock("manual", START).withSeed(42).withQuiet(true)
                .withRegions(List.of("us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"));
    }

    @BeforeAll
    void startEmulator() {
        emulator = Emulator.start(config());
    }

    @AfterAll
    void stopEmulator() throws Exception {
        for (AutoCloseable c : clients.values()) c.close();
        emulator.close();
    }

    @BeforeEach
    void resetEmulator() {
        emulator.reset();
    }

    protected SecretsManagerClient sm() {
        return sm("us-east-1");
    }

    protected SecretsManagerClient sm(String region) {
        return sm(region, "AKIDEXAMPLE");
    }

    protected SecretsManagerClient sm(String region, String accessKey) {
        return (SecretsManagerClient) clients.computeIfAbsent("sm/" + region + "/" + accessKey, k ->
                SecretsManagerClient.builder()
                        .endpointOverride(emulator.endpoint())
                        .region(Region.of(region))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                        .build());
    }

    protected KmsClient kms(String region) {
        return kms(region, "AKIDEXAMPLE");
    }

    protected KmsClient kms(String region, String accessKey) {
        return (KmsClient) clients.computeIfAbsent("kms/" + region + "/" + accessKey, k ->
                KmsClient.builder()
                        .endpointOverride(emulator.endpoint())
                        .region(Region.of(region))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                        .build());
    }

    /** A raw HTTP answer, for what the SDK hides (status, body casing, headers). */
    public record Raw(int status, String body, java.net.http.HttpHeaders headers) {}

    protected Raw raw(String target, String body) {
        return raw(target, body, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0");
    }

    protected Raw raw(String target, String body, String authorization) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (target != null) b.header("X-Amz-Target", target);
            if (authorization != null) b.header("Authorization", authorization);
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new AssertionError("raw request failed", e);
        }
    }

    protected Raw rawBytes(String target, byte[] body) {
        try {
            HttpRequest req = HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", target)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            return new Raw(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new AssertionError("raw request failed", e);
        }
    }

    protected static final HttpClient HTTP = HttpClient.newHttpClient();

    protected URI admin(String path) {
        return emulator.endpoint().resolve("/_smlocal/" + path);
    }

    protected void advance(Duration d) {
        emulator.scheduler().advance(d);
    }

    /** {@code field} of each element of a JSON array, as text. */
    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    /** Each element of a JSON array, as text. */
    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
