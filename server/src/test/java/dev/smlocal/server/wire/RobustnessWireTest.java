package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.http.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * A barrage of hostile requests: random bytes, deep nesting, huge strings in every member,
 * unknown targets, wrong JSON types, nulls, invalid base64, extreme numbers and odd credential
 * scopes. Every answer must be AWS-shaped (never a 5xx, never an empty body, never a hang: each
 * request has a timeout), the hostile ones a 4xx; a secret written before reads back unchanged
 * after, and the server still serves. Cases are drawn from a fixed seed, so a failure names a
 * reproducible case.
 */
class RobustnessWireTest extends WireSupport {
    static final long SEED = 20260115L;
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String SIGNED = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/secretsmanager/aws4_request, "
            + "SignedHeaders=host, Signature=0";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** HTTP/1.1, as the AWS SDKs speak it (ProtocolWireTest's helpers go through h2c as well). */
    static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    /** One hostile request; {@code mustFail}: a 2xx answer is a failure too. */
    record Case(String what, String target, byte[] body, String authorization, boolean mustFail) {
        static Case json(String what, String target, String body, boolean mustFail) {
            return new Case(what, target, body.getBytes(StandardCharsets.UTF_8), SIGNED, mustFail);
        }

        static Case json(String what, String target, JsonNode body, boolean mustFail) {
            return json(what, target, body.toString(), mustFail);
        }
    }

    /** A modeled input member: its name and shape, and the model the shape lives in. */
    record Member(String name, JsonNode shape, JsonNode shapes) {
        String type() {
            return shape.path("type").asText();
        }

        JsonNode shapeOf(String ref) {
            return shapes.get(ref);
        }
    }

    private static JsonNode smShapes;
    private static JsonNode kmsShapes;
    private static JsonNode smOperations;
    private static JsonNode kmsOperations;

    @BeforeAll
    static void loadModels() throws IOException {
        JsonNode sm = model("/aws-model/secretsmanager-service-2.json");
        JsonNode kms = model("/aws-model/kms-service-2.json");
        smShapes = sm.get("shapes");
        smOperations = sm.get("operations");
        kmsShapes = kms.get("shapes");
        kmsOperations = kms.get("operations");
    }

    private static JsonNode model(String resource) throws IOException {
        try (InputStream in = RobustnessWireTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return JSON.readTree(in);
        }
    }

    @Test
    void hostileRequestsGetAwsShapedClientErrorsAndDoNotDisturbStoredSecrets() {
        String keepValue = "keep-value-\u00e9\u4e2d-" + "k".repeat(1000);
        String keepVersion = sm().createSecret(b -> b.name("robustness/keep").secretString(keepValue)
                .description("kept")).versionId();
        DescribeSecretResponse before = sm().describeSecret(b -> b.secretId("robustness/keep"));
        List<Case> cases = cases(new SplittableRandom(SEED));
        List<String> failures = new ArrayList<>();

        for (Case c : cases) {
            String problem = check(c, send(c));
            if (problem != null) failures.add(c.what() + " -> " + problem);
        }

        assertTrue(cases.size() > 700, "cases: " + cases.size());
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " hostile requests (seed " + SEED
                + ") were answered badly:\n" + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
        DescribeSecretResponse after = sm().describeSecret(b -> b.secretId("robustness/keep"));
        assertEquals(keepValue, sm().getSecretValue(b -> b.secretId("robustness/keep")).secretString());
        assertEquals(keepVersion, sm().getSecretValue(b -> b.secretId("robustness/keep")).versionId());
        assertEquals(before.versionIdsToStages(), after.versionIdsToStages());
        assertEquals(before.description(), after.description());
        assertEquals(before.lastChangedDate(), after.lastChangedDate());
        for (String key : List.of("name", "description", "tag-key", "tag-value", "primary-region", "owning-service", "all")) {
            for (String value : List.of("k", "!k")) {
                Raw list = raw("secretsmanager.ListSecrets", "{\"Filters\":[{\"Key\":\"" + key + "\",\"Values\":[\"" + value + "\"]}],"
                        + "\"SortBy\":\"name\"}");
                assertNull(check(Case.json("list", "secretsmanager.ListSecrets", "{}", false), list), key + "=" + value);
                Raw batch = raw("secretsmanager.BatchGetSecretValue", "{\"Filters\":[{\"Key\":\"" + key + "\",\"Values\":[\"" + value + "\"]}]}");
                assertNull(check(Case.json("batch", "secretsmanager.BatchGetSecretValue", "{}", false), batch), key + "=" + value);
            }
        }
        assertEquals("fresh", sm().getSecretValue(b -> b.secretId(
                sm().createSecret(c -> c.name("robustness/after").secretString("fresh")).arn())).secretString());
    }

    // ---- checking one answer ---------------------------------------------------------------------

    /** What is wrong with the answer, or null. */
    static String check(Case c, Raw r) {
        if (r == null) return "no answer within " + TIMEOUT;
        String head = r.status() + " " + abbreviate(r.body());
        if (r.status() >= 500 || r.status() < 200) return "status " + head;
        if (r.headers().firstValue("x-amzn-RequestId").isEmpty()) return "no x-amzn-RequestId: " + head;
        if (!"application/x-amz-json-1.1".equals(r.headers().firstValue("Content-Type").orElse(null))) {
            return "content type " + r.headers().firstValue("Content-Type").orElse(null) + ": " + head;
        }
        if (r.body() == null || r.body().isEmpty()) return "empty body, status " + r.status();
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            return "body is not JSON: " + head;
        }
        if (body == null || !body.isObject()) return "body is not a JSON object: " + head;
        if (r.status() >= 400) {
            if (!body.path("__type").isTextual() || body.path("__type").asText().isBlank()) return "no __type: " + head;
            if (!body.path("Message").isTextual()) return "no Message: " + head;
            if (body.size() != 2) return "members besides __type and Message: " + head;
            return null;
        }
        if (c.mustFail()) return "accepted: " + head;
        return containsNull(body) ? "null in a success body: " + head : null;
    }

