package dev.smlocal.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smlocal.server.control.EmulatorControl;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /_smlocal/health} writes its document by hand (a cold start's readiness probe skips
 * Jackson's introspection of the record): it must stay the document the record serializes to, so a
 * member added to {@link EmulatorControl.Health} fails here until the hand-written answer has it too.
 */
class HealthDocumentTest {
    @Test
    void theHandWrittenHealthDocumentIsTheRecordsJson() {
        EmulatorControl.Health health = new EmulatorControl.Health("ok", "1.2.3", List.of("us-east-1", "eu-west-1"));
        assertEquals(AdminRoutes.JSON.valueToTree(health), AdminRoutes.health(health));
        assertEquals("{\"status\":\"ok\",\"version\":\"1.2.3\",\"regions\":[\"us-east-1\",\"eu-west-1\"]}",
                AdminRoutes.health(health).toString());
    }

    @Test
    void absentMembersStayAbsentAsInTheRecordsJson() {
        EmulatorControl.Health health = new EmulatorControl.Health("ok", null, List.of());
        assertEquals(AdminRoutes.JSON.valueToTree(health), AdminRoutes.health(health));
    }
}
