package dev.smlocal.conformance.support;

import dev.smlocal.server.control.HttpEmulatorControl;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Any endpoint that speaks the Secrets Manager (and KMS) JSON protocol: a running smlocal, a
 * container, LocalStack, moto. Emulator powers come from smlocal's {@code /_smlocal/} admin API when
 * {@code GET /_smlocal/health} answers; otherwise checks that need them are skipped.
 */
public final class UrlTarget extends AbstractTarget {
    private final URI endpoint;
    private final ControlPowers admin;

    public UrlTarget(String spec, URI endpoint, List<String> regions, String accessKey, String secretKey,
                     String adminToken) {
        super(spec, regions, StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        this.endpoint = endpoint;
        this.admin = HttpEmulatorControl.probe(endpoint, adminToken).map(ControlPowers::new).orElse(null);
    }

    @Override
    public Kind kind() { return Kind.URL; }

    @Override
    URI sdkEndpoint() { return endpoint; }

    @Override
    public Optional<EmulatorPowers> powers() { return Optional.ofNullable(admin); }

    @Override
    public void close() {
        if (admin != null) admin.restore();
        super.close();
    }
}
