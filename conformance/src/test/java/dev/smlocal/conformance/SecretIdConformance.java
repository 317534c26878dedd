package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.conformance.support.Expect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * How a SecretId is resolved (AWS-BEHAVIOUR §2.1–2.3): full ARN, partial ARN, name; the ARN's form; the name
 * character rule checked before any lookup, on every operation; required members.
 */
class SecretIdConformance extends ConformanceCheck {
    static final String V_LOCALSTACK = "AWS-BEHAVIOUR §2.2 [V] — LocalStack snapshot against AWS, not yet run by this suite";
    static final String V_MISSING = "AWS-BEHAVIOUR §1.3 [V] — 'Value null at secretId' quoted from AWS in aws-sdk-kotlin#1469, not yet run by this suite";

    /** The operations that take a SecretId, each with the other members it needs to reach the lookup. */
    static final Map<String, Function<String, ObjectNode>> BY_SECRET_ID = new java.util.LinkedHashMap<>();

    static {
        BY_SECRET_ID.put("GetSecretValue", id -> json("SecretId", id));
        BY_SECRET_ID.put("DescribeSecret", id -> json("SecretId", id));
        BY_SECRET_ID.put("PutSecretValue", id -> json("SecretId", id, "SecretString", "v", "ClientRequestToken", token()));
        BY_SECRET_ID.put("UpdateSecret", id -> json("SecretId", id, "Description", "d"));
        BY_SECRET_ID.put("DeleteSecret", id -> json("SecretId", id));
        BY_SECRET_ID.put("RestoreSecret", id -> json("SecretId", id));
        BY_SECRET_ID.put("TagResource", id -> json("SecretId", id, "Tags", List.of(Map.of("Key", "k", "Value", "v"))));
        BY_SECRET_ID.put("UntagResource", id -> json("SecretId", id, "TagKeys", List.of("k")));
        BY_SECRET_ID.put("GetResourcePolicy", id -> json("SecretId", id));
        BY_SECRET_ID.put("PutResourcePolicy", id -> json("SecretId", id, "ResourcePolicy", ResourcePolicyConformance.ACCOUNT_POLICY));
        BY_SECRET_ID.put("DeleteResourcePolicy", id -> json("SecretId", id));
        BY_SECRET_ID.put("ListSecretVersionIds", id -> json("SecretId", id));
        BY_SECRET_ID.put("UpdateSecretVersionStage", id -> json("SecretId", id, "VersionStage", "CUSTOM",
                "MoveToVersionId", token()));
        BY_SECRET_ID.put("ValidateResourcePolicy", id -> json("SecretId", id, "ResourcePolicy", ResourcePolicyConformance.ACCOUNT_POLICY));
    }

