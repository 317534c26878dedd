package dev.smlocal.server.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.server.aws.AwsException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The verifier against AWS's published SigV4 test suite example ("get-vanilla": the example key
 * pair, 2015-08-30T12:36:00Z, us-east-1, service "service"), and its parsing corner cases.
 */
class SigV4VerifierTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant AT = Instant.parse("2015-08-30T12:36:00Z");
    /** AWS's expected signature of get-vanilla. */
    private static final String GET_VANILLA = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    private final SigV4Verifier verifier = new SigV4Verifier(id -> Optional.ofNullable(Map.of("AKIDEXAMPLE", SECRET).get(id)),
            () -> AT);

    private static SigV4Verifier.Request getVanilla(String signature) {
        Map<String, List<String>> headers = Map.of(
                "host", List.of("example.amazonaws.com"),
                "x-amz-date", List.of("20150830T123600Z"),
                "authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=" + signature));
        return new SigV4Verifier.Request("GET", "/", null, headers::get, new byte[0]);
    }

    @Test
    void awsTestSuiteGetVanillaVerifies() {
        assertDoesNotThrow(() -> verifier.verify(getVanilla(GET_VANILLA)));
    }

    @Test
    void oneChangedHexDigitIsAMismatchNamingTheCanonicalRequest() {
        AwsException e = assertThrows(AwsException.class,
                () -> verifier.verify(getVanilla(GET_VANILLA.substring(0, 63) + "0")));

        assertEquals("InvalidSignatureException", e.type().code());
        assertTrue(e.getMessage().contains("'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                + "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'"), e.getMessage());
    }

    @Test
    void canonicalPiecesFollowSigV4() {
        assertEquals("/a%2520b/c", SigV4Verifier.canonicalUri("/a%20b/c"), "every service but S3 encodes the path twice");
        assertEquals("/", SigV4Verifier.canonicalUri(""));
        assertEquals("Param1=value1&Param2=value2", SigV4Verifier.canonicalQuery("Param2=value2&Param1=value1", false));
        assertEquals("a=%20b&a=c", SigV4Verifier.canonicalQuery("a=c&a=%20b", false), "values sorted, re-encoded");
        assertEquals("X-Amz-Date=1", SigV4Verifier.canonicalQuery("X-Amz-Signature=ff&X-Amz-Date=1", true));
        assertEquals("%257E-_.~%2F", SigV4Verifier.encode("%7E-_.~/"), "unreserved kept, everything else %XY");
    }

    @Test
    void unreadableAuthorizationIsAnIncompleteSignature() {
        Map<String, List<String>> headers = Map.of("authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x"),
                "x-amz-date", List.of("20150830T123600Z"));
        AwsException e = assertThrows(AwsException.class,
                () -> verifier.verify(new SigV4Verifier.Request("POST", "/", null, headers::get, new byte[0])));

        assertEquals("IncompleteSignatureException", e.type().code());
        assertTrue(e.getMessage().contains("'SignedHeaders'") && e.getMessage().contains("'Signature'"), e.getMessage());
    }
}
