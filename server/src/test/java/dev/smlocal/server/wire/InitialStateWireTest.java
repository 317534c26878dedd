package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.persist.InitialState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * {@code --init}: the example estate (examples/init/estate.json) is there through the SDK when the
 * server answers; a bad estate stops the start naming the entry; with {@code --data-dir} only a new
 * directory is seeded.
 */
class InitialStateWireTest {
    static final Path REPO = Path.of(System.getProperty("smlocal.repo.dir", ".."));
    static final Path EXAMPLE = REPO.resolve("examples/init/estate.json");

    @TempDir
    Path dir;

    private static EmulatorConfig.Builder config(Path init) {
        return EmulatorConfig.defaults().toBuilder().port(0).clock("manual", WireSupport.START).seed(42).quiet(true)
                .regions(List.of("us-east-1", "eu-west-1")).init(init);
    }

    private static SecretsManagerClient sm(Emulator e, String region, String account) {
        return SecretsManagerClient.builder().endpointOverride(e.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static KmsClient kms(Emulator e, String region) {
        return KmsClient.builder().endpointOverride(e.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private Path estate(String json) throws Exception {
        Path p = Files.createTempFile(dir, "estate", ".json");
        Files.writeString(p, json);
        return p;
    }

    @Test
    void theExampleEstateIsThereThroughTheSdkWhenTheServerAnswers() {
        try (Emulator e = Emulator.start(config(EXAMPLE).build());
             SecretsManagerClient east = sm(e, "us-east-1", "AKIDEXAMPLE");
             SecretsManagerClient eu = sm(e, "eu-west-1", "AKIDEXAMPLE");
             SecretsManagerClient partner = sm(e, "us-east-1", "111122223333");
             KmsClient kmsEast = kms(e, "us-east-1"); KmsClient kmsEu = kms(e, "eu-west-1")) {
            assertEquals(0, e.events().size(), "applying the estate leaves no events: it is the starting point");

            DescribeSecretResponse db = east.describeSecret(b -> b.secretId("app/db"));
            assertEquals("database credentials of the app", db.description());
            assertEquals("team", db.tags().get(0).key());
            assertEquals("payments", db.tags().get(0).value());
            assertEquals(StatusType.IN_SYNC, db.replicationStatus().get(0).status(), "the declared replica is InSync");
            assertEquals("eu-west-1", db.replicationStatus().get(0).region());
            assertTrue(db.rotationEnabled());
            assertEquals(30L, db.rotationRules().automaticallyAfterDays());
            assertEquals("{\"username\":\"app\",\"password\":\"change-me\"}",
                    east.getSecretValue(b -> b.secretId("app/db")).secretString(), "the declared value stays current");
            assertTrue(east.getResourcePolicy(b -> b.secretId("app/db")).resourcePolicy()
                    .contains("arn:aws:iam::111122223333:root"));

            // the declared fault: the first GetSecretValue in eu-west-1 fails once
            SecretsManagerException hiccup = assertThrows(SecretsManagerException.class,
                    () -> eu.getSecretValue(b -> b.secretId("app/db")));
            assertEquals("InternalServiceError", hiccup.awsErrorDetails().errorCode());
            assertEquals("{\"username\":\"app\",\"password\":\"change-me\"}",
                    eu.getSecretValue(b -> b.secretId("app/db")).secretString(), "the replica holds the value");
            assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7},
                    eu.getSecretValue(b -> b.secretId("app/signing-key")).secretBinary().asByteArray());
            assertEquals("partner-token", partner.getSecretValue(b -> b.secretId("partner/api-token")).secretString());
            assertThrows(ResourceNotFoundException.class, () -> east.describeSecret(b -> b.secretId("partner/api-token")),
                    "Account puts a secret in that account only");

            var key = kmsEast.describeKey(b -> b.keyId("alias/app")).keyMetadata();
            assertTrue(key.multiRegion());
            assertEquals("app key (multi-Region, replica in eu-west-1)", key.description());
            assertEquals(key.keyId(), kmsEu.describeKey(b -> b.keyId("alias/app")).keyMetadata().keyId(),
                    "the alias exists on the replica key too");
            assertEquals(List.of("alias/app"), kmsEu.listAliases().aliases().stream().map(AliasListEntry::aliasName)
                    .filter(n -> !n.startsWith("alias/aws/")).toList());
            assertTrue(e.control().functions().functions().stream().anyMatch(f -> f.name().equals("app-rotator")
                    && f.url().equals("http://127.0.0.1:9000/rotate")));

            e.reset(); // the admin reset keeps the emulator empty (the testkit re-applies)
            assertTrue(east.listSecrets(b -> { }).secretList().isEmpty());
        }
    }

    @Test
    void aRefusedEntryStopsTheStartNamingTheEntryAndAwsError() throws Exception {
        Path refused = estate("""
                {"Secrets": [{"Name": "fine", "SecretString": "x"},
                             {"Name": "big", "SecretString": "x", "Description": "%s"}]}
                """.formatted("d".repeat(2049)));

        InitialState.Invalid e = assertThrows(InitialState.Invalid.class, () -> Emulator.start(config(refused).build()));

        assertTrue(e.getMessage().startsWith(refused + ": Secrets[1]: ValidationException: "), e.getMessage());
    }

    @Test
    void eachMalformedEstateGetsItsDocumentedMessage() throws Exception {
        Path badJson = estate("{\"Secrets\": [");
        Path typo = estate("{\"Keys\": [{\"Alias\": [\"alias/x\"]}]}");
        Path topTypo = estate("{\"Secret\": []}");
        Path noName = estate("{\"Secrets\": [{\"SecretString\": \"x\"}]}");
        Path missing = dir.resolve("absent.json");

        assertTrue(message(badJson).startsWith(badJson + ": not valid JSON: "), message(badJson));
        assertTrue(message(typo).startsWith(typo + ": Keys[0].Alias: unknown member (known: "), message(typo));
        assertTrue(message(topTypo).startsWith(topTypo + ": Secret: unknown member (known: "), message(topTypo));
        assertEquals(noName + ": Secrets[0]: Name is required (a string)", message(noName));
        assertEquals("--init " + missing + ": no such file", message(missing));
    }

    @Test
    void shapesAndControlEntriesAreCheckedWithTheirPath() throws Exception {
        Path array = estate("[]");
        Path notAList = estate("{\"Keys\": [{\"ReplicaRegions\": \"eu-west-1\"}]}");
        Path badFunction = estate("{\"Functions\": [{\"Name\": \"f\", \"Url\": \"http://rotator.example.com/r\"}]}");
        Path badFault = estate("{\"Faults\": [{\"action\": \"explode\"}]}");
        Path shortAccount = estate("{\"Secrets\": [{\"Name\": \"a\", \"Account\": \"1234\"}]}");
        Path unknownRegion = estate("{\"Secrets\": [{\"Name\": \"a\", \"SecretString\": \"x\", \"Region\": \"ap-south-1\"}]}");

        assertEquals(array + ": the estate must be a JSON object", message(array));
        assertEquals(notAList + ": Keys[0].ReplicaRegions: must be a list of strings", message(notAList));
        assertTrue(message(badFunction).startsWith(badFunction + ": Functions[0]: "), message(badFunction));
        assertTrue(message(badFault).startsWith(badFault + ": Faults[0]: action must be one of "), message(badFault));
        assertEquals(shortAccount + ": Secrets[0].Account: must be a 12-digit account id", message(shortAccount));
        assertTrue(message(unknownRegion).startsWith(unknownRegion + ": Secrets[0]: "), message(unknownRegion));
    }

    private static String message(Path init) {
        return assertThrows(InitialState.Invalid.class, () -> Emulator.start(config(init).build())).getMessage();
    }

    @Test
    void aDeclaredReplicaThatCannotBeInSyncStopsTheStart() throws Exception {
        Path notEnabled = estate("""
                {"Secrets": [{"Name": "app", "SecretString": "x", "AddReplicaRegions": [{"Region": "ap-south-1"}]}]}
                """);

        String m = message(notEnabled);

        assertTrue(m.startsWith(notEnabled + ": Secrets[0].AddReplicaRegions: the replica in ap-south-1 is Failed"), m);
    }

    @Test
    void declaredFaultsComeLastSoTheyDoNotHoldTheEstatesOwnReplication() throws Exception {
        Path estate = estate("""
                {"Secrets": [{"Name": "app", "SecretString": "v1", "AddReplicaRegions": [{"Region": "eu-west-1"}]}],
                 "Faults": [{"action": "fail-replication", "from": "us-east-1", "to": "eu-west-1"}]}
                """);

        try (Emulator e = Emulator.start(config(estate).build());
             SecretsManagerClient east = sm(e, "us-east-1", "AKIDEXAMPLE")) {
            assertEquals(StatusType.IN_SYNC, east.describeSecret(b -> b.secretId("app")).replicationStatus().get(0).status());
            assertEquals(1, e.control().faults().size(), "the declared fault is active once the server answers");

            east.putSecretValue(b -> b.secretId("app").secretString("v2"));
            e.scheduler().advance(java.time.Duration.ofSeconds(1));

            assertEquals(StatusType.FAILED, east.describeSecret(b -> b.secretId("app")).replicationStatus().get(0).status(),
                    "it fails the replication of later changes");
        }
    }

    @Test
    void withTheSystemClockTheDeclaredReplicasAreInSyncWhenStartReturns() {
        try (Emulator e = Emulator.start(config(EXAMPLE).clock("system", null).build());
             SecretsManagerClient east = sm(e, "us-east-1", "AKIDEXAMPLE")) {
            assertEquals(StatusType.IN_SYNC,
                    east.describeSecret(b -> b.secretId("app/db")).replicationStatus().get(0).status());
        }
    }

    @Test
    void withADataDirOnlyANewDirectoryIsSeeded() {
        Path data = dir.resolve("data");
        try (Emulator first = Emulator.start(config(EXAMPLE).dataDir(data).build());
             SecretsManagerClient east = sm(first, "us-east-1", "AKIDEXAMPLE")) {
            east.putSecretValue(b -> b.secretId("app/db").secretString("changed"));
        }

        try (Emulator again = Emulator.start(config(EXAMPLE).dataDir(data).build());
             SecretsManagerClient east = sm(again, "us-east-1", "AKIDEXAMPLE")) {
            assertEquals("changed", east.getSecretValue(b -> b.secretId("app/db")).secretString(),
                    "the restart keeps what was written; the estate is not applied again");
            assertEquals(3, again.control().state().secrets().stream().filter(s -> s.primaryRegion() == null
                    || s.primaryRegion().equals(s.region())).count(), "no secret duplicated");
        }
    }
}
