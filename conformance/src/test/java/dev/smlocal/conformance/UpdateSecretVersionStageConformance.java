package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.smlocal.conformance.support.Expect;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;

/** UpdateSecretVersionStage (AWS-BEHAVIOUR §4.2, §4.3). */
class UpdateSecretVersionStageConformance extends ConformanceCheck {
    static final String V = "AWS-BEHAVIOUR §4.3 [V] — moto aws_verified / LocalStack snapshot, not yet run by this suite";

    Map<String, List<String>> stages(String n) {
        return sm().describeSecret(b -> b.secretId(n)).versionIdsToStages();
    }

    static Set<String> set(List<String> l) {
        return l == null ? Set.of() : new HashSet<>(l);
    }

    @Test
    @AwsUnverified(reason = V)
    void movingAwsCurrentWithoutRemoveFromIsInvalidParameterNamingTheHolder() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two").versionStages("AWSPENDING")).versionId();
        String msg = "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version "
                + v1 + ", so you must explicitly reference that version in RemoveFromVersionId.";

        unchanged(n, () -> {
            refused(InvalidParameterException.class, "InvalidParameterException", msg,
                    () -> sm().updateSecretVersionStage(b -> b.secretId(n).versionStage("AWSCURRENT").moveToVersionId(v2)));
            Expect.error(raw("UpdateSecretVersionStage", json("SecretId", n, "VersionStage", "AWSCURRENT", "MoveToVersionId", v2)),
                    400, "InvalidParameterException", msg);
        });
    }

    @Test
    @AwsUnverified(reason = V)
    void movingAwsCurrentKeepsTheTargetsOtherLabelsAndGivesAwsPreviousToTheOldHolder() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two").versionStages("AWSPENDING")).versionId();

        sm().updateSecretVersionStage(b -> b.secretId(n).versionStage("AWSCURRENT").moveToVersionId(v2).removeFromVersionId(v1));

        Map<String, List<String>> map = stages(n);
        assertEquals(Set.of("AWSCURRENT", "AWSPENDING"), set(map.get(v2)));
        assertEquals(Set.of("AWSPREVIOUS"), set(map.get(v1)));
        assertEquals("two", sm().getSecretValue(b -> b.secretId(n)).secretString());
    }

    @Test
    @AwsUnverified(reason = V)
    void laterPendingValueTakesAwsPendingOffTheCurrentVersion() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two").versionStages("AWSPENDING")).versionId();
        sm().updateSecretVersionStage(b -> b.secretId(n).versionStage("AWSCURRENT").moveToVersionId(v2).removeFromVersionId(v1));

        String v3 = sm().putSecretValue(b -> b.secretId(n).secretString("three").versionStages("AWSPENDING")).versionId();

        Map<String, List<String>> map = stages(n);
        assertEquals(Set.of("AWSCURRENT"), set(map.get(v2)));
        assertEquals(Set.of("AWSPENDING"), set(map.get(v3)));
    }

    @Test
    @AwsUnverified(reason = "docs/AWS-BEHAVIOUR.md, staging labels: recorded on AWS (ListSecretVersionIds), not yet run by this suite")
    void aPlainPutTakesAwsPendingOffTheVersionThatLosesAwsCurrent() {
        String n = name("s");
        String v0 = token();
        createSecret(n, "zero", v0);
        String v1 = sm().putSecretValue(b -> b.secretId(n).secretString("one").versionStages("AWSPENDING")).versionId();
        sm().updateSecretVersionStage(b -> b.secretId(n).versionStage("AWSCURRENT").moveToVersionId(v1).removeFromVersionId(v0));
        assertEquals(Set.of("AWSCURRENT", "AWSPENDING"), set(stages(n).get(v1)), "the move keeps AWSPENDING");

        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two")).versionId();

        Map<String, List<String>> map = stages(n);
        assertEquals(List.of("AWSCURRENT"), map.get(v2));
        assertEquals(List.of("AWSPREVIOUS"), map.get(v1), "v1 lost AWSPENDING with AWSCURRENT: " + map);
        assertFalse(map.containsKey(v0), "v0 has no label left: " + map);
        assertEquals("one", sm().getSecretValue(b -> b.secretId(n).versionStage("AWSPREVIOUS")).secretString());
    }

    @Test
    @AwsUnverified(reason = V)
    void answersOnlyArnAndName() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);

        Expect.ok(raw("UpdateSecretVersionStage", json("SecretId", n, "VersionStage", "CUSTOM", "MoveToVersionId", v1)),
                "ARN", "Name");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.3 [D] — MoveToVersionId alone attaches a label that is attached nowhere")
    void moveToAloneAttachesAFreeLabel() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);

        sm().updateSecretVersionStage(b -> b.secretId(n).versionStage("CUSTOM").moveToVersionId(v1));

        assertEquals(Set.of("AWSCURRENT", "CUSTOM"), set(stages(n).get(v1)));
        assertEquals("one", sm().getSecretValue(b -> b.secretId(n).versionStage("CUSTOM")).secretString());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.3 [D] — RemoveFromVersionId alone detaches; a version without labels is deprecated")
    void removeFromAloneDetachesAndMayDeprecate() {
        String n = name("s");
        createSecret(n, "one");
        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two").versionStages("CUSTOM")).versionId();

        sm().updateSecretVersionStage(b -> b.secretId(n).versionStage("CUSTOM").removeFromVersionId(v2));

        assertFalse(stages(n).containsKey(v2), stages(n).toString());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.3 [D] rule; the message mirrors the AWSCURRENT template [U]")
    void movingACustomLabelWithoutRemoveFromIsInvalidParameter() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        sm().updateSecretVersionStage(b -> b.secretId(n).versionStage("CUSTOM").moveToVersionId(v1));
        String v2 = sm().putSecretValue(b -> b.secretId(n).secretString("two").versionStages("OTHER")).versionId();

        unchanged(n, () -> {
            refused(InvalidParameterException.class, "InvalidParameterException",
                    "The parameter RemoveFromVersionId can't be empty. Staging label CUSTOM is currently attached to version "
                            + v1 + ", so you must explicitly reference that version in RemoveFromVersionId.",
                    () -> sm().updateSecretVersionStage(b -> b.secretId(n).versionStage("CUSTOM").moveToVersionId(v2)));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.3 [E] — moto's 'Not a valid version' for an unknown version id")
    void unknownVersionIdIsInvalidParameter() {
        String n = name("s");
        createSecret(n, "one");
        String unknown = token();

        unchanged(n, () -> {
            Expect.error(raw("UpdateSecretVersionStage", json("SecretId", n, "VersionStage", "CUSTOM", "MoveToVersionId", unknown)),
                    400, "InvalidParameterException", "Not a valid version: " + unknown);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.3 [E] — moto's text when the label is not on RemoveFromVersionId")
    void labelNotOnRemoveFromIsInvalidParameter() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);

        unchanged(n, () -> {
            Expect.error(raw("UpdateSecretVersionStage", json("SecretId", n, "VersionStage", "CUSTOM", "RemoveFromVersionId", v1)),
                    400, "InvalidParameterException", "Version stage CUSTOM not found in version " + v1);
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §6 [U] — marked-for-deletion text on UpdateSecretVersionStage")
    void secretScheduledForDeletionIsInvalidRequest() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        unchanged(n, () -> {
            refused(InvalidRequestException.class, "InvalidRequestException", MARKED_FOR_DELETION,
                    () -> sm().updateSecretVersionStage(b -> b.secretId(n).versionStage("CUSTOM").moveToVersionId(v1)));
        });
    }
}
