package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code attachTo(URI).adminToken(t)}: a server started with {@code --admin-token} is driven through
 * its admin API with the token (reset, clock, faults, functions), and without it the admin calls are
 * refused with the server's reason.
 */
class AttachWithTokenTest {
    static final String TOKEN = "testkit-token-7";
    static final Instant START = Instant.parse("2026-05-01T08:00:00Z");
    static final Emulator GUARDED = Emulator.start(EmulatorConfig.defaults().toBuilder().port(0)
            .clock("manual", START).quiet(true).regions(java.util.List.of("us-east-1")).adminToken(TOKEN).build());

    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder().attachTo(GUARDED.endpoint()).adminToken(TOKEN).build();

    @AfterAll
    static void stopGuarded() {
        GUARDED.close();
    }

    @Test
    void theHandleDrivesAGuardedServerWithItsToken(SecretsManagerClient sm, SmLocal smlocal) {
        sm.createSecret(b -> b.name("db").secretString("v1"));
        sm.deleteSecret(b -> b.secretId("db").recoveryWindowInDays(7L));

        assertEquals(1, smlocal.clock().advanceUntilIdle(Duration.ofDays(30)));
        assertEquals(START.plus(Duration.ofDays(7)), GUARDED.clock().now());
        try (Fault f = smlocal.chaos().regionOutage("us-east-1")) {
            assertTrue(GUARDED.faults().regionDown("us-east-1"));
        }
        assertFalse(GUARDED.faults().regionDown("us-east-1"));
        smlocal.rotation().registerHttp("fn", URI.create("http://127.0.0.1:9/rotate"));
        assertEquals(1, GUARDED.rotationFunctions().list().stream().filter(r -> r.name().equals("fn")).count());
        assertTrue(smlocal.events().stream().anyMatch(e -> e.eventName().equals("DeleteSecret")));
    }

    @Test
    void withoutTheTokenAdminCallsAreRefusedWithTheReason() {
        Control bare = Control.attach(GUARDED.endpoint(), null);

        IllegalStateException e = assertThrows(IllegalStateException.class, bare::reset);
        assertTrue(e.getMessage().contains("answered 401") && e.getMessage().contains("admin token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SmLocalExtension.builder().adminToken(" "));
        assertFalse(SM.toString().contains(TOKEN), "the token never shows in the extension's text");
    }

    @Test
    void aFunctionUrlOutsideLoopbackIsRefusedThroughTheTestkitToo(SmLocal smlocal) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> smlocal.rotation().registerHttp("far", URI.create("http://example.com/rotate")));

        assertTrue(e.getMessage().contains("not loopback"), e.getMessage());
    }
}
