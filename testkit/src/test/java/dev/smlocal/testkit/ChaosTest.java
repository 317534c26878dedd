package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** Faults end with their try-with-resources block; each kind does what its name says. */
@SmLocalTest(regions = {"us-east-1", "eu-west-1"})
class ChaosTest {

    @Test
    void regionOutageEndsWithItsBlock(@InRegion("us-east-1") SecretsManagerClient east,
                                      @InRegion("eu-west-1") SecretsManagerClient west, SmLocal smlocal) {
        west.createSecret(b -> b.name("db").secretString("v1"));

        try (Fault outage = smlocal.chaos().regionOutage("eu-west-1")) {
            SecretsManagerException e = assertThrows(SecretsManagerException.class,
                    () -> west.getSecretValue(b -> b.secretId("db")));
            assertEquals(503, e.statusCode());
            assertEquals("ServiceUnavailableException", e.awsErrorDetails().errorCode());
            assertTrue(east.listSecrets().secretList().isEmpty(), "other regions go on");
            assertTrue(outage.isEnabled());
        }

        assertEquals("v1", west.getSecretValue(b -> b.secretId("db")).secretString());
        assertTrue(smlocal.chaos().active().isEmpty());
    }

    @Test
    void everyAppliedFaultIsAnEvent(@InRegion("eu-west-1") SecretsManagerClient west, SmLocal smlocal) {
        try (Fault outage = smlocal.chaos().regionOutage("eu-west-1")) {
            assertThrows(SecretsManagerException.class, () -> west.listSecrets());
        }

        List<EmulatorEvent> events = smlocal.events();
        assertEquals(List.of("FaultApplied", "ListSecrets"), events.stream().map(EmulatorEvent::eventName).toList());
        assertEquals("outage", events.get(0).requestParameters().get("action"));
        assertEquals("ServiceUnavailableException", events.get(1).errorCode());
        assertTrue(events.get(1).failed());
    }

    @Test
    void throttleAnswersThrottlingExceptionForTheNamedOperationOnly(@InRegion("us-east-1") SecretsManagerClient east,
                                                                    SmLocal smlocal) {
        east.createSecret(b -> b.name("db").secretString("v1"));

        try (Fault throttle = smlocal.chaos().throttle("us-east-1", "GetSecretValue")) {
            SecretsManagerException e = assertThrows(SecretsManagerException.class,
                    () -> east.getSecretValue(b -> b.secretId("db")));
            assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
            assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
            assertTrue(e.isThrottlingException());
            assertNotNull(east.describeSecret(b -> b.secretId("db")).arn());
        }
    }

    @Test
    void errorAnswersTheNamedAwsError(@InRegion("us-east-1") SecretsManagerClient east, SmLocal smlocal) {
        try (Fault error = smlocal.chaos().error("us-east-1", "DescribeSecret", "ResourceNotFoundException")) {
            east.createSecret(b -> b.name("db").secretString("v1"));

            assertThrows(ResourceNotFoundException.class, () -> east.describeSecret(b -> b.secretId("db")));
        }

        assertEquals("db", east.describeSecret(b -> b.secretId("db")).name());
    }

    @Test
    void countLimitsTheHitsAndTheFaultThenEndsByItself(@InRegion("us-east-1") SecretsManagerClient east,
                                                       SmLocal smlocal) {
        try (Fault twice = smlocal.chaos().add(
                FaultSpec.error("us-east-1", "ListSecrets", "InternalServiceError").withCount(2))) {
            assertThrows(InternalServiceErrorException.class, () -> east.listSecrets());
            assertThrows(InternalServiceErrorException.class, () -> east.listSecrets());

            assertTrue(east.listSecrets().secretList().isEmpty());
            assertTrue(smlocal.chaos().active().isEmpty());
        } // closing a used-up fault is harmless
    }

    @Test
    void probabilityIsDrawnFromTheSeededRandom(@InRegion("us-east-1") SecretsManagerClient east, SmLocal smlocal) {
        String first = failurePattern(east, smlocal);
        smlocal.reset();
        String second = failurePattern(east, smlocal);

        assertEquals(first, second, "the same seed replays the same draws");
        assertTrue(first.contains("x") && first.contains("."), first);
    }