    private static boolean containsNull(JsonNode n) {
        if (n.isNull()) return true;
        for (JsonNode child : n) if (containsNull(child)) return true;
        return false;
    }

    private static String abbreviate(String s) {
        if (s == null) return "<null>";
        return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
    }

    /** Sends a case; null when no answer came within the timeout. */
    private Raw send(Case c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.target() != null) b.header("X-Amz-Target", c.target());
        if (c.authorization() != null) b.header("Authorization", c.authorization());
        try {
            HttpResponse<String> r = HTTP11.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(r.statusCode(), r.body(), r.headers());
        } catch (java.net.http.HttpTimeoutException e) {
            return null;
        } catch (IOException e) {
            return new Raw(0, "transport failure: " + e, java.net.http.HttpHeaders.of(Map.of(), (x, y) -> true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- the cases ---------------------------------------------------------------------------------

    private List<Case> cases(SplittableRandom random) {
        Map<String, List<Member>> inputs = inputs();
        List<Case> out = new ArrayList<>();
        randomBytes(random, inputs, out);
        deepNesting(out);
        hugeStrings(random, inputs, out);
        unknownTargets(random, out);
        wrongTypes(random, inputs, out);
        nulls(inputs, out);
        invalidBase64(out);
        extremeNumbers(inputs, out);
        oddCredentials(out);
        return out;
    }

    /** Target → modeled input members, for every registered operation. */
    private Map<String, List<Member>> inputs() {
        Map<String, List<Member>> out = new LinkedHashMap<>();
        for (Operation<?> op : emulator.operations().all()) {
            boolean sm = op.service().equals("secretsmanager");
            JsonNode shapes = sm ? smShapes : kmsShapes;
            JsonNode operation = (sm ? smOperations : kmsOperations).get(op.name());
            assertNotNull(operation, op.target());
            List<Member> members = new ArrayList<>();
            String input = operation.path("input").path("shape").asText(null);
            if (input != null) {
                shapes.get(input).path("members").fields().forEachRemaining(m ->
                        members.add(new Member(m.getKey(), shapes.get(m.getValue().path("shape").asText()), shapes)));
            }
            out.put(op.target(), members);
        }
        return out;
    }

    /** Targets whose input has a required member, so that no body can succeed by accident. */
    private List<String> targetsWithRequiredMembers() {
        List<String> out = new ArrayList<>();
        for (Operation<?> op : emulator.operations().all()) {
            boolean sm = op.service().equals("secretsmanager");
            JsonNode operation = (sm ? smOperations : kmsOperations).get(op.name());
            String input = operation.path("input").path("shape").asText(null);
            if (input != null && (sm ? smShapes : kmsShapes).get(input).path("required").size() > 0) out.add(op.target());
        }
        return out;
    }

    private void randomBytes(SplittableRandom random, Map<String, List<Member>> inputs, List<Case> out) {
        List<String> targets = targetsWithRequiredMembers();
        String jsonish = "{}[]\":,0123456789.-+eEtruefalsn \\/u\t\nabc\u00e9";
        for (int i = 0; i < 60; i++) {
            String target = targets.get(random.nextInt(targets.size()));
            byte[] body = new byte[1 + random.nextInt(2000)];
            random.nextBytes(body);
            if (body[0] == '{' || Character.isWhitespace(body[0])) body[0] = '%';
            out.add(new Case("random bytes #" + i + " to " + target, target, body, SIGNED, true));
        }
        for (int i = 0; i < 60; i++) {
            String target = targets.get(random.nextInt(targets.size()));
            StringBuilder sb = new StringBuilder("{");
            int n = random.nextInt(200);
            for (int k = 0; k < n; k++) sb.append(jsonish.charAt(random.nextInt(jsonish.length())));
            out.add(Case.json("random JSON-like text #" + i + " to " + target, target, sb.toString(), true));
        }
        // a known member followed by random bytes inside its string
        for (int i = 0; i < 20; i++) {
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            byte[] prefix = "{\"SecretId\":\"".getBytes(StandardCharsets.US_ASCII);
            byte[] body = new byte[prefix.length + noise.length + 2];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(noise, 0, body, prefix.length, noise.length);
            body[body.length - 2] = '"';
            body[body.length - 1] = '}';
            out.add(new Case("random bytes in SecretId #" + i, "secretsmanager.GetSecretValue", body, SIGNED, true));
        }
    }

    private void deepNesting(List<Case> out) {
        int deep = 10_000;
        String arrays = "[".repeat(deep) + "]".repeat(deep);
        String objects = "{\"a\":".repeat(deep) + "1" + "}".repeat(deep);
        out.add(Case.json("10k nested arrays as the body", "secretsmanager.GetSecretValue", arrays, true));
        out.add(Case.json("10k nested objects as the body", "secretsmanager.GetSecretValue", objects, true));
        out.add(Case.json("10k unclosed arrays", "secretsmanager.GetSecretValue", "[".repeat(deep), true));
        out.add(Case.json("10k nested arrays in SecretId", "secretsmanager.GetSecretValue",
                "{\"SecretId\":" + arrays + "}", true));
        out.add(Case.json("10k nested objects in an unknown member", "secretsmanager.GetSecretValue",
                "{\"SecretId\":\"robustness-missing\",\"Extra\":" + objects + "}", true));
        out.add(Case.json("10k nested arrays in Filters", "secretsmanager.ListSecrets", "{\"Filters\":" + arrays + "}", true));
        out.add(Case.json("10k nested arrays in Tags", "secretsmanager.TagResource",
                "{\"SecretId\":\"robustness-missing\",\"Tags\":" + arrays + "}", true));
        out.add(Case.json("10k nested objects in EncryptionContext", "TrentService.Encrypt",
                "{\"KeyId\":\"alias/none\",\"Plaintext\":\"AA==\",\"EncryptionContext\":" + objects + "}", true));
        int shallow = 900; // under the parser's nesting limit: the validator and the mapping see it
        String arrays900 = "[".repeat(shallow) + "]".repeat(shallow);
        String objects900 = "{\"a\":".repeat(shallow) + "1" + "}".repeat(shallow);
        out.add(Case.json("900 nested arrays in an unknown member", "secretsmanager.GetSecretValue",
                "{\"SecretId\":\"robustness-missing\",\"Extra\":" + arrays900 + "}", true));
        out.add(Case.json("900 nested objects in an unknown member", "secretsmanager.GetSecretValue",
                "{\"SecretId\":\"robustness-missing\",\"Extra\":" + objects900 + "}", true));
        out.add(Case.json("900 nested arrays in Filters", "secretsmanager.ListSecrets", "{\"Filters\":" + arrays900 + "}", true));
        out.add(Case.json("900 nested arrays in SecretIdList", "secretsmanager.BatchGetSecretValue",
                "{\"SecretIdList\":" + arrays900 + "}", true));
        out.add(Case.json("900 nested objects in a Tag", "secretsmanager.CreateSecret",
                "{\"Name\":\"robustness-deep\",\"Tags\":[{\"Key\":" + objects900 + "}]}", true));
        out.add(Case.json("900 nested objects in EncryptionContext", "TrentService.Encrypt",
                "{\"KeyId\":\"alias/none\",\"Plaintext\":\"AA==\",\"EncryptionContext\":{\"k\":" + objects900 + "}}", true));
    }

    private void hugeStrings(SplittableRandom random, Map<String, List<Member>> inputs, List<Case> out) {
        // 70,000 characters, or more than the member's modeled maximum (KMS's Policy: 131072)
        List<String> huge = List.of("x", "\u00e9", "\uD83D\uDD11", "a-", "arn:aws:secretsmanager:us-east-1:000000000000:secret:n");
        int variant = 0;
        for (Map.Entry<String, List<Member>> op : inputs.entrySet()) {
            ObjectNode everyMember = NODES.objectNode();
            for (Member m : op.getValue()) {
                int length = Math.max(70_000, m.shape().path("max").asInt(0) + 1);
                String unit = huge.get(variant++ % huge.size());
                String value = unit.length() > 2 ? unit + "n".repeat(length) : unit.repeat(length / unit.length() + 1);
                out.add(Case.json("huge string (" + value.length() + " chars) in " + m.name() + " of " + op.getKey(),
                        op.getKey(), NODES.objectNode().put(m.name(), value), true));
                everyMember.put(m.name(), "h".repeat(20_000 + random.nextInt(1_000)));
            }
            if (!op.getValue().isEmpty()) {
                out.add(Case.json("huge strings in every member of " + op.getKey(), op.getKey(), everyMember, true));
            }
        }
        out.add(Case.json("huge unknown member", "secretsmanager.ListSecrets",
                NODES.objectNode().put("Unknown", "u".repeat(900_000)), false));
        out.add(Case.json("huge member name", "secretsmanager.GetSecretValue",
                "{\"" + "K".repeat(500_000) + "\":1}", true));
        out.add(Case.json("many members", "secretsmanager.GetSecretValue", manyMembers(20_000), true));
        out.add(Case.json("huge list of ids", "secretsmanager.BatchGetSecretValue",
                "{\"SecretIdList\":[" + "\"a\",".repeat(100_000) + "\"a\"]}", true));
        // the model sets no maximum; smlocal does not enforce the documented 50-tag quota (yet)
        out.add(Case.json("huge tag list", "secretsmanager.CreateSecret",
                "{\"Name\":\"robustness-tags\",\"Tags\":[" + "{\"Key\":\"k\",\"Value\":\"v\"},".repeat(2_000)
                        + "{\"Key\":\"k\"}]}", false));
    }

    private static String manyMembers(int n) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) sb.append("\"m").append(i).append("\":").append(i).append(',');
        return sb.append("\"SecretId\":5}").toString();
    }

    private void unknownTargets(SplittableRandom random, List<Case> out) {
        List<String> targets = new ArrayList<>(List.of("", " ", ".", "secretsmanager", "secretsmanager.",
                "secretsmanager..GetSecretValue", "secretsmanager.getsecretvalue", "SECRETSMANAGER.GetSecretValue",
                "secretsmanager.GetSecretValue.Extra", "secretsmanager.GetSecretValue/", "TrentService",
                "TrentService.", "TrentService.Sign", "TrentService.GetSecretValue", "secretsmanager.Encrypt",
                "kms.Encrypt", "secretsmanager.__proto__", "secretsmanager.toString", "secretsmanager.%00",
                "secretsmanager.GetSecretValue;DROP", "${jndi:ldap://x/a}", "../../etc/passwd", "*", "x".repeat(8_000)));
        String printable = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-:/#*?@!$%&()[]{}<>=+~^|'\"` ";
        for (int i = 0; i < 30; i++) {
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "secretsmanager." : "");
            int n = 1 + random.nextInt(60);
            for (int k = 0; k < n; k++) sb.append(printable.charAt(random.nextInt(printable.length())));
            targets.add(sb.toString().strip().isEmpty() ? "x" : sb.toString().strip());
        }
        for (String t : targets) {
            out.add(Case.json("target '" + abbreviate(t) + "'", t, "{\"SecretId\":\"robustness-missing\"}", true));
        }
        out.add(new Case("no target and no body", null, new byte[0], SIGNED, true));
    }

