package dev.smlocal.server.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.faults.FaultJson;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.time.EmulatorClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The contract of {@link EmulatorControl}: two identical emulators (manual clock, same seed), one
 * driven through its own {@code Emulator.control()}, the other through {@link HttpEmulatorControl}
 * over its admin API, go through the same calls (with the same AWS calls in between) and must give
 * the same answers: the same documents, the same refusals. The one documented difference: control
 * actions made over HTTP are also recorded as events ({@link #AUDIT}), in-process ones are not.
 */
class EmulatorControlContractTest {
    private static final Instant START = Instant.parse("2026-01-15T10:00:00Z");
    /** Events the admin routes add for control actions made through them. */
    private static final Set<String> AUDIT = Set.of("ClockMoved", "FaultAdded", "FaultRemoved", "FaultsCleared",
            "OutageStarted", "OutageHealed", "ReplicationSettingsChanged");

    private Twin local;
    private Twin remote;

    /** One emulator, the control under test and an SDK client of its endpoint. */
    private record Twin(Emulator emulator, EmulatorControl control, SecretsManagerClient sm) {
        static Twin start(boolean overHttp) {
            Emulator e = Emulator.start(EmulatorConfig.defaults().withPort(0).withClock("manual", START).withSeed(7)
                    .withQuiet(true).withRegions(List.of("us-east-1", "eu-west-1")));
            EmulatorControl c = overHttp ? HttpEmulatorControl.attach(e.endpoint(), null) : e.control();
            SecretsManagerClient sm = SecretsManagerClient.builder().endpointOverride(e.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build();
            return new Twin(e, c, sm);
        }

        void close() {
            sm.close();
            emulator.close();
        }
    }

    /** Fresh twins per test: ids and counters then start alike on both. */
    @BeforeEach
    void start() {
        local = Twin.start(false);
        remote = Twin.start(true);
    }

    @AfterEach
    void stop() {
        local.close();
        remote.close();
    }

    @Test
    void bothImplementationsGiveTheSameAnswersToTheSameCalls() {
        Map<String, JsonNode> l = scenario(local);
        Map<String, JsonNode> r = scenario(remote);

        assertEquals(l.keySet(), r.keySet());
        // JSON equality: field order is not part of the contract (a rule's attributes have none)
        for (String step : l.keySet()) assertEquals(parse(masked(l.get(step))), parse(masked(r.get(step))), "step " + step);
        // and the answers are the right ones, not just equal
        assertEquals(List.of("us-east-1", "eu-west-1"), texts(l.get("health").path("regions")));
        assertEquals("manual", l.get("clock").path("mode").asText());
        assertEquals(1, l.get("clock").path("pending").size(), "the replication to eu-west-1: " + l.get("clock"));
        assertEquals("PT2S", l.get("replication settings").path("routes").path(0).path("lag").asText());
        assertEquals("error", l.get("add fault").path("action").asText());
        assertFalse(l.get("add fault").path("id").asText().isEmpty());
        assertEquals("InternalServiceError", l.get("call under fault").asText());
        assertEquals(0, l.get("faults after the count").size(), "count 1: used up");
        assertEquals("timeout", l.get("outage").path("attributes").path("mode").asText());
        assertEquals(1, l.get("heal").asInt());
        assertEquals("true,false", l.get("remove fault twice").asText());
        assertEquals(1, l.get("advance").asInt(), "the replication ran");
        assertEquals("IllegalArgumentException", l.get("set backwards").asText());
        assertEquals("IllegalArgumentException", l.get("advance negative").asText());
        assertEquals("IllegalArgumentException", l.get("bad fault").asText());
        assertEquals("http", l.get("functions").path("functions").path(0).path("kind").asText(), l.get("functions").toString());
        assertEquals("true,false,IllegalStateException", l.get("remove function").asText());
        assertEquals("IllegalArgumentException", l.get("register function off loopback").asText());
        assertTrue(l.get("declare principal").path("hasSecretAccessKey").asBoolean());
        assertTrue(l.get("principals").toString().contains("role/app") && !l.get("principals").toString().contains("s3cret"));
        assertEquals("IllegalArgumentException", l.get("declare bad principal").asText());
        assertEquals("true,false", l.get("remove principal").asText());
        assertEquals(List.of("ReplicationStarted", "CreateSecret", "FaultApplied", "GetSecretValue"),
                texts(l.get("events").findValues("eventName")).subList(0, 4));
        assertEquals(2, l.get("state").path("secrets").size(), "primary and replica: " + l.get("state"));
        assertEquals(1, l.get("estate").path("rows").size());
        assertEquals("db", l.get("secret view").path("name").asText());
        assertEquals("empty", l.get("no such secret").asText());
        assertEquals(2, l.get("cost").path("secrets").asInt());
        assertEquals("IllegalStateException", l.get("advance a system clock").asText());
        assertEquals(0, l.get("state after reset").path("secrets").size());
    }

    @Test
    void overHttpTheControlActionsAreAlsoEvents() {
        remote.control().reset();
        remote.control().advance(Duration.ofSeconds(1));
        FaultRule f = remote.control().addFault(FaultRule.outage("eu-west-1"));
        remote.control().removeFault(f.id());

        List<String> names = remote.control().events().stream().map(Event::eventName).toList();
        assertEquals(List.of("ClockMoved", "FaultAdded", "FaultRemoved"), names);
        assertTrue(local.control().events().stream().noneMatch(e -> AUDIT.contains(e.eventName())));
    }

    /** The same calls on either twin; each answer as a JSON document (a refusal: its exception's simple name). */
    private Map<String, JsonNode> scenario(Twin t) {
        EmulatorControl c = t.control();
        c.reset();
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("health", doc(c.health()));
        t.sm().createSecret(b -> b.name("db").secretString("v1")
                .addReplicaRegions(r -> r.region("eu-west-1")));
        out.put("clock", doc(c.clock()));
        out.put("pending", doc(c.pending()));
        out.put("now", doc(c.now()));
        out.put("replication", doc(c.replication()));
        out.put("replication settings", doc(c.configureReplication(Duration.ofSeconds(5),
                List.of(new Replicator.Route("us-east-1", "eu-west-1", Duration.ofSeconds(2))))));
        out.put("bad fault", refusal(() -> c.addFault(FaultJson.parse(json("{\"region\":\"us-east-1\"}")))));
        out.put("add fault", doc(FaultJson.render(c.addFault(FaultJson.parse(json("{\"action\":\"error\","
                + "\"region\":\"us-east-1\",\"operation\":\"GetSecretValue\",\"errorType\":\"InternalServiceError\","
                + "\"count\":1}"))))));
        out.put("faults", faults(c));
        out.put("call under fault", text(callError(t)));
        out.put("faults after the count", faults(c));
        FaultRule outage = c.startOutage("eu-west-1", "timeout", "1000");
        out.put("outage", doc(FaultJson.render(outage)));
        out.put("heal", doc(c.heal("eu-west-1")));
        FaultRule again = c.addFault(FaultRule.outage("us-east-1"));
        out.put("remove fault twice", text(c.removeFault(again.id()) + "," + c.removeFault(again.id())));
        c.addFault(FaultRule.failReplication("us-east-1", "eu-west-1"));
        c.clearFaults();
        out.put("faults cleared", faults(c));
        out.put("advance", doc(c.advance(Duration.ofSeconds(2))));
        out.put("set", doc(c.setTime(START.plus(Duration.ofMinutes(1)))));
        out.put("set backwards", refusal(() -> c.setTime(START)));
        out.put("advance negative", refusal(() -> c.advance(Duration.ofSeconds(-1))));
        out.put("advance until idle", doc(c.advanceUntilIdle(Duration.ofDays(1))));
        out.put("clock after", doc(c.clock()));
        c.registerHttpFunction("fn", URI.create("http://127.0.0.1:9/rotate"));
        out.put("register function off loopback",
                refusal(() -> { c.registerHttpFunction("far", URI.create("http://example.com/rotate")); return null; }));
        out.put("functions", doc(c.functions()));
        out.put("remove function", text(c.removeFunction("fn") + "," + c.removeFunction("fn") + ","
                + refusal(() -> c.removeFunction("smlocal-password")).asText()));
        out.put("declare principal", doc(c.declarePrincipal(new Principals.Declared("AKIAAPPEXAMPLE0001",
                "arn:aws:iam::111122223333:role/app", "s3cret", null))));
        out.put("declare bad principal", refusal(() -> c.declarePrincipal(new Principals.Declared("AKIAAPPEXAMPLE0002",
                "not-an-arn", null, null))));
        out.put("principals", doc(c.principals()));
        out.put("remove principal", text(c.removePrincipal("AKIAAPPEXAMPLE0001") + ","
                + c.removePrincipal("AKIAAPPEXAMPLE0001")));
        out.put("events", withoutAudit(doc(c.events())));
        out.put("events since", withoutAudit(doc(c.eventsSince(0, 1000).events())));
        out.put("metrics", text(c.metrics()));
        out.put("state", doc(c.state()));
        out.put("estate", doc(c.estate(EmulatorControl.EstateQuery.all())));
        out.put("estate filtered", doc(c.estate(new EmulatorControl.EstateQuery("000000000000", "eu-west-1", "d", null, 0, 10))));
        out.put("secret view", withoutAudit(c.secret("000000000000", "us-east-1", "db").orElseThrow()));
        out.put("no such secret", text(c.secret("000000000000", "us-east-1", "nope").map(x -> "present").orElse("empty")));
        CostEstimate cost = c.cost(); // compared by value: a BigDecimal read back keeps its value, not its scale
        out.put("cost", doc(Map.of("secrets", cost.secrets(), "apiCalls", cost.apiCalls(),
                "keys", cost.customerManagedKeys(), "total", cost.monthly().total().doubleValue())));
        c.clockMode(EmulatorClock.Mode.SYSTEM);
        out.put("advance a system clock", refusal(() -> c.advance(Duration.ofSeconds(1))));
        c.clockMode(EmulatorClock.Mode.MANUAL);
        c.reset();
        out.put("state after reset", doc(c.state().secrets()));
        return out;
    }

    private static String callError(Twin t) {
        try {
            t.sm().getSecretValue(b -> b.secretId("db"));
            return "no error";
        } catch (SecretsManagerException e) {
            return e.awsErrorDetails().errorCode();
        }
    }

    /**
     * A document with its UUIDs masked: KMS key ids and the SDK's client request tokens (hence version
     * ids) are random on each emulator, not drawn from the seed.
     */
    private static String masked(JsonNode n) {
        return n.toString().replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>");
    }

    private static JsonNode faults(EmulatorControl c) {
        ArrayNode list = ControlJson.MAPPER.createArrayNode();
        c.faults().forEach(f -> list.add(FaultJson.render(f)));
        return list;
    }

    /** A value as the wire would carry it (numbers and maps normalised by one write and read). */
    private static JsonNode doc(Object value) {
        try {
            return ControlJson.MAPPER.readTree(ControlJson.MAPPER.writeValueAsString(value));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String text) {
        return doc(parse(text));
    }

    private static JsonNode parse(String text) {
        try {
            return ControlJson.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode text(Object value) {
        return ControlJson.MAPPER.getNodeFactory().textNode(String.valueOf(value));
    }

    private static JsonNode refusal(Supplier<?> call) {
        try {
            return text("answered " + call.get());
        } catch (RuntimeException e) {
            return text(e.getClass().getSimpleName());
        }
    }

    /**
     * Events without the audit records of control actions (present over HTTP only), anywhere in the
     * document, and without what differs from run to run by design: request ids and the SDK's
     * client request tokens.
     */
    private static JsonNode withoutAudit(JsonNode n) {
        JsonNode copy = n.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode n) {
        if (n.isArray()) {
            var it = n.elements();
            while (it.hasNext()) {
                JsonNode e = it.next();
                if ("smlocal".equals(e.path("eventSource").asText()) && AUDIT.contains(e.path("eventName").asText())) {
                    it.remove();
                } else {
                    strip(e);
                }
            }
        } else if (n.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove(List.of("requestId", "ClientRequestToken"));
            n.elements().forEachRemaining(EmulatorControlContractTest::strip);
        }
    }

    private static List<String> texts(JsonNode array) {
        return texts(java.util.stream.StreamSupport.stream(array.spliterator(), false).toList());
    }

    private static List<String> texts(List<JsonNode> nodes) {
        assertNotNull(nodes);
        return nodes.stream().map(JsonNode::asText).toList();
    }
}