    private static String failurePattern(SecretsManagerClient east, SmLocal smlocal) {
        StringBuilder pattern = new StringBuilder();
        try (Fault half = smlocal.chaos().add(FaultSpec.throttle("us-east-1", "ListSecrets").withProbability(0.5))) {
            for (int i = 0; i < 24; i++) {
                try {
                    east.listSecrets();
                    pattern.append('.');
                } catch (SecretsManagerException e) {
                    pattern.append('x');
                }
            }
        }
        return pattern.toString();
    }

    @Test
    void disableAndEnableSwitchAFaultInsideItsBlock(@InRegion("us-east-1") SecretsManagerClient east,
                                                    SmLocal smlocal) {
        try (Fault outage = smlocal.chaos().regionOutage("us-east-1")) {
            outage.disable();
            assertFalse(outage.isEnabled());
            assertTrue(east.listSecrets().secretList().isEmpty());

            outage.enable();
            assertThrows(SecretsManagerException.class, () -> east.listSecrets());
        }
        assertTrue(east.listSecrets().secretList().isEmpty());
    }

    @Test
    void latencyIsRealBoundedWallTime(@InRegion("us-east-1") SecretsManagerClient east, SmLocal smlocal) {
        try (Fault slow = smlocal.chaos().latency("us-east-1", "ListSecrets", Duration.ofMillis(150))) {
            long started = System.nanoTime();
            east.listSecrets();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertTrue(tookMillis >= 150, "took " + tookMillis + " ms");
        }
    }

    @Test
    void connectionResetIsAClientSideFailure(@InRegion("us-east-1") SecretsManagerClient east, SmLocal smlocal) {
        try (Fault reset = smlocal.chaos().connectionReset("us-east-1", null)) {
            assertThrows(SdkClientException.class, () -> east.listSecrets());
        }
        assertTrue(east.listSecrets().secretList().isEmpty());
    }

    @Test
    void timeoutOutageHoldsTheCallUntilTheServerDropsIt(@InRegion("us-east-1") SecretsManagerClient east,
                                                        SmLocal smlocal) {
        FaultSpec hang = FaultSpec.outage("us-east-1", OutageMode.TIMEOUT).withAttribute("timeoutMillis", "200");
        try (Fault outage = smlocal.chaos().add(hang)) {
            long started = System.nanoTime();
            assertThrows(SdkClientException.class, () -> east.listSecrets());
            assertTrue((System.nanoTime() - started) / 1_000_000 >= 200);
        }
    }

    @Test
    void failReplicationIsARouteRuleUntilClosed(SmLocal smlocal) {
        try (Fault broken = smlocal.chaos().failReplication("us-east-1", "eu-west-1")) {
            FaultSpec active = smlocal.chaos().active().get(0);
            assertEquals(FaultSpec.Action.FAIL_REPLICATION, active.action());
            assertEquals("us-east-1", active.from());
            assertEquals("eu-west-1", active.to());
        }
        assertTrue(smlocal.chaos().active().isEmpty());
    }

    @Test
    void chaosResetRemovesEveryFaultButKeepsTheData(@InRegion("us-east-1") SecretsManagerClient east,
                                                    SmLocal smlocal) {
        east.createSecret(b -> b.name("db").secretString("v1"));
        Fault outage = smlocal.chaos().regionOutage("us-east-1");
        smlocal.chaos().throttle(null, null);

        smlocal.chaos().reset();

        assertTrue(smlocal.chaos().active().isEmpty());
        assertEquals("v1", east.getSecretValue(b -> b.secretId("db")).secretString());
        outage.close(); // already gone on the server: harmless
    }

    @Test
    void specsAreValidatedWithTheRuleAndTheValue() {
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> FaultSpec.throttle("us-east-1", null).withProbability(1.5));
        assertEquals("probability must be between 0.0 and 1.0, was: 1.5", p.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> FaultSpec.throttle("us-east-1", null).withCount(0));
        assertEquals("count must be at least 1, was: 0", c.getMessage());
        assertThrows(NullPointerException.class, () -> FaultSpec.outage(null));
    }
}
