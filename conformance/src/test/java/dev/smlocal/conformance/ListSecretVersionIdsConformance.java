package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

/** ListSecretVersionIds (AWS-BEHAVIOUR §5). */
class ListSecretVersionIdsConformance extends ConformanceCheck {
    static final String V = "AWS-BEHAVIOUR §5 ListSecretVersionIds [V] — LocalStack snapshot against AWS, not yet run by this suite";

    @Test
    @AwsUnverified(reason = V)
    void answersEachLabelledVersionWithTheDefaultKeyLabel() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "v", v1);

        var raw = raw("ListSecretVersionIds", json("SecretId", n));

        Expect.that(raw).status(200).fields("ARN", "Name", "Versions")
                .has("Versions[].VersionId", "Versions[].VersionStages", "Versions[].CreatedDate", "Versions[].KmsKeyIds")
                .memberType("Versions[].CreatedDate", "number").verify();
        var v = raw.body().get("Versions").get(0);
        assertEquals(v1, v.get("VersionId").asText());
        assertEquals("[\"DefaultEncryptionKey\"]", v.get("KmsKeyIds").toString());
    }

    @Test
    @AwsUnverified(reason = V)
    void deprecatedVersionsAppearOnlyWhenAskedAndWithoutStages() {
        String n = name("s");
        String v1 = token();
        createSecret(n, "one", v1);
        sm().putSecretValue(b -> b.secretId(n).secretString("two"));
        sm().putSecretValue(b -> b.secretId(n).secretString("three"));

        ListSecretVersionIdsResponse plain = sm().listSecretVersionIds(b -> b.secretId(n));
        ListSecretVersionIdsResponse all = sm().listSecretVersionIds(b -> b.secretId(n).includeDeprecated(true));

        assertEquals(2, plain.versions().size());
        assertFalse(plain.versions().stream().anyMatch(v -> v.versionId().equals(v1)));
        SecretVersionsListEntry deprecated = all.versions().stream().filter(v -> v.versionId().equals(v1)).findFirst()
                .orElseThrow();
        assertFalse(deprecated.hasVersionStages(), "a deprecated version has no VersionStages member");
        assertEquals(3, all.versions().size());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 [D] — MaxResults pages with NextToken")
    void pagesCarryANextTokenUntilTheLast() {
        String n = name("s");
        createSecret(n, "one");
        sm().putSecretValue(b -> b.secretId(n).secretString("two"));
        sm().putSecretValue(b -> b.secretId(n).secretString("three").versionStages("CUSTOM"));

        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            String token = next;
            var page = sm().listSecretVersionIds(b -> b.secretId(n).maxResults(1).nextToken(token));
            page.versions().forEach(v -> seen.add(v.versionId()));
            next = page.nextToken();
            pages++;
        } while (next != null && pages < 10);

        assertEquals(3, seen.size(), seen.toString());
        assertEquals(3, new java.util.HashSet<>(seen).size());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §11 [D] — a tampered NextToken is InvalidNextTokenException; message [U]")
    void tamperedNextTokenIsInvalidNextToken() {
        String n = name("s");
        createSecret(n, "one");

        Expect.that(raw("ListSecretVersionIds", json("SecretId", n, "NextToken", "bm90LWEtdG9rZW4"))).status(400)
                .type("InvalidNextTokenException").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 [D] — unknown secret, the common not-found text [V]")
    void unknownSecretIsResourceNotFound() {
        String n = name("missing");

        refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                () -> sm().listSecretVersionIds(b -> b.secretId(n)));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §6 [U] — marked-for-deletion text on ListSecretVersionIds")
    void secretScheduledForDeletionIsInvalidRequest() {
        String n = name("s");
        createSecret(n, "v");
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        unchanged(n, () -> {
            refused(InvalidRequestException.class, "InvalidRequestException", MARKED_FOR_DELETION,
                    () -> sm().listSecretVersionIds(b -> b.secretId(n)));
        });
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 ListSecretVersionIds [U] — a customer key is listed by its key ARN")
    @CreatesKeys(1)
    void customerKeyIsListedByItsArn() {
        String n = name("s");
        String keyArn = createKey("conformance: versions key").keyMetadata().arn();
        track(n);
        sm().createSecret(b -> b.name(n).secretString("v").kmsKeyId(keyArn));

        var v = sm().listSecretVersionIds(b -> b.secretId(n)).versions().get(0);

        assertTrue(v.kmsKeyIds().contains(keyArn), v.kmsKeyIds().toString());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §4.4 [D][V] — a read stamps the version's LastAccessedDate too")
    void readStampsTheVersionsLastAccessedDate() {
        String n = name("s");
        createSecret(n, "v");
        assertNull(sm().listSecretVersionIds(b -> b.secretId(n)).versions().get(0).lastAccessedDate());

        sm().getSecretValue(b -> b.secretId(n));

        assertNotNull(sm().listSecretVersionIds(b -> b.secretId(n)).versions().get(0).lastAccessedDate());
    }
}