    private void wrongTypes(SplittableRandom random, Map<String, List<Member>> inputs, List<Case> out) {
        for (Map.Entry<String, List<Member>> op : inputs.entrySet()) {
            for (Member m : op.getValue()) {
                List<JsonNode> wrong = wrongValues(m.type());
                JsonNode v1 = wrong.get(random.nextInt(wrong.size()));
                ObjectNode body1 = NODES.objectNode();
                body1.set(m.name(), v1);
                out.add(Case.json(m.type() + " " + m.name() + " of " + op.getKey() + " given " + v1, op.getKey(), body1, true));
                JsonNode element = elementShape(m);
                if (element != null) {
                    List<JsonNode> wrongElements = wrongValues(element.path("type").asText());
                    for (int k = 0; k < 2; k++) {
                        JsonNode v = wrongElements.get(random.nextInt(wrongElements.size()));
                        ObjectNode body = NODES.objectNode();
                        body.putArray(m.name()).add(v);
                        out.add(Case.json("element of " + m.name() + " of " + op.getKey() + " given " + v,
                                op.getKey(), body, true));
                    }
                }
            }
        }
        String[][] nested = {
            {"secretsmanager.ListSecrets", "{\"Filters\":[{\"Key\":5}]}"},
            {"secretsmanager.ListSecrets", "{\"Filters\":[{\"Key\":\"name\",\"Values\":\"x\"}]}"},
            {"secretsmanager.ListSecrets", "{\"Filters\":[{\"Key\":\"name\",\"Values\":[5]}]}"},
            {"secretsmanager.ListSecrets", "{\"Filters\":[{\"Key\":\"nonsense\",\"Values\":[\"x\"]}]}"},
            {"secretsmanager.ListSecrets", "{\"Filters\":[{\"Key\":\"name\",\"Values\":[\"" + "v".repeat(600) + "\"]}]}"},
            {"secretsmanager.ListSecrets", "{\"Filters\":[{}]}"},
            {"secretsmanager.ListSecrets", "{\"Filters\":[{\"Values\":[\"x\"]}]}"},
            {"secretsmanager.ListSecrets", "{\"NextToken\":\"not-a-token\"}"},
            {"secretsmanager.ListSecrets", "{\"NextToken\":\"c21sb2NhbDotNTpmZg\"}"},
            {"secretsmanager.ListSecrets", "{\"SortBy\":\"size\"}"},
            {"secretsmanager.BatchGetSecretValue", "{}"},
            {"secretsmanager.BatchGetSecretValue", "{\"SecretIdList\":[]}"},
            {"secretsmanager.BatchGetSecretValue", "{\"Filters\":[{\"Key\":\"name\"}]}"},
            {"secretsmanager.BatchGetSecretValue", "{\"SecretIdList\":[\"a\"],\"Filters\":[{\"Key\":\"name\",\"Values\":[\"a\"]}]}"},
            {"secretsmanager.CreateSecret", "{\"Name\":\"robustness-t\",\"Tags\":[{\"Key\":[],\"Value\":{}}]}"},
            {"secretsmanager.CreateSecret", "{\"Name\":\"robustness-r\",\"AddReplicaRegions\":[{\"Region\":5}]}"},
            {"secretsmanager.CreateSecret", "{\"Name\":\"robustness-r\",\"AddReplicaRegions\":[{}]}"},
            {"secretsmanager.CreateSecret", "{\"Name\":\"has space\"}"},
            {"secretsmanager.CreateSecret", "{\"Name\":\"\"}"},
            {"secretsmanager.CreateSecret", "{\"Name\":\"robustness-k\",\"KmsKeyId\":\"alias/none\"}"},
            {"secretsmanager.CreateSecret", "{\"Name\":\"robustness-k\",\"KmsKeyId\":\"arn:aws:kms:us-east-1:000000000000:key/x\"}"},
            {"secretsmanager.GetSecretValue", "{\"SecretId\":\"arn:\"}"},
            {"secretsmanager.GetSecretValue", "{\"SecretId\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:\"}"},
            {"secretsmanager.GetSecretValue", "{\"SecretId\":\"arn:aws:secretsmanager:::secret:x-abcdef\"}"},
            {"secretsmanager.GetSecretValue", "{\"SecretId\":\"arn:aws:secretsmanager:us-east-1:999999999999:secret:x\"}"},
            {"secretsmanager.GetSecretValue", "{\"SecretId\":\"robustness/keep\",\"VersionId\":\"x\"}"},
            {"secretsmanager.GetSecretValue", "{\"SecretId\":\"robustness/keep\",\"VersionStage\":\"NONE\"}"},
            {"secretsmanager.DeleteSecret", "{\"SecretId\":\"robustness-missing\",\"ForceDeleteWithoutRecovery\":true,\"RecoveryWindowInDays\":7}"},
            {"secretsmanager.UpdateSecretVersionStage", "{\"SecretId\":\"robustness/keep\",\"VersionStage\":\"AWSCURRENT\"}"},
            {"secretsmanager.UpdateSecretVersionStage", "{\"SecretId\":\"robustness/keep\",\"VersionStage\":\"AWSCURRENT\",\"RemoveFromVersionId\":\"nope\"}"},
            {"secretsmanager.PutResourcePolicy", "{\"SecretId\":\"robustness/keep\",\"ResourcePolicy\":\"{\"}"},
            {"secretsmanager.PutResourcePolicy", "{\"SecretId\":\"robustness/keep\",\"ResourcePolicy\":\"[1,2]\"}"},
            {"secretsmanager.PutResourcePolicy", "{\"SecretId\":\"robustness/keep\",\"ResourcePolicy\":\"{\\\"Statement\\\":5}\"}"},
            {"secretsmanager.ValidateResourcePolicy", "{\"ResourcePolicy\":\"" + "[".repeat(5_000) + "\"}"},
            {"secretsmanager.ValidateResourcePolicy", "{\"ResourcePolicy\":\"" + "[".repeat(5_000) + "]".repeat(5_000) + "\"}"},
            {"secretsmanager.PutSecretValue", "{\"SecretId\":\"robustness/keep\",\"ClientRequestToken\":\"a1b2c3d4-0000-4000-8000-000000000001\"}"},
            {"secretsmanager.PutSecretValue", "{\"SecretId\":\"robustness/keep\",\"ClientRequestToken\":\"a1b2c3d4-0000-4000-8000-000000000001\",\"SecretString\":\"v\",\"VersionStages\":[]}"},
            {"secretsmanager.GetRandomPassword", "{\"ExcludeLowercase\":true,\"ExcludeUppercase\":true,\"ExcludeNumbers\":true,\"ExcludePunctuation\":true}"},
            {"TrentService.Encrypt", "{\"KeyId\":\"alias/none\",\"Plaintext\":\"AA==\",\"EncryptionContext\":{\"k\":5}}"},
            {"TrentService.Encrypt", "{\"KeyId\":\"alias/none\",\"Plaintext\":\"AA==\",\"EncryptionContext\":[]}"},
            {"TrentService.Decrypt", "{\"CiphertextBlob\":\"AAAA\"}"},
            {"TrentService.Decrypt", "{\"CiphertextBlob\":\"" + "A".repeat(6_000) + "\"}"},
            {"TrentService.CreateKey", "{\"KeySpec\":\"RSA_2048\"}"},
            {"TrentService.CreateKey", "{\"Tags\":[{\"TagKey\":5}]}"},
            {"TrentService.CreateAlias", "{\"AliasName\":\"alias/aws/x\",\"TargetKeyId\":\"x\"}"},
            {"TrentService.CreateAlias", "{\"AliasName\":\"nope\",\"TargetKeyId\":\"x\"}"},
            {"TrentService.GenerateDataKey", "{\"KeyId\":\"alias/none\"}"},
            {"TrentService.ReplicateKey", "{\"KeyId\":\"x\",\"ReplicaRegion\":\"mars-1\"}"},
            {"TrentService.ListKeys", "{\"Marker\":\"bad marker\"}"},
            {"TrentService.ListAliases", "{\"Marker\":\"bad marker\"}"},
        };
        for (String[] n : nested) out.add(Case.json("nested: " + abbreviate(n[1]), n[0], n[1], true));
        // valid in the model (a Tag's members are optional; a space is not a required type): either answer
        out.add(Case.json("nested: tag without key", "secretsmanager.CreateSecret",
                "{\"Name\":\"robustness-t\",\"Tags\":[{}]}", false));
        out.add(Case.json("nested: tag with null members", "secretsmanager.CreateSecret",
                "{\"Name\":\"robustness-t2\",\"Tags\":[{\"Key\":null,\"Value\":null},{\"Value\":\"v\"}]}", false));
        out.add(Case.json("nested: four characters of five types", "secretsmanager.GetRandomPassword",
                "{\"PasswordLength\":4,\"RequireEachIncludedType\":true,\"IncludeSpace\":true}", false));
    }

