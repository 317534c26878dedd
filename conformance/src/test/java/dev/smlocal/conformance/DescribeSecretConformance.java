package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** DescribeSecret (AWS-BEHAVIOUR §5): members present only when they have a value, and what it shows. */
class DescribeSecretConformance extends ConformanceCheck {
    static final String V = "AWS-BEHAVIOUR §5 DescribeSecret [V] — LocalStack snapshots against AWS, not yet run by this suite";

    @Test
    @AwsUnverified(reason = V)
    void plainSecretShowsOnlyMembersWithValues() {
        String n = name("s");
        createSecret(n, "v");

        var raw = raw("DescribeSecret", json("SecretId", n));

        Expect.that(raw).status(200).fields("ARN", "Name", "LastChangedDate", "VersionIdsToStages", "CreatedDate")
                .memberType("CreatedDate", "number").memberType("LastChangedDate", "number").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.2 [V][D] — absent members are omitted, never null (LocalStack snapshots)")
    void noMemberIsEverNull() {
        String n = name("s");
        createSecret(n, null);

        var raw = raw("DescribeSecret", json("SecretId", n));

        raw.body().fields().forEachRemaining(e -> assertFalse(e.getValue().isNull(), e.getKey() + " is null"));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §9.1 [D][V] — the AWS managed key is not shown as KmsKeyId")
    void defaultKeyIsNotShown() {
        String n = name("s");
        createSecret(n, "v");

        assertEquals(null, sm().describeSecret(b -> b.secretId(n)).kmsKeyId());
    }

    @Test
    @AwsUnverified(reason = V)
    void rotationAndReplicationMembersAreAbsentUntilConfigured() {
        String n = name("s");
        createSecret(n, "v");

        Expect.that(raw("DescribeSecret", json("SecretId", n))).status(200)
                .lacks("RotationEnabled", "RotationLambdaARN", "RotationRules", "LastRotatedDate", "NextRotationDate",
                        "PrimaryRegion", "ReplicationStatus", "Tags", "Description", "KmsKeyId", "DeletedDate",
                        "LastAccessedDate", "OwningService").verify();
    }

    @Test
    @AwsUnverified(reason = V)
    void worksOnASecretScheduledForDeletionAndShowsDeletedDate() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        DescribeSecretResponse d = sm().describeSecret(b -> b.secretId(n));

        assertNotNull(d.deletedDate());
        Expect.that(raw("DescribeSecret", json("SecretId", n))).status(200).has("DeletedDate")
                .memberType("DeletedDate", "number").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DescribeSecret [D] — unknown secret, the common not-found text [V]")
    void unknownSecretIsResourceNotFound() {
        String n = name("missing");

        refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                () -> sm().describeSecret(b -> b.secretId(n)));
        Expect.error(raw("DescribeSecret", json("SecretId", n)), 400, "ResourceNotFoundException", NOT_FOUND);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §3 [D][V] — VersionIdsToStages lists labelled versions only")
    void versionMapListsEachLabelledVersion() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two")).versionId();

        Map<String, List<String>> map = sm().describeSecret(b -> b.secretId(n)).versionIdsToStages();

        assertEquals(Map.of(v1, List.of("AWSPREVIOUS"), v2, List.of("AWSCURRENT")), map);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §11 [V] — LastChangedDate is not moved by reads")
    void readsDoNotMoveLastChangedDate() {
        String n = name("s");
        createSecret(n, "v");
        var before = sm().describeSecret(b -> b.secretId(n)).lastChangedDate();

        sm().getSecretValue(b -> b.secretId(n));
        sm().listSecretVersionIds(b -> b.secretId(n));

        assertEquals(before, sm().describeSecret(b -> b.secretId(n)).lastChangedDate());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.2 [D][V] — epoch seconds with a fractional part")
    void datesAreEpochSecondsNumbers() {
        String n = name("s");
        createSecret(n, "v");

        var raw = raw("DescribeSecret", json("SecretId", n));

        double created = raw.body().get("CreatedDate").asDouble();
        assertTrue(created > 1.5e9 && created < 4.1e9, "epoch seconds, was " + created);
    }
}
