package dev.smlocal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The conformance suite against an emulator that verifies SigV4 ({@code --verify-signatures}) and
 * guards its admin API with a token ({@code --admin-token}), as a {@code url:} target: the real
 * SDK's signing (sync clients for every check, the SDK signer for the raw view, other accounts'
 * keys) passes, and the target's admin calls carry the token. The checks that move the clock are
 * left out: a clock moved past 5 minutes makes every signature expire, on AWS too.
 */
class SignedTargetTest {
    private static final String TOKEN = "conformance-admin-token";
    /** Classes whose every-target checks run signed; CrossAccount's emulator-only checks too (no clock moves). */
    private static final List<Class<?>> EVERY_TARGET = List.of(CreateSecretConformance.class,
            GetSecretValueConformance.class, DescribeSecretConformance.class, PutSecretValueConformance.class,
            UpdateSecretConformance.class, TagsConformance.class, KmsConformance.class, WireProtocolConformance.class,
            ResourcePolicyConformance.class, SecretIdConformance.class, ListSecretsConformance.class);

    /** The conformance credentials: AKIDEXAMPLE and every 12-digit account key sign with "conformance". */
    private static Optional<String> secretOf(String accessKeyId) {
        boolean known = accessKeyId.equals("AKIDEXAMPLE") || accessKeyId.matches("\\d{12}");
        return known ? Optional.of("conformance") : Optional.empty();
    }

    static List<DiscoverySelector> selectors() {
        List<DiscoverySelector> out = new ArrayList<>();
        for (Class<?> c : EVERY_TARGET) {
            for (Method m : c.getDeclaredMethods()) {
                boolean check = m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class);
                if (check && !m.isAnnotationPresent(EmulatorOnly.class)) out.add(selectMethod(c, m));
            }
        }
        for (Method m : CrossAccountConformance.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Test.class)) out.add(selectMethod(CrossAccountConformance.class, m));
        }
        return out;
    }

    @Test
    void everyTargetChecksPassWithSignaturesVerifiedAndAnAdminToken() {
        EmulatorConfig config = EmulatorConfig.defaults().toBuilder().port(0).quiet(true).seed(6)
                .verifySignatures(true).signingKeys(SignedTargetTest::secretOf).adminToken(TOKEN).build();
        try (Emulator emulator = Emulator.start(config)) {
            try (SecretsManagerClient forged = SecretsManagerClient.builder().endpointOverride(emulator.endpoint())
                    .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
                SecretsManagerException e = assertThrows(SecretsManagerException.class, forged::listSecrets);
                assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode(), "verification is on");
            }

            String before = System.getProperty("smlocal.adminToken");
            System.setProperty("smlocal.adminToken", TOKEN);
            EngineExecutionResults r;
            try {
                r = EngineTestKit.engine("junit-jupiter").selectors(selectors().toArray(DiscoverySelector[]::new))
                        .configurationParameter("smlocal.target", "url:" + emulator.endpoint())
                        .configurationParameter("smlocal.snapshots", "off").execute();
            } finally {
                if (before == null) System.clearProperty("smlocal.adminToken");
                else System.setProperty("smlocal.adminToken", before);
            }

            String failures = r.testEvents().failed().list().stream().map(ev -> ev.getTestDescriptor().getDisplayName()
                    + ": " + ev.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                    .map(Throwable::getMessage).orElse("?")).collect(Collectors.joining("\n"));
            assertEquals(0, r.testEvents().failed().count(), failures);
            assertTrue(r.testEvents().succeeded().count() >= 60, "checks that ran: " + r.testEvents().succeeded().count());
            long crossAccount = r.testEvents().succeeded().list().stream().filter(ev -> ev.getTestDescriptor()
                    .getUniqueId().toString().contains("CrossAccountConformance")).count();
            assertEquals(5, crossAccount, "the emulator-only cross-account checks ran, through the token's admin powers");
        }
    }
}
