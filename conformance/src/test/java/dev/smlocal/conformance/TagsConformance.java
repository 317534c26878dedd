package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.conformance.support.Expect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** TagResource / UntagResource (AWS-BEHAVIOUR §5). */
class TagsConformance extends ConformanceCheck {
    static final String V = "AWS-BEHAVIOUR §5 TagResource [D][V] — LocalStack snapshot of tags, not yet run by this suite";

    static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    List<String> tags(String n) {
        var d = sm().describeSecret(b -> b.secretId(n));
        return d.hasTags() ? d.tags().stream().map(t -> t.key() + "=" + t.value()).toList() : null;
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 TagResource [D] appending by key; [U] the order: the recorded [tag1, tag2] is insertion and alphabetical order at once, and an overwritten tag's position was never recorded")
    void tagsAppendInOrderAndOverwriteByKey() {
        String n = name("s");
        createSecret(n, "v");
        sm().tagResource(b -> b.secretId(n).tags(tag("tag1", "a"), tag("tag2", "b")));

        sm().tagResource(b -> b.secretId(n).tags(tag("tag1", "changed"), tag("tag3", "c")));

        assertEquals(List.of("tag1=changed", "tag2=b", "tag3=c"), tags(n));
    }

    @Test
    @AwsUnverified(reason = V)
    void untagRemovesTheKeysAndIgnoresUnknownOnes() {
        String n = name("s");
        createSecret(n, "v");
        sm().tagResource(b -> b.secretId(n).tags(tag("a", "1"), tag("b", "2")));

        sm().untagResource(b -> b.secretId(n).tagKeys("a", "never-there"));

        assertEquals(List.of("b=2"), tags(n));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 DescribeSecret [V] — Tags absent if never tagged, [] once all were removed")
    void removingEveryTagLeavesAnEmptyList() {
        String n = name("s");
        createSecret(n, "v");
        Expect.that(raw("DescribeSecret", json("SecretId", n))).status(200).lacks("Tags").verify();
        sm().tagResource(b -> b.secretId(n).tags(tag("a", "1")));

        sm().untagResource(b -> b.secretId(n).tagKeys("a"));

        var raw = raw("DescribeSecret", json("SecretId", n));
        assertTrue(raw.body().has("Tags"), raw.text());
        assertEquals(0, raw.body().get("Tags").size());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 TagResource [D] — tag keys are case-sensitive")
    void tagKeysAreCaseSensitive() {
        String n = name("s");
        createSecret(n, "v");

        sm().tagResource(b -> b.secretId(n).tags(tag("Env", "1"), tag("env", "2")));

        assertEquals(List.of("Env=1", "env=2"), tags(n));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.2 [D][V] — operations without output answer an empty object")
    void tagAndUntagAnswerNoMembers() {
        String n = name("s");
        createSecret(n, "v");

        var tag = raw("TagResource", json("SecretId", n, "Tags", List.of(Map.of("Key", "k", "Value", "v"))));
        var untag = raw("UntagResource", json("SecretId", n, "TagKeys", List.of("k")));

        Expect.ok(tag);
        Expect.ok(untag);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TagResource", "UntagResource"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 TagResource / §6 [V] — LocalStack snapshot: marked-for-deletion text")
    void secretScheduledForDeletionIsInvalidRequest(String operation) {
        String n = name("s");
        track(n);
        // tagged k=before, so that both a TagResource (k=v) and an UntagResource (k) applied by mistake would show
        sm().createSecret(b -> b.name(n).secretString("v").tags(tag("k", "before")));
        sm().deleteSecret(b -> b.secretId(n).recoveryWindowInDays(7L));

        unchanged(n, () -> {
            Expect.error(raw(operation, SecretIdConformance.BY_SECRET_ID.get(operation).apply(n)), 400, "InvalidRequestException",
                    MARKED_FOR_DELETION);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TagResource", "UntagResource"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §5 [D] — unknown secret, the common not-found text [V]")
    void unknownSecretIsResourceNotFound(String operation) {
        String n = name("missing");

        unchanged(n, () -> {
            Expect.error(raw(operation, SecretIdConformance.BY_SECRET_ID.get(operation).apply(n)), 400,
                    "ResourceNotFoundException", NOT_FOUND);
            refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                    () -> sm().tagResource(b -> b.secretId(n).tags(tag("k", "v"))));
        });
    }
}
