package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.conformance.support.RawAnswer;
import dev.smlocal.conformance.support.RawClient;
import dev.smlocal.conformance.support.RunNames;
import dev.smlocal.conformance.support.Snapshots;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The snapshot mechanism itself, against an in-process emulator and a temporary directory: what a
 * recording writes (normalised), that a second run with other names and ids matches it, and that
 * an answer of another shape does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotMechanismTest {
    private Emulator emulator;
    private RawClient raw;

    @BeforeAll
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults().withPort(0).withClock("manual", null).withQuiet(true));
        raw = new RawClient(emulator.endpoint(), "us-east-1", "secretsmanager",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")));
    }

    @AfterAll
    void stop() {
        emulator.close();
    }

    /** One scenario as a check would run it, under a fresh run prefix. */
    RawAnswer[] scenario() {
        String name = RunNames.prefix() + "SnapshotMechanismTest/s";
        ObjectNode create = RawClient.JSON.createObjectNode().put("Name", name).put("SecretString", "v")
                .put("ClientRequestToken", UUID.randomUUID().toString());
        RawAnswer created = raw.call("CreateSecret", create);
        RawAnswer described = raw.call("DescribeSecret", RawClient.JSON.createObjectNode().put("SecretId", name));
        RawAnswer missing = raw.call("GetSecretValue", RawClient.JSON.createObjectNode().put("SecretId", name + "-gone"));
        return new RawAnswer[] {created, described, missing};
    }

    void matchAll(Snapshots.Session s, RawAnswer[] answers) {
        for (int i = 0; i < answers.length; i++) s.match((i + 1) + " " + answers[i].operation(), answers[i]);
    }

    @Test
    void recordingWritesNormalisedAnswers(@TempDir Path dir) throws Exception {
        Snapshots record = new Snapshots(dir, Snapshots.Mode.RECORD);

        Snapshots.Session s = record.open("SomeConformance", "someCheck");
        matchAll(s, scenario());
        s.close();

        Path file = dir.resolve("SomeConformance").resolve("someCheck.json");
        assertTrue(Files.isRegularFile(file));
        String text = Files.readString(file);
        JsonNode snap = RawClient.JSON.readTree(text);
        assertEquals(3, snap.size());
        assertEquals("arn:aws:secretsmanager:us-east-1:<account>:secret:<run>/SnapshotMechanismTest/s-<suffix>",
                snap.get("1 CreateSecret").get("body").get("ARN").asText());
        assertEquals("<uuid>", snap.get("1 CreateSecret").get("body").get("VersionId").asText());
        assertEquals("<epoch>", snap.get("2 DescribeSecret").get("body").get("CreatedDate").asText());
        assertEquals("number", snap.get("2 DescribeSecret").get("fields").get("CreatedDate").asText());
        assertEquals("ResourceNotFoundException", snap.get("3 GetSecretValue").get("type").asText());
        assertFalse(text.contains("000000000000"), "no account id left");
        assertFalse(text.contains("smlocal-conf-"), "no run prefix left");
    }

    @Test
    void anotherRunWithOtherNamesAndIdsMatchesTheRecording(@TempDir Path dir) {
        Snapshots.Session rec = new Snapshots(dir, Snapshots.Mode.RECORD).open("SomeConformance", "someCheck");
        matchAll(rec, scenario());
        rec.close();

        Snapshots.Session cmp = new Snapshots(dir, Snapshots.Mode.COMPARE).open("SomeConformance", "someCheck");
        matchAll(cmp, scenario());

        assertEquals(3, cmp.compared().size(), "every answer was compared");
    }

    @Test
    void anAnswerOfAnotherShapeFailsTheComparison(@TempDir Path dir) {
        Snapshots.Session rec = new Snapshots(dir, Snapshots.Mode.RECORD).open("SomeConformance", "someCheck");
        RawAnswer[] recorded = scenario();
        matchAll(rec, recorded);
        rec.close();
        RawAnswer[] now = scenario();
        RawAnswer falsified = new RawAnswer(now[2].operation(), now[2].status(), now[2].headers(),
                now[2].text().replace("ResourceNotFoundException", "ResourceNotFound"),
                ((ObjectNode) now[2].body().deepCopy()).put("__type", "ResourceNotFound"));
        RawAnswer extraMember = new RawAnswer(now[1].operation(), now[1].status(), now[1].headers(), now[1].text(),
                ((ObjectNode) now[1].body().deepCopy()).put("Description", "not in the recording"));

        Snapshots.Session cmp = new Snapshots(dir, Snapshots.Mode.COMPARE).open("SomeConformance", "someCheck");
        cmp.match("1 CreateSecret", now[0]);
        AssertionFailedError typeDiff = assertThrows(AssertionFailedError.class, () -> cmp.match("3 GetSecretValue", falsified));
        AssertionFailedError memberDiff = assertThrows(AssertionFailedError.class, () -> cmp.match("2 DescribeSecret", extraMember));

        assertTrue(typeDiff.getMessage().contains("__type: expected ResourceNotFoundException, was ResourceNotFound"),
                typeDiff.getMessage());
        assertTrue(memberDiff.getMessage().contains("unexpected member Description"), memberDiff.getMessage());
    }

    @Test
    void withoutASnapshotNothingIsCompared(@TempDir Path dir) {
        Snapshots.Session cmp = new Snapshots(dir, Snapshots.Mode.COMPARE).open("SomeConformance", "neverRecorded");

        matchAll(cmp, scenario());

        assertEquals(0, cmp.compared().size());
    }

    @Test
    void offModeNeitherWritesNorCompares(@TempDir Path dir) throws Exception {
        Snapshots.Session off = new Snapshots(dir, Snapshots.Mode.OFF).open("SomeConformance", "someCheck");

        matchAll(off, scenario());
        off.close();

        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
