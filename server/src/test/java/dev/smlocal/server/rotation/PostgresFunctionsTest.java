package dev.smlocal.server.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The pieces of the PostgreSQL built-ins that need no database (the rest: PostgresRotationWireTest). */
class PostgresFunctionsTest {
    @Test
    void aPasswordLiteralEscapesQuotesAndBackslashes() throws Exception {
        assertEquals("E'plain'", PostgresFunctions.literal("plain"));
        assertEquals("E'it''s'", PostgresFunctions.literal("it's"));
        assertEquals("E'a\\\\b'", PostgresFunctions.literal("a\\b"));
        assertEquals("E''';--'", PostgresFunctions.literal("';--"));
        assertThrows(SQLException.class, () -> PostgresFunctions.literal("nul\0"));
    }

    @Test
    void theAlternateUserFollowsTheTemplatesRuleAndPostgresNameLimit() throws Exception {
        assertEquals("app_clone", PostgresFunctions.alternateUser("app"));
        assertEquals("app", PostgresFunctions.alternateUser("app_clone"));
        assertEquals("u".repeat(57) + "_clone", PostgresFunctions.alternateUser("u".repeat(57)));
        RotationStepException tooLong = assertThrows(RotationStepException.class,
                () -> PostgresFunctions.alternateUser("u".repeat(58)));
        assertEquals("Unable to clone user, username length with _clone appended would exceed 63 characters",
                tooLong.getMessage());
    }
}
