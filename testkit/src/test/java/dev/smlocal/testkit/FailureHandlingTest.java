package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.ConnectException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** What happens when tests fail: the report says what the emulator saw, and the server still stops. */
class FailureHandlingTest {

    @Test
    void aFailingTestCarriesTheEmulatorsRecentEventsPendingTasksAndFaults() {
        Throwable failure = ParameterResolutionTest.onlyFailure(FailsAfterSomeCalls.class);

        assertInstanceOf(AssertionError.class, failure);
        List<Throwable> diagnostics = Arrays.stream(failure.getSuppressed())
                .filter(SmLocalDiagnostics.class::isInstance).toList();
        assertEquals(1, diagnostics.size());
        String report = diagnostics.get(0).getMessage();
        assertTrue(report.startsWith("smlocal in-process smlocal at http://127.0.0.1:"), report);
        assertTrue(report.contains("clock 2026-01-01T00:00:00Z (manual)"), report);
        assertTrue(report.contains("last 4 of 4 events (oldest first):"), report);
        assertTrue(report.contains("CreateSecret us-east-1 000000000000 ok"), report);
        assertTrue(report.contains("FaultApplied us-east-1 {"), report);
        assertTrue(report.contains("GetSecretValue us-east-1 000000000000 -> ThrottlingException: Rate exceeded"), report);
        assertTrue(report.contains("pending scheduler tasks (1):\n  purge db in 000000000000/us-east-1"), report);
        assertTrue(report.contains("active faults (1):\n  f1 FaultSpec[name=throttle_us-east-1"), report);
        assertEquals(0, diagnostics.get(0).getStackTrace().length);
    }

    @Test
    void theServerIsStoppedEvenWhenTheClassFails() {
        EngineExecutionResults results = RunOnlyInEngineTestKit.Condition.engine(FailsWithAStaticServer.class).execute();

        assertEquals(1, results.testEvents().failed().count());
        assertThrows(ConnectException.class, () -> ProgrammaticInstanceTest.health(FailsWithAStaticServer.endpoint));
    }

    @RunOnlyInEngineTestKit
    @SmLocalTest
    static class FailsAfterSomeCalls {
        @Test
        void test(SecretsManagerClient client, SmLocal smlocal) {
            client.createSecret(b -> b.name("db").secretString("v1"));
            client.deleteSecret(b -> b.secretId("db").recoveryWindowInDays(7L));
            smlocal.chaos().throttle("us-east-1", null);
            try {
                client.getSecretValue(b -> b.secretId("db"));
            } catch (RuntimeException expected) {
                fail("the app did not expect " + expected.getClass().getSimpleName());
            }
        }
    }

    @RunOnlyInEngineTestKit
    static class FailsWithAStaticServer {
        @RegisterExtension
        static final SmLocalExtension SM = SmLocalExtension.builder().build();
        static URI endpoint;

        @Test
        void test(SmLocal smlocal) {
            endpoint = smlocal.endpoint();
            fail("on purpose");
        }
    }
}
