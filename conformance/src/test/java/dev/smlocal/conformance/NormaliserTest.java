package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smlocal.conformance.support.Normaliser;
import dev.smlocal.conformance.support.RawClient;
import org.junit.jupiter.api.Test;

/** What the normaliser hides, so answers from two targets or two runs compare. */
class NormaliserTest {

    @Test
    void secretArnLosesItsSuffixAccountAndRunPrefix() {
        String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:smlocal-conf-20260115T100000Z-ab12cd/C/m/s-Ca8JGt";

        assertEquals("arn:aws:secretsmanager:us-east-1:<account>:secret:<run>/C/m/s-<suffix>", Normaliser.text(arn));
    }

    @Test
    void suffixIsFoundInsideMessages() {
        String m = "You can't delete secret arn:aws:secretsmanager:us-east-1:000000000000:secret:a-b-wwCwfj that still has replica regions [us-west-2].";

        assertEquals("You can't delete secret arn:aws:secretsmanager:us-east-1:<account>:secret:a-b-<suffix> that still has "
                + "replica regions [us-west-2].", Normaliser.text(m));
    }

    @Test
    void uuidsMultiRegionKeyIdsAndRequestIdsBecomePlaceholders() {
        String m = "Key 'arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef' does not exist "
                + "(Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: 6e0bd6b2-2f5f-4b9a-9b59-3c5c1d2a7f10)";

        assertEquals("Key 'arn:aws:kms:us-east-1:<account>:key/mrk-<id>' does not exist (Service: AWSKMS; Status Code: 400; "
                + "Error Code: NotFoundException; Request ID: <uuid>)", Normaliser.text(m));
    }

    @Test
    void datesOpaqueValuesAndMapKeysAreNormalised() throws Exception {
        JsonNode body = RawClient.JSON.readTree("{\"CreatedDate\":1523477145.729,\"RandomPassword\":\"x#y\","
                + "\"VersionIdsToStages\":{\"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE\":[\"AWSCURRENT\"],"
                + "\"6e0bd6b2-2f5f-4b9a-9b59-3c5c1d2a7f10\":[\"AWSPREVIOUS\"]},\"Name\":\"plain\"}");

        JsonNode n = Normaliser.body(body);

        assertEquals("<epoch>", n.get("CreatedDate").asText());
        assertEquals("<opaque>", n.get("RandomPassword").asText());
        assertEquals("[\"AWSPREVIOUS\"]", n.get("VersionIdsToStages").get("<uuid>").toString());
        assertEquals("plain", n.get("Name").asText());
    }

    @Test
    void textWithoutVariablePartsIsLeftAlone() {
        String m = "Secrets Manager can't find the specified secret.";

        assertEquals(m, Normaliser.text(m));
    }
}
