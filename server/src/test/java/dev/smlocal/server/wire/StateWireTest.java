package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.rotation.RotationFunctions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.*;

/**
 * The state document end to end: an estate built through the SDK is exported through the admin API,
 * the emulator reset, the document imported, and the SDK sees the same estate, values included;
 * the work that was waiting (a replica delivery, a deletion window, a rotation schedule) still happens.
 */
class StateWireTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LAG = Duration.ofMillis(250);
    private static final String ROTATOR = "arn:aws:lambda:us-east-1:000000000000:function:" + RotationFunctions.PASSWORD;
    private static final String KEY_POLICY = "{\"Version\":\"2012-10-17\",\"Id\":\"app\",\"Statement\":[{\"Sid\":\"root\","
            + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    private static final String RESOURCE_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\","
            + "\"Resource\":\"*\"}]}";

    private SecretsManagerClient east() { return sm("us-east-1"); }

    private record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private Answer send(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(admin(path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (!method.equals("GET")) b.header("Content-Type", "application/json");
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    private record Keys(KeyMetadata cmk, KeyMetadata mrk) {}

    /** Keys, aliases, a key policy, secrets with versions and labels, replicas (one Failed, one waiting), rotation, a principal, a fault. */
    private Keys buildEstate() {
        KeyMetadata cmk = kms("us-east-1").createKey(b -> b.description("app key")
                .tags(software.amazon.awssdk.services.kms.model.Tag.builder().tagKey("team").tagValue("core").build()))
                .keyMetadata();
        kms("us-east-1").createAlias(b -> b.aliasName("alias/app").targetKeyId(cmk.keyId()));
        kms("us-east-1").putKeyPolicy(b -> b.keyId(cmk.keyId()).policyName("default").policy(KEY_POLICY));
        KeyMetadata mrk = kms("us-east-1").createKey(b -> b.multiRegion(true).description("global")).keyMetadata();
        kms("us-east-1").replicateKey(b -> b.keyId(mrk.keyId()).replicaRegion("eu-west-1").description("global replica"));
        advance(Duration.ofMinutes(1));
        kms("eu-west-1").createAlias(b -> b.aliasName("alias/global").targetKeyId(mrk.keyId()));

        east().createSecret(b -> b.name("app/db").secretString("v1").kmsKeyId("alias/app").description("the database")
                .tags(Tag.builder().key("env").value("dev").build()));
        east().putSecretValue(b -> b.secretId("app/db").secretString("v2"));
        east().putSecretValue(b -> b.secretId("app/db").secretString("v3").versionStages("STAGING"));
        east().putResourcePolicy(b -> b.secretId("app/db").resourcePolicy(RESOURCE_POLICY));
        east().createSecret(b -> b.name("global").secretString("g1").kmsKeyId(mrk.arn()).addReplicaRegions(
                ReplicaRegionType.builder().region("eu-west-1").kmsKeyId(mrk.keyId()).build(),
                ReplicaRegionType.builder().region("ca-central-1").build()));
        east().createSecret(b -> b.name("bin").secretBinary(SdkBytes.fromUtf8String("binary-value")));
        east().createSecret(b -> b.name("gone").secretString("x"));
        east().deleteSecret(b -> b.secretId("gone").recoveryWindowInDays(7L));
        advance(LAG);
        east().createSecret(b -> b.name("rotating").secretString("r1"));
        east().rotateSecret(b -> b.secretId("rotating").rotationLambdaARN(ROTATOR)
                .rotationRules(r -> r.automaticallyAfterDays(30L)));
        advance(Duration.ZERO);

        emulator.principals().declare(new Principals.Declared("AKIDAPPROLE", "arn:aws:iam::000000000000:role/app",
                "app-secret-key", null));
        emulator.faults().add(new FaultRule.ErrorFault(new FaultRule.Scope(null, null, "ap-southeast-2",
                "GetSecretValue", null, null, null, 1.0, 2), "InternalServiceError", null));
        emulator.replicator().setRoutes(List.of(new Replicator.Route("us-east-1", "us-west-2", Duration.ofSeconds(2))));
        east().createSecret(b -> b.name("waiting").secretString("w1")
                .addReplicaRegions(ReplicaRegionType.builder().region("us-west-2").build()));
        return new Keys(cmk, mrk);
    }

    /** What a client sees of the estate, values included. Reads touch LastAccessedDate (a day), so call it twice. */
    private List<String> view(Keys keys) {
        List<Object> out = new ArrayList<>();
        for (String name : List.of("app/db", "global", "bin", "gone", "rotating", "waiting")) {
            out.add(east().describeSecret(b -> b.secretId(name)));
            if (name.equals("gone")) continue; // marked for deletion: described only
            ListSecretVersionIdsResponse ids = east().listSecretVersionIds(b -> b.secretId(name).includeDeprecated(true));
            out.add(ids);
            for (SecretVersionsListEntry v : ids.versions()) {
                GetSecretValueResponse value = east().getSecretValue(b -> b.secretId(name).versionId(v.versionId()));
                out.add(value);
                out.add(value.secretString());
                out.add(value.secretBinary());
            }
        }
        out.add(sm("eu-west-1").describeSecret(b -> b.secretId("global")));
        out.add(sm("eu-west-1").getSecretValue(b -> b.secretId("global")));
        out.add(east().getResourcePolicy(b -> b.secretId("app/db")));
        out.add(east().listSecrets(b -> b.includePlannedDeletion(true)).secretList());
        for (String region : List.of("us-east-1", "eu-west-1")) {
            out.add(kms(region).listAliases().aliases());
            out.add(kms(region).describeKey(b -> b.keyId(keys.mrk().keyId())).keyMetadata());
        }
        out.add(kms("us-east-1").describeKey(b -> b.keyId(keys.cmk().keyId())).keyMetadata());
        out.add(kms("us-east-1").getKeyPolicy(b -> b.keyId(keys.cmk().keyId()).policyName("default")).policy());
        out.add(kms("us-east-1").listResourceTags(b -> b.keyId(keys.cmk().keyId())).tags());
        out.add(emulator.principals().all());
        out.add(emulator.faults().list());
        out.add(emulator.replicator().routes());
        out.add(emulator.clock().now());
        // SDK responses compare what a client reads (their text form); the values are compared above on their own
        return out.stream().map(String::valueOf).toList();
    }

    private ReplicationStatusType replica(String name, String region) {
        return east().describeSecret(b -> b.secretId(name)).replicationStatus().stream()
                .filter(r -> r.region().equals(region)).findFirst().orElseThrow();
    }

    @Test
    void anExportedEstateImportsIntoAResetEmulatorAsItWas() {
        Keys keys = buildEstate();
        view(keys);
        List<String> before = view(keys);
        assertEquals(StatusType.FAILED, replica("global", "ca-central-1").status());
        assertEquals(StatusType.IN_PROGRESS, replica("waiting", "us-west-2").status());

        Answer exported = send("GET", "snapshot", null);
        assertEquals(200, exported.status(), exported.body());
        assertFalse(exported.body().contains("\"v2\""), "values are sealed");
        assertEquals(200, send("POST", "reset", null).status());
        emulator.principals().clear();
        assertThrows(ResourceNotFoundException.class, () -> east().describeSecret(b -> b.secretId("app/db")));
        Answer imported = send("PUT", "snapshot", exported.body());

        assertEquals(200, imported.status(), imported.body());
        List<String> after = view(keys);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) assertEquals(before.get(i), after.get(i), "view item " + i);
        assertEquals("v2", east().getSecretValue(b -> b.secretId("app/db")).secretString());
        assertEquals(KeyState.ENABLED, kms("eu-west-1").describeKey(b -> b.keyId("alias/global")).keyMetadata().keyState());
        InternalServiceErrorException fault = assertThrows(InternalServiceErrorException.class,
                () -> sm("ap-southeast-2").getSecretValue(b -> b.secretId("anything")));
        assertTrue(fault.getMessage().contains("smlocal fault"), fault.getMessage());
    }

    @Test
    void waitingWorkGoesOnAfterImport() {
        buildEstate();
        String doc = send("GET", "snapshot", null).body();
        Instant exportedAt = emulator.clock().now();
        send("POST", "reset", null);
        assertEquals(200, send("PUT", "snapshot", doc).status());

        advance(Duration.ofSeconds(2));
        assertEquals(StatusType.IN_SYNC, replica("waiting", "us-west-2").status(), "the delivery waiting at export");
        assertEquals("w1", sm("us-west-2").getSecretValue(b -> b.secretId("waiting")).secretString());

        advance(Duration.ofDays(7));
        assertThrows(ResourceNotFoundException.class, () -> east().describeSecret(b -> b.secretId("gone")),
                "the recovery window ended");

        Instant rotatedBefore = east().describeSecret(b -> b.secretId("rotating")).lastRotatedDate();
        advance(Duration.ofDays(30));
        Instant rotatedAfter = east().describeSecret(b -> b.secretId("rotating")).lastRotatedDate();
        assertTrue(rotatedAfter.isAfter(exportedAt) && rotatedAfter.isAfter(rotatedBefore),
                "the 30-day schedule rotated it: " + rotatedBefore + " -> " + rotatedAfter);
        assertNotEquals("r1", east().getSecretValue(b -> b.secretId("rotating")).secretString());
    }

    @Test
    void aClearExportCarriesValuesAndImportsSealedAgain() {
        buildEstate();
        Answer clear = send("GET", "snapshot?values=clear", null);

        assertEquals(200, clear.status());
        assertEquals("clear", clear.json().get("values").asText());
        assertTrue(clear.body().contains("\"secretString\" : \"v3\""), "values in the clear");
        send("POST", "reset", null);
        assertEquals(200, send("PUT", "snapshot", clear.body()).status());
        assertEquals("v3", east().getSecretValue(b -> b.secretId("app/db").versionStage("STAGING")).secretString());
        assertEquals("g1", sm("eu-west-1").getSecretValue(b -> b.secretId("global")).secretString());
        assertFalse(send("GET", "snapshot", null).body().contains("\"v3\""), "sealed again");
    }

    @Test
    void aRefusedDocumentAnswers400NamingTheProblemAndChangesNothing() {
        east().createSecret(b -> b.name("kept").secretString("k"));
        String before = send("GET", "snapshot", null).body();

        Answer newer = send("PUT", "snapshot", "{\"format\": 99}");
        Answer broken = send("PUT", "snapshot", "{\"format\": 1, \"secrets\": [{\"name\": \"x\"}]}");
        Answer notJson = send("PUT", "snapshot", "{\"format\": ");
        Answer badQuery = send("GET", "snapshot?values=plain", null);

        assertEquals(400, newer.status());
        assertTrue(newer.json().get("error").asText().contains("format: 99 is newer than this smlocal reads"), newer.body());
        assertEquals(400, broken.status());
        assertEquals("secrets[0].arn: missing", broken.json().get("error").asText());
        assertEquals(400, notJson.status());
        assertTrue(notJson.json().get("error").asText().startsWith("the state document is not valid JSON"), notJson.body());
        assertEquals(400, badQuery.status());
        assertEquals(before, send("GET", "snapshot", null).body());
        assertEquals("k", east().getSecretValue(b -> b.secretId("kept")).secretString());
    }
}
