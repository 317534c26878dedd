package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smlocal.server.rotation.RotationFunctions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * A fault ends the same way however it ends: removed, cleared, healed or its count used up. Work
 * an outage held (replication deliveries, rotations) is released; what a replication failure
 * failed is sent again, and only what that rule failed. Faults go in through the admin API, effects
 * are read through the SDK; the clock is manual.
 */
class FaultEndingsWireTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LAG = Duration.ofMillis(250);
    private static final String PASSWORD = "arn:aws:lambda:us-east-1:000000000000:function:" + RotationFunctions.PASSWORD;

    /** How the outage ends in {@link #however}. */
    enum Ending { REMOVED, CLEARED, HEALED, COUNT_USED_UP }

    private JsonNode admin(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(admin(path)).timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (!method.equals("GET")) b.header("Content-Type", "application/json");
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    private String addFault(String json) {
        return admin("POST", "faults", json).get("id").asText();
    }

    private ReplicationStatusType status(String name, String region) {
        return sm().describeSecret(b -> b.secretId(name)).replicationStatus().stream()
                .filter(s -> s.region().equals(region)).findFirst().orElseThrow();
    }

    private String westValue() {
        return sm("eu-west-1").getSecretValue(b -> b.secretId("db")).secretString();
    }

    private int unavailableCallsTo(String region, int calls) {
        int refused = 0;
        for (int i = 0; i < calls; i++) {
            SecretsManagerException e = assertThrows(SecretsManagerException.class,
                    () -> sm(region).listSecrets(b -> { }));
            assertEquals(503, e.statusCode());
            refused++;
        }
        return refused;
    }

    /** db in us-east-1, replicated in sync to eu-west-1, then changed to v2 while eu-west-1 is down. */
    private String replicaHeldByAnOutage(String outageJson) {
        sm().createSecret(b -> b.name("db").secretString("v1").addReplicaRegions(r -> r.region("eu-west-1")));
        advance(LAG);
        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status());
        String id = addFault(outageJson);
        sm().putSecretValue(b -> b.secretId("db").secretString("v2"));
        advance(LAG.multipliedBy(4));
        assertEquals(StatusType.IN_PROGRESS, status("db", "eu-west-1").status(), "held by the outage");
        assertEquals(1, admin("GET", "replication", null).get("waitingForOutage").size());
        return id;
    }

    @Test
    void anOutageWhoseCountRunsOutReleasesTheReplicationItHeld() {
        replicaHeldByAnOutage("{\"action\":\"outage\",\"region\":\"eu-west-1\",\"count\":2}");

        assertEquals(2, unavailableCallsTo("eu-west-1", 2));
        assertEquals("v1", westValue(), "the count is used up: eu-west-1 answers again, v2 not delivered yet");
        assertEquals("[]", admin("GET", "faults", null).toString());
        advance(Duration.ZERO);

        assertEquals("v2", westValue());
        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status());
        assertEquals(0, admin("GET", "replication", null).get("waitingForOutage").size());
    }

    @Test
    void anOutageWhoseCountRunsOutReleasesTheRotationItHeld() {
        String first = sm().createSecret(b -> b.name("token").secretString("s3cret")).versionId();
        String rotation = sm().rotateSecret(b -> b.secretId("token").rotationLambdaARN(PASSWORD)).versionId();
        addFault("{\"action\":\"outage\",\"region\":\"us-east-1\",\"count\":1}");
        advance(Duration.ZERO);
        assertEquals(1, unavailableCallsTo("us-east-1", 1));
        assertEquals(first, sm().getSecretValue(b -> b.secretId("token")).versionId(), "held while us-east-1 was down");

        advance(Duration.ZERO);

        assertEquals(rotation, sm().getSecretValue(b -> b.secretId("token")).versionId(), "the rotation ran");
        assertNotEquals("s3cret", sm().getSecretValue(b -> b.secretId("token")).secretString());
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void however(Ending ending) {
        String id = replicaHeldByAnOutage("{\"action\":\"outage\",\"region\":\"eu-west-1\""
                + (ending == Ending.COUNT_USED_UP ? ",\"count\":1}" : "}"));

        switch (ending) {
            case REMOVED -> admin("DELETE", "faults/" + id, null);
            case CLEARED -> admin("DELETE", "faults", null);
            case HEALED -> admin("DELETE", "regions/eu-west-1/outage", null);
            case COUNT_USED_UP -> {
                unavailableCallsTo("eu-west-1", 1);
                advance(Duration.ZERO); // ended by a call: the released delivery runs at the next clock move
            }
        }

        assertEquals("v2", westValue());
        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status());
    }

    @Test
    void removingAReplicationFailureSendsAgainOnlyWhatThatRuleFailed() {
        String toWest = addFault("{\"action\":\"fail-replication\",\"from\":\"us-east-1\",\"to\":\"eu-west-1\"}");
        addFault("{\"action\":\"fail-replication\",\"from\":\"us-east-1\",\"to\":\"ap-southeast-2\"}");
        sm().createSecret(b -> b.name("db").secretString("v1")
                .addReplicaRegions(r -> r.region("eu-west-1"), r -> r.region("ap-southeast-2")));
        advance(LAG);
        assertEquals(StatusType.FAILED, status("db", "eu-west-1").status());
        assertEquals(StatusType.FAILED, status("db", "ap-southeast-2").status());

        admin("DELETE", "faults/" + toWest, null);

        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status(), "sent again at once");
        assertEquals("v1", westValue());
        assertEquals(StatusType.FAILED, status("db", "ap-southeast-2").status());
        assertEquals(1, failures("ap-southeast-2"), "the other rule's failure was not tried again");

        admin("DELETE", "faults", null);

        assertEquals(StatusType.IN_SYNC, status("db", "ap-southeast-2").status(), "cleared: sent again at once");
        assertEquals(1, failures("ap-southeast-2"));
    }

    @Test
    void aReplicationFailureWhoseCountRunsOutSendsAgainOnlyWhatItFailed() {
        addFault("{\"action\":\"fail-replication\",\"from\":\"us-east-1\",\"to\":\"eu-west-1\",\"count\":1}");
        addFault("{\"action\":\"fail-replication\",\"from\":\"us-east-1\",\"to\":\"ap-southeast-2\"}");
        // ap-southeast-2 first: its failure is on record when the other rule runs out
        sm().createSecret(b -> b.name("db").secretString("v1")
                .addReplicaRegions(r -> r.region("ap-southeast-2"), r -> r.region("eu-west-1")));
        advance(LAG);
        assertEquals(StatusType.FAILED, status("db", "eu-west-1").status(), "the failure shows for one lag");

        advance(LAG);

        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status());
        assertEquals(StatusType.FAILED, status("db", "ap-southeast-2").status());
        assertEquals(1, failures("ap-southeast-2"), "the rule still in force failed nothing more");
        assertEquals(1, failures("eu-west-1"));
    }

    private long failures(String to) {
        String prefix = "smlocal_replication_failure_total{from=\"us-east-1\",to=\"" + to + "\"} ";
        return emulator.metrics().prometheus().lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()))).sum();
    }
}
