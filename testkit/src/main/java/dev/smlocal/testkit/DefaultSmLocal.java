package dev.smlocal.testkit;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The {@link SmLocal} handle over a {@link SmLocalControl}, the same for in-process and attached servers. */
final class DefaultSmLocal implements SmLocal {
    private final Session session;
    private final SmLocalControl control;
    private final ClockControl clock = new ClockView();
    private final Chaos chaos = new ChaosView();
    private final Replication replication = new ReplicationView();
    private final Rotation rotation = new RotationView();
    /** Functions registered through {@link #rotation()}: put back after every reset. */
    private final java.util.Map<String, Runnable> functionRegistrations = new java.util.LinkedHashMap<>();

    DefaultSmLocal(Session session, SmLocalControl control) {
        this.session = session;
        this.control = control;
    }

    @Override
    public ClockControl clock() {
        return clock;
    }

    @Override
    public Chaos chaos() {
        return chaos;
    }

    @Override
    public Replication replication() {
        return replication;
    }

    @Override
    public List<EmulatorEvent> events() {
        return control.events();
    }

    @Override
    public String metrics() {
        return control.metrics();
    }

    @Override
    public URI endpoint() {
        return control.endpoint();
    }

    @Override
    public AwsCredentialsProvider credentialsFor(String account) {
        return Session.credentials(account);
    }

    @Override
    public AwsCredentialsProvider credentialsFor(String account, String principal) {
        return Session.credentialsOfKey(session.accessKeyFor(account, principal));
    }

    @Override
    public void declarePrincipal(String accessKeyId, String principalArn, String identityPolicyJson) {
        control.declarePrincipal(new SmLocalControl.DeclaredPrincipal(accessKeyId, principalArn, Session.SECRET_KEY,
                identityPolicyJson));
    }

    @Override
    public List<String> regions() {
        return session.regions();
    }

    @Override
    public Rotation rotation() {
        return rotation;
    }

    @Override
    public void reset() {
        control.reset();
        List<Runnable> again;
        synchronized (functionRegistrations) {
            again = new java.util.ArrayList<>(functionRegistrations.values());
        }
        again.forEach(Runnable::run);
    }

    private final class RotationView implements Rotation {
        @Override
        public void register(String name, dev.smlocal.server.rotation.RotationFunction function) {
            remember(name, () -> control.registerFunction(name, function));
        }

        @Override
        public void registerHttp(String name, URI url) {
            remember(name, () -> control.registerHttpFunction(name, url));
        }

        @Override
        public void unregister(String name) {
            synchronized (functionRegistrations) {
                functionRegistrations.remove(name);
            }
            control.unregisterFunction(name);
        }

        private void remember(String name, Runnable registration) {
            registration.run();
            synchronized (functionRegistrations) {
                functionRegistrations.put(name, registration);
            }
        }
    }

    @Override
    public String toString() {
        return "SmLocal[" + control + "]";
    }

    private final class ClockView implements ClockControl {
        @Override
        public Instant now() {
            return control.now();
        }

        @Override
        public int advance(Duration amount) {
            return control.advance(amount);
        }

        @Override
        public int set(Instant instant) {
            return control.set(instant);
        }

        @Override
        public int advanceUntilIdle(Duration limit) {
            return control.advanceUntilIdle(limit);
        }

        @Override
        public List<PendingTask> pending() {
            return control.pending();
        }

        @Override
        public String toString() {
            return "clock of " + control;
        }
    }

    private final class ChaosView implements Chaos {
        @Override
        public Fault regionOutage(String region) {
            return add(FaultSpec.outage(region));
        }

        @Override
        public Fault regionOutage(String region, OutageMode mode) {
            return add(FaultSpec.outage(region, mode));
        }

        @Override
        public Fault throttle(String region, String operation) {
            return add(FaultSpec.throttle(region, operation));
        }

        @Override
        public Fault error(String region, String operation, String errorType) {
            return add(FaultSpec.error(region, operation, errorType));
        }

        @Override
        public Fault latency(String region, String operation, Duration delay) {
            return add(FaultSpec.latency(region, operation, delay));
        }

        @Override
        public Fault connectionReset(String region, String operation) {
            return add(FaultSpec.connectionReset(region, operation));
        }

        @Override
        public Fault failReplication(String from, String to) {
            return add(FaultSpec.failReplication(from, to));
        }

        @Override
        public Fault add(FaultSpec spec) {
            return new ActiveFault(control, spec);
        }

        @Override
        public List<FaultSpec> active() {
            List<FaultSpec> out = new ArrayList<>();
            control.faults().forEach(r -> out.add(r.spec()));
            return out;
        }

        @Override
        public void reset() {
            control.clearFaults();
        }

        @Override
        public String toString() {
            return "chaos of " + control;
        }
    }

    private final class ReplicationView implements Replication {
        @Override
        public List<PendingTask> pending() {
            List<PendingTask> out = new ArrayList<>();
            for (PendingTask t : control.pending()) {
                if (t.name().startsWith("replicate")) out.add(t);
            }
            return out;
        }

        @Override
        public Optional<ReplicationStatusType> status(String secretId, String replicaRegion) {
            DescribeSecretResponse primary = describePrimary(secretId);
            if (primary == null || !primary.hasReplicationStatus()) return Optional.empty();
            return primary.replicationStatus().stream().filter(s -> replicaRegion.equals(s.region())).findFirst();
        }

        /** DescribeSecret in the secret's primary region, or null when no configured region knows it. */
        private DescribeSecretResponse describePrimary(String secretId) {
            List<String> candidates = new ArrayList<>();
            dev.smlocal.server.secrets.SecretArn arn = dev.smlocal.server.secrets.SecretArn.parse(secretId);
            if (arn != null) candidates.add(arn.region());
            for (String r : session.regions()) {
                if (!candidates.contains(r)) candidates.add(r);
            }
            for (String region : candidates) {
                DescribeSecretResponse d;
                try {
                    d = session.sm(region, DEFAULT_ACCOUNT).describeSecret(b -> b.secretId(secretId));
                } catch (ResourceNotFoundException e) {
                    continue;
                } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
                    if (e.statusCode() >= 500) continue; // that region is out: look elsewhere
                    throw e;
                }
                if (d.primaryRegion() == null || d.primaryRegion().equals(region)) return d;
                return session.sm(d.primaryRegion(), DEFAULT_ACCOUNT).describeSecret(b -> b.secretId(d.name()));
            }
            return null;
        }

        @Override
        public String toString() {
            return "replication of " + control;
        }
    }
}
