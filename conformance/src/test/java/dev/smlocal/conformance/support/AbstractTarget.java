package dev.smlocal.conformance.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** SDK clients per region, built once, with the target's endpoint and credentials. */
abstract class AbstractTarget implements Target {
    private final String spec;
    private final List<String> regions;
    private final String namePrefix;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)).build();
    private final Map<String, AutoCloseable> clients = new ConcurrentHashMap<>();
    private final Ledger ledger = new Ledger(this);

    AbstractTarget(String spec, List<String> regions, AwsCredentialsProvider credentials) {
        this.spec = spec;
        this.regions = List.copyOf(regions);
        this.credentials = credentials;
        this.namePrefix = RunNames.prefix();
    }

    @Override
    public String spec() { return spec; }

    @Override
    public List<String> regions() { return regions; }

    @Override
    public String namePrefix() { return namePrefix; }

    @Override
    public AwsCredentialsProvider credentials() { return credentials; }

    @Override
    public Ledger ledger() { return ledger; }

    /** Null: the SDK's own endpoint resolution (real AWS). */
    abstract URI sdkEndpoint();

    /** Emulators are asked once; real AWS gets the SDK's standard retries against throttling. */
    ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(kind() == Kind.AWS ? AwsRetryStrategy.standardRetryStrategy() : AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(Duration.ofSeconds(90))
                .build();
    }

    @Override
    public SecretsManagerClient secrets(String region) {
        return (SecretsManagerClient) clients.computeIfAbsent("secretsmanager/" + region, k -> {
            var b = SecretsManagerClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                    .httpClient(http).overrideConfiguration(overrides());
            if (sdkEndpoint() != null) b.endpointOverride(sdkEndpoint());
            return b.build();
        });
    }

    @Override
    public SecretsManagerClient secretsAs(AwsCredentialsProvider other, String region) {
        String key = "secretsmanager/" + region + "/" + other.resolveCredentials().accessKeyId();
        return (SecretsManagerClient) clients.computeIfAbsent(key, k -> {
            var b = SecretsManagerClient.builder().region(Region.of(region)).credentialsProvider(other)
                    .httpClient(http).overrideConfiguration(overrides());
            if (sdkEndpoint() != null) b.endpointOverride(sdkEndpoint());
            return b.build();
        });
    }

    @Override
    public KmsClient kms(String region) {
        return (KmsClient) clients.computeIfAbsent("kms/" + region, k -> {
            var b = KmsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                    .httpClient(http).overrideConfiguration(overrides());
            if (sdkEndpoint() != null) b.endpointOverride(sdkEndpoint());
            return b.build();
        });
    }

    @Override
    public URI endpoint(String service, String region) {
        return sdkEndpoint() != null ? sdkEndpoint() : URI.create("https://" + service + "." + region + ".amazonaws.com");
    }

    @Override
    public void close() {
        ledger.cleanAll();
        reportLeftBehind();
        for (AutoCloseable c : clients.values()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        clients.clear();
        http.close();
    }

    /** Against AWS, names what could not be removed and what it costs (printed, so the run's console shows it). */
    void reportLeftBehind() {
        String report = ledger.report();
        if (report.isEmpty() || !costsMoney()) return;
        System.out.println("[smlocal conformance] " + report.replace("\n", "\n[smlocal conformance] "));
    }

    @Override
    public String toString() {
        return spec;
    }
}
