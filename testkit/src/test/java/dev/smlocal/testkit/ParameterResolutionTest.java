package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Event;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Parameters that cannot be resolved fail their test with a message that says what to write instead. */
class ParameterResolutionTest {

    @Test
    void severalRegionsAndNoQualifierListsTheConfiguredRegions() {
        Throwable failure = onlyFailure(SeveralRegionsNoQualifier.class);

        assertInstanceOf(ParameterResolutionException.class, failure);
        assertEquals("Cannot inject SecretsManagerClient parameter 'client' of SeveralRegionsNoQualifier#test: "
                + "smlocal has 3 regions configured [us-east-1, eu-west-1, ap-south-1], so the parameter needs "
                + "@InRegion naming one of them, e.g. @InRegion(\"us-east-1\")", failure.getMessage());
    }

    @Test
    void aRegionThatIsNotConfiguredIsNamed() {
        Throwable failure = onlyFailure(UnconfiguredRegion.class);

        assertInstanceOf(ParameterResolutionException.class, failure);
        assertEquals("Cannot inject KmsClient parameter 'kms' of UnconfiguredRegion#test: @InRegion(\"eu-west-2\") "
                + "is not a configured region; configured regions: [us-east-1]", failure.getMessage());
    }

    @Test
    void anAccountMustHaveTwelveDigits() {
        Throwable failure = onlyFailure(MalformedAccount.class);

        assertInstanceOf(ParameterResolutionException.class, failure);
        assertEquals("Cannot inject SecretsManagerClient parameter 'client' of MalformedAccount#test: "
                + "@InAccount(\"acme\") is not an account id, which has 12 digits", failure.getMessage());
    }

    static Throwable onlyFailure(Class<?> testClass) {
        List<Event> failed = RunOnlyInEngineTestKit.Condition.engine(testClass).execute().testEvents().failed().list();
        assertEquals(1, failed.size(), "failed tests: " + failed);
        return failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    @RunOnlyInEngineTestKit
    @SmLocalTest(regions = {"us-east-1", "eu-west-1", "ap-south-1"})
    static class SeveralRegionsNoQualifier {
        @Test
        void test(SecretsManagerClient client) {
            client.listSecrets();
        }
    }

    @RunOnlyInEngineTestKit
    @SmLocalTest
    static class UnconfiguredRegion {
        @Test
        void test(@InRegion("eu-west-2") KmsClient kms) {
            kms.listKeys();
        }
    }

    @RunOnlyInEngineTestKit
    @SmLocalTest
    static class MalformedAccount {
        @Test
        void test(@InAccount("acme") SecretsManagerClient client) {
            client.listSecrets();
        }
    }
}
