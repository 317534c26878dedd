package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * testkit/README.md's rotation example: an existing Lambda handler adapted in one line, and
 * {@link VersionStages} asserting where the labels went. The README block is the marked region.
 */
@SmLocalTest
class RotationReadmeExampleTest {
    private static final Path REPO = Path.of(System.getProperty("smlocal.repo.dir", ".."));

    /**
     * Stands in for a rotation Lambda's handler class: the shape of
     * {@code RequestHandler<Map<String, String>, Void>.handleRequest(input, Context)} (aws-lambda-java-core
     * is not a dependency here, so the context parameter is an Object). It does what AWS's templates do.
     */
    static final class MyRotationHandler {
        final List<String> steps = new ArrayList<>();
        private final SecretsManagerClient sm;

        MyRotationHandler(SecretsManagerClient sm) {
            this.sm = sm;
        }

        public Void handleRequest(Map<String, String> event, Object context) {
            String arn = event.get("SecretId");
            String token = event.get("ClientRequestToken");
            steps.add(event.get("Step"));
            switch (event.get("Step")) {
                case "createSecret" -> sm.putSecretValue(b -> b.secretId(arn).clientRequestToken(token)
                        .secretString("new-" + token.substring(0, 8)).versionStages("AWSPENDING"));
                case "finishSecret" -> sm.updateSecretVersionStage(b -> b.secretId(arn).versionStage("AWSCURRENT")
                        .moveToVersionId(token).removeFromVersionId(VersionStages.of(sm, arn).current()));
                default -> { }
            }
            return null;
        }
    }

    @Test
    void anExistingLambdaHandlerRotatesAndTheStagesMove(SecretsManagerClient sm, SmLocal smlocal) {
        MyRotationHandler handler = new MyRotationHandler(sm);
        // readme-example:begin
        smlocal.rotation().register("my-rotator", e -> handler.handleRequest(Map.of("SecretId", e.secretId(),
                "ClientRequestToken", e.clientRequestToken(), "Step", e.step()), null));

        String first = sm.createSecret(b -> b.name("prod/db").secretString("initial")).versionId();
        String token = sm.rotateSecret(b -> b.secretId("prod/db")
                .rotationLambdaARN("arn:aws:lambda:us-east-1:000000000000:function:my-rotator")).versionId();
        smlocal.clock().advance(Duration.ZERO);   // a manual clock: the four steps run now

        VersionStages.of(sm, "prod/db")
                .assertCurrent(token)
                .assertPrevious(first)
                .assertNoPending();
        // readme-example:end
        assertEquals(List.of("createSecret", "setSecret", "testSecret", "finishSecret"), handler.steps);
        assertTrue(sm.getSecretValue(b -> b.secretId("prod/db")).secretString().startsWith("new-"));
    }

    @Test
    void theReadmeShowsThisExample() throws Exception {
        String marked = ReadmeExampleMatchesTest.marked(
                Files.readString(REPO.resolve("testkit/src/test/java/dev/smlocal/testkit/RotationReadmeExampleTest.java")));
        String block = ReadmeExampleMatchesTest.javaBlockAfter(Files.readString(REPO.resolve("testkit/README.md")),
                "## Rotation");
        assertEquals(marked.lines().map(String::strip).toList(), block.lines().map(String::strip).toList());
    }

    @Test
    void aFailedRotationLeavesPendingAndTheAssertionsSaySo(SecretsManagerClient sm, SmLocal smlocal) {
        smlocal.rotation().register("broken", e -> {
            if (e.step().equals("testSecret")) throw new IllegalStateException("the new password does not log in");
            if (e.step().equals("createSecret")) {
                sm.putSecretValue(b -> b.secretId(e.secretId()).clientRequestToken(e.clientRequestToken())
                        .secretString("pending-value").versionStages("AWSPENDING"));
            }
        });
        String first = sm.createSecret(b -> b.name("db").secretString("v1")).versionId();
        String token = sm.rotateSecret(b -> b.secretId("db")
                .rotationLambdaARN("arn:aws:lambda:us-east-1:000000000000:function:broken")).versionId();
        smlocal.clock().advance(Duration.ZERO);

        VersionStages stages = VersionStages.of(sm, "db");
        stages.assertCurrent(first).assertPending(token).assertHolder("AWSPREVIOUS", null)
                .assertStagesOf(first, "AWSCURRENT").assertStagesOf(token, "AWSPENDING");
        assertEquals(first, stages.current());
        assertEquals(token, stages.pending());
        assertEquals(null, stages.previous());
        assertEquals(List.of(), stages.stagesOf("no-such-version"));

        AssertionFailedError wrong = assertThrows(AssertionFailedError.class, () -> stages.assertCurrent(token));
        assertEquals("AWSCURRENT of db should be on version " + token + " but is on version " + first + "; " + stages,
                wrong.getMessage());
        assertTrue(wrong.getMessage().contains(first + "=[AWSCURRENT]"), wrong.getMessage());
        assertThrows(AssertionFailedError.class, stages::assertNoPending);
        assertThrows(AssertionFailedError.class, () -> stages.assertStagesOf(first, "AWSCURRENT", "AWSPREVIOUS"));
    }
}