    private static JsonNode elementShape(Member m) {
        if (!m.type().equals("list")) return null;
        return m.shapeOf(m.shape().path("member").path("shape").asText());
    }

    private static List<JsonNode> wrongValues(String type) {
        List<JsonNode> all = List.of(NODES.textNode("5"), NODES.numberNode(5), NODES.booleanNode(true),
                NODES.arrayNode(), NODES.objectNode(), NODES.numberNode(1.5));
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : all) {
            boolean fits = switch (type) {
                case "string", "blob" -> v.isTextual();
                case "integer", "long" -> v.isIntegralNumber();
                case "double", "float" -> v.isNumber();
                case "boolean" -> v.isBoolean();
                case "list" -> v.isArray();
                case "map", "structure" -> v.isObject();
                case "timestamp" -> v.isNumber();
                default -> true;
            };
            if (!fits) out.add(v);
        }
        return out;
    }

    private void nulls(Map<String, List<Member>> inputs, List<Case> out) {
        for (Map.Entry<String, List<Member>> op : inputs.entrySet()) {
            ObjectNode all = NODES.objectNode();
            for (Member m : op.getValue()) {
                all.putNull(m.name());
                out.add(Case.json("null " + m.name() + " of " + op.getKey(), op.getKey(),
                        NODES.objectNode().putNull(m.name()), false));
                JsonNode element = elementShape(m);
                if (element != null) {
                    ObjectNode body = NODES.objectNode();
                    ArrayNode list = body.putArray(m.name());
                    list.addNull();
                    out.add(Case.json("[null] in " + m.name() + " of " + op.getKey(), op.getKey(), body, false));
                    ObjectNode mixed = body.deepCopy();
                    ((ArrayNode) mixed.get(m.name())).insert(0, sample(element));
                    withSecretId(mixed, op.getValue());
                    out.add(Case.json("a null after a value in " + m.name() + " of " + op.getKey(), op.getKey(), mixed, false));
                    if (element.path("type").asText().equals("structure")) {
                        ObjectNode inner = NODES.objectNode();
                        element.path("members").fieldNames().forEachRemaining(inner::putNull);
                        ObjectNode nestedNull = NODES.objectNode();
                        nestedNull.putArray(m.name()).add(inner);
                        withSecretId(nestedNull, op.getValue());
                        out.add(Case.json("null members inside " + m.name() + " of " + op.getKey(), op.getKey(),
                                nestedNull, false));
                    }
                }
                if (m.type().equals("map")) {
                    ObjectNode body = NODES.objectNode();
                    body.putObject(m.name()).putNull("k");
                    out.add(Case.json("null map value in " + m.name() + " of " + op.getKey(), op.getKey(), body, false));
                }
            }
            out.add(Case.json("every member null in " + op.getKey(), op.getKey(), all, false));
        }
    }

    /** Adds a SecretId naming the kept secret, so that the element reaches the service. */
    private static void withSecretId(ObjectNode body, List<Member> members) {
        for (Member m : members) if (m.name().equals("SecretId") && !body.has("SecretId")) body.put("SecretId", "robustness/keep-x");
    }

    private static JsonNode sample(JsonNode shape) {
        switch (shape.path("type").asText()) {
            case "structure":
                return NODES.objectNode();
            case "integer":
            case "long":
                return NODES.numberNode(1);
            case "boolean":
                return NODES.booleanNode(true);
            default:
                return NODES.textNode("a");
        }
    }

    private void invalidBase64(List<Case> out) {
        List<String> bad = List.of("!!!", "Y===", "Zm9v\n", "Zm9v YmFy", "Zm9v=YmFy", "=", "====", "\u00e9\u00e9\u00e9\u00e9",
                "Zm9vYg=", "Zm9v_-8=", "A", "AAAAA");
        for (String b : bad) {
            out.add(Case.json("SecretBinary '" + b.replace("\n", "\\n") + "'", "secretsmanager.CreateSecret",
                    NODES.objectNode().put("Name", "robustness-b64").put("ClientRequestToken",
                            "a1b2c3d4-0000-4000-8000-000000000009").put("SecretBinary", b), true));
            out.add(Case.json("SecretBinary '" + b.replace("\n", "\\n") + "' on PutSecretValue", "secretsmanager.PutSecretValue",
                    NODES.objectNode().put("SecretId", "robustness/keep-x").put("ClientRequestToken",
                            "a1b2c3d4-0000-4000-8000-000000000009").put("SecretBinary", b), true));
            out.add(Case.json("Plaintext '" + b.replace("\n", "\\n") + "'", "TrentService.Encrypt",
                    NODES.objectNode().put("KeyId", "alias/none").put("Plaintext", b), true));
        }
        for (String unpadded : List.of("YQ", "Zm9vYmE")) { // valid without padding; either answer is fine
            out.add(Case.json("unpadded SecretBinary '" + unpadded + "'", "secretsmanager.CreateSecret",
                    NODES.objectNode().put("Name", "robustness-unpadded-" + unpadded.length()).put("ClientRequestToken",
                            "a1b2c3d4-0000-4000-8000-000000000009").put("SecretBinary", unpadded), false));
        }
        out.add(Case.json("SecretBinary of 65537 bytes", "secretsmanager.CreateSecret",
                NODES.objectNode().put("Name", "robustness-b64").put("ClientRequestToken", "a1b2c3d4-0000-4000-8000-000000000009")
                        .put("SecretBinary", java.util.Base64.getEncoder().encodeToString(new byte[65_537])), true));
        out.add(Case.json("empty SecretBinary", "secretsmanager.CreateSecret",
                NODES.objectNode().put("Name", "robustness-b64").put("ClientRequestToken", "a1b2c3d4-0000-4000-8000-000000000009")
                        .put("SecretBinary", ""), true));
    }

    private void extremeNumbers(Map<String, List<Member>> inputs, List<Case> out) {
        List<String> numbers = List.of("-1", "0", "-9223372036854775808", "9223372036854775808", "2147483648",
                "99999999999999999999999999999", "1e308", "1e400", "-1e400", "1.5", "4.0e0", "-0.0", "1e-400");
        for (Map.Entry<String, List<Member>> op : inputs.entrySet()) {
            for (Member m : op.getValue()) {
                String t = m.type();
                if (!t.equals("integer") && !t.equals("long") && !t.equals("double") && !t.equals("float")) continue;
                for (String n : numbers) {
                    String body = withRequired(op.getKey(), op.getValue(), "\"" + m.name() + "\":" + n);
                    out.add(Case.json(m.name() + "=" + n + " in " + op.getKey(), op.getKey(), body, false));
                }
            }
        }
    }

    /** A body with {@code member} and plausible values for the other required string members. */
    private String withRequired(String target, List<Member> members, String member) {
        StringBuilder sb = new StringBuilder("{").append(member);
        for (Member m : members) {
            if (member.startsWith("\"" + m.name() + "\"")) continue;
            if (m.name().equals("SecretId")) sb.append(",\"SecretId\":\"robustness/keep\"");
            if (m.name().equals("KeyId") && target.startsWith("TrentService.")) sb.append(",\"KeyId\":\"alias/none\"");
        }
        return sb.append('}').toString();
    }

    private void oddCredentials(List<Case> out) {
        List<String> auths = List.of("", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=", "Credential=/////",
                "Credential=a/b//d/e", "Credential=a/b/ /d/e", "Credential=a/b/c", "Credential=a/b/us-east-1",
                "AWS4-HMAC-SHA256 Credential=AKID/20260115/../secretsmanager/aws4_request",
                "AWS4-HMAC-SHA256 Credential=AKID/20260115/us-east-1\"/secretsmanager/aws4_request",
                "AWS4-HMAC-SHA256 Credential=AKID/20260115/" + "r".repeat(5_000) + "/secretsmanager/aws4_request",
                "AWS4-HMAC-SHA256 Credential=" + "9".repeat(12) + "/20260115/eu-south-2/secretsmanager/aws4_request",
                "AWS4-HMAC-SHA256 Credential=000000000000/20260115/cn-north-1/secretsmanager/aws4_request",
                "AWS4-HMAC-SHA256 Credential=AKID/20260115/us-east-1/secretsmanager/aws4_request" + ",".repeat(1000),
                "Basic dXNlcjpwYXNz", "Bearer x");
        for (String a : auths) {
            out.add(new Case("Authorization '" + abbreviate(a) + "'", "secretsmanager.GetSecretValue",
                    "{\"SecretId\":\"robustness-missing\"}".getBytes(StandardCharsets.UTF_8), a, true));
            // an unparsable scope counts as unsigned (us-east-1), so ListSecrets may succeed
            out.add(new Case("Authorization '" + abbreviate(a) + "' on ListSecrets", "secretsmanager.ListSecrets",
                    "{}".getBytes(StandardCharsets.UTF_8), a, false));
        }
    }
}
