package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.observe.Event;
import dev.smlocal.server.observe.EventLog;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or careless client cannot make the emulator keep: huge request members are cut in
 * the event log, whose bytes are bounded; made-up regions and unknown operations do not become
 * metric series.
 */
class MemoryBoundsWireTest extends WireSupport {
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/%s/secretsmanager/aws4_request, "
            + "SignedHeaders=host, Signature=0";

    @Test
    void rejectedRequestsWithHugeDescriptionsDoNotPinTheirBodies() {
        String description = "d".repeat(900_000);
        for (int i = 0; i < 30; i++) {
            Raw r = raw("secretsmanager.CreateSecret", "{\"Name\":\"big-" + i + "\",\"Description\":\"" + description + "\"}");
            assertEquals(400, r.status(), r.body());
        }
        List<Event> events = emulator.events().all();
        assertEquals(30, events.size());
        for (Event e : events) {
            String kept = (String) e.requestParameters().get("Description");
            assertTrue(kept.length() <= EventLog.MAX_VALUE_CHARS + 40, "kept " + kept.length() + " characters");
            assertTrue(kept.endsWith("(900000 characters)"), "the event says it was cut");
        }
        assertTrue(emulator.events().bytes() < 30 * 8 * 1024, "30 events hold " + emulator.events().bytes() + " bytes");
    }

    @Test
    void manyMembersAreNotAllKept() {
        StringBuilder body = new StringBuilder("{\"SecretId\":\"nope\"");
        for (int i = 0; i < 5_000; i++) body.append(",\"m").append(i).append("\":").append(i);
        raw("secretsmanager.GetSecretValue", body.append('}').toString());
        Event e = emulator.events().all().get(0);
        assertEquals(EventLog.MAX_MEMBERS, e.requestParameters().size());
    }

    @Test
    void madeUpRegionsAndOperationsAreCountedAsOther() throws Exception {
        for (int i = 0; i < 50; i++) {
            Raw r = raw("secretsmanager.ListSecrets", "{}", String.format(AUTH, "xx-madeup-" + i));
            assertEquals(400, r.status(), r.body());
        }
        raw("secretsmanager.NoSuchOperation" + "x".repeat(100), "{}");
        raw("secretsmanager.ListSecrets", "{}", String.format(AUTH, "us-east-1"));

        String metrics = HTTP.send(HttpRequest.newBuilder(admin("metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertFalse(metrics.contains("madeup"), metrics);
        assertFalse(metrics.contains("NoSuchOperation"), metrics);
        assertTrue(metrics.contains("smlocal_requests_total{operation=\"ListSecrets\",region=\"other\","), metrics);
        // an unknown target is refused before the caller's region is read
        assertTrue(metrics.contains("smlocal_requests_total{operation=\"other\",region=\"other\","), metrics);
        assertTrue(metrics.contains("smlocal_requests_total{operation=\"ListSecrets\",region=\"us-east-1\",outcome=\"success\"} 1"),
                metrics);
        long series = metrics.lines().filter(l -> l.startsWith("smlocal_requests_total{")).count();
        assertEquals(3, series, metrics);
    }
}
