package dev.smlocal.server.persist;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.http.AwsJsonDispatcher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The state document without a port: round trips through the codec and refusals that name the field. */
class StateCodecTest {
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private Emulator source;
    private Emulator target;

    @BeforeEach
    void create() {
        EmulatorConfig config = EmulatorConfig.defaults().withClock("manual", START).withSeed(7).withQuiet(true)
                .withRegions(List.of("us-east-1", "eu-west-1"));
        source = Emulator.create(config);
        target = Emulator.create(config);
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    private static String call(Emulator e, String target, String region, String body) {
        AwsJsonDispatcher.Result r = e.dispatcher().dispatch(target,
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/" + region + "/secretsmanager/aws4_request, "
                        + "SignedHeaders=host, Signature=0", null, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.status(), target + ": " + r.bodyText());
        return r.bodyText();
    }

    /** A key, a secret under it with two versions, a binary one and one marked for deletion. */
    private void smallEstate(Emulator e) {
        String key = call(e, "TrentService.CreateKey", "us-east-1", "{\"Description\":\"app\"}");
        String keyId = key.replaceAll(".*\"KeyId\":\"([^\"]+)\".*", "$1");
        call(e, "TrentService.CreateAlias", "us-east-1", "{\"AliasName\":\"alias/app\",\"TargetKeyId\":\"" + keyId + "\"}");
        call(e, "secretsmanager.CreateSecret", "us-east-1",
                "{\"Name\":\"db\",\"SecretString\":\"v1\",\"KmsKeyId\":\"alias/app\",\"ClientRequestToken\":\"aaaaaaaa-0000-0000-0000-000000000001\"}");
        call(e, "secretsmanager.PutSecretValue", "us-east-1",
                "{\"SecretId\":\"db\",\"SecretString\":\"v2\",\"ClientRequestToken\":\"aaaaaaaa-0000-0000-0000-000000000002\"}");
        call(e, "secretsmanager.CreateSecret", "eu-west-1",
                "{\"Name\":\"blob\",\"SecretBinary\":\"AAEC\",\"ClientRequestToken\":\"aaaaaaaa-0000-0000-0000-000000000003\"}");
        call(e, "secretsmanager.CreateSecret", "us-east-1", "{\"Name\":\"old\",\"SecretString\":\"x\","
                + "\"ClientRequestToken\":\"aaaaaaaa-0000-0000-0000-000000000004\"}");
        call(e, "secretsmanager.DeleteSecret", "us-east-1", "{\"SecretId\":\"old\",\"RecoveryWindowInDays\":7}");
    }

    @Test
    void decodingAndEncodingAgainGivesTheSameDocument() {
        smallEstate(source);
        ObjectNode doc = source.exportState(false);

        assertEquals(StateCodec.FORMAT, doc.get("format").asInt());
        assertEquals("sealed", doc.get("values").asText());
        assertEquals(doc, StateCodec.document(StateCodec.decode(doc)));
        assertFalse(doc.toString().contains("\"v2\""), "values stay sealed");
    }

    @Test
    void anImportedDocumentExportsTheSameAndItsValuesDecrypt() {
        smallEstate(source);
        ObjectNode doc = source.exportState(false);

        target.importState(doc);

        assertEquals(doc, target.exportState(false));
        assertTrue(call(target, "secretsmanager.GetSecretValue", "us-east-1", "{\"SecretId\":\"db\"}").contains("\"v2\""));
        assertTrue(call(target, "secretsmanager.GetSecretValue", "us-east-1",
                "{\"SecretId\":\"db\",\"VersionStage\":\"AWSPREVIOUS\"}").contains("\"v1\""));
        assertTrue(call(target, "secretsmanager.GetSecretValue", "eu-west-1", "{\"SecretId\":\"blob\"}")
                .contains("\"SecretBinary\":\"AAEC\""));
    }

    @Test
    void aClearDocumentCarriesValuesAndIsSealedAgainOnImport() {
        smallEstate(source);
        ObjectNode clear = source.exportState(true);

        assertEquals("clear", clear.get("values").asText());
        assertTrue(clear.toString().contains("\"secretString\":\"v2\""), clear.toString());
        target.importState(clear);

        ObjectNode resealed = target.exportState(false);
        assertFalse(resealed.toString().contains("\"v2\""));
        assertEquals(clear, target.exportState(true), "the same estate, values included");
        assertTrue(call(target, "secretsmanager.GetSecretValue", "us-east-1", "{\"SecretId\":\"db\"}").contains("\"v2\""));
    }

    @Test
    void theDeletionWindowOfARestoredSecretStillEnds() {
        smallEstate(source);
        target.importState(source.exportState(false));

        target.scheduler().advance(java.time.Duration.ofDays(7));

        AwsJsonDispatcher.Result gone = target.dispatcher().dispatch("secretsmanager.DescribeSecret",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/us-east-1/secretsmanager/aws4_request, "
                        + "SignedHeaders=host, Signature=0", null, "{\"SecretId\":\"old\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, gone.status(), gone.bodyText());
        assertTrue(gone.bodyText().contains("ResourceNotFoundException"), gone.bodyText());
    }

    @Test
    void aNewerFormatIsRefusedSayingWhatToDoAndChangesNothing() {
        smallEstate(target);
        ObjectNode before = target.exportState(false);
        ObjectNode doc = source.exportState(false);
        doc.put("format", 2);

        StateCodec.BadDocument e = assertThrows(StateCodec.BadDocument.class, () -> target.importState(doc));

        assertTrue(e.getMessage().startsWith("format: 2 is newer than this smlocal reads (1)"), e.getMessage());
        assertEquals(before, target.exportState(false));
    }

    @Test
    void aBadFieldIsNamedWithItsPathAndChangesNothing() {
        smallEstate(source);
        smallEstate(target);
        call(target, "secretsmanager.CreateSecret", "us-east-1", "{\"Name\":\"only-here\"}");
        ObjectNode before = target.exportState(false);
        ObjectNode doc = source.exportState(false);
        ArrayNode secrets = (ArrayNode) doc.get("secrets");
        int db = 0;
        while (!secrets.get(db).get("name").asText().equals("db")) db++;
        ((ObjectNode) secrets.get(db).get("versions").get(0).get("sealed").get(0)).put("box", "not base64!");

        StateCodec.BadDocument e = assertThrows(StateCodec.BadDocument.class, () -> target.importState(doc));

        assertEquals("secrets[" + db + "].versions[0].sealed[0].box: not base64", e.getMessage());
        assertEquals(before, target.exportState(false));
    }

    @Test
    void otherRefusalsNameTheirField() {
        assertRefused("{}", "format: missing or not a number");
        assertRefused("{\"format\":1,\"values\":\"plain\"}", "values: must be \"sealed\" or \"clear\"");
        assertRefused("{\"format\":1,\"keys\":{}}", "keys: must be a JSON array");
        assertRefused("{\"format\":1,\"clock\":{\"mode\":\"manual\",\"now\":\"yesterday\"}}",
                "clock.now: not an ISO-8601 instant: yesterday");
        assertRefused("{\"format\":1,\"faults\":[{\"action\":\"explode\"}]}", "faults[0]: action must be one of");
        assertRefused("{\"format\":1,\"secrets\":[{\"arn\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:a-AbCdEf\","
                + "\"name\":\"a\",\"createdDate\":\"2026-01-01T00:00:00Z\",\"versions\":[{\"versionId\":\"v\","
                + "\"createdDate\":\"2026-01-01T00:00:00Z\",\"value\":{\"secretString\":\"x\"}}]}]}",
                "secrets[0].versions[0].value: a value in the clear in a sealed document");
        assertRefused("{\"format\":1,\"aliases\":[{\"account\":\"000000000000\",\"region\":\"us-east-1\","
                + "\"aliasName\":\"alias/x\",\"targetKeyId\":\"nope\",\"creationDate\":\"2026-01-01T00:00:00Z\"}]}",
                "aliases[0]: targetKeyId nope is not a key in 000000000000/us-east-1");
        assertRefused("{\"format\":1,\"principals\":[{\"accessKeyId\":\"AK\",\"arn\":\"arn:aws:iam::000000000000:group/x\"}]}",
                "principals[0].arn: not a root, role or user ARN");
    }

    private static void assertRefused(String json, String messageStart) {
        JsonNode doc = StateCodec.parse(json);
        StateCodec.BadDocument e = assertThrows(StateCodec.BadDocument.class, () -> StateCodec.decode(doc));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }
}
