package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smlocal.conformance.support.Expect;
import dev.smlocal.conformance.support.RawAnswer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * The replication lifecycle as AWS shows it (AWS-BEHAVIOUR §7.1–§7.3): ReplicateSecretToRegions and
 * CreateSecret.AddReplicaRegions answer at once with {@code InProgress}; the replica becomes
 * {@code InSync} "Replication succeeded", keeps name and ARN suffix in its region, carries the
 * primary's versions and metadata and follows later changes; DescribeSecret and ListSecrets show
 * {@code PrimaryRegion} on both sides. Everything here runs against AWS too, waiting by bounded
 * polling.
 */
class ReplicationConformance extends MultiRegionCheck {
    static final String CLI = "AWS-BEHAVIOUR §7.2 [V] — AWS CLI example (replicate-secret-to-regions / describe-secret output), not yet run by this suite";

    @Test
    @AwsUnverified(reason = CLI + " (InProgress, no StatusMessage, KmsKeyId alias/aws/secretsmanager)")
    void replicateSecretToRegionsAnswersInProgressWithTheDefaultKey() {
        String n = name("s");
        String arn = createSecret(n, "v").arn();

        RawAnswer raw = raw("ReplicateSecretToRegions", json("SecretId", n,
                "AddReplicaRegions", List.of(Map.of("Region", replicaRegion()))));

        Expect.that(raw).status(200).fields("ARN", "ReplicationStatus")
                .has("ReplicationStatus[].Region", "ReplicationStatus[].KmsKeyId", "ReplicationStatus[].Status")
                .lacks("ReplicationStatus[].StatusMessage").verify();
        assertEquals(arn, raw.body().get("ARN").asText());
        JsonNode entry = raw.body().get("ReplicationStatus").get(0);
        assertEquals(1, raw.body().get("ReplicationStatus").size());
        assertEquals(replicaRegion(), entry.get("Region").asText());
        assertEquals("InProgress", entry.get("Status").asText());
        assertEquals(DEFAULT_KEY, entry.get("KmsKeyId").asText());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 CreateSecret [V] — ReplicationStatus only when AddReplicaRegions was given; §7.2 [V] InProgress")
    void createSecretWithReplicaRegionsAnswersTheirStatus() {
        String n = name("s");

        RawAnswer raw = raw("CreateSecret", json("Name", n, "SecretString", "v", "ClientRequestToken", token(),
                "AddReplicaRegions", List.of(Map.of("Region", replicaRegion()))));

        Expect.that(raw).status(200).fields("ARN", "Name", "VersionId", "ReplicationStatus")
                .lacks("ReplicationStatus[].StatusMessage").verify();
        JsonNode entry = raw.body().get("ReplicationStatus").get(0);
        assertEquals(replicaRegion(), entry.get("Region").asText());
        assertEquals("InProgress", entry.get("Status").asText());
        assertEquals(DEFAULT_KEY, entry.get("KmsKeyId").asText());
    }

    @Test
    @AwsUnverified(reason = CLI + " (InSync, \"Replication succeeded\")")
    void replicaBecomesInSyncWithReplicationSucceeded() {
        String n = name("s");
        createReplicated(n, "v", to(replicaRegion()));

        ReplicationStatusType s = awaitOutcome(n, replicaRegion());

        assertEquals(StatusType.IN_SYNC, s.status(), s.statusMessage());
        assertEquals(SUCCEEDED, s.statusMessage());
        assertEquals(DEFAULT_KEY, s.kmsKeyId());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.1 [D] — a replica has the primary's name and ARN suffix in its own region")
    void replicaKeepsNameAndArnSuffixInItsRegion() {
        String n = name("s");
        String arn = createInSync(n, "v").arn();

        DescribeSecretResponse replica = replicaSm().describeSecret(b -> b.secretId(n));

        assertEquals(arnIn(arn, replicaRegion()), replica.arn());
        assertEquals(n, replica.name());
        assertTrue(replica.arn().contains(":" + replicaRegion() + ":"), replica.arn());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DescribeSecret / §7.2 [V] — rebuy-de/aws-nuke#1127, AWS CLI example: the primary shows PrimaryRegion = its own region and ReplicationStatus")
    void primaryShowsItsOwnRegionAsPrimaryRegionAndTheReplicationStatus() {
        String n = name("s");
        createInSync(n, "v");

        RawAnswer raw = raw("DescribeSecret", json("SecretId", n));

        Expect.that(raw).status(200).has("PrimaryRegion", "ReplicationStatus[].Region", "ReplicationStatus[].KmsKeyId",
                "ReplicationStatus[].Status", "ReplicationStatus[].StatusMessage").verify();
        assertEquals(target.region(), raw.body().get("PrimaryRegion").asText());
        assertEquals(List.of(replicaRegion()), regionsOf(sm().describeSecret(b -> b.secretId(n)).replicationStatus()));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DescribeSecret / §7.3 [V] — on a replica PrimaryRegion names the primary's region; ReplicationStatus only on the primary")
    void replicaShowsThePrimaryRegionAndNoReplicationStatus() {
        String n = name("s");
        createInSync(n, "v");

        RawAnswer raw = raw(replicaRegion(), "DescribeSecret", json("SecretId", n));

        Expect.that(raw).status(200).has("ARN", "Name", "PrimaryRegion", "VersionIdsToStages")
                .lacks("ReplicationStatus").verify();
        assertEquals(target.region(), raw.body().get("PrimaryRegion").asText());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DescribeSecret [V] — PrimaryRegion only for secrets taking part in replication")
    void aStandaloneSecretHasNoPrimaryRegion() {
        String n = name("s");
        createSecret(n, "v");

        Expect.that(raw("DescribeSecret", json("SecretId", n))).status(200).lacks("PrimaryRegion", "ReplicationStatus")
                .verify();
    }

    @ParameterizedTest(name = "by {0}")
    @ValueSource(strings = {"name", "replica ARN", "partial ARN"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.3 [D][V] — replicas are read in their region by name, full replica ARN or partial ARN")
    void replicaValueIsReadInItsRegion(String form) {
        String n = name("s");
        String arn = arnIn(createInSync(n, "v").arn(), replicaRegion());
        String id = switch (form) {
            case "name" -> n;
            case "replica ARN" -> arn;
            default -> arn.substring(0, arn.length() - 7);
        };

        awaitReplicaValue(n, "v");
        var got = replicaSm().getSecretValue(b -> b.secretId(id));

        assertEquals("v", got.secretString());
        assertEquals(arn, got.arn());
        assertEquals(List.of("AWSCURRENT"), got.versionStages());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.1 [D] — the replica carries every version id, its staging labels, the description and the tags")
    void replicaCarriesVersionsStagesDescriptionAndTags() {
        String n = name("s");
        track(n);
        sm().createSecret(b -> b.name(n).secretString("v1").description("described")
                .tags(Tag.builder().key("team").value("core").build()));
        sm().putSecretValue(b -> b.secretId(n).secretString("v2"));
        sm().replicateSecretToRegions(b -> b.secretId(n).addReplicaRegions(to(replicaRegion())));
        expectInSync(n, replicaRegion());
        awaitReplicaValue(n, "v2");

        DescribeSecretResponse p = sm().describeSecret(b -> b.secretId(n));
        DescribeSecretResponse r = replicaSm().describeSecret(b -> b.secretId(n));

        assertEquals(p.versionIdsToStages(), r.versionIdsToStages());
        assertEquals("described", r.description());
        assertEquals(p.tags(), r.tags());
        assertEquals("v1", replicaSm().getSecretValue(b -> b.secretId(n).versionStage("AWSPREVIOUS")).secretString());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.1 [D][V-ish] — a new value on the primary reaches the replica, same version id")
    void aNewPrimaryValueReachesTheReplica() {
        String n = name("s");
        createInSync(n, "v1");

        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("v2")).versionId();

        awaitReplicaValue(n, "v2");
        assertEquals(v2, replicaSm().getSecretValue(b -> b.secretId(n)).versionId());
        assertEquals(StatusType.IN_SYNC, expectInSync(n, replicaRegion()).status());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.1 [D] — metadata changes on the primary (description, tags) reach the replica")
    void metadataChangesReachTheReplica() {
        String n = name("s");
        createInSync(n, "v");

        sm().updateSecret(b -> b.secretId(n).description("later"));
        sm().tagResource(b -> b.secretId(n).tags(Tag.builder().key("k").value("later").build()));

        target.awaitReplication("the replica shows the new description and tag", () -> {
            DescribeSecretResponse r = replicaSm().describeSecret(b -> b.secretId(n));
            return "later".equals(r.description()) && r.hasTags()
                    && r.tags().contains(Tag.builder().key("k").value("later").build());
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.1 [D][V-ish] — policies propagate (terraform-aws-secrets-manager#188, retracted claim); §7.4 [U] GetResourcePolicy allowed on a replica")
    void resourcePolicyReachesTheReplica() {
        String n = name("s");
        String arn = createInSync(n, "v").arn();
        String policy = ResourcePolicyConformance.policy(account(arn));

        sm().putResourcePolicy(b -> b.secretId(n).resourcePolicy(policy));

        AtomicReference<String> last = new AtomicReference<>();
        target.awaitReplication("the replica answers the primary's policy", () -> {
            last.set(replicaSm().getResourcePolicy(b -> b.secretId(n)).resourcePolicy());
            return last.get() != null;
        });
        assertTrue(last.get().contains("secretsmanager:GetSecretValue"), last.get());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [V] — the replica region lists the replica, with PrimaryRegion and without ReplicationStatus")
    void listSecretsInTheReplicaRegionShowsTheReplica() {
        String n = name("s");
        String arn = createInSync(n, "v").arn();

        AtomicReference<List<SecretListEntry>> listed = new AtomicReference<>();
        target.eventually("ListSecrets in " + replicaRegion() + " shows the replica", () -> {
            listed.set(replicaSm().listSecrets(b -> b.filters(f -> f.key(FilterNameStringType.NAME).values(n)))
                    .secretList());
            return listed.get().size() == 1;
        });
        SecretListEntry e = listed.get().get(0);
        assertEquals(arnIn(arn, replicaRegion()), e.arn());
        assertEquals(target.region(), e.primaryRegion());
        Expect.that(raw(replicaRegion(), "ListSecrets", json("Filters", List.of(Map.of("Key", "name", "Values", List.of(n))))))
                .status(200).has("SecretList[].PrimaryRegion").lacks("SecretList[].ReplicationStatus").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.2 [V] — the primary's ListSecrets entry shows PrimaryRegion = its own region")
    void listSecretsInThePrimaryRegionShowsPrimaryRegion() {
        String n = name("s");
        createInSync(n, "v");

        AtomicReference<List<SecretListEntry>> listed = new AtomicReference<>();
        target.eventually("ListSecrets shows the primary with its PrimaryRegion", () -> {
            listed.set(sm().listSecrets(b -> b.filters(f -> f.key(FilterNameStringType.NAME).values(n))).secretList());
            return listed.get().size() == 1 && listed.get().get(0).primaryRegion() != null;
        });
        assertEquals(target.region(), listed.get().get(0).primaryRegion());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecrets [D][E] — primary-region matches the primary and its replicas, never a standalone secret")
    void primaryRegionFilterMatchesPrimaryAndReplicaOnly() {
        String replicated = name("replicated");
        String alone = name("alone");
        createInSync(replicated, "v");
        createSecret(alone, "v");

        for (String region : List.of(target.region(), replicaRegion())) {
            target.eventually("primary-region " + target.region() + " in " + region + " lists only the replicated secret", () -> {
                List<String> names = sm(region).listSecrets(b -> b.filters(
                        f -> f.key(FilterNameStringType.NAME).values(scenario().scope()),
                        f -> f.key(FilterNameStringType.PRIMARY_REGION).values(target.region()))).secretList().stream()
                        .map(SecretListEntry::name).toList();
                return names.equals(List.of(replicated));
            });
        }
    }

    @Test
    @AwsUnverified(reason = ListSecretsConformance.NEG_MIXED + " (primary-region, in the primary's and the replica's region)")
    void negatedPrimaryRegionExcludesPrimaryAndReplica() {
        String replicated = name("replicated");
        String alone = name("alone");
        createInSync(replicated, "v");
        createSecret(alone, "v");

        for (String region : List.of(target.region(), replicaRegion())) {
            List<String> expected = region.equals(target.region()) ? List.of(alone) : List.of();
            AtomicReference<List<String>> last = new AtomicReference<>();
            try {
                target.eventually("!primary-region in " + region + " lists " + expected, () -> {
                    last.set(sm(region).listSecrets(b -> b.filters(
                            f -> f.key(FilterNameStringType.NAME).values(scenario().scope()),
                            f -> f.key(FilterNameStringType.PRIMARY_REGION).values("!" + target.region()))).secretList()
                            .stream().map(SecretListEntry::name).toList());
                    return last.get().equals(expected);
                });
            } catch (AssertionError e) {
                assertEquals(expected, last.get(), "negated primary-region in " + region);
            }
            // mixed: the replicated secret's own region is ruled out again by the negation
            List<String> mixed = sm(region).listSecrets(b -> b.filters(
                    f -> f.key(FilterNameStringType.NAME).values(scenario().scope()),
                    f -> f.key(FilterNameStringType.PRIMARY_REGION).values(target.region(), "!" + target.region())))
                    .secretList().stream().map(SecretListEntry::name).toList();
            assertEquals(List.of(), mixed, "primary-region [" + target.region() + ", !" + target.region() + "] in " + region);
        }
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.2 [D] — ReplicationStatus[].KmsKeyId is the key given for the region; the replica is encrypted under it")
    @CreatesKeys(1)
    void aCustomerKeyInTheReplicaRegionIsEchoedAndUsed() {
        KeyMetadata key = kms(replicaRegion()).createKey(b -> b.description("conformance: replica key")).keyMetadata();
        trackKey(replicaRegion(), key.keyId());
        String n = name("s");

        var created = createReplicated(n, "v", to(replicaRegion(), key.arn()));
        ReplicationStatusType s = expectInSync(n, replicaRegion());

        assertEquals(key.arn(), created.replicationStatus().get(0).kmsKeyId());
        assertEquals(key.arn(), s.kmsKeyId());
        awaitReplicaValue(n, "v");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.2 [D] — ReplicationStatus[].LastAccessedDate: the date of the last GetSecretValue in that region, absent before")
    void aReplicaReadShowsAsLastAccessedDateOnThePrimary() {
        String n = name("s");
        createInSync(n, "v");
        assertEquals(null, status(n, replicaRegion()).orElseThrow().lastAccessedDate(), "never read yet");

        awaitReplicaValue(n, "v");

        target.eventually("the primary's status shows the replica read", () ->
                status(n, replicaRegion()).orElseThrow().lastAccessedDate() != null);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.2 [brief/U] — a primary without a value replicates InSync; the replica has no versions")
    void aSecretWithoutAValueReplicatesInSync() {
        String n = name("s");
        createReplicated(n, null, to(replicaRegion()));

        expectInSync(n, replicaRegion());

        target.awaitReplication("the replica exists", () -> existsIn(replicaRegion(), n));
        Expect.that(raw(replicaRegion(), "DescribeSecret", json("SecretId", n))).status(200)
                .has("PrimaryRegion").lacks("VersionIdsToStages").verify();
    }

    // ---- synchronous refusals ------------------------------------------------------------------

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.2 [V] — 'Invalid replica region.' quoted from AWS (aws-health-aware#32)")
    void replicatingIntoTheOwnRegionIsInvalidReplicaRegion() {
        String n = name("s");
        createSecret(n, "v");

        unchanged(target.regions(), n, () -> {
            refused(InvalidParameterException.class, "InvalidParameterException", "Invalid replica region.",
                    () -> sm().replicateSecretToRegions(b -> b.secretId(n).addReplicaRegions(to(target.region()))));
            Expect.error(raw("ReplicateSecretToRegions", json("SecretId", n,
                    "AddReplicaRegions", List.of(Map.of("Region", target.region())))), 400, "InvalidParameterException",
                    "Invalid replica region.");
        });
        assertFalse(sm().describeSecret(b -> b.secretId(n)).hasReplicationStatus(), "nothing was replicated");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.2 [V] — an unknown secret is not found")
    void replicatingAnUnknownSecretIsResourceNotFound() {
        String n = name("never");

        unchanged(target.regions(), n, () -> {
            refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                    () -> sm().replicateSecretToRegions(b -> b.secretId(n).addReplicaRegions(to(replicaRegion()))));
            Expect.error(raw("ReplicateSecretToRegions", json("SecretId", n,
                    "AddReplicaRegions", List.of(Map.of("Region", replicaRegion())))), 400, "ResourceNotFoundException", NOT_FOUND);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §6 / §7.2 [U] — a secret marked for deletion is refused with the marked-for-deletion text")
    void replicatingASecretMarkedForDeletionIsInvalidRequest() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        unchanged(List.of(target.region(), replicaRegion()), n, () -> {
            Expect.error(raw("ReplicateSecretToRegions", json("SecretId", n,
                    "AddReplicaRegions", List.of(Map.of("Region", replicaRegion())))), 400, "InvalidRequestException",
                    MARKED_FOR_DELETION);
        });
        assertFalse(existsIn(replicaRegion(), n));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §7.2 [U] — re-adding a region that already has a replica: recommended InvalidParameterException (text unknown, not asserted)")
    void replicatingAgainToTheSameRegionIsInvalidParameter() {
        String n = name("s");
        createInSync(n, "v");

        unchanged(List.of(target.region(), replicaRegion()), n, () -> {
            RawAnswer again = raw("ReplicateSecretToRegions", json("SecretId", n,
                    "AddReplicaRegions", List.of(Map.of("Region", replicaRegion()))));

            Expect.that(again).status(400).type("InvalidParameterException").fields("__type", "Message").verify();
            assertNotNull(again.message());
        });
        assertEquals(1, sm().describeSecret(b -> b.secretId(n)).replicationStatus().size());
    }
}
