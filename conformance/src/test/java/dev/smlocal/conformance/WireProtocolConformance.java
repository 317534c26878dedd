package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smlocal.conformance.support.Expect;
import dev.smlocal.conformance.support.RawAnswer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** The awsJson1.1 wire protocol as AWS answers it (AWS-BEHAVIOUR §1): headers, error bodies, status codes. */
class WireProtocolConformance extends ConformanceCheck {

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.2 [D][V] — Content-Type application/x-amz-json-1.1 and x-amzn-RequestId on success")
    void successCarriesTheJsonContentTypeAndARequestId() {
        RawAnswer a = raw("ListSecrets", json("MaxResults", 1));

        assertEquals(200, a.status());
        assertTrue(String.valueOf(a.header("Content-Type")).startsWith("application/x-amz-json-1.1"), a.header("Content-Type"));
        assertNotNull(a.header("x-amzn-RequestId"));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.3 [V] — errors carry x-amzn-RequestId, '__type' and capitalised 'Message'")
    void errorCarriesARequestIdAndACapitalisedMessageKey() {
        RawAnswer a = raw("DescribeSecret", json("SecretId", name("missing")));

        Expect.error(a, 400, "ResourceNotFoundException", NOT_FOUND);
        assertNotNull(a.header("x-amzn-RequestId"));
        assertTrue(a.body().has("Message"), "capital M: " + a.text());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.2 [D] — every answer has its own request id")
    void requestIdsDifferBetweenRequests() {
        RawAnswer a = raw("ListSecrets", json("MaxResults", 1));
        RawAnswer b = raw("ListSecrets", json("MaxResults", 1));

        assertNotEquals(a.header("x-amzn-RequestId"), b.header("x-amzn-RequestId"));
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.3 [V][D] — ResourceNotFoundException is HTTP 400, not 404")
    void notFoundIsFourHundredNotFourHundredFour() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(SecretsManagerException.class,
                () -> sm().getSecretValue(b -> b.secretId(name("missing"))));

        assertEquals(400, e.statusCode());
        assertEquals("ResourceNotFoundException", e.awsErrorDetails().errorCode());
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.1 [D][V] — the body may be an empty object")
    void emptyObjectBodyIsAValidRequest() {
        Expect.that(raw("ListSecrets", json())).status(200).has("SecretList").verify();
    }

    @Test
    @AwsUnverified(reason = "AWS-BEHAVIOUR §1.1 [V] — the signed region routes the request: a secret lives in one region only")
    void secretsLiveInTheRegionTheRequestIsSignedFor() {
        // with one region there is no other region to look in: skipped (and so reported), not passed
        assumeTrue(!target.otherRegion().equals(target.region()), "needs two regions (-Dsmlocal.regions)");
        String n = name("s");
        createSecret(n, "v");

        RawAnswer here = raw(target.region(), "DescribeSecret", json("SecretId", n));
        RawAnswer there = raw(target.otherRegion(), "DescribeSecret", json("SecretId", n));

        Expect.that(here).status(200).verify();
        assertEquals(n, here.body().path("Name").asText());
        Expect.error(there, 400, "ResourceNotFoundException", NOT_FOUND);
    }

    @Test
    @EmulatorOnly("faults: an injected InternalServiceError")
    void internalServiceErrorIsAFiveHundredWithTheAwsShape() {
        String id = powers().addFault(Map.of("action", "error", "operation", "ListSecrets",
                "errorType", "InternalServiceError", "count", "1"));
        try {
            RawAnswer a = raw("ListSecrets", json());

            Expect.that(a).status(500).type("InternalServiceError").fields("__type", "Message").verify();
        } finally {
            powers().removeFault(id);
        }
    }

    @Test
    @EmulatorOnly("faults: injected throttling")
    void throttlingIsAThrottlingExceptionTheSdkCanRetry() {
        String id = powers().addFault(Map.of("action", "throttle", "operation", "DescribeSecret", "count", "1"));
        try {
            RawAnswer a = raw("DescribeSecret", json("SecretId", name("s")));

            Expect.that(a).status(400).type("ThrottlingException").message("Rate exceeded").verify();
        } finally {
            powers().removeFault(id);
        }
    }

    @Test
    @EmulatorOnly("faults: a region outage")
    void regionOutageAnswersServiceUnavailable() {
        String id = powers().addFault(Map.of("action", "outage", "region", target.region(), "count", "1"));
        try {
            RawAnswer a = raw("ListSecrets", json());

            assertEquals(503, a.status(), a.text());
        } finally {
            powers().removeFault(id);
        }
    }
}
