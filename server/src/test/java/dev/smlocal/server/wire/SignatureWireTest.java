package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smlocal.server.EmulatorConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * {@code --verify-signatures}: the SDK's own SigV4 signing passes (sync and async clients, header
 * form; the SDK's presigner for the query form), and a wrong secret, an unknown key, an all-zero
 * signature, a tampered body and a skewed emulator clock are refused with AWS's errors. The manual
 * clock starts at the wall-clock instant, since the SDK signs with wall time.
 */
class SignatureWireTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> KEYS = Map.of("AKIDEXAMPLE", "secret", OTHER_ACCOUNT, "secret");
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private final java.util.List<AutoCloseable> own = new java.util.ArrayList<>();

    @Override
    protected EmulatorConfig config() {
        return super.config().toBuilder().clock("manual", null).verifySignatures(true)
                .signingKeys(id -> Optional.ofNullable(KEYS.get(id))).build();
    }

    @AfterAll
    void closeOwnClients() throws Exception {
        for (AutoCloseable c : own) c.close();
    }

    private SecretsManagerClient client(String accessKey, String secret) {
        SecretsManagerClient c = SecretsManagerClient.builder().endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        own.add(c);
        return c;
    }

    private static SecretsManagerException refused(Runnable call) {
        return assertThrows(SecretsManagerException.class, call::run);
    }

    @Test
    void theSdkSyncClientsSigningPassesForSecretsManagerAndKms() {
        sm().createSecret(b -> b.name("signed").secretString("v"));
        String other = sm("us-east-1", OTHER_ACCOUNT).createSecret(b -> b.name("theirs").secretString("w")).arn();
        try (KmsClient kms = KmsClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            assertFalse(kms.createKey(b -> b.description("signed")).keyMetadata().keyId().isBlank());
        }

        assertEquals("v", sm().getSecretValue(b -> b.secretId("signed")).secretString());
        assertTrue(other.contains(":" + OTHER_ACCOUNT + ":"), other);
    }

    @Test
    void theSdkAsyncClientsSigningPasses() throws Exception {
        try (SecretsManagerAsyncClient async = SecretsManagerAsyncClient.builder().endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            async.createSecret(b -> b.name("async").secretString("a")).get();

            assertEquals("a", async.getSecretValue(b -> b.secretId("async")).get().secretString());
        }
    }

    @Test
    void aWrongSecretKeyIsAnInvalidSignatureAndChangesNothing() {
        SecretsManagerException e = refused(() -> client("AKIDEXAMPLE", "not-the-secret")
                .createSecret(b -> b.name("forged").secretString("x")));

        assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertTrue(e.awsErrorDetails().errorMessage().startsWith("The request signature we calculated does not match "
                + "the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
                + "documentation for details."), e.awsErrorDetails().errorMessage());
        assertTrue(e.awsErrorDetails().errorMessage().contains("x-amz-target:secretsmanager.CreateSecret"),
                "like AWS, the canonical request follows: " + e.awsErrorDetails().errorMessage());
        assertFalse(e.awsErrorDetails().errorMessage().contains("not-the-secret"));
        assertEquals(List.of(), sm().listSecrets().secretList(), "nothing was created");
    }

    @Test
    void anUnknownAccessKeyIsAnUnrecognizedClient() {
        SecretsManagerException e = refused(() -> client("AKIDNOBODY", "secret").listSecrets());

        assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertEquals("The security token included in the request is invalid.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void anAllZeroSignatureAndAnUnsignedRequestAreRefused() throws Exception {
        String amzDate = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .format(emulator.clock().now());
        HttpResponse<String> zero = HTTP.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "secretsmanager.CreateSecret")
                .header("X-Amz-Date", amzDate)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + amzDate.substring(0, 8)
                        + "/us-east-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64))
                .POST(HttpRequest.BodyPublishers.ofString("{\"Name\":\"zero\",\"SecretString\":\"z\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Raw noDate = raw("secretsmanager.ListSecrets", "{}");
        Raw unsigned = raw("secretsmanager.ListSecrets", "{}", null);

        assertEquals(400, zero.statusCode(), zero.body());
        assertEquals("InvalidSignatureException", JSON.readTree(zero.body()).path("__type").asText());
        assertEquals(List.of(), sm().listSecrets().secretList(), "nothing was created");
        assertEquals(400, noDate.status(), noDate.body());
        assertTrue(noDate.body().contains("IncompleteSignatureException"), noDate.body());
        assertEquals(400, unsigned.status(), unsigned.body());
        assertTrue(unsigned.body().contains("MissingAuthenticationTokenException"), unsigned.body());
    }

    @Test
    void aSignatureOlderThanFiveMinutesOnTheEmulatorClockHasExpired() {
        SecretsManagerClient c = client("AKIDEXAMPLE", "secret");
        advance(Duration.ofMinutes(4));
        assertEquals(List.of(), c.listSecrets().secretList(), "4 minutes of skew pass");

        advance(Duration.ofMinutes(2));
        SecretsManagerException e = refused(c::listSecrets);

        assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertTrue(e.awsErrorDetails().errorMessage().matches(
                "Signature expired: \\d{8}T\\d{6}Z is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 5 min\\.\\)"),
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void thePresignedQueryFormIsVerified() throws Exception {
        String body = "{\"Name\":\"presigned\",\"SecretString\":\"p\",\"ClientRequestToken\":\"" + java.util.UUID.randomUUID() + "\"}";

        HttpResponse<String> ok = presigned(body, body, r -> { });
        HttpResponse<String> tampered = presigned(body, body.replace("\"p\"", "\"q\""), r -> { });
        HttpResponse<String> wrongKey = presigned(body, body, r -> r.identity(AwsBasicCredentials.create("AKIDEXAMPLE", "x")));
        HttpResponse<String> future = presigned(body, body, r -> r.putProperty(HttpSigner.SIGNING_CLOCK,
                Clock.fixed(emulator.clock().now().plus(Duration.ofMinutes(10)), ZoneOffset.UTC)));
        HttpResponse<String> stale = presigned(body, body, r -> r.putProperty(HttpSigner.SIGNING_CLOCK,
                Clock.fixed(emulator.clock().now().minus(Duration.ofMinutes(3)), ZoneOffset.UTC))
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(2)));

        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("presigned", JSON.readTree(ok.body()).path("Name").asText());
        assertEquals("p", sm().getSecretValue(b -> b.secretId("presigned")).secretString());
        assertEquals(400, tampered.statusCode());
        assertEquals("InvalidSignatureException", JSON.readTree(tampered.body()).path("__type").asText());
        assertEquals("InvalidSignatureException", JSON.readTree(wrongKey.body()).path("__type").asText());
        assertTrue(JSON.readTree(future.body()).path("Message").asText().startsWith("Signature not yet current: "),
                future.body());
        assertTrue(JSON.readTree(stale.body()).path("Message").asText().startsWith("Signature expired: "), stale.body());
    }

    @Test
    void adminRoutesNeedNoSignature() throws Exception {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(admin("health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, health.statusCode());
    }

    /** Signs {@code signedBody} with the SDK's signer in its query form, then sends {@code sentBody}. */
    private HttpResponse<String> presigned(String signedBody, String sentBody,
                                           Consumer<software.amazon.awssdk.http.auth.spi.signer.SignRequest.Builder<
                                                   software.amazon.awssdk.identity.spi.AwsCredentialsIdentity>> tweak)
            throws Exception {
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(emulator.endpoint().resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "secretsmanager.CreateSecret").build();
        Instant now = emulator.clock().now();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"))
                    .request(unsigned)
                    .payload(ContentStreamProvider.fromByteArray(signedBody.getBytes(StandardCharsets.UTF_8)))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                    .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5))
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC));
            tweak.accept(r);
        });
        URI uri = signed.request().getUri();
        assertTrue(uri.getRawQuery().contains("X-Amz-Signature="), uri.toString());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(sentBody));
        signed.request().headers().forEach((k, vs) -> {
            if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) vs.forEach(v -> b.header(k, v));
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
