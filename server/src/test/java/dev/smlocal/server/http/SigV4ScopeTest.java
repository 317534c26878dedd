package dev.smlocal.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.smlocal.server.aws.RequestContext;
import org.junit.jupiter.api.Test;

/** Credential-scope parsing, access key → account, and the region a host name names. */
class SigV4ScopeTest {
    private static final String SIGNED = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/eu-west-1/secretsmanager/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc123";

    @Test
    void parsesAccessKeyRegionAndServiceFromTheCredentialScope() {
        SigV4Scope.Scope scope = SigV4Scope.parse(SIGNED);

        assertEquals(new SigV4Scope.Scope("AKIDEXAMPLE", "eu-west-1", "secretsmanager"), scope);
    }

    @Test
    void parsesAScopeThatIsTheLastComponent() {
        SigV4Scope.Scope scope = SigV4Scope.parse("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=0, "
                + "Credential=111122223333/20260115/ap-southeast-2/kms/aws4_request");

        assertEquals(new SigV4Scope.Scope("111122223333", "ap-southeast-2", "kms"), scope);
    }

    @Test
    void absentOrForeignAuthorizationHasNoScope() {
        assertNull(SigV4Scope.parse(null));
        assertNull(SigV4Scope.parse(""));
        assertNull(SigV4Scope.parse("Basic dXNlcjpwYXNz"));
        assertNull(SigV4Scope.parse("AWS4-HMAC-SHA256 Credential=AKID/20260115/us-east-1, Signature=0"));
        assertNull(SigV4Scope.parse("AWS4-HMAC-SHA256 Credential=, Signature=0"));
    }

    @Test
    void scopeIsParsedAsWrittenEvenWithAnEmptyRegion() {
        // the dispatcher refuses it as an unknown region (ProtocolWireTest)
        SigV4Scope.Scope scope = SigV4Scope.parse("AWS4-HMAC-SHA256 Credential=AKID/20260115//secretsmanager/aws4_request");

        assertEquals(new SigV4Scope.Scope("AKID", "", "secretsmanager"), scope);
    }

    @Test
    void twelveDigitAccessKeyIsTheAccount() {
        assertEquals("111122223333", SigV4Scope.accountOf("111122223333"));
    }

    @Test
    void anyOtherAccessKeyIsTheDefaultAccount() {
        assertEquals(RequestContext.DEFAULT_ACCOUNT, SigV4Scope.accountOf("AKIDEXAMPLE"));
        assertEquals(RequestContext.DEFAULT_ACCOUNT, SigV4Scope.accountOf("11112222333"));
        assertEquals(RequestContext.DEFAULT_ACCOUNT, SigV4Scope.accountOf("1111222233334"));
        assertEquals(RequestContext.DEFAULT_ACCOUNT, SigV4Scope.accountOf("11112222333a"));
        assertEquals(RequestContext.DEFAULT_ACCOUNT, SigV4Scope.accountOf(""));
        assertEquals(RequestContext.DEFAULT_ACCOUNT, SigV4Scope.accountOf(null));
    }

    @Test
    void hostNameNamesTheRegion() {
        assertEquals("eu-west-1", SigV4Scope.regionFromHost("secretsmanager.eu-west-1.localhost"));
        assertEquals("eu-west-1", SigV4Scope.regionFromHost("secretsmanager.eu-west-1.localhost:4599"));
        assertEquals("us-west-2", SigV4Scope.regionFromHost("kms.us-west-2.localhost:4599"));
    }

    @Test
    void otherHostNamesNameNoRegion() {
        assertNull(SigV4Scope.regionFromHost(null));
        assertNull(SigV4Scope.regionFromHost("127.0.0.1:4599"));
        assertNull(SigV4Scope.regionFromHost("localhost:4599"));
        assertNull(SigV4Scope.regionFromHost("secretsmanager.localhost:4599"));
        assertNull(SigV4Scope.regionFromHost("secretsmanager.eu-west-1.amazonaws.com"));
        assertNull(SigV4Scope.regionFromHost("s3.eu-west-1.localhost"));
        assertNull(SigV4Scope.regionFromHost("secretsmanager..localhost"));
        assertNull(SigV4Scope.regionFromHost("[::1]:4599"));
    }

    @Test
    void unsignedRequestWithoutRegionalHostUsesTheDefaultRegion() {
        assertEquals("us-east-1", SigV4Scope.DEFAULT_REGION);
    }
}
