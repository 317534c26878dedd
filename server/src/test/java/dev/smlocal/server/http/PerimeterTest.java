package dev.smlocal.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Host names, Origins, tokens and media types the perimeter lets through. */
class PerimeterTest {
    private final Perimeter defaults = Perimeter.defaults();
    private final Perimeter configured = new Perimeter(List.of("https://tools.example.com/"),
            List.of("host.docker.internal", "*.dev.example.com"), "token-123456");

    @Test
    void hostsAnsweredByDefault() {
        for (String h : List.of("127.0.0.1:4599", "127.0.0.1", "10.1.2.3:80", "[::1]:4599", "[fe80::1]",
                "localhost", "LOCALHOST:4599", "localhost.", "secretsmanager.eu-west-1.localhost:4599",
                "kms.us-east-1.localhost", "smlocal:4599", "smlocal", "my_service")) {
            assertTrue(defaults.hostAllowed(h), h);
        }
    }

    @Test
    void hostsRefusedByDefault() {
        for (String h : List.of("evil.example.com", "evil.example.com:4599", "127.0.0.1.nip.io", "localhost.evil.com",
                "host.docker.internal", "256.1.1.1.example", "", ":4599", "a..localhost", "[not-ip]", "exa mple")) {
            assertFalse(defaults.hostAllowed(h), h);
        }
    }

    @Test
    void allowedHostsAddNamesAndSuffixes() {
        assertTrue(configured.hostAllowed("host.docker.internal:4599"));
        assertTrue(configured.hostAllowed("box.dev.example.com"));
        assertFalse(configured.hostAllowed("dev.example.com"), "a suffix rule needs a label before it");
        assertFalse(configured.hostAllowed("evil.example.com"));
    }

    @Test
    void loopbackOriginsOnlyByDefault() {
        for (String o : List.of("http://localhost:3000", "https://localhost", "http://127.0.0.1:8080", "http://127.9.9.9",
                "http://[::1]:5173", "http://app.localhost:3000")) {
            assertTrue(defaults.originAllowed(o), o);
            assertNull(defaults.check("POST", "/", "127.0.0.1:4599", o, null, null), o);
        }
        for (String o : List.of("https://evil.example.com", "null", "http://localhost.evil.com", "http://10.0.0.1:3000",
                "file://", "chrome-extension://abc", "http://user@localhost", "http://127.0.0.1.evil.com")) {
            assertFalse(defaults.originAllowed(o), o);
            Perimeter.Refusal r = defaults.check("POST", "/", "127.0.0.1:4599", o, null, null);
            assertEquals(403, r.status(), o);
            assertEquals("AccessDeniedException", r.error().type().code());
        }
        assertTrue(configured.originAllowed("https://tools.example.com"), "listed, trailing slash ignored");
    }

    @Test
    void hostIsCheckedBeforeOriginAndAdminRules() {
        Perimeter.Refusal r = configured.check("POST", "/_smlocal/reset", "evil.example.com", "https://evil.example.com",
                "text/plain", null);

        assertEquals(421, r.status());
        assertTrue(r.message().contains("'evil.example.com'"), r.message());
    }

    @Test
    void adminTokenGuardsEveryAdminRouteButHealth() {
        assertEquals(401, configured.check("GET", "/_smlocal/state", "localhost", null, null, null).status());
        assertEquals(401, configured.check("GET", "/_smlocal/state", "localhost", null, null, "Bearer wrong").status());
        assertEquals(401, configured.check("GET", "/_smlocal/state", "localhost", null, null, "token-123456").status());
        assertNull(configured.check("GET", "/_smlocal/state", "localhost", null, null, "Bearer token-123456"));
        assertNull(configured.check("GET", "/_smlocal/health", "localhost", null, null, null));
        assertEquals(401, configured.check("POST", "/_smlocal/health", "localhost", null, "application/json", null).status());
        assertNull(configured.check("POST", "/", "localhost", null, "application/x-amz-json-1.1", null), "data plane");
        assertNull(defaults.check("GET", "/_smlocal/state", "localhost", null, null, null), "no token configured");
    }

    @Test
    void theDashboardsFilesOpenWithoutTheTokenButItsDataDoesNot() {
        assertNull(configured.check("GET", "/_smlocal/ui", "localhost", null, null, null));
        assertNull(configured.check("GET", "/_smlocal/ui/app.js", "localhost", null, null, null));
        assertEquals(401, configured.check("GET", "/_smlocal/estate", "localhost", null, null, null).status());
        assertEquals(401, configured.check("GET", "/_smlocal/uix", "localhost", null, null, null).status());
        assertEquals(401, configured.check("POST", "/_smlocal/ui", "localhost", null, "application/json", null).status());
    }

    @Test
    void adminWritesMustBeJson() {
        for (String method : List.of("POST", "PUT", "DELETE")) {
            assertEquals(415, defaults.check(method, "/_smlocal/faults", "localhost", null, "text/plain", null).status());
            if (!method.equals("DELETE")) {
                assertEquals(415, defaults.check(method, "/_smlocal/faults", "localhost", null, null, null).status());
            }
            assertEquals(415, defaults.check(method, "/_smlocal/faults", "localhost", null,
                    "application/x-www-form-urlencoded", null).status());
            assertNull(defaults.check(method, "/_smlocal/faults", "localhost", null, "application/json; charset=utf-8", null));
        }
        assertNull(defaults.check("GET", "/_smlocal/faults", "localhost", null, null, null));
        assertNull(defaults.check("DELETE", "/_smlocal/faults/f-1", "localhost", null, null, null),
                "a DELETE without a body needs no media type (browsers preflight DELETE; the Origin rule applies)");
        assertNull(defaults.check("POST", "/", "localhost", null, "text/plain", null), "not an admin route");
    }
}
