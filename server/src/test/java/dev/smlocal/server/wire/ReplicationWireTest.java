package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.faults.FaultRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.*;

/** Multi-Region replication through the SDK, under the manual clock (default lag 250 ms). */
class ReplicationWireTest extends WireSupport {
    private static final Duration LAG = Duration.ofMillis(250);

    private SecretsManagerClient east() { return sm("us-east-1"); }
    private SecretsManagerClient west() { return sm("eu-west-1"); }

    private static ReplicaRegionType region(String r) {
        return ReplicaRegionType.builder().region(r).build();
    }

    private static ReplicaRegionType region(String r, String key) {
        return ReplicaRegionType.builder().region(r).kmsKeyId(key).build();
    }

    private ReplicationStatusType status(String secret, String region) {
        return east().describeSecret(b -> b.secretId(secret)).replicationStatus().stream()
                .filter(s -> s.region().equals(region)).findFirst().orElseThrow();
    }

    @Test
    void replicaAppearsAfterTheLagAndFollowsLaterChanges() {
        CreateSecretResponse created = east().createSecret(b -> b.name("db").secretString("v1")
                .addReplicaRegions(region("eu-west-1")));

        assertEquals(StatusType.IN_PROGRESS, created.replicationStatus().get(0).status());
        assertNull(created.replicationStatus().get(0).statusMessage());
        assertEquals("alias/aws/secretsmanager", created.replicationStatus().get(0).kmsKeyId());
        assertThrows(ResourceNotFoundException.class, () -> west().getSecretValue(b -> b.secretId("db")));

        advance(LAG);
        assertEquals("v1", west().getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status());
        assertEquals("Replication succeeded", status("db", "eu-west-1").statusMessage());

        east().putSecretValue(b -> b.secretId("db").secretString("v2"));
        assertEquals("v1", west().getSecretValue(b -> b.secretId("db")).secretString(), "stale before the lag");
        advance(LAG);
        assertEquals("v2", west().getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void replicaCarriesTheSameSuffixVersionsStagesAndMetadata() {
        String arn = east().createSecret(b -> b.name("db").secretString("v1").description("d")
                .tags(Tag.builder().key("team").value("core").build())).arn();
        east().putSecretValue(b -> b.secretId("db").secretString("v2"));
        ReplicateSecretToRegionsResponse r = east().replicateSecretToRegions(b -> b.secretId("db")
                .addReplicaRegions(region("eu-west-1")));
        advance(LAG);

        DescribeSecretResponse p = east().describeSecret(b -> b.secretId("db"));
        DescribeSecretResponse w = west().describeSecret(b -> b.secretId("db"));

        assertEquals(arn, r.arn());
        assertEquals(arn.replace("us-east-1", "eu-west-1"), w.arn());
        assertEquals("us-east-1", p.primaryRegion());
        assertEquals("us-east-1", w.primaryRegion());
        assertFalse(w.hasReplicationStatus());
        assertEquals(p.versionIdsToStages(), w.versionIdsToStages());
        assertEquals("d", w.description());
        assertEquals(p.tags(), w.tags());
        assertEquals("v1", west().getSecretValue(b -> b.secretId("db").versionStage("AWSPREVIOUS")).secretString());
        assertEquals("v2", west().getSecretValue(b -> b.secretId(w.arn())).secretString());
    }

    @Test
    void everyWriteOnAReplicaIsRefused() {
        east().createSecret(b -> b.name("db").secretString("v1").addReplicaRegions(region("eu-west-1")));
        advance(LAG);
        String current = west().describeSecret(b -> b.secretId("db")).versionIdsToStages().keySet().iterator().next();
        String msg = "Operation not permitted on a replica secret. Call must be made in primary secret's region.";
        List<Executable> writes = List.of(
                () -> west().putSecretValue(b -> b.secretId("db").secretString("x")),
                () -> west().updateSecret(b -> b.secretId("db").description("x")),
                () -> west().deleteSecret(b -> b.secretId("db")),
                () -> west().restoreSecret(b -> b.secretId("db")),
                () -> west().tagResource(b -> b.secretId("db").tags(Tag.builder().key("k").value("v").build())),
                () -> west().untagResource(b -> b.secretId("db").tagKeys("k")),
                () -> west().putResourcePolicy(b -> b.secretId("db").resourcePolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}")),
                () -> west().deleteResourcePolicy(b -> b.secretId("db")),
                () -> west().updateSecretVersionStage(b -> b.secretId("db").versionStage("X").moveToVersionId(current)),
                () -> west().replicateSecretToRegions(b -> b.secretId("db").addReplicaRegions(region("us-west-2"))),
                () -> west().removeRegionsFromReplication(b -> b.secretId("db").removeReplicaRegions("us-east-1")));

        for (Executable write : writes) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class, write);
            assertEquals(msg, e.awsErrorDetails().errorMessage());
        }
        assertEquals("v1", west().getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void deletingAPrimaryWithReplicasIsRefusedWithTheRegionsListed() {
        String arn = east().createSecret(b -> b.name("db").secretString("v")
                .addReplicaRegions(region("eu-west-1"), region("us-west-2"))).arn();

        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> east().deleteSecret(b -> b.secretId("db")));

        assertEquals("You can't delete secret " + arn + " that still has replica regions [eu-west-1, us-west-2].",
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void replicatingIntoTheOwnRegionIsRefused() {
        east().createSecret(b -> b.name("db").secretString("v"));

        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> east().replicateSecretToRegions(b -> b.secretId("db").addReplicaRegions(region("us-east-1"))));
        InvalidParameterException e2 = assertThrows(InvalidParameterException.class,
                () -> east().createSecret(b -> b.name("db2").addReplicaRegions(region("us-east-1"))));

        InvalidParameterException missing = assertThrows(InvalidParameterException.class,
                () -> east().createSecret(b -> b.name("db3").addReplicaRegions(ReplicaRegionType.builder().build())));
        InvalidParameterException twice = assertThrows(InvalidParameterException.class,
                () -> east().replicateSecretToRegions(b -> b.secretId("db").addReplicaRegions(region("eu-west-1"), region("eu-west-1"))));

        assertEquals("Invalid replica region.", e.awsErrorDetails().errorMessage());
        assertEquals("Invalid replica region.", e2.awsErrorDetails().errorMessage());
        assertEquals("Invalid replica region.", missing.awsErrorDetails().errorMessage());
        assertEquals("Invalid replica region.", twice.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> east().describeSecret(b -> b.secretId("db2")));
    }

    @Test
    void aNameTakenInTheTargetRegionFailsUnlessOverwriteIsForced() {
        west().createSecret(b -> b.name("db").secretString("local"));
        east().createSecret(b -> b.name("db").secretString("primary").addReplicaRegions(region("eu-west-1")));
        advance(LAG);

        assertEquals(StatusType.FAILED, status("db", "eu-west-1").status());
        assertEquals("Replication failed: Secret with this name already exists in this region.",
                status("db", "eu-west-1").statusMessage());
        assertEquals("local", west().getSecretValue(b -> b.secretId("db")).secretString());

        east().removeRegionsFromReplication(b -> b.secretId("db").removeReplicaRegions("eu-west-1"));
        east().replicateSecretToRegions(b -> b.secretId("db").addReplicaRegions(region("eu-west-1"))
                .forceOverwriteReplicaSecret(true));
        advance(LAG);
        assertEquals("primary", west().getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals("us-east-1", west().describeSecret(b -> b.secretId("db")).primaryRegion());
    }

    @Test
    void removeRegionsDeletesTheReplicaAndLeavesAnEmptyStatus() {
        east().createSecret(b -> b.name("db").secretString("v").addReplicaRegions(region("eu-west-1")));
        advance(LAG);

        RemoveRegionsFromReplicationResponse r = east().removeRegionsFromReplication(b -> b.secretId("db")
                .removeReplicaRegions("eu-west-1"));

        assertTrue(r.hasReplicationStatus());
        assertEquals(List.of(), r.replicationStatus());
        assertThrows(ResourceNotFoundException.class, () -> west().describeSecret(b -> b.secretId("db")));
        assertNull(east().describeSecret(b -> b.secretId("db")).primaryRegion());
        east().deleteSecret(b -> b.secretId("db").forceDeleteWithoutRecovery(true));
    }

    @Test
    void stopReplicationPromotesTheReplicaToAnIndependentSecret() {
        east().createSecret(b -> b.name("db").secretString("v1").addReplicaRegions(region("eu-west-1")));
        advance(LAG);
        String westArn = west().describeSecret(b -> b.secretId("db")).arn();

        StopReplicationToReplicaResponse stop = west().stopReplicationToReplica(b -> b.secretId("db"));
        west().putSecretValue(b -> b.secretId("db").secretString("west-own"));
        east().putSecretValue(b -> b.secretId("db").secretString("east-own"));
        advance(LAG.multipliedBy(4));

        assertEquals(westArn, stop.arn());
        assertNull(west().describeSecret(b -> b.secretId("db")).primaryRegion());
        assertEquals("west-own", west().getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals("east-own", east().getSecretValue(b -> b.secretId("db")).secretString());
        assertFalse(east().describeSecret(b -> b.secretId("db")).hasReplicationStatus());
        InvalidRequestException notReplica = assertThrows(InvalidRequestException.class,
                () -> east().stopReplicationToReplica(b -> b.secretId("db")));
        assertEquals(400, notReplica.statusCode());
    }

    @Test
    void disasterRecoveryDrillEndToEnd() {
        east().createSecret(b -> b.name("app/db").secretString("pw-1").addReplicaRegions(region("eu-west-1")));
        advance(LAG);

        emulator.faults().add(FaultRule.outage("us-east-1"));
        SecretsManagerException down = assertThrows(SecretsManagerException.class,
                () -> east().getSecretValue(b -> b.secretId("app/db")));
        assertEquals(503, down.statusCode());
        assertEquals("pw-1", west().getSecretValue(b -> b.secretId("app/db")).secretString(), "reads fail over");

        west().stopReplicationToReplica(b -> b.secretId("app/db"));
        west().putSecretValue(b -> b.secretId("app/db").secretString("pw-2"));
        assertEquals("pw-2", west().getSecretValue(b -> b.secretId("app/db")).secretString());

        emulator.faults().heal("us-east-1");
        advance(LAG.multipliedBy(4));
        assertEquals("pw-1", east().getSecretValue(b -> b.secretId("app/db")).secretString());
        assertFalse(east().describeSecret(b -> b.secretId("app/db")).hasReplicationStatus());
        east().putSecretValue(b -> b.secretId("app/db").secretString("east-later"));
        advance(LAG.multipliedBy(4));
        assertEquals("pw-2", west().getSecretValue(b -> b.secretId("app/db")).secretString(), "now independent");
    }

    @Test
    void anInvalidReplicaKeyIsAcceptedThenFailsSilently() {
        CreateSecretResponse created = east().createSecret(b -> b.name("db").secretString("v")
                .addReplicaRegions(region("eu-west-1", "mrk-00000000000000000000000000000000")));

        assertEquals(StatusType.IN_PROGRESS, created.replicationStatus().get(0).status());
        advance(LAG);
        ReplicationStatusType st = status("db", "eu-west-1");
        assertEquals(StatusType.FAILED, st.status());
        assertTrue(st.statusMessage().startsWith("Replication failed: Secrets Manager can't encrypt the secret value: "
                + "Key 'arn:aws:kms:eu-west-1:000000000000:key/mrk-00000000000000000000000000000000' does not exist"),
                st.statusMessage());
        assertThrows(ResourceNotFoundException.class, () -> west().describeSecret(b -> b.secretId("db")));
    }

    @Test
    void aMalformedReplicaKeyGivesInvalidKeyId() {
        east().createSecret(b -> b.name("db").secretString("v")
                .addReplicaRegions(region("eu-west-1", "not-a-key")));
        advance(LAG);

        assertTrue(status("db", "eu-west-1").statusMessage()
                .startsWith("Replication failed: Secrets Manager can't encrypt the secret value: Invalid keyId 'not-a-key'"),
                status("db", "eu-west-1").statusMessage());
    }

    @Test
    void aSecretWithoutValueReplicatesInSyncThenFailsOnItsFirstValue() {
        east().createSecret(b -> b.name("db").addReplicaRegions(region("eu-west-1", "alias/missing")));
        advance(LAG);
        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status());

        east().putSecretValue(b -> b.secretId("db").secretString("first"));
        advance(LAG);

        assertEquals(StatusType.FAILED, status("db", "eu-west-1").status());
        assertTrue(status("db", "eu-west-1").statusMessage().contains("Alias arn:aws:kms:eu-west-1:000000000000:alias/missing is not found."));
    }

    @Test
    void aMultiRegionKeyReplicaEncryptsTheReplica() {
        String mrk = kms("us-east-1").createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
        kms("us-east-1").replicateKey(b -> b.keyId(mrk).replicaRegion("eu-west-1"));

        east().createSecret(b -> b.name("db").secretString("v").kmsKeyId(mrk)
                .addReplicaRegions(region("eu-west-1", mrk)));
        advance(LAG);

        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status());
        assertEquals(mrk, status("db", "eu-west-1").kmsKeyId());
        assertEquals("v", west().getSecretValue(b -> b.secretId("db")).secretString());
        List<String> keyIds = west().listSecretVersionIds(b -> b.secretId("db")).versions().get(0).kmsKeyIds();
        assertEquals(List.of("arn:aws:kms:eu-west-1:000000000000:key/" + mrk), keyIds);
    }

    @Test
    void aReplicaKeyStillCreatingFailsTheReplicationLikeAnyKeyProblem() {
        String mrk = kms("us-east-1").createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
        emulator.replicator().setDefaultLag(Duration.ZERO);
        try {
            kms("us-east-1").replicateKey(b -> b.keyId(mrk).replicaRegion("eu-west-1"));
            east().createSecret(b -> b.name("db").secretString("v").kmsKeyId(mrk)
                    .addReplicaRegions(region("eu-west-1", mrk)));
            advance(Duration.ZERO);
        } finally {
            emulator.replicator().setDefaultLag(LAG);
        }

        assertEquals(StatusType.FAILED, status("db", "eu-west-1").status());
        String message = status("db", "eu-west-1").statusMessage();
        assertTrue(message.startsWith("Replication failed: Secrets Manager can't encrypt the secret value: "
                + "arn:aws:kms:eu-west-1:000000000000:key/" + mrk + " is creating. ("), message);
        assertTrue(message.contains("Error Code: KMSInvalidStateException"), message);
    }

    @Test
    void disablingTheReplicaKeyFailsTheNextReplication() {
        String key = kms("eu-west-1").createKey(b -> { }).keyMetadata().keyId();
        east().createSecret(b -> b.name("db").secretString("v1").addReplicaRegions(region("eu-west-1", key)));
        advance(LAG);
        kms("eu-west-1").disableKey(b -> b.keyId(key));

        east().putSecretValue(b -> b.secretId("db").secretString("v2"));
        advance(LAG);

        assertEquals(StatusType.FAILED, status("db", "eu-west-1").status());
        assertTrue(status("db", "eu-west-1").statusMessage().contains("is disabled."));
    }

    @Test
    void replicationIntoARegionUnderOutageWaitsAndCompletesInOrderOnHeal() {
        east().createSecret(b -> b.name("db").secretString("v1").addReplicaRegions(region("eu-west-1")));
        emulator.faults().add(FaultRule.outage("eu-west-1"));
        advance(LAG.multipliedBy(10));
        east().putSecretValue(b -> b.secretId("db").secretString("v2"));
        advance(LAG.multipliedBy(10));

        assertEquals(StatusType.IN_PROGRESS, status("db", "eu-west-1").status());
        emulator.faults().heal("eu-west-1");

        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status());
        assertEquals("v2", west().getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void aReplicaInSyncBeforeAnOutageShowsInProgressWhileAChangeIsHeld() {
        east().createSecret(b -> b.name("db").secretString("v1").addReplicaRegions(region("eu-west-1")));
        advance(LAG);
        emulator.faults().add(FaultRule.outage("eu-west-1"));
        east().putSecretValue(b -> b.secretId("db").secretString("v2"));
        advance(LAG);

        assertEquals(StatusType.IN_PROGRESS, status("db", "eu-west-1").status());
        assertNull(status("db", "eu-west-1").statusMessage());
        emulator.faults().heal("eu-west-1");

        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status());
        assertEquals("v2", west().getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void aPrimaryRegionUnderOutageStopsSending() {
        east().createSecret(b -> b.name("db").secretString("v1").addReplicaRegions(region("eu-west-1")));
        advance(LAG);
        east().putSecretValue(b -> b.secretId("db").secretString("v2"));
        emulator.faults().add(FaultRule.outage("us-east-1"));
        advance(LAG.multipliedBy(10));

        assertEquals("v1", west().getSecretValue(b -> b.secretId("db")).secretString());
        emulator.faults().heal("us-east-1");
        assertEquals("v2", west().getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void anInjectedReplicationFaultFailsOnceAndTheNextChangeHeals() {
        emulator.faults().add(new FaultRule.ReplicationFailure(
                FaultRule.Scope.any().onRoute("us-east-1", "eu-west-1").times(1), null));
        east().createSecret(b -> b.name("db").secretString("v1").addReplicaRegions(region("eu-west-1")));
        advance(LAG);

        assertEquals(StatusType.FAILED, status("db", "eu-west-1").status());
        assertTrue(status("db", "eu-west-1").statusMessage().startsWith("Replication failed: "));

        east().putSecretValue(b -> b.secretId("db").secretString("v2"));
        advance(LAG);
        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status());
        assertEquals("v2", west().getSecretValue(b -> b.secretId("db")).secretString());
        String metrics = emulator.metrics().prometheus();
        assertTrue(metrics.contains("smlocal_replication_failure_total{from=\"us-east-1\",to=\"eu-west-1\"} 1"), metrics);
        // two successes: the failed delivery, sent again once the fault was used up, and v2's
        assertTrue(metrics.contains("smlocal_replication_success_total{from=\"us-east-1\",to=\"eu-west-1\"} 2"), metrics);
        assertTrue(emulator.events().all().stream().anyMatch(e -> e.eventName().equals("ReplicationFailed")));
        assertTrue(emulator.events().all().stream().anyMatch(e -> e.eventName().equals("ReplicationSucceeded")));
    }

    @Test
    void aFailReplicationFaultThatRunsOutEndsAsItsRemovalDoesTheFailedDeliveryIsSentAgain() {
        emulator.faults().add(new FaultRule.ReplicationFailure(
                FaultRule.Scope.any().onRoute("us-east-1", "eu-west-1").times(1), null));
        east().createSecret(b -> b.name("db").secretString("v1").addReplicaRegions(region("eu-west-1")));
        advance(LAG);
        assertEquals(StatusType.FAILED, status("db", "eu-west-1").status(), "the failure shows for one lag");
        assertTrue(emulator.faults().list().isEmpty(), "the fault's count is used up");

        advance(LAG);

        assertEquals(StatusType.IN_SYNC, status("db", "eu-west-1").status(), "no other change was needed");
        assertEquals("v1", west().getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void threeRegionsWithAPerRouteLag() {
        emulator.replicator().setRoutes(List.of(
                new dev.smlocal.server.replication.Replicator.Route("us-east-1", "ap-southeast-2", Duration.ofSeconds(5))));
        east().createSecret(b -> b.name("db").secretString("v1")
                .addReplicaRegions(region("eu-west-1"), region("ap-southeast-2")));

        advance(LAG);
        assertEquals("v1", west().getSecretValue(b -> b.secretId("db")).secretString());
        assertThrows(ResourceNotFoundException.class, () -> sm("ap-southeast-2").getSecretValue(b -> b.secretId("db")));
        advance(Duration.ofSeconds(5));
        assertEquals("v1", sm("ap-southeast-2").getSecretValue(b -> b.secretId("db")).secretString());
        emulator.replicator().setRoutes(List.of());
    }

    @Test
    void replicaReadsShowOnThePrimaryStatus() {
        east().createSecret(b -> b.name("db").secretString("v").addReplicaRegions(region("eu-west-1")));
        advance(LAG);
        assertNull(status("db", "eu-west-1").lastAccessedDate());

        west().getSecretValue(b -> b.secretId("db"));

        assertEquals(java.time.Instant.parse("2026-01-15T00:00:00Z"), status("db", "eu-west-1").lastAccessedDate());
    }

    @Test
    void primaryRegionFilterListsReplicatedSecretsOnly() {
        east().createSecret(b -> b.name("replicated").secretString("v").addReplicaRegions(region("eu-west-1")));
        east().createSecret(b -> b.name("local").secretString("v"));
        advance(LAG);

        Filter f = Filter.builder().key(FilterNameStringType.PRIMARY_REGION).values("us-east-1").build();
        assertEquals(List.of("replicated"), east().listSecrets(b -> b.filters(f)).secretList().stream()
                .map(SecretListEntry::name).toList());
        assertEquals(List.of("replicated"), west().listSecrets(b -> b.filters(f)).secretList().stream()
                .map(SecretListEntry::name).toList());
    }

    @Test
    void aRetriedCreateWithReplicasIsIdempotent() {
        String token = "0b5e4b1e-8d0c-4a4e-9a51-3f4c1a2b3c4d";
        CreateSecretResponse first = east().createSecret(b -> b.name("db").secretString("v").clientRequestToken(token)
                .addReplicaRegions(region("eu-west-1")));
        CreateSecretResponse again = east().createSecret(b -> b.name("db").secretString("v").clientRequestToken(token)
                .addReplicaRegions(region("eu-west-1")));

        assertEquals(first.arn(), again.arn());
        assertEquals(first.versionId(), again.versionId());
        assertEquals(1, again.replicationStatus().size());
        advance(LAG);
        assertEquals("v", west().getSecretValue(b -> b.secretId("db")).secretString());
    }

    @Test
    void aReplicaMayChangeItsOwnEncryptionKeyAndNothingElse() {
        String key = kms("eu-west-1").createKey(b -> { }).keyMetadata().arn();
        east().createSecret(b -> b.name("db").secretString("v1").addReplicaRegions(region("eu-west-1")));
        advance(LAG);

        west().updateSecret(b -> b.secretId("db").kmsKeyId(key));
        assertEquals(key, west().describeSecret(b -> b.secretId("db")).kmsKeyId(), "at once, before any primary change");
        assertTrue(west().listSecretVersionIds(b -> b.secretId("db")).versions().get(0).kmsKeyIds().contains(key));
        assertEquals("v1", west().getSecretValue(b -> b.secretId("db")).secretString());
        east().putSecretValue(b -> b.secretId("db").secretString("v2"));
        advance(LAG);

        assertEquals(key, west().describeSecret(b -> b.secretId("db")).kmsKeyId());
        assertEquals(key, status("db", "eu-west-1").kmsKeyId());
        assertEquals("v2", west().getSecretValue(b -> b.secretId("db")).secretString());
        assertEquals(List.of(key), west().listSecretVersionIds(b -> b.secretId("db")).versions().stream()
                .filter(v -> v.versionStages().contains("AWSCURRENT")).findFirst().orElseThrow().kmsKeyIds());
        assertThrows(InvalidParameterException.class,
                () -> west().updateSecret(b -> b.secretId("db").kmsKeyId(key).description("no")));
    }

    @Test
    void replicationIntoARegionThatIsNotEnabledFails() {
        east().createSecret(b -> b.name("db").secretString("v").addReplicaRegions(region("eu-central-1")));
        advance(LAG);

        assertEquals(StatusType.FAILED, status("db", "eu-central-1").status());
        assertEquals("Replication failed: The Region eu-central-1 is not enabled for this account.",
                status("db", "eu-central-1").statusMessage());
    }

    @Test
    void lagsAreSetThroughTheAdminApi() throws Exception {
        var put = java.net.http.HttpRequest.newBuilder(admin("replication")).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"defaultLag\":\"PT2S\",\"routes\":[{\"from\":\"us-east-1\",\"to\":\"us-west-2\",\"lag\":\"PT10S\"}]}"))
                .build();
        var answer = HTTP.send(put, java.net.http.HttpResponse.BodyHandlers.ofString());
        try {
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"defaultLag\" : \"PT2S\""), answer.body());
            east().createSecret(b -> b.name("db").secretString("v")
                    .addReplicaRegions(region("eu-west-1"), region("us-west-2")));

            advance(Duration.ofSeconds(2));
            assertEquals("v", west().getSecretValue(b -> b.secretId("db")).secretString());
            assertThrows(ResourceNotFoundException.class, () -> sm("us-west-2").getSecretValue(b -> b.secretId("db")));
            advance(Duration.ofSeconds(8));
            assertEquals("v", sm("us-west-2").getSecretValue(b -> b.secretId("db")).secretString());

            var bad = HTTP.send(java.net.http.HttpRequest.newBuilder(admin("replication"))
                    .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"defaultLag\":\"soon\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("\"error\""), bad.body());
        } finally {
            emulator.replicator().setDefaultLag(LAG);
            emulator.replicator().setRoutes(List.of());
        }
    }
}
