package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import dev.smlocal.server.persist.DataDirException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;

/**
 * {@code --data-dir} through the wire: what clients wrote is there after a restart on the same
 * directory (secrets, versions, replicas, keys, aliases, admin settings), also across compactions;
 * two servers cannot share a directory.
 */
class DataDirWireTest {
    @TempDir
    Path dir;

    private EmulatorConfig config(long compactAfterBytes) {
        return EmulatorConfig.defaults().toBuilder().port(0).clock("manual", WireSupport.START).seed(42).quiet(true)
                .regions(List.of("us-east-1", "eu-west-1")).dataDir(dir.resolve("data"))
                .compactAfterBytes(compactAfterBytes).build();
    }

    private static SecretsManagerClient sm(Emulator e, String region) {
        return SecretsManagerClient.builder().endpointOverride(e.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static KmsClient kms(Emulator e, String region) {
        return KmsClient.builder().endpointOverride(e.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static int admin(Emulator e, String method, String path, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(e.endpoint() + "/_smlocal/" + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void whatClientsWroteIsThereAfterARestart() throws Exception {
        String keyId;
        try (Emulator a = Emulator.start(config(EmulatorConfig.DEFAULT_COMPACT_AFTER_BYTES));
             SecretsManagerClient east = sm(a, "us-east-1"); KmsClient k = kms(a, "us-east-1")) {
            keyId = k.createKey(b -> b.description("app key")).keyMetadata().keyId();
            k.createAlias(b -> b.aliasName("alias/app").targetKeyId(keyId));
            east.createSecret(b -> b.name("db").secretString("v1").kmsKeyId("alias/app"));
            east.putSecretValue(b -> b.secretId("db").secretString("v2"));
            east.createSecret(b -> b.name("shared").secretString("everywhere")
                    .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").build()));
            east.createSecret(b -> b.name("gone").secretString("x"));
            east.deleteSecret(b -> b.secretId("gone").forceDeleteWithoutRecovery(true));
            assertEquals(200, admin(a, "PUT", "functions/rotator", "{\"url\":\"http://127.0.0.1:9/rotate\"}"));
            assertEquals(200, admin(a, "POST", "clock", "{\"advance\":\"PT10S\"}")); // the replica lands
        }

        try (Emulator b = Emulator.start(config(EmulatorConfig.DEFAULT_COMPACT_AFTER_BYTES));
             SecretsManagerClient east = sm(b, "us-east-1"); SecretsManagerClient west = sm(b, "eu-west-1");
             KmsClient k = kms(b, "us-east-1")) {
            assertEquals("v2", east.getSecretValue(r -> r.secretId("db")).secretString());
            assertEquals("v1", east.getSecretValue(r -> r.secretId("db").versionStage("AWSPREVIOUS")).secretString());
            assertEquals("everywhere", west.getSecretValue(r -> r.secretId("shared")).secretString());
            assertEquals("InSync", east.describeSecret(r -> r.secretId("shared")).replicationStatus().get(0).statusAsString());
            assertEquals(List.of("db", "shared"), east.listSecrets().secretList().stream().map(s -> s.name()).sorted().toList());
            assertEquals(keyId, k.describeKey(r -> r.keyId("alias/app")).keyMetadata().keyId());
            assertEquals(WireSupport.START.plusSeconds(10), b.clock().now(), "the manual clock's time is kept");
            assertTrue(b.rotationFunctions().list().stream().anyMatch(f -> f.name().equals("rotator")));

            DataDirException e = assertThrows(DataDirException.class,
                    () -> Emulator.start(config(EmulatorConfig.DEFAULT_COMPACT_AFTER_BYTES)));
            assertTrue(e.getMessage().contains("another smlocal server"), e.getMessage());
        }
    }

    @Test
    void compactionKeepsEveryValueAndReplacesOldJournals() throws Exception {
        try (Emulator a = Emulator.start(config(4096)); SecretsManagerClient east = sm(a, "us-east-1")) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                east.createSecret(b -> b.name("s" + n).secretString("0"));
                for (int v = 1; v <= 5; v++) {
                    int value = v;
                    east.putSecretValue(b -> b.secretId("s" + n).secretString(String.valueOf(value)));
                }
            }
        }
        long journals;
        try (var files = Files.list(dir.resolve("data"))) {
            journals = files.filter(p -> p.getFileName().toString().startsWith("journal-")).count();
        }
        assertTrue(journals <= 2, "compaction deleted the journals its snapshots hold: " + journals);

        try (Emulator b = Emulator.start(config(4096)); SecretsManagerClient east = sm(b, "us-east-1")) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                assertEquals("5", east.getSecretValue(r -> r.secretId("s" + n)).secretString(), "s" + n);
            }
        }
    }
}
