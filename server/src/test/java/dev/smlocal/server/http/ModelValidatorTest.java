package dev.smlocal.server.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelValidatorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SM_MODEL = "/aws-model/secretsmanager-service-2.json";
    private static final String KMS_MODEL = "/aws-model/kms-service-2.json";
    private static final String TEST_MODEL = "/model-validator/test-service.json";

    private static final ModelValidator SM = ModelValidator.load(SM_MODEL);
    private static final ModelValidator KMS = ModelValidator.load(KMS_MODEL);
    private static final ModelValidator TEST = ModelValidator.load(TEST_MODEL);

    private static final String NOT_NULL = "failed to satisfy constraint: Member must not be null";

    // ---- helpers -------------------------------------------------------------------------------

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static AwsException reject(ModelValidator validator, String operation, JsonNode input) {
        return assertThrows(AwsException.class, () -> validator.validate(operation, input));
    }

    private static void assertValidation(ModelValidator validator, String operation, String input, String message) {
        assertValidation(validator, operation, json(input), message);
    }

    private static void assertValidation(ModelValidator validator, String operation, JsonNode input, String message) {
        AwsException e = reject(validator, operation, input);
        assertEquals(ErrorType.VALIDATION, e.type(), e::toString);
        assertEquals(message, e.getMessage());
    }

    private static AwsException assertSerialization(ModelValidator validator, String operation, String input) {
        AwsException e = reject(validator, operation, json(input));
        assertEquals(ErrorType.SERIALIZATION, e.type(), e::toString);
        return e;
    }

    private static void assertValid(ModelValidator validator, String operation, String input) {
        assertDoesNotThrow(() -> validator.validate(operation, json(input)));
    }

    private static String repeat(String s, int times) {
        return s.repeat(times);
    }

    private static JsonNode model(String resource) {
        try (InputStream in = ModelValidatorTest.class.getResourceAsStream(resource)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the models ----------------------------------------------------------------------------

    @Test
    void knowsEverySecretsManagerOperation() {
        Set<String> expected = Set.of("BatchGetSecretValue", "CancelRotateSecret", "CreateSecret",
                "DeleteResourcePolicy", "DeleteSecret", "DescribeSecret", "GetRandomPassword", "GetResourcePolicy",
                "GetSecretValue", "ListSecretVersionIds", "ListSecrets", "PutResourcePolicy", "PutSecretValue",
                "RemoveRegionsFromReplication", "ReplicateSecretToRegions", "RestoreSecret", "RotateSecret",
                "StopReplicationToReplica", "TagResource", "UntagResource", "UpdateSecret",
                "UpdateSecretVersionStage", "ValidateResourcePolicy");
        assertEquals(23, SM.operations().size());
        assertEquals(expected, SM.operations());
        assertEquals("secretsmanager", SM.targetPrefix());
    }

    @Test
    void knowsTheKmsOperations() {
        Set<String> modelled = new TreeSet<>();
        model(KMS_MODEL).path("operations").fieldNames().forEachRemaining(modelled::add);
        assertEquals(modelled, new TreeSet<>(KMS.operations()));
        assertTrue(KMS.operations().containsAll(Set.of("CreateKey", "DescribeKey", "Encrypt", "Decrypt",
                "GenerateDataKey", "GenerateRandom", "CreateAlias", "ListAliases", "ScheduleKeyDeletion",
                "ReplicateKey", "UpdatePrimaryRegion")));
        assertEquals("TrentService", KMS.targetPrefix());
    }

    @Test
    void loadsAModelOnce() {
        assertSame(SM, ModelValidator.load(SM_MODEL));
    }

    @Test
    void unknownOperation() {
        AwsException e = reject(SM, "GetSecret", json("{}"));
        assertEquals(ErrorType.UNKNOWN_OPERATION, e.type());
    }

    @ParameterizedTest
    @CsvSource({"SecretId,secretId", "ARN,aRN", "Filters,filters", "a,a", "ÉTat,éTat"})
    void lowerFirstLowersOnlyTheFirstCharacter(String name, String segment) {
        assertEquals(segment, ModelValidator.lowerFirst(name));
    }

    @Test
    void lowerFirstOfEmpty() {
        assertEquals("", ModelValidator.lowerFirst(""));
    }

    // ---- required ------------------------------------------------------------------------------

    @Test
    void missingRequiredSecretId() {
        assertValidation(SM, "GetSecretValue", "{}",
                "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void nullCountsAsAbsent() {
        assertValidation(SM, "GetSecretValue", "{\"SecretId\": null, \"VersionId\": null}",
                "1 validation error detected: Value null at 'secretId' " + NOT_NULL);
        assertValid(SM, "GetSecretValue", "{\"SecretId\": \"s\", \"VersionId\": null}");
    }

    @Test
    void noBodyCountsAsAnEmptyObject() {
        assertValidation(SM, "DescribeSecret", (JsonNode) null,
                "1 validation error detected: Value null at 'secretId' " + NOT_NULL);
        assertDoesNotThrow(() -> SM.validate("ListSecrets", null));
    }

    @Test
    void twoErrorsAreJoined() {
        assertValidation(SM, "UpdateSecretVersionStage", "{}",
                "2 validation errors detected: Value null at 'secretId' " + NOT_NULL
                        + "; Value null at 'versionStage' " + NOT_NULL);
    }

    @Test
    void errorsFollowMemberDeclarationOrder() {
        // CreateSecret declares Name, ClientRequestToken, Description ... SecretString ... Tags
        String input = "{\"Tags\": [{\"Key\": \"\"}], \"SecretString\": \"\", \"ClientRequestToken\": \"short\"}";
        assertValidation(SM, "CreateSecret", input,
                "4 validation errors detected: Value null at 'name' " + NOT_NULL
                        + "; Value 'short' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32"
                        + "; Value at 'secretString' failed to satisfy constraint: Member must have length greater than or equal to 1"
                        + "; Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }

    @Test
    void reportsEveryViolation() {
        ArrayNode filters = NODES.arrayNode();
        for (int i = 0; i < 10; i++) {
            filters.addObject().put("Key", "bogus");
        }
        ObjectNode input = NODES.objectNode();
        input.set("Filters", filters);
        input.put("SortOrder", "up");
        AwsException e = reject(SM, "ListSecrets", input);
        assertTrue(e.getMessage().startsWith("11 validation errors detected: "), e.getMessage());
        assertTrue(e.getMessage().contains("at 'filters.10.member.key'"), e.getMessage());
    }

    @Test
    void sensitiveRequiredMemberHidesEvenNull() {
        assertValidation(KMS, "Encrypt", "{\"KeyId\": \"alias/x\"}",
                "1 validation error detected: Value at 'plaintext' " + NOT_NULL);
    }

    // ---- lengths -------------------------------------------------------------------------------

    @Test
    void sensitiveSecretStringTooLongPrintsNoValue() {
        ObjectNode input = NODES.objectNode().put("Name", "n").put("SecretString", repeat("x", 65537));
        assertValidation(SM, "CreateSecret", input,
                "1 validation error detected: Value at 'secretString' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 65536");
        input.put("SecretString", repeat("x", 65536));
        assertDoesNotThrow(() -> SM.validate("CreateSecret", input));
    }

    @Test
    void sensitiveBlobLengthIsTheDecodedByteCount() {
        String atLimit = Base64.getEncoder().encodeToString(new byte[65536]);
        String overLimit = Base64.getEncoder().encodeToString(new byte[65537]);
        ObjectNode input = NODES.objectNode().put("SecretId", "s").put("SecretBinary", atLimit);
        assertDoesNotThrow(() -> SM.validate("PutSecretValue", input));
        input.put("SecretBinary", overLimit);
        assertValidation(SM, "PutSecretValue", input,
                "1 validation error detected: Value at 'secretBinary' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 65536");
        assertValidation(SM, "PutSecretValue", "{\"SecretId\": \"s\", \"SecretBinary\": \"\"}",
                "1 validation error detected: Value at 'secretBinary' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1");
    }

    @Test
    void emptyNonSensitiveBlobPrintsTheByteBuffer() {
        assertValidation(KMS, "Decrypt", "{\"CiphertextBlob\": \"\"}",
                "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at 'ciphertextBlob' "
                        + "failed to satisfy constraint: Member must have length greater than or equal to 1");
    }

    @Test
    void clientRequestTokenTooShort() {
        assertValidation(SM, "PutSecretValue", "{\"SecretId\": \"s\", \"ClientRequestToken\": \"abcdefghij\"}",
                "1 validation error detected: Value 'abcdefghij' at 'clientRequestToken' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 32");
    }

    @Test
    void nameTooLong() {
        String name = repeat("n", 513);
        assertValidation(SM, "CreateSecret", "{\"Name\": \"" + name + "\"}",
                "1 validation error detected: Value '" + name + "' at 'name' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 512");
    }

    @Test
    void stringLengthCountsCodePoints() {
        String stage = repeat("\uD83D\uDD11", 256); // 256 code points, 512 UTF-16 units
        ObjectNode input = NODES.objectNode().put("SecretId", "s").put("VersionStage", stage);
        assertDoesNotThrow(() -> SM.validate("UpdateSecretVersionStage", input));
        input.put("VersionStage", stage + "\uD83D\uDD11");
        AwsException e = reject(SM, "UpdateSecretVersionStage", input);
        assertTrue(e.getMessage().endsWith("Member must have length less than or equal to 256"), e.getMessage());
    }

    @Test
    void listLengthCountsElements() {
        ArrayNode ids = NODES.arrayNode();
        for (int i = 0; i < 21; i++) {
            ids.add("s" + i);
        }
        ObjectNode input = NODES.objectNode();
        input.set("SecretIdList", ids);
        AwsException e = reject(SM, "BatchGetSecretValue", input);
        assertEquals("1 validation error detected: Value '[s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, "
                + "s14, s15, s16, s17, s18, s19, s20]' at 'secretIdList' failed to satisfy constraint: "
                + "Member must have length less than or equal to 20", e.getMessage());
        assertValidation(SM, "BatchGetSecretValue", "{\"SecretIdList\": []}",
                "1 validation error detected: Value '[]' at 'secretIdList' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1");
    }

    // ---- ranges --------------------------------------------------------------------------------

    @Test
    void passwordLengthTooLarge() {
        assertValidation(SM, "GetRandomPassword", "{\"PasswordLength\": 5000}",
                "1 validation error detected: Value '5000' at 'passwordLength' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 4096");
    }

    @Test
    void passwordLengthTooSmall() {
        assertValidation(SM, "GetRandomPassword", "{\"PasswordLength\": 0}",
                "1 validation error detected: Value '0' at 'passwordLength' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1");
    }

    @Test
    void wholeNumberWrittenAsDecimalIsAnInteger() {
        assertValid(SM, "GetRandomPassword", "{\"PasswordLength\": 32.0}");
        assertValidation(SM, "GetRandomPassword", "{\"PasswordLength\": 5000.0}",
                "1 validation error detected: Value '5000' at 'passwordLength' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 4096");
    }

    @Test
    void nestedStructurePath() {
        assertValidation(SM, "RotateSecret", "{\"SecretId\": \"s\", \"RotationRules\": {\"AutomaticallyAfterDays\": 0}}",
                "1 validation error detected: Value '0' at 'rotationRules.automaticallyAfterDays' failed to satisfy "
                        + "constraint: Member must have value greater than or equal to 1");
    }

    // ---- enums and patterns --------------------------------------------------------------------

    @Test
    void sortOrderEnum() {
        assertValidation(SM, "ListSecrets", "{\"SortOrder\": \"up\"}",
                "1 validation error detected: Value 'up' at 'sortOrder' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [asc, desc]");
        assertValid(SM, "ListSecrets", "{\"SortOrder\": \"desc\"}");
    }

    @Test
    void filterKeyEnumInsideAList() {
        assertValidation(SM, "ListSecrets",
                "{\"Filters\": [{\"Key\": \"name\", \"Values\": [\"a\"]}, {\"Key\": \"colour\", \"Values\": [\"b\"]}]}",
                "1 validation error detected: Value 'colour' at 'filters.2.member.key' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [description, name, tag-key, tag-value, primary-region, "
                        + "owning-service, all]");
    }

    @Test
    void filterValuesPatternIsReportedForTheWholeList() {
        assertValidation(SM, "ListSecrets", "{\"Filters\": [{\"Key\": \"name\", \"Values\": [\"ok\", \"bad*\"]}]}",
                "1 validation error detected: Value '[ok, bad*]' at 'filters.1.member.values' failed to satisfy "
                        + "constraint: Member must satisfy constraint: [Member must have length less than or equal to 512, "
                        + "Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$]");
    }

    @Test
    void listOfSimpleValuesReportsAllTheMemberConstraints() {
        assertValidation(SM, "BatchGetSecretValue", "{\"SecretIdList\": [\"a\", \"\"]}",
                "1 validation error detected: Value '[a, ]' at 'secretIdList' failed to satisfy constraint: "
                        + "Member must satisfy constraint: [Member must have length less than or equal to 2048, "
                        + "Member must have length greater than or equal to 1]");
    }

    @Test
    void patternIsMatchedAgainstTheWholeValue() {
        assertValid(SM, "ReplicateSecretToRegions",
                "{\"SecretId\": \"s\", \"AddReplicaRegions\": [{\"Region\": \"eu-west-1\"}]}");
        assertValidation(SM, "RemoveRegionsFromReplication",
                "{\"SecretId\": \"s\", \"RemoveReplicaRegions\": [\"eu-west-1x\"]}",
                "1 validation error detected: Value '[eu-west-1x]' at 'removeReplicaRegions' failed to satisfy "
                        + "constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, "
                        + "Member must have length greater than or equal to 1, "
                        + "Member must satisfy regular expression pattern: ^([a-z]+-)+\\d+$]");
        assertValidation(SM, "RotateSecret",
                "{\"SecretId\": \"s\", \"RotationRules\": {\"Duration\": \"10hours\"}}",
                "2 validation errors detected: Value '10hours' at 'rotationRules.duration' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [0-9]+h; Value '10hours' at "
                        + "'rotationRules.duration' failed to satisfy constraint: Member must have length less than or equal to 3");
    }

    @Test
    void patternComesBeforeLengthForOneValue() {
        assertValidation(TEST, "Op", "{\"Id\": \"AB\"}",
                "2 validation errors detected: Value 'AB' at 'id' failed to satisfy constraint: Member must satisfy "
                        + "regular expression pattern: [a-z]+; Value 'AB' at 'id' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 3");
    }

    // ---- maps, recursion, sensitivity (test model) ---------------------------------------------

    @Test
    void mapKeysAndValues() {
        assertValidation(TEST, "Op", "{\"Id\": \"abc\", \"Labels\": {\"ok\": \"v\", \"Bad1\": \"long\"}}",
                "2 validation errors detected: Value '{ok=v, Bad1=long}' at 'labels' failed to satisfy constraint: "
                        + "Map keys must satisfy constraint: [Member must have length less than or equal to 4, "
                        + "Member must have length greater than or equal to 1, Member must satisfy regular expression "
                        + "pattern: [a-z]+]; Value '{ok=v, Bad1=long}' at 'labels' failed to satisfy constraint: "
                        + "Map value must satisfy constraint: [Member must have length less than or equal to 3]");
        assertValidation(TEST, "Op", "{\"Id\": \"abc\", \"Labels\": {\"a\": \"1\", \"b\": \"2\", \"c\": \"3\"}}",
                "1 validation error detected: Value '{a=1, b=2, c=3}' at 'labels' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 2");
    }

    @Test
    void structuresInsideAMap() {
        assertValidation(TEST, "Op", "{\"Id\": \"abc\", \"Items\": {\"x\": {}, \"y\": {\"Count\": 10}}}",
                "2 validation errors detected: Value null at 'items.x.member.count' " + NOT_NULL
                        + "; Value '10' at 'items.y.member.count' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 9");
    }

    @Test
    void recursiveShapes() {
        assertValidation(TEST, "Op", "{\"Id\": \"abc\", \"Node\": {\"Next\": {\"Next\": {\"Name\": \"long\"}}}}",
                "1 validation error detected: Value 'long' at 'node.next.next.name' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 3");
    }

    @Test
    void sensitiveListMembersHideTheList() {
        assertValidation(TEST, "Op", "{\"Id\": \"abc\", \"Secrets\": [\"abc\", \"d\"]}",
                "2 validation errors detected: Value at 'secrets' failed to satisfy constraint: Member must have "
                        + "length less than or equal to 1; Value at 'secrets' failed to satisfy constraint: "
                        + "Member must satisfy constraint: [Member must have length less than or equal to 2]");
    }

    @Test
    void aSensitiveMemberDoesNotHideItsSiblings() {
        assertValidation(TEST, "Op", "{\"Id\": \"abc\", \"Holder\": {\"Visible\": \"long\", \"Hidden\": \"xyz\"}}",
                "2 validation errors detected: Value 'long' at 'holder.visible' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 3; Value at 'holder.hidden' failed to satisfy "
                        + "constraint: Member must have length less than or equal to 2");
    }

    @Test
    void doubleRanges() {
        assertValid(TEST, "Op", "{\"Id\": \"abc\", \"Ratio\": 0.5}");
        assertValidation(TEST, "Op", "{\"Id\": \"abc\", \"Ratio\": 1.5}",
                "1 validation error detected: Value '1.5' at 'ratio' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 1");
    }

    @Test
    void operationWithoutInputAcceptsAnyObject() {
        assertDoesNotThrow(() -> TEST.validate("NoInput", json("{\"Anything\": [1, 2]}")));
        assertEquals(ErrorType.SERIALIZATION, reject(TEST, "NoInput", json("[]")).type());
    }

    // ---- serialization -------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GetSecretValue | {\"SecretId\": 5}",
        "GetSecretValue | {\"SecretId\": true}",
        "GetSecretValue | {\"SecretId\": {}}",
        "GetSecretValue | {\"SecretId\": [\"s\"]}",
        "ListSecrets | {\"Filters\": {}}",
        "ListSecrets | {\"Filters\": \"name\"}",
        "ListSecrets | {\"Filters\": [\"name\"]}",
        "ListSecrets | {\"Filters\": [{\"Values\": [1]}]}",
        "ListSecrets | {\"MaxResults\": \"10\"}",
        "ListSecrets | {\"MaxResults\": 1.5}",
        "ListSecrets | {\"MaxResults\": 3000000000}",
        "ListSecrets | {\"IncludePlannedDeletion\": \"true\"}",
        "ListSecrets | {\"IncludePlannedDeletion\": 1}",
        "RotateSecret | {\"SecretId\": \"s\", \"RotationRules\": \"daily\"}",
        "RotateSecret | {\"SecretId\": \"s\", \"RotationRules\": []}",
        "GetRandomPassword | {\"PasswordLength\": \"32\"}",
        "GetRandomPassword | {\"PasswordLength\": 12345678901234567890123}",
        "PutSecretValue | {\"SecretId\": \"s\", \"SecretBinary\": 5}",
        "PutSecretValue | {\"SecretId\": \"s\", \"SecretBinary\": \"not base64!\"}",
        "PutSecretValue | {\"SecretId\": \"s\", \"SecretBinary\": \"QUJD=\"}",
        "UpdateSecretVersionStage | {\"SecretId\": \"s\", \"VersionStage\": null, \"MoveToVersionId\": 7}",
        "Encrypt | {\"KeyId\": \"k\", \"Plaintext\": \"QUJD\", \"EncryptionContext\": []}",
        "Encrypt | {\"KeyId\": \"k\", \"Plaintext\": \"QUJD\", \"EncryptionContext\": {\"a\": 1}}",
    })
    void wrongJsonTypes(String operation, String input) {
        ModelValidator validator = SM.operations().contains(operation) ? SM : KMS;
        AwsException e = assertSerialization(validator, operation, input);
        assertNotNull(e.getMessage());
    }

    @Test
    void shortsMustFitAShort() {
        assertSerialization(TEST, "Op", "{\"Id\": \"abc\", \"Small\": 40000}");
        assertValid(TEST, "Op", "{\"Id\": \"abc\", \"Small\": 400}");
    }

    @Test
    void timestampsAreEpochNumbers() {
        assertValid(TEST, "Op", "{\"Id\": \"abc\", \"When\": 1700000000.25}");
        assertSerialization(TEST, "Op", "{\"Id\": \"abc\", \"When\": \"2024-01-01T00:00:00Z\"}");
        assertSerialization(TEST, "Op", "{\"Id\": \"abc\", \"When\": {}}");
    }

    @Test
    void booleansAreJsonBooleans() {
        assertValid(TEST, "Op", "{\"Id\": \"abc\", \"Flag\": false}");
        assertSerialization(TEST, "Op", "{\"Id\": \"abc\", \"Flag\": \"false\"}");
        assertSerialization(TEST, "Op", "{\"Id\": \"abc\", \"Flag\": 0}");
    }

    @Test
    void typeMismatchMessageNamesTheMember() {
        AwsException e = assertSerialization(SM, "GetSecretValue", "{\"SecretId\": 5}");
        assertEquals("Unexpected JSON type for member 'SecretId': expected string", e.getMessage());
    }

    @Test
    void serializationWinsOverValidation() {
        // Name is missing and ClientRequestToken too short, but the Description type is wrong
        assertSerialization(SM, "CreateSecret", "{\"ClientRequestToken\": \"x\", \"Description\": 1}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[]", "\"text\"", "5", "null", "true"})
    void bodyMustBeAnObject(String body) {
        assertSerialization(SM, "ListSecrets", body);
    }

    @Test
    void serializationMessagesCarryNoValue() {
        AwsException e = assertSerialization(SM, "PutSecretValue",
                "{\"SecretId\": \"s\", \"SecretBinary\": \"top-secret!\"}");
        assertFalse(e.getMessage().contains("top-secret"), e.getMessage());
    }

    // ---- valid requests ------------------------------------------------------------------------

    @Test
    void validRequestsPass() {
        String token = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE";
        assertValid(SM, "CreateSecret", "{\"Name\": \"prod/db\", \"ClientRequestToken\": \"" + token + "\", "
                + "\"Description\": \"d\", \"SecretString\": \"{\\\"a\\\":1}\", "
                + "\"Tags\": [{\"Key\": \"team\", \"Value\": \"\"}], \"AddReplicaRegions\": [{\"Region\": \"eu-west-1\", "
                + "\"KmsKeyId\": \"alias/x\"}], \"ForceOverwriteReplicaSecret\": false, \"Unknown\": {\"x\": [1]}}");
        assertValid(SM, "PutSecretValue", "{\"SecretId\": \"s\", \"SecretBinary\": \"AAEC\", \"VersionStages\": [\"AWSCURRENT\"]}");
        assertValid(SM, "ListSecrets", "{\"MaxResults\": 100, \"Filters\": [{\"Key\": \"tag-key\", \"Values\": [\"!env\"]}], "
                + "\"SortBy\": \"name\", \"SortOrder\": \"asc\", \"IncludePlannedDeletion\": true}");
        assertValid(SM, "GetRandomPassword", "{\"PasswordLength\": 4096, \"ExcludeCharacters\": \"\", "
                + "\"ExcludeNumbers\": true, \"IncludeSpace\": false, \"RequireEachIncludedType\": true}");
        assertValid(SM, "RotateSecret", "{\"SecretId\": \"s\", \"RotationRules\": {\"AutomaticallyAfterDays\": 30, "
                + "\"Duration\": \"2h\", \"ScheduleExpression\": \"rate(10 days)\"}, \"RotateImmediately\": false}");
        assertValid(SM, "DeleteSecret", "{\"SecretId\": \"s\", \"RecoveryWindowInDays\": 7}");
        assertValid(SM, "UpdateSecretVersionStage", "{\"SecretId\": \"s\", \"VersionStage\": \"AWSPENDING\", "
                + "\"MoveToVersionId\": \"" + token + "\"}");
        assertValid(KMS, "Encrypt", "{\"KeyId\": \"alias/x\", \"Plaintext\": \"aGVsbG8=\", "
                + "\"EncryptionContext\": {\"purpose\": \"test\"}, \"EncryptionAlgorithm\": \"SYMMETRIC_DEFAULT\"}");
        assertValid(KMS, "GenerateRandom", "{\"NumberOfBytes\": 32}");
        assertValid(KMS, "CreateKey", "{\"Description\": \"k\", \"KeyUsage\": \"ENCRYPT_DECRYPT\", \"MultiRegion\": true, "
                + "\"Tags\": [{\"TagKey\": \"a\", \"TagValue\": \"b\"}]}");
    }

    @Test
    void anEmptyRequestFailsOncePerRequiredMember() {
        // a cheap end-to-end sanity check that no input shape is mis-compiled: an empty request fails
        // only with "must not be null" sentences, one per required member
        for (var entry : Map.of(SM, SM_MODEL, KMS, KMS_MODEL).entrySet()) {
            JsonNode model = model(entry.getValue());
            for (String operation : entry.getKey().operations()) {
                JsonNode inputShape = model.path("operations").path(operation).path("input").path("shape");
                int required = inputShape.isMissingNode() ? 0
                        : model.path("shapes").path(inputShape.asText()).path("required").size();
                if (required == 0) {
                    assertDoesNotThrow(() -> entry.getKey().validate(operation, json("{}")), operation);
                } else {
                    AwsException e = reject(entry.getKey(), operation, json("{}"));
                    assertEquals(ErrorType.VALIDATION, e.type(), operation);
                    assertEquals(required, e.getMessage().split("Member must not be null", -1).length - 1, operation);
                }
            }
        }
    }

    // ---- properties ----------------------------------------------------------------------------

    private static final List<Target> TARGETS = targets();

    /** One operation and the wire names of its input members. */
    private record Target(ModelValidator validator, String operation, List<String> members) {
        @Override
        public String toString() {
            return operation;
        }
    }

    private static List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        for (var entry : List.of(Map.entry(SM, SM_MODEL), Map.entry(KMS, KMS_MODEL), Map.entry(TEST, TEST_MODEL))) {
            JsonNode model = model(entry.getValue());
            for (String operation : entry.getKey().operations()) {
                List<String> members = new ArrayList<>();
                String input = model.path("operations").path(operation).path("input").path("shape").asText();
                model.path("shapes").path(input).path("members").fieldNames().forEachRemaining(members::add);
                members.add("NotAModelledMember");
                targets.add(new Target(entry.getKey(), operation, members));
            }
        }
        return targets;
    }

    /** Every member name of every model, so that random objects hit nested structures too. */
    private static final List<String> MEMBER_NAMES = memberNames();

    private static List<String> memberNames() {
        Set<String> names = new TreeSet<>();
        for (String resource : List.of(SM_MODEL, KMS_MODEL, TEST_MODEL)) {
            model(resource).path("shapes").forEach(shape ->
                    shape.path("members").fieldNames().forEachRemaining(names::add));
        }
        return List.copyOf(names);
    }

    @Provide
    Arbitrary<Target> targetsArbitrary() {
        return Arbitraries.of(TARGETS);
    }

    @Provide
    Arbitrary<JsonNode> anyJson() {
        return Arbitraries.recursive(this::scalars, this::containers, 0, 4);
    }

    private Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.bigIntegers().between(BigInteger.valueOf(Long.MIN_VALUE).shiftLeft(8),
                        BigInteger.valueOf(Long.MAX_VALUE).shiftLeft(8)).map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(0.0, -0.0, 1.0, 32.0, 4096.0, 1e19, -1e19, 1e300, Double.MAX_VALUE)
                        .map(NODES::numberNode),
                Arbitraries.bigDecimals().map(NODES::numberNode),
                Arbitraries.of(new BigDecimal("1E+400"), new BigDecimal("1E-400"), new BigDecimal("5.000"))
                        .map(NODES::numberNode),
                Arbitraries.strings().ofMaxLength(80).map(NODES::textNode),
                Arbitraries.strings().withChars("ABCabc019+/=").ofMaxLength(12).map(NODES::textNode),
                Arbitraries.of("", "asc", "desc", "name", "all", "eu-west-1", "a-a-a-a-1", "2h", "rate(1 days)",
                        "AWSCURRENT", "SYMMETRIC_DEFAULT", "alias/x", "\uD83D\uDD11", "\uD800").map(NODES::textNode),
                Arbitraries.integers().between(60_000, 70_000).map(n -> NODES.textNode("a".repeat(n))));
    }

    private Arbitrary<JsonNode> containers(Arbitrary<JsonNode> inner) {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(MEMBER_NAMES), Arbitraries.strings().ofMaxLength(6));
        Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(4).map(values -> {
            ArrayNode array = NODES.arrayNode();
            values.forEach(array::add);
            return array;
        });
        Arbitrary<JsonNode> objects = Arbitraries.maps(keys, inner).ofMaxSize(4).map(fields -> {
            ObjectNode object = NODES.objectNode();
            object.setAll(fields);
            return object;
        });
        return Arbitraries.oneOf(arrays, objects);
    }

    @Property(tries = 1000)
    void anyJsonInAnyMemberPositionOnlyFailsWithAnAwsError(
            @ForAll("targetsArbitrary") Target target,
            @ForAll("anyJson") JsonNode value,
            @ForAll("anyJson") JsonNode other,
            @ForAll int index) {
        ObjectNode input = NODES.objectNode();
        List<String> members = target.members();
        input.set(members.get(Math.floorMod(index, members.size())), value);
        input.set(members.get(Math.floorMod(index / 7, members.size())), other);
        try {
            target.validator().validate(target.operation(), input);
        } catch (AwsException e) {
            assertTrue(e.type() == ErrorType.VALIDATION || e.type() == ErrorType.SERIALIZATION, e::toString);
            assertNotNull(e.getMessage());
            if (e.type() == ErrorType.VALIDATION) {
                assertTrue(e.getMessage().matches("(?s)(1 validation error|\\d+ validation errors) detected: Value .*"),
                        e.getMessage());
            }
        }
    }

    @Property(tries = 300)
    void anyJsonBodyOnlyFailsWithAnAwsError(@ForAll("targetsArbitrary") Target target, @ForAll("anyJson") JsonNode body) {
        try {
            target.validator().validate(target.operation(), body);
        } catch (AwsException e) {
            assertTrue(e.type() == ErrorType.VALIDATION || e.type() == ErrorType.SERIALIZATION, e::toString);
        }
    }

    @Property(tries = 300)
    void secretValuesNeverReachAMessage(@ForAll("anyJson") JsonNode other, @ForAll boolean tooLong) {
        String marker = "MARKER" + (tooLong ? "x".repeat(65536) : "");
        ObjectNode input = NODES.objectNode();
        input.put("SecretString", marker);
        input.set("Name", other);
        input.set("Tags", other);
        input.set("ClientRequestToken", other);
        try {
            SM.validate("CreateSecret", input);
        } catch (AwsException e) {
            assertFalse(e.getMessage().contains("MARKER"), e::toString);
        }
    }

    @Property(tries = 2000)
    void base64LengthAgreesWithTheJdkDecoder(@ForAll("base64ish") String text) {
        int length;
        try {
            length = Base64.getDecoder().decode(text).length;
        } catch (IllegalArgumentException e) {
            length = -1;
        }
        assertEquals(length, ModelValidator.base64Length(text), text);
    }

    @Provide
    Arbitrary<String> base64ish() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("ABab09+/=").ofMaxLength(10),
                Arbitraries.strings().withChars("Aa=-_ \n").ofMaxLength(6),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(b -> Base64.getEncoder().encodeToString(b)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20)
                        .map(b -> Base64.getEncoder().withoutPadding().encodeToString(b)));
    }
}
