package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.rotation.RotationEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/** In-process rotation functions through the handle; they survive the reset before each test. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RotationTest {
    @RegisterExtension
    static final SmLocalExtension SM = SmLocalExtension.builder().regions("us-east-1").build();

    static final List<String> STEPS = new ArrayList<>();
    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:my-rotator";

    static void rotator(RotationEvent e, SecretsManagerClient sm) {
        STEPS.add(e.step());
        if (e.step().equals("createSecret")) {
            sm.putSecretValue(b -> b.secretId(e.secretId()).clientRequestToken(e.clientRequestToken())
                    .secretString("rotated").versionStages("AWSPENDING"));
        } else if (e.step().equals("finishSecret")) {
            DescribeSecretResponse d = sm.describeSecret(b -> b.secretId(e.secretId()));
            String current = d.versionIdsToStages().entrySet().stream()
                    .filter(x -> x.getValue().contains("AWSCURRENT")).findFirst().orElseThrow().getKey();
            sm.updateSecretVersionStage(b -> b.secretId(e.secretId()).versionStage("AWSCURRENT")
                    .moveToVersionId(e.clientRequestToken()).removeFromVersionId(current));
        }
    }

    @Test
    @Order(1)
    void anInProcessFunctionRunsTheFourSteps(SecretsManagerClient sm, SmLocal smlocal) {
        smlocal.rotation().register("my-rotator", e -> rotator(e, sm));
        sm.createSecret(b -> b.name("db").secretString("initial"));

        sm.rotateSecret(b -> b.secretId("db").rotationLambdaARN(ARN));
        smlocal.clock().advance(Duration.ZERO);

        assertEquals(List.of("createSecret", "setSecret", "testSecret", "finishSecret"), STEPS);
        assertEquals("rotated", sm.getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    @Order(2)
    void theRegistrationSurvivesTheResetBeforeEachTest(SecretsManagerClient sm, SmLocal smlocal) {
        STEPS.clear();
        sm.createSecret(b -> b.name("db").secretString("initial"));

        sm.rotateSecret(b -> b.secretId("db").rotationLambdaARN(ARN));
        smlocal.clock().advance(Duration.ZERO);

        assertEquals(4, STEPS.size());
        assertEquals("rotated", sm.getSecretValue(b -> b.secretId("db")).secretString());
        smlocal.rotation().unregister("my-rotator");
        assertThrows(software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException.class,
                () -> sm.rotateSecret(b -> b.secretId("db").rotationLambdaARN(ARN)));
    }
}
