package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;

/** The dashboard's page and JSON views ({@code ui}, {@code estate}, {@code events/tail}, {@code cost}) over HTTP. */
class DashboardApiWireTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:root\"},\"Action\":\"secretsmanager:GetSecretValue\","
            + "\"Resource\":\"*\"}]}";

    private HttpResponse<String> send(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(admin(path)).timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) b.header("Content-Type", "application/json");
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    private JsonNode get(String path) {
        HttpResponse<String> r = send("GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private void createReplicated(String name, String... replicaRegions) {
        List<ReplicaRegionType> rr = new ArrayList<>();
        for (String r : replicaRegions) rr.add(ReplicaRegionType.builder().region(r).build());
        sm().createSecret(b -> b.name(name).secretString("v-" + name).addReplicaRegions(rr));
    }

    @Test
    void thePageAndItsFilesAreServedSameOriginOnly() {
        HttpResponse<String> page = send("GET", "ui", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("/_smlocal/ui/app.js"), "the page loads its script from the jar");
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "nothing from another origin");

        HttpResponse<String> js = send("GET", "ui/app.js", null);
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(js.body().contains("Authorization"), "api() can add the admin token");
        assertEquals(200, send("GET", "ui/app.css", null).statusCode());

        assertEquals(404, send("GET", "ui/..%2Fsmlocal-ui%2Fapp.js", null).statusCode());
        assertEquals(404, send("GET", "ui/secrets.txt", null).statusCode());
    }

    @Test
    void estateHasOneRowPerSecretWithItsReplicasAndPagesAndFilters() {
        createReplicated("app/db", "eu-west-1", "us-west-2");
        createReplicated("app/api", "eu-west-1");
        sm().createSecret(b -> b.name("plain").secretString("x"));

        JsonNode e = get("estate");
        assertEquals(3, e.get("totalSecrets").asInt());
        assertEquals(List.of("app/api", "app/db", "plain"), texts(e.get("rows"), "name"));
        JsonNode db = e.get("rows").get(1);
        assertEquals("us-east-1", db.get("region").asText());
        assertEquals(List.of("eu-west-1", "us-west-2"), texts(db.get("replicas"), "region"));
        assertEquals(List.of("InProgress", "InProgress"), texts(db.get("replicas"), "status"));
        assertEquals("alias/aws/secretsmanager", db.at("/kmsKey/ref").asText());
        assertFalse(e.toString().contains("v-app/db"), "never a value");

        advance(Duration.ofSeconds(1));
        db = get("estate?q=DB").get("rows").get(0);
        assertEquals(List.of("InSync", "InSync"), texts(db.get("replicas"), "status"));
        assertTrue(db.get("replicas").get(0).get("present").asBoolean());

        assertEquals(List.of("app/api", "app/db"), texts(get("estate?region=eu-west-1").get("rows"), "name"));
        assertEquals(List.of("app/db"), texts(get("estate?region=us-west-2").get("rows"), "name"));
        assertEquals(0, get("estate?account=111122223333").get("rows").size());

        JsonNode page2 = get("estate?offset=1&limit=1");
        assertEquals(3, page2.get("matched").asInt());
        assertEquals(List.of("app/db"), texts(page2.get("rows"), "name"));

        JsonNode grid = get("estate").get("grid");
        assertEquals("000000000000", grid.get(0).get("account").asText());
        assertTrue(grid.toString().contains("{\"account\":\"000000000000\",\"region\":\"eu-west-1\",\"secrets\":2}"), grid.toString());

        assertEquals(400, send("GET", "estate?limit=0", null).statusCode());
        assertEquals(400, send("GET", "estate?offset=x", null).statusCode());
    }

    @Test
    void aReplicaUnderAMissingKeyIsFailedWithItsMessageAndTheMrkRegionsAreListed() {
        String mrk = kms("us-east-1").createKey(b -> b.multiRegion(true).keySpec(KeySpec.SYMMETRIC_DEFAULT)).keyMetadata().keyId();
        kms("us-east-1").replicateKey(b -> b.keyId(mrk).replicaRegion("eu-west-1"));
        sm().createSecret(b -> b.name("keyed").secretString("x").kmsKeyId(mrk).addReplicaRegions(
                ReplicaRegionType.builder().region("eu-west-1").kmsKeyId(mrk).build(),
                ReplicaRegionType.builder().region("us-west-2").kmsKeyId("alias/nowhere").build()));
        advance(Duration.ofSeconds(1));

        JsonNode row = get("estate").get("rows").get(0);
        assertEquals(List.of("eu-west-1", "us-east-1"), strings(row.at("/kmsKey/mrkRegions")));
        assertTrue(row.at("/kmsKey/multiRegion").asBoolean());
        JsonNode west = row.get("replicas").get(1);
        assertEquals("Failed", west.get("status").asText());
        assertFalse(west.get("statusMessage").asText().isBlank());
        assertTrue(west.at("/kmsKey/missing").asBoolean());
    }

    @Test
    void aSecretShowsVersionsStagesPolicyAndItsEventsButNoValue() {
        createReplicated("s1", "eu-west-1");
        sm().putSecretValue(b -> b.secretId("s1").secretString("second-value"));
        sm().putResourcePolicy(b -> b.secretId("s1").resourcePolicy(POLICY));
        advance(Duration.ofSeconds(1));

        JsonNode s = get("estate/secret?account=000000000000&region=us-east-1&name=s1");
        assertEquals(2, s.get("versions").size());
        assertEquals("[\"AWSPREVIOUS\"]", s.get("versions").get(0).get("stages").toString());
        assertEquals("[\"AWSCURRENT\"]", s.get("versions").get(1).get("stages").toString());
        assertTrue(s.get("resourcePolicy").asText().contains("2012-10-17"));
        List<String> names = texts(s.get("events"), "eventName");
        assertTrue(names.containsAll(List.of("CreateSecret", "PutSecretValue", "PutResourcePolicy", "ReplicationSucceeded")), names.toString());
        assertFalse(s.toString().contains("second-value"), "never a value");

        assertEquals(404, send("GET", "estate/secret?account=000000000000&region=us-east-1&name=none", null).statusCode());
        assertEquals(400, send("GET", "estate/secret?account=000000000000", null).statusCode());
    }

    @Test
    void eventsTailResumesAfterTheLastSeenAndControlActionsAreEvents() {
        sm().createSecret(b -> b.name("a").secretString("x"));
        JsonNode first = get("events/tail");
        assertEquals(List.of("CreateSecret"), texts(first.get("events"), "eventName"));
        long next = first.get("next").asLong();

        assertEquals(200, send("POST", "regions/eu-west-1/outage", "{}").statusCode());
        assertEquals(200, send("POST", "clock", "{\"advance\":\"PT1M\"}").statusCode());
        assertEquals(200, send("DELETE", "regions/eu-west-1/outage", null).statusCode());

        JsonNode more = get("events/tail?from=" + next);
        assertEquals(List.of("OutageStarted", "ClockMoved", "OutageHealed"), texts(more.get("events"), "eventName"));
        assertEquals("smlocal", more.get("events").get(0).get("eventSource").asText());
        assertEquals("eu-west-1", more.get("events").get(0).get("awsRegion").asText());
        assertEquals(0, get("events/tail?from=" + more.get("next").asLong()).get("events").size());
        assertEquals(1, get("events/tail?from=0&limit=1").get("events").size());
        assertEquals(List.of("OutageHealed"), texts(get("events/tail?last=1").get("events"), "eventName"));
        assertEquals(400, send("GET", "events/tail?from=-1", null).statusCode());
    }

    @Test
    void costCountsSecretsReplicasCallsAndCustomerKeys() {
        createReplicated("c1", "eu-west-1", "us-west-2");
        sm().createSecret(b -> b.name("c2").secretString("x"));
        String mrk = kms("us-east-1").createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
        kms("us-east-1").replicateKey(b -> b.keyId(mrk).replicaRegion("eu-west-1"));
        advance(Duration.ofSeconds(1));
        sm().getSecretValue(b -> b.secretId("c2"));

        JsonNode c = get("cost");
        assertTrue(c.get("estimate").asBoolean());
        assertEquals("2026-12-05", c.get("pricesAsOf").asText());
        assertEquals(4, c.get("secrets").asInt(), "2 primaries + 2 replicas");
        assertEquals(2, c.get("replicaSecrets").asInt());
        assertEquals(3, c.get("apiCalls").asLong(), "two CreateSecret and one GetSecretValue; KMS calls left out");
        assertEquals(2, c.get("customerManagedKeys").asInt(), "an MRK and its replica");
        assertEquals(0, new BigDecimal("1.60").compareTo(c.at("/monthly/secrets").decimalValue()));
        assertEquals(0, new BigDecimal("2.00").compareTo(c.at("/monthly/kmsKeys").decimalValue()));
        assertEquals(0, new BigDecimal("0.000015").compareTo(c.at("/monthly/apiCalls").decimalValue()));
        assertEquals(0, new BigDecimal("3.600015").compareTo(c.at("/monthly/total").decimalValue()));

        sm().deleteSecret(b -> b.secretId("c2"));
        assertEquals(3, get("cost").get("secrets").asInt(), "a secret marked for deletion is not billed");
    }
}