    static Stream<Arguments> invalidNamesOnEveryOperation() {
        List<Arguments> out = new ArrayList<>();
        for (String op : BY_SECRET_ID.keySet()) {
            for (String bad : List.of(" ", "*", "?", "]", "\\")) out.add(Arguments.of(op, bad));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} with ''{1}''")
    @MethodSource("invalidNamesOnEveryOperation")
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.3/§2.2 [V] — LocalStack snapshot (DescribeSecret, GetSecretValue, …) and terraform-provider-aws#39406; other operations by AWS-BEHAVIOUR's 'every operation', not yet run by this suite")
    @GeneratedFromRule("an invalid character in SecretId is a ValidationException on every operation")
    void invalidCharacterInSecretIdIsValidationExceptionBeforeAnyLookup(String operation, String bad) {
        String id = name("bad") + bad + "name";

        Expect.error(raw(operation, BY_SECRET_ID.get(operation).apply(id)), 400, "ValidationException", INVALID_NAME);
    }

    @Test
    @AwsUnverified(reason = V_LOCALSTACK)
    void sdkSeesTheInvalidNameAsValidationException() {
        String id = name("with space") ;

        SecretsManagerException e = refused(SecretsManagerException.class, "ValidationException", INVALID_NAME,
                () -> sm().describeSecret(b -> b.secretId(id)));
        assertEquals(400, e.statusCode());
    }

    static Stream<Arguments> missingSecretId() {
        return Stream.of(
                Arguments.of("GetSecretValue", json()), Arguments.of("DescribeSecret", json()),
                Arguments.of("PutSecretValue", json("SecretString", "v", "ClientRequestToken", token())),
                Arguments.of("UpdateSecret", json("Description", "d")), Arguments.of("DeleteSecret", json()),
                Arguments.of("RestoreSecret", json()),
                Arguments.of("TagResource", json("Tags", List.of(Map.of("Key", "k", "Value", "v")))),
                Arguments.of("UntagResource", json("TagKeys", List.of("k"))), Arguments.of("GetResourcePolicy", json()),
                Arguments.of("PutResourcePolicy", json("ResourcePolicy", ResourcePolicyConformance.ACCOUNT_POLICY)),
                Arguments.of("DeleteResourcePolicy", json()), Arguments.of("ListSecretVersionIds", json()),
                Arguments.of("UpdateSecretVersionStage", json("VersionStage", "CUSTOM")),
                Arguments.of("RotateSecret", json("ClientRequestToken", token())), Arguments.of("CancelRotateSecret", json()),
                Arguments.of("ReplicateSecretToRegions", json("AddReplicaRegions", List.of(Map.of("Region", "eu-west-1")))),
                Arguments.of("RemoveRegionsFromReplication", json("RemoveReplicaRegions", List.of("eu-west-1"))),
                Arguments.of("StopReplicationToReplica", json()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingSecretId")
    @AwsUnverified(reason = V_MISSING)
    @GeneratedFromRule("a missing SecretId is a ValidationException naming the member on every operation")
    void missingSecretIdIsValidationExceptionNamingTheMember(String operation, ObjectNode body) {
        Expect.error(raw(operation, body), 400, "ValidationException",
                "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
    }

    @Test
    @AwsUnverified(reason = V_MISSING)
    void createSecretWithoutNameIsValidationExceptionNamingTheMember() {
        Expect.error(raw("CreateSecret", json("SecretString", "v", "ClientRequestToken", token())), 400,
                "ValidationException",
                "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.1 [D][V] — ARN form from the docs and LocalStack snapshots, not yet run by this suite")
    void arnHasTheNameAndASixCharacterSuffix() {
        String n = name("s");

        CreateSecretResponse r = createSecret(n, "v");

        String prefix = "arn:aws:secretsmanager:" + target.region() + ":";
        assertTrue(r.arn().startsWith(prefix), r.arn());
        assertTrue(r.arn().matches("arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:" + java.util.regex.Pattern.quote(n)
                + "-[A-Za-z0-9]{6}"), r.arn());
    }

    @ParameterizedTest(name = "by {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"name", "full ARN", "partial ARN"})
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.2 [D][V] — resolution order from the docs, LocalStack snapshots; not yet run by this suite")
    void secretIdResolvesByNameFullArnAndPartialArn(String form) {
        String n = name("s");
        String arn = createSecret(n, "v").arn();
        String id = switch (form) {
            case "name" -> n;
            case "full ARN" -> arn;
            default -> arn.substring(0, arn.length() - 7);
        };

        assertEquals("v", sm().getSecretValue(b -> b.secretId(id)).secretString());
        Expect.that(raw("DescribeSecret", json("SecretId", id))).status(200).verify();
    }

    @Test
    @AwsUnverified(reason = V_LOCALSTACK)
    void nameEndingLikeASuffixIsNotFoundByPartialArnButByNameAndFullArn() {
        String n = name("tricky") + "-abc123";
        String arn = createSecret(n, "v").arn();
        String partial = arn.substring(0, arn.length() - 7);

        assertEquals("v", sm().getSecretValue(b -> b.secretId(n)).secretString());
        assertEquals("v", sm().getSecretValue(b -> b.secretId(arn)).secretString());
        refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                () -> sm().getSecretValue(b -> b.secretId(partial)));
        Expect.error(raw("GetSecretValue", json("SecretId", partial)), 400, "ResourceNotFoundException", NOT_FOUND);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.2 [D] — docs: the name with its random suffix is not a name; not yet run by this suite")
    void nameWithItsSuffixButNoArnIsNotFound() {
        String n = name("s");
        String arn = createSecret(n, "v").arn();
        String nameWithSuffix = n + arn.substring(arn.length() - 7);

        refused(ResourceNotFoundException.class, "ResourceNotFoundException", NOT_FOUND,
                () -> sm().describeSecret(b -> b.secretId(nameWithSuffix)));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.2 [U] — an ARN naming another region is not found in the caller's region (emulator choice)")
    void arnOfAnotherRegionIsNotFound() {
        String n = name("s");
        String arn = createSecret(n, "v").arn();
        String elsewhere = arn.replace(":" + target.region() + ":", ":" + otherRegionThan(target.region()) + ":");

        Expect.error(raw("DescribeSecret", json("SecretId", elsewhere)), 400, "ResourceNotFoundException", NOT_FOUND);
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.1 [V] — LocalStack snapshot: a recreated name gets a new suffix; not yet run by this suite")
    void recreatedSecretGetsANewArnSuffix() {
        String n = name("s");
        String first = createSecret(n, "v").arn();
        sm().deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(true));

        // AWS may refuse the name for a few seconds after a forced delete (the secret is gone from
        // DescribeSecret before the name is free): poll the creation itself, bounded (Target.eventually)
        java.util.concurrent.atomic.AtomicReference<String> second = new java.util.concurrent.atomic.AtomicReference<>();
        target.eventually("the name can be created again after a forced delete", () -> {
            try {
                second.set(createSecret(n, "v").arn());
                return true;
            } catch (InvalidRequestException stillDeleting) {
                return false;
            }
        });

        assertNotEquals(first, second.get());
        assertEquals(n, sm().describeSecret(b -> b.secretId(n)).name());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.3 [V] — AWS's own service-created names use '!' (rds!cluster-…); accepting it is [U]")
    void exclamationMarkIsAValidNameCharacter() {
        String n = name("rds!like");

        createSecret(n, "v");

        assertEquals(n, sm().describeSecret(b -> b.secretId(n)).name());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.3 [D] — names are 1-512 characters (model NameType); the raw CreateSecret carries no token and no value, which §4.1 leaves unverified [U]")
    void nameOf512CharactersIsAccepted() {
        String base = name("long");
        String n = base + "x".repeat(512 - base.length());

        Expect.that(raw("CreateSecret", json("Name", n))).status(200).fields("ARN", "Name").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.3 [V template, U wording] — the generic length constraint sentence on 'name'")
    void nameOf513CharactersIsAValidationException() {
        String base = name("long");
        String n = base + "x".repeat(513 - base.length());

        Expect.that(raw("CreateSecret", json("Name", n))).status(400).type("ValidationException")
                .messageMatches("1 validation error detected: Value '.*' at 'name' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 512").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §2.2 [V] — ARNs are not subjected to the name character rule (LocalStack snapshot)")
    void arnWithCharactersANameMayNotHaveIsNotFoundRatherThanInvalid() {
        String arn = createSecret(name("s"), "v").arn();
        String odd = arn.substring(0, arn.lastIndexOf(':') + 1) + "no such secret*";

        Expect.error(raw("DescribeSecret", json("SecretId", odd)), 400, "ResourceNotFoundException", NOT_FOUND);
    }

    static String otherRegionThan(String region) {
        return region.equals("us-west-2") ? "us-east-1" : "us-west-2";
    }
}
