package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The awsJson1.1 protocol as raw HTTP shows it: headers, the error body, serialization and
 * validation failures, size limits, blobs, timestamps, absent members, and how a request finds its
 * region and account.
 */
class ProtocolWireTest extends WireSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "a1b2c3d4-0000-4000-8000-000000000001";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    static String auth(String accessKey, String region) {
        return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/20260115/" + region
                + "/secretsmanager/aws4_request, SignedHeaders=host, Signature=0";
    }

    static JsonNode json(Raw r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.status() + "): " + r.body(), e);
        }
    }

    /** Every answer, success or error, carries a request id and the awsJson content type. */
    static void assertWireHeaders(Raw r) {
        String requestId = r.headers().firstValue("x-amzn-RequestId").orElse(null);
        assertNotNull(requestId, "x-amzn-RequestId on " + r.status() + " " + r.body());
        assertTrue(requestId.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), requestId);
        assertEquals(CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(null), r.body());
    }

    /** An AWS error: the status, and a body of exactly {@code __type} and capitalised {@code Message}. */
    static void assertAwsError(Raw r, int status, String type, String message) {
        assertWireHeaders(r);
        JsonNode body = json(r);
        assertEquals(status, r.status(), r.body());
        assertEquals(type, body.path("__type").asText(null), r.body());
        assertEquals(message, body.path("Message").asText(null), r.body());
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("__type", "Message"), fields, r.body());
    }

    static String createBody(String name, String value) {
        return "{\"Name\":\"" + name + "\",\"ClientRequestToken\":\"" + TOKEN + "\",\"SecretString\":\"" + value + "\"}";
    }

    // ---- headers and error shape ---------------------------------------------------------------

    @Test
    void successAnswersCarryRequestIdAndContentType() {
        Raw r = raw("secretsmanager.CreateSecret", createBody("s", "v"));

        assertEquals(200, r.status(), r.body());
        assertWireHeaders(r);
        assertEquals("s", json(r).path("Name").asText());
    }

    @Test
    void eachAnswerHasItsOwnRequestId() {
        Raw a = raw("secretsmanager.ListSecrets", "{}");
        Raw b = raw("secretsmanager.ListSecrets", "{}");

        assertNotEquals(a.headers().firstValue("x-amzn-RequestId"), b.headers().firstValue("x-amzn-RequestId"));
    }

    @Test
    void errorsAreTypeAndCapitalisedMessage() {
        Raw r = raw("secretsmanager.GetSecretValue", "{\"SecretId\":\"missing\"}");

        assertAwsError(r, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    @Test
    void unknownTargetIsUnknownOperation() {
        Raw sm = raw("secretsmanager.GetSecretValues", "{}");
        Raw kms = raw("TrentService.Sign", "{}");
        Raw other = raw("DynamoDB_20120810.ListTables", "{}");

        assertAwsError(sm, 400, "UnknownOperationException",
                "Operation secretsmanager.GetSecretValues is not supported by this service.");
        assertAwsError(kms, 400, "UnknownOperationException",
                "Operation TrentService.Sign is not supported by this service.");
        assertAwsError(other, 400, "UnknownOperationException",
                "Operation DynamoDB_20120810.ListTables is not supported by this service.");
    }

    @Test
    void missingTargetIsAnErrorNotAFault() {
        Raw r = raw(null, "{}");

        assertAwsError(r, 400, "UnknownOperationException", "Missing X-Amz-Target header.");
    }

    @Test
    void otherMethodsAndPathsAreAwsShapedErrors() throws Exception {
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> path = HTTP.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/some/path"))
                .timeout(Duration.ofSeconds(10)).header("X-Amz-Target", "secretsmanager.ListSecrets")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertAwsError(new Raw(get.statusCode(), get.body(), get.headers()), 400, "UnknownOperationException",
                "Missing X-Amz-Target header.");
        assertAwsError(new Raw(path.statusCode(), path.body(), path.headers()), 400, "UnknownOperationException",
                "smlocal serves the AWS JSON API at POST /, not at POST /some/path. Point the endpoint URL at the server "
                        + "root (for example http://127.0.0.1:4599).");
    }

    @Test
    void aBrowsersGetOfTheRootGetsAPagePointingToHealthDashboardAndReadme() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(10)).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
        for (String link : List.of("href=\"/_smlocal/health\"", "href=\"/_smlocal/ui\"", "README")) {
            assertTrue(page.body().contains(link), link + " in " + page.body());
        }
    }

    @Test
    void longHeadersAreAnsweredTheSameOverHttp11AndH2c() throws Exception {
        String target = "secretsmanager." + "X".repeat(30_000);
        for (java.net.http.HttpClient.Version version : java.net.http.HttpClient.Version.values()) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(version).build();
            // the first request upgrades to h2c; the second one travels as HTTP/2
            client.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/")).timeout(Duration.ofSeconds(10))
                    .header("X-Amz-Target", "secretsmanager.ListSecrets").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            HttpResponse<String> r = client.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                    .timeout(Duration.ofSeconds(10)).header("X-Amz-Target", target)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(version, r.version());
            assertAwsError(new Raw(r.statusCode(), r.body(), r.headers()), 400, "UnknownOperationException",
                    "Operation " + target + " is not supported by this service.");
        }
    }

    // ---- serialization -------------------------------------------------------------------------

    @Test
    void malformedJsonIsSerializationException() {
        Raw truncated = raw("secretsmanager.GetSecretValue", "{\"SecretId\":\"s\"");
        Raw garbage = raw("secretsmanager.GetSecretValue", "SecretId=s");
        Raw trailingComma = raw("secretsmanager.GetSecretValue", "{\"SecretId\":\"s\",}");

        assertAwsError(truncated, 400, "SerializationException", "The request body is not valid JSON.");
        assertAwsError(garbage, 400, "SerializationException", "The request body is not valid JSON.");
        assertAwsError(trailingComma, 400, "SerializationException", "The request body is not valid JSON.");
    }

    @Test
    void bodyThatIsNotAnObjectIsSerializationException() {
        for (String body : List.of("[]", "[{\"SecretId\":\"s\"}]", "\"s\"", "5", "true", "null")) {
            Raw r = raw("secretsmanager.GetSecretValue", body);

            assertAwsError(r, 400, "SerializationException", "Request body must be a JSON object.");
        }
    }

    @Test
    void invalidUtf8IsSerializationException() {
        byte[] prefix = "{\"SecretId\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + 4];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xff;
        body[prefix.length + 1] = (byte) 0xfe;
        body[prefix.length + 2] = '"';
        body[prefix.length + 3] = '}';

        Raw r = rawBytes("secretsmanager.GetSecretValue", body);

        assertAwsError(r, 400, "SerializationException", "The request body is not valid JSON.");
    }

    @Test
    void wrongMemberTypesAreSerializationException() {
        Raw number = raw("secretsmanager.GetSecretValue", "{\"SecretId\": 5}");
        Raw filters = raw("secretsmanager.ListSecrets", "{\"Filters\": \"x\"}");
        Raw bool = raw("secretsmanager.ListSecrets", "{\"IncludePlannedDeletion\": \"true\"}");
        Raw object = raw("secretsmanager.DescribeSecret", "{\"SecretId\": {\"a\": 1}}");
        Raw fraction = raw("secretsmanager.ListSecrets", "{\"MaxResults\": 1.5}");

        assertAwsError(number, 400, "SerializationException",
                "Unexpected JSON type for member 'SecretId': expected string");
        assertAwsError(filters, 400, "SerializationException",
                "Unexpected JSON type for member 'Filters': expected list");
        assertAwsError(bool, 400, "SerializationException",
                "Unexpected JSON type for member 'IncludePlannedDeletion': expected boolean");
        assertAwsError(object, 400, "SerializationException",
                "Unexpected JSON type for member 'SecretId': expected string");
        assertAwsError(fraction, 400, "SerializationException",
                "Unexpected JSON type for member 'MaxResults': expected integer");
    }

    @Test
    void invalidBase64BlobIsSerializationException() {
        Raw r = raw("secretsmanager.CreateSecret",
                "{\"Name\":\"b\",\"ClientRequestToken\":\"" + TOKEN + "\",\"SecretBinary\":\"not base64!\"}");

        assertAwsError(r, 400, "SerializationException", "Invalid base64 encoding for member 'SecretBinary'");
    }

    // ---- validation ----------------------------------------------------------------------------

    @Test
    void missingRequiredMemberIsValidationException() {
        Raw r = raw("secretsmanager.GetSecretValue", "{}");

        assertAwsError(r, 400, "ValidationException",
                "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void emptyBodyCountsAsAnEmptyObject() {
        Raw list = raw("secretsmanager.ListSecrets", "");
        Raw get = raw("secretsmanager.GetSecretValue", "");

        assertEquals(200, list.status(), list.body());
        assertAwsError(get, 400, "ValidationException",
                "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void oversizeSecretStringIsValidationExceptionWithoutTheValue() {
        Raw r = raw("secretsmanager.CreateSecret", createBody("big", "x".repeat(65_537)));

        assertAwsError(r, 400, "ValidationException", "1 validation error detected: Value at 'secretString' failed "
                + "to satisfy constraint: Member must have length less than or equal to 65536");
    }

    @Test
    void secretStringOfExactlyTheLimitIsAccepted() {
        Raw r = raw("secretsmanager.CreateSecret", createBody("limit", "x".repeat(65_536)));

        assertEquals(200, r.status(), r.body());
    }

    @Test
    void bodyOverOneMebibyteIsAwsShaped413AndTheServerKeepsServing() {
        String huge = "{\"SecretId\":\"s\",\"Padding\":\"" + "p".repeat(1024 * 1024) + "\"}";

        Raw tooLarge = raw("secretsmanager.GetSecretValue", huge);
        Raw after = raw("secretsmanager.ListSecrets", "{}");

        assertAwsError(tooLarge, 413, "RequestEntityTooLargeException", "Request size exceeded 1048576 bytes.");
        assertEquals(200, after.status(), after.body());
    }

    @Test
    void bodyOverOneMebibyteOverHttp11IsAwsShaped413() throws Exception {
        java.net.http.HttpClient http11 = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        byte[] huge = ("{\"SecretId\":\"s\",\"Padding\":\"" + "p".repeat(2 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> r = http11.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(10)).header("X-Amz-Target", "secretsmanager.GetSecretValue")
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(), HttpResponse.BodyHandlers.ofString());
        Raw after = raw("secretsmanager.ListSecrets", "{}");

        assertAwsError(new Raw(r.statusCode(), r.body(), r.headers()), 413, "RequestEntityTooLargeException",
                "Request size exceeded 1048576 bytes.");
        assertEquals(200, after.status(), after.body());
    }

    /** Form bodies: the transport decodes them as it reads, and used to fail them with a 500 and a SEVERE log. */
    @Test
    void formBodiesGetAwsAnswersAndLogNothingAboveFine() throws Exception {
        java.net.http.HttpClient http11 = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        byte[] huge = ("a=" + "p".repeat(2 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8);
        List<java.util.logging.LogRecord> logged = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        java.io.PrintStream err = System.err;
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(errBytes, true, StandardCharsets.UTF_8));
        HttpResponse<String> overLimit;
        List<HttpResponse<String>> small = new ArrayList<>();
        Raw after;
        try {
            // chunked (no Content-Length): the limit is found while reading, not from the header
            overLimit = http11.send(form("secretsmanager.GetSecretValue",
                    HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))),
                    HttpResponse.BodyHandlers.ofString());
            // a field over 8 KiB and more than 256 fields: under the body limit, so answered as any non-JSON body
            for (String body : List.of("a=" + "p".repeat(20_000), "a=1&".repeat(400))) {
                small.add(http11.send(form("secretsmanager.ListSecrets", HttpRequest.BodyPublishers.ofString(body)),
                        HttpResponse.BodyHandlers.ofString()));
            }
            after = raw("secretsmanager.ListSecrets", "{}");
        } finally {
            System.setErr(err);
            root.removeHandler(capture);
        }

        assertAwsError(new Raw(overLimit.statusCode(), overLimit.body(), overLimit.headers()), 413,
                "RequestEntityTooLargeException", "Request size exceeded 1048576 bytes.");
        for (HttpResponse<String> r : small) {
            assertAwsError(new Raw(r.statusCode(), r.body(), r.headers()), 400, "SerializationException",
                    "The request body is not valid JSON.");
        }
        assertEquals(200, after.status(), after.body());
        List<String> loud = new ArrayList<>();
        for (java.util.logging.LogRecord rec : List.copyOf(logged)) {
            if (rec.getThrown() != null || rec.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                loud.add(rec.getLevel() + " " + rec.getLoggerName() + ": " + rec.getMessage() + " / " + rec.getThrown());
            }
        }
        assertEquals(List.of(), loud, "bad input is not worth a warning, let alone a stack trace");
        String stderr = errBytes.toString(StandardCharsets.UTF_8);
        assertFalse(stderr.contains("Exception") || stderr.contains("\tat "), stderr);
    }

    private HttpRequest form(String target, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(emulator.endpoint().resolve("/")).timeout(Duration.ofSeconds(10))
                .header("X-Amz-Target", target).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(body).build();
    }

    // ---- values ---------------------------------------------------------------------------------

    @Test
    void rawCreateWithAValueNeedsAClientRequestToken() {
        Raw r = raw("secretsmanager.CreateSecret", "{\"Name\":\"s\",\"SecretString\":\"v\"}");
        Raw noValue = raw("secretsmanager.CreateSecret", "{\"Name\":\"empty\"}");

        assertAwsError(r, 400, "InvalidRequestException",
                "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
        assertEquals(200, noValue.status(), noValue.body());
        assertFalse(json(noValue).has("VersionId"), noValue.body());
    }

    @Test
    void rawGetSecretValueOfABinarySecretIsBase64() {
        sm().createSecret(b -> b.name("bin").secretBinary(SdkBytes.fromUtf8String("footest")));

        Raw r = raw("secretsmanager.GetSecretValue", "{\"SecretId\":\"bin\"}");

        assertEquals(200, r.status(), r.body());
        assertWireHeaders(r);
        assertTrue(r.body().contains("\"SecretBinary\":\"Zm9vdGVzdA==\""), r.body());
        assertFalse(json(r).has("SecretString"), r.body());
    }

    @Test
    void rawBinaryValueRoundTripsToTheSdk() {
        Raw created = raw("secretsmanager.CreateSecret",
                "{\"Name\":\"b64\",\"ClientRequestToken\":\"" + TOKEN + "\",\"SecretBinary\":\"AAEC/w==\"}");

        assertEquals(200, created.status(), created.body());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff},
                sm().getSecretValue(b -> b.secretId("b64")).secretBinary().asByteArray());
    }

    @Test
    void timestampsAreEpochSecondsWithMillisecondFraction() {
        raw("secretsmanager.CreateSecret", createBody("t", "v"));
        advance(Duration.ofMillis(1234));
        raw("secretsmanager.PutSecretValue",
                "{\"SecretId\":\"t\",\"ClientRequestToken\":\"" + TOKEN.replace('1', '2') + "\",\"SecretString\":\"w\"}");

        Raw get = raw("secretsmanager.GetSecretValue", "{\"SecretId\":\"t\"}");
        Raw describe = raw("secretsmanager.DescribeSecret", "{\"SecretId\":\"t\"}");

        long start = START.getEpochSecond();
        assertTrue(get.body().contains("\"CreatedDate\":" + (start + 1) + ".234"), get.body());
        assertTrue(describe.body().contains("\"CreatedDate\":" + start + ".000"), describe.body());
        assertTrue(describe.body().contains("\"LastChangedDate\":" + (start + 1) + ".234"), describe.body());
        // LastAccessedDate is the day of the last read, at midnight UTC
        long day = start - start % 86_400;
        assertTrue(describe.body().contains("\"LastAccessedDate\":" + day + ".000"), describe.body());
        Matcher m = Pattern.compile("\"\\w+Date\":([^,}]+)").matcher(describe.body());
        int dates = 0;
        while (m.find()) {
            assertTrue(m.group(1).matches("\\d{10}\\.\\d{3}"), m.group());
            dates++;
        }
        assertEquals(3, dates, describe.body());
        assertTrue(json(describe).path("CreatedDate").isNumber());
    }

    @Test
    void absentMembersAreOmittedAndNoResponseContainsNull() {
        Map<String, String> calls = new java.util.LinkedHashMap<>();
        calls.put("secretsmanager.CreateSecret", "{\"Name\":\"plain\"}");
        calls.put("secretsmanager.DescribeSecret", "{\"SecretId\":\"plain\"}");
        calls.put("secretsmanager.PutSecretValue",
                "{\"SecretId\":\"plain\",\"ClientRequestToken\":\"" + TOKEN + "\",\"SecretString\":\"v\"}");
        calls.put("secretsmanager.GetSecretValue", "{\"SecretId\":\"plain\"}");
        calls.put("secretsmanager.BatchGetSecretValue", "{\"SecretIdList\":[\"plain\",\"missing\"]}");
        calls.put("secretsmanager.ListSecrets", "{}");
        calls.put("secretsmanager.ListSecretVersionIds", "{\"SecretId\":\"plain\",\"IncludeDeprecated\":true}");
        calls.put("secretsmanager.GetResourcePolicy", "{\"SecretId\":\"plain\"}");
        calls.put("secretsmanager.ValidateResourcePolicy", "{\"ResourcePolicy\":\"{\\\"Version\\\":\\\"2012-10-17\\\","
                + "\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::"
                + "111122223333:root\\\"},\\\"Action\\\":\\\"secretsmanager:GetSecretValue\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}");
        calls.put("secretsmanager.TagResource", "{\"SecretId\":\"plain\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}");
        calls.put("secretsmanager.UntagResource", "{\"SecretId\":\"plain\",\"TagKeys\":[\"k\"]}");
        calls.put("secretsmanager.GetRandomPassword", "{}");
        calls.put("secretsmanager.UpdateSecretVersionStage", "{\"SecretId\":\"plain\",\"VersionStage\":\"X\","
                + "\"MoveToVersionId\":\"" + TOKEN + "\"}");
        calls.put("secretsmanager.DeleteSecret", "{\"SecretId\":\"plain\",\"RecoveryWindowInDays\":7}");
        calls.put("secretsmanager.RestoreSecret", "{\"SecretId\":\"plain\"}");
        calls.put("TrentService.CreateKey", "{}");
        calls.put("TrentService.ListKeys", "{}");
        calls.put("TrentService.ListAliases", "{}");
        Map<String, Raw> answers = new java.util.LinkedHashMap<>();

        for (Map.Entry<String, String> call : calls.entrySet()) answers.put(call.getKey(), raw(call.getKey(), call.getValue()));

        for (Map.Entry<String, Raw> a : answers.entrySet()) {
            Raw r = a.getValue();
            assertEquals(200, r.status(), a.getKey() + ": " + r.body());
            assertWireHeaders(r);
            assertNoNull(a.getKey(), json(r), "");
        }
        JsonNode describe = json(answers.get("secretsmanager.DescribeSecret"));
        for (String absent : List.of("Description", "KmsKeyId", "RotationEnabled", "RotationLambdaARN", "Tags",
                "LastAccessedDate", "DeletedDate", "VersionIdsToStages", "PrimaryRegion", "ReplicationStatus",
                "OwningService")) {
            assertFalse(describe.has(absent), absent + " in " + describe);
        }
        assertEquals("{}", answers.get("secretsmanager.TagResource").body().strip());
    }

    private static void assertNoNull(String call, JsonNode node, String path) {
        assertFalse(node.isNull(), call + ": null at '" + path + "'");
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                assertNoNull(call, f.getValue(), path + "/" + f.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) assertNoNull(call, node.get(i), path + "/" + i);
        }
    }

    // ---- region and account ----------------------------------------------------------------------

    @Test
    void regionNotEnabledIsUnrecognizedClient() {
        Raw r = raw("secretsmanager.ListSecrets", "{}", auth("AKIDEXAMPLE", "eu-south-2"));

        assertAwsError(r, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    @Test
    void credentialScopeWithoutARegionIsUnrecognizedClient() {
        Raw empty = raw("secretsmanager.ListSecrets", "{}",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115//secretsmanager/aws4_request, SignedHeaders=host, Signature=0");
        Raw blank = raw("secretsmanager.ListSecrets", "{}",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/ /secretsmanager/aws4_request, SignedHeaders=host, Signature=0");
        Raw nonsense = raw("secretsmanager.ListSecrets", "{}", auth("AKIDEXAMPLE", "not a region"));

        assertAwsError(empty, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
        assertAwsError(blank, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
        assertAwsError(nonsense, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    @Test
    void signedRegionAndTwelveDigitAccessKeySelectTheStore() {
        Raw r = raw("secretsmanager.CreateSecret", createBody("acct", "v"), auth(OTHER_ACCOUNT, "us-west-2"));

        assertEquals(200, r.status(), r.body());
        assertTrue(json(r).path("ARN").asText().startsWith("arn:aws:secretsmanager:us-west-2:" + OTHER_ACCOUNT + ":secret:acct-"),
                r.body());
        assertEquals("v", sm("us-west-2", OTHER_ACCOUNT).getSecretValue(b -> b.secretId("acct")).secretString());
        assertThrows(ResourceNotFoundException.class, () -> sm("us-west-2").describeSecret(b -> b.secretId("acct")));
    }

    @Test
    void unsignedRequestUsesUsEast1AndTheDefaultAccount() {
        Raw r = rawBytes("secretsmanager.CreateSecret", createBody("unsigned", "v").getBytes(StandardCharsets.UTF_8));

        assertEquals(200, r.status(), r.body());
        assertTrue(json(r).path("ARN").asText().startsWith("arn:aws:secretsmanager:us-east-1:000000000000:secret:unsigned-"),
                r.body());
        assertEquals("v", sm("us-east-1").getSecretValue(b -> b.secretId("unsigned")).secretString());
        assertThrows(ResourceNotFoundException.class, () -> sm("eu-west-1").describeSecret(b -> b.secretId("unsigned")));
    }

    @Test
    void unsignedRequestToARegionalHostNameGoesToThatRegion() throws IOException {
        // java.net.http refuses to set Host, so this request is written on a plain socket
        SocketAnswer a = unsignedOverSocket("secretsmanager.eu-west-1.localhost:" + emulator.port(),
                "secretsmanager.CreateSecret", createBody("by-host", "v"));

        assertEquals(200, a.status(), a.body());
        assertTrue(a.body().contains("arn:aws:secretsmanager:eu-west-1:000000000000:secret:by-host-"), a.body());
        assertEquals("v", sm("eu-west-1").getSecretValue(b -> b.secretId("by-host")).secretString());
        assertThrows(ResourceNotFoundException.class, () -> sm("us-east-1").describeSecret(b -> b.secretId("by-host")));
    }

    @Test
    void regionalHostNameOfADisabledRegionIsUnrecognizedClient() throws IOException {
        SocketAnswer a = unsignedOverSocket("secretsmanager.eu-south-2.localhost", "secretsmanager.ListSecrets", "{}");

        assertEquals(400, a.status(), a.body());
        assertTrue(a.body().contains("\"__type\":\"UnrecognizedClientException\""), a.body());
    }

    record SocketAnswer(int status, String head, String body) {}

    private SocketAnswer unsignedOverSocket(String host, String target, String body) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", emulator.port()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + CONTENT_TYPE
                    + "\r\nX-Amz-Target: " + target + "\r\nContent-Length: " + payload.length
                    + "\r\nConnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            assertTrue(split > 0, "no HTTP answer: " + text);
            String responseHead = text.substring(0, split);
            assertTrue(responseHead.toLowerCase().contains("x-amzn-requestid:"), responseHead);
            return new SocketAnswer(Integer.parseInt(responseHead.split(" ")[1]), responseHead, text.substring(split + 4));
        }
    }
}
