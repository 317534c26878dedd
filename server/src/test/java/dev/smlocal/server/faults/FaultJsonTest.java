package dev.smlocal.server.faults;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one JSON form of a fault rule: what the admin API and the testkit send and read back. */
class FaultJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    /** Parsed, given an id, rendered: as GET /_smlocal/faults lists it. */
    private static String listed(String body) {
        return FaultJson.render(FaultJson.parse(json(body)).withId("f1")).toString();
    }

    @Test
    void everyKindRendersItsSettingsAsStringAttributes() {
        assertEquals("{\"id\":\"f1\",\"name\":\"outage_eu-west-1\",\"action\":\"outage\",\"region\":\"eu-west-1\","
                + "\"probability\":1.0,\"attributes\":{}}", listed("{\"action\":\"outage\",\"region\":\"eu-west-1\"}"));
        assertEquals("{\"id\":\"f1\",\"name\":\"outage_eu-west-1\",\"action\":\"outage\",\"region\":\"eu-west-1\","
                        + "\"probability\":1.0,\"attributes\":{\"mode\":\"timeout\",\"timeoutMillis\":\"200\"}}",
                listed("{\"action\":\"outage\",\"region\":\"eu-west-1\",\"attributes\":{\"mode\":\"timeout\",\"timeoutMillis\":\"200\"}}"));
        assertEquals("{\"id\":\"f1\",\"name\":\"n\",\"action\":\"error\",\"region\":\"us-east-1\",\"operation\":\"GetSecretValue\","
                        + "\"account\":\"111122223333\",\"probability\":0.5,\"count\":3,"
                        + "\"attributes\":{\"errorType\":\"InternalServiceError\",\"message\":\"boom\"}}",
                listed("{\"action\":\"error\",\"name\":\"n\",\"region\":\"us-east-1\",\"operation\":\"GetSecretValue\","
                        + "\"account\":\"111122223333\",\"probability\":0.5,\"count\":3,"
                        + "\"errorType\":\"InternalServiceError\",\"attributes\":{\"message\":\"boom\"}}"));
        assertEquals("{\"id\":\"f1\",\"name\":\"latency_all\",\"action\":\"latency\",\"probability\":1.0,"
                + "\"attributes\":{\"millis\":\"250\"}}", listed("{\"action\":\"latency\",\"millis\":250}"));
        assertEquals("{\"id\":\"f1\",\"name\":\"fail-replication_us-east-1->*\",\"action\":\"fail-replication\","
                        + "\"from\":\"us-east-1\",\"probability\":1.0,\"attributes\":{\"message\":\"m\"}}",
                listed("{\"type\":\"fail-replication\",\"from\":\"us-east-1\",\"message\":\"m\"}"));
    }

    @Test
    void everyActionParsesToItsKindAndRoundTrips() {
        for (String action : FaultRule.ACTIONS) {
            FaultRule r = FaultJson.parse(json("{\"action\":\"" + action + "\",\"region\":\"us-east-1\",\"count\":2}"));
            assertEquals(action, r.action());
            assertEquals(r, FaultJson.parse(FaultJson.render(r)), action);
        }
    }

    @Test
    void topLevelSettingsWinOverAttributesAndOtherKindsSettingsAreIgnored() {
        FaultRule.ErrorFault e = (FaultRule.ErrorFault) FaultJson.parse(json(
                "{\"action\":\"error\",\"errorType\":\"ThrottlingException\",\"attributes\":{\"errorType\":\"X\",\"millis\":\"9\"}}"));
        assertEquals("ThrottlingException", e.errorType());
        assertEquals("{\"errorType\":\"ThrottlingException\"}", FaultJson.render(e).get("attributes").toString());
    }

    @Test
    void badRulesKeepTheirMessages() {
        for (List<String> c : List.of(
                List.of("{\"region\":\"us-east-1\"}", "a fault needs an action"),
                List.of("{\"action\":\"explode\"}", "action must be one of " + FaultRule.ACTIONS + ", was: explode"),
                List.of("{\"action\":\"throttle\",\"probability\":2}", "probability must be between 0.0 and 1.0, was: 2.0"),
                List.of("{\"action\":\"throttle\",\"count\":0}", "count must be at least 1, was: 0"),
                List.of("{\"action\":\"outage\"}", "an outage needs a region"),
                List.of("{\"action\":\"outage\",\"region\":\"eu-west-1\",\"mode\":\"hang\"}",
                        "mode must be unavailable or timeout, was: hang"),
                List.of("{\"action\":\"latency\",\"millis\":\"soon\"}",
                        "millis must be a whole number of milliseconds, was: soon"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultJson.parse(json(c.get(0))));
            assertEquals(c.get(1), e.getMessage(), c.get(0));
        }
    }
}
