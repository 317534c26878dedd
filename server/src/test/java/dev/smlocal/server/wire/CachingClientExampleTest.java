package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.amazonaws.secretsmanager.caching.SecretCache;
import com.amazonaws.secretsmanager.caching.SecretCacheConfiguration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The README's rotation example, compiled and run: a database-style JSON secret rotated by the
 * built-in {@code smlocal-password} function, read by an application through AWS's
 * aws-secretsmanager-caching-java before and after. The region between the markers is the README
 * snippet.
 */
class CachingClientExampleTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anApplicationReadsTheRotatedSecretThroughTheCachingClient() throws Exception {
        SecretsManagerClient sm = sm(); // endpointOverride(smlocal), region us-east-1

        // readme-rotation:begin
        sm.createSecret(b -> b.name("prod/orders/db").secretString("{\"engine\":\"postgres\","
                + "\"host\":\"db.internal\",\"port\":5432,\"username\":\"orders\",\"password\":\"initial-pw\"}"));

        // the application reads through AWS's caching client, on the same SDK client
        SecretCache cache = new SecretCache(new SecretCacheConfiguration().withClient(sm)
                .withForceRefreshJitterMillis(0));
        String before = cache.getSecretString("prod/orders/db");

        // rotate every 30 days with the built-in function: a new password, the other keys kept
        sm.rotateSecret(b -> b.secretId("prod/orders/db")
                .rotationLambdaARN("arn:aws:lambda:us-east-1:000000000000:function:smlocal-password")
                .rotationRules(r -> r.automaticallyAfterDays(30L)));
        advance(Duration.ZERO); // manual clock: the four steps run now

        String stale = cache.getSecretString("prod/orders/db");  // cached until its TTL (1 h) or a refresh
        cache.refreshNow("prod/orders/db");
        String after = cache.getSecretString("prod/orders/db");  // the rotated secret
        // readme-rotation:end

        JsonNode b = JSON.readTree(before);
        JsonNode a = JSON.readTree(after);
        assertEquals("initial-pw", b.get("password").asText());
        assertEquals(before, stale, "the cache serves the old value until refreshed");
        for (String key : new String[] {"engine", "host", "port", "username"}) assertEquals(b.get(key), a.get(key), key);
        assertNotEquals("initial-pw", a.get("password").asText());
        assertEquals(32, a.get("password").asText().length());
        try (SecretCache fresh = new SecretCache(sm)) {
            assertEquals(after, fresh.getSecretString("prod/orders/db"), "a new cache sees the rotated value at once");
        }
        cache.close();
        assertEquals(after, sm.getSecretValue(r -> r.secretId("prod/orders/db")).secretString());
    }
}
