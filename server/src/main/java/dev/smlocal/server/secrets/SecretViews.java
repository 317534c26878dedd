package dev.smlocal.server.secrets;

import dev.smlocal.server.kms.Kms;
import dev.smlocal.server.secrets.SecretsApi.DescribeSecretResponse;
import dev.smlocal.server.secrets.SecretsApi.ReplicationStatusEntry;
import dev.smlocal.server.secrets.SecretsApi.SecretListEntry;
import dev.smlocal.server.secrets.SecretsApi.SecretValueEntry;
import dev.smlocal.server.secrets.SecretsApi.SecretVersionsListEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Secrets as the API and the admin side show them: the Describe/List/GetSecretValue response
 * shapes, the facts filters and sorting read, and the admin/dashboard views (metadata only, never a
 * value). Pure functions of a {@link Secret}; the caller holds its store's lock.
 */
public final class SecretViews {
    private SecretViews() {}

    static DescribeSecretResponse describe(Secret s, String ownRegion) {
        RotationConfig rot = s.rotation();
        Map<String, List<String>> versions = s.versionIdsToStages();
        return new DescribeSecretResponse(s.arn(), s.name(), s.type(), s.description(), s.kmsKeyId(),
                rot == null ? null : rot.enabled(), rot == null ? null : rot.lambdaArn(),
                rot == null ? null : rot.rules(), null, null,
                s.lastRotatedDate(), s.lastChangedDate(), s.lastAccessedDate(), s.deletedDate(),
                s.nextRotationDate(), s.tags(), versions.isEmpty() && !s.hasAnyVersion() ? null : versions,
                s.owningService(), s.createdDate(), s.primaryRegion(),
                replicationStatus(s, ownRegion));
    }

    static SecretListEntry listEntry(Secret s) {
        RotationConfig rot = s.rotation();
        Map<String, List<String>> versions = s.versionIdsToStages();
        return new SecretListEntry(s.arn(), s.name(), s.type(), s.description(), s.kmsKeyId(),
                rot == null ? null : rot.enabled(), rot == null ? null : rot.lambdaArn(),
                rot == null ? null : rot.rules(), null, null, s.lastRotatedDate(), s.lastChangedDate(),
                s.lastAccessedDate(), s.deletedDate(), s.nextRotationDate(), s.tags(),
                versions.isEmpty() && !s.hasAnyVersion() ? null : versions, s.owningService(), s.createdDate(),
                s.primaryRegion());
    }

    /** One version in ListSecretVersionIds: a deprecated version shows no stages. */
    static SecretVersionsListEntry versionEntry(SecretVersion v) {
        return new SecretVersionsListEntry(v.versionId(), v.isDeprecated() ? null : List.copyOf(v.stages()),
                v.lastAccessedDate(), v.createdDate(), v.kmsKeyIds().isEmpty() ? null : v.kmsKeyIds());
    }

    /** A version's opened value as GetSecretValue answers it. */
    static SecretValueEntry valueEntry(Secret s, SecretVersion v, byte[] plain) {
        return new SecretValueEntry(s.arn(), s.name(), v.versionId(), v.isBinary() ? plain : null,
                v.isBinary() ? null : new String(plain, StandardCharsets.UTF_8), List.copyOf(v.stages()),
                v.createdDate());
    }

    /**
     * ReplicationStatus as the secret's own region shows it: one entry per replica on a primary, an
     * empty list on a primary whose replicas are all removed, none on a replica or a plain secret.
     */
    public static List<ReplicationStatusEntry> replicationStatus(Secret s, String ownRegion) {
        if (s.replicas().isEmpty() || s.isReplicaIn(ownRegion)) {
            return s.primaryRegion() != null && !s.isReplicaIn(ownRegion) ? List.of() : null;
        }
        List<ReplicationStatusEntry> out = new ArrayList<>();
        for (ReplicaState r : s.replicas()) {
            out.add(new ReplicationStatusEntry(r.region(), r.kmsKeyId() == null ? Kms.SECRETS_MANAGER_ALIAS : r.kmsKeyId(),
                    r.status(), r.statusMessage(), r.lastAccessedDate()));
        }
        return out;
    }

    /** What ListSecrets and BatchGetSecretValue filters look at. */
    static SecretFacts facts(Secret s) {
        return new SecretFacts(s.name(), s.description(), s.tags() == null ? List.of() : s.tags(),
                s.primaryRegion(), s.owningService());
    }

    /** What ListSecrets sorts by. */
    static Sorting.Sortable sortable(Secret s) {
        return new Sorting.SortKey(s.name(), s.arn(), s.createdDate(), s.lastAccessedDate(), s.lastChangedDate());
    }

    // ---- the admin state view and the dashboard --------------------------------------------------

    /**
     * One secret as the admin state view and the dashboard show it: metadata only, never a value.
     * {@code kmsKeyId} is the key reference as stored (null: the account's {@code aws/secretsmanager}).
     */
    public record SecretSummary(String account, String region, String name, String arn, String primaryRegion,
                                boolean deleted, int versions, List<ReplicationStatusEntry> replicationStatus,
                                String kmsKeyId, Instant createdDate, Instant lastChangedDate,
                                boolean rotationEnabled, Instant lastRotatedDate, Instant nextRotationDate) {}

    /** One secret's versions, stages and policy as the dashboard shows them: never a value. */
    public record SecretView(SecretSummary summary, String description, String resourcePolicy, String rotationLambdaArn,
                             String rotationSchedule, List<VersionView> versions) {}

    /** A version: its id, creation, stages and whether it holds a value (the value itself never). */
    public record VersionView(String versionId, Instant createdDate, List<String> stages, boolean hasValue) {}

    /** Every secret of every store, one store lock at a time. */
    static List<SecretSummary> summaries(Stores stores) {
        List<SecretSummary> out = new ArrayList<>();
        for (RegionalStore store : stores.all()) {
            store.lockedRun(() -> {
                for (Secret s : store.all()) out.add(summary(store, s));
            });
        }
        return out;
    }

    private static SecretSummary summary(RegionalStore store, Secret s) {
        RotationConfig rot = s.rotation();
        return new SecretSummary(store.account(), store.region(), s.name(), s.arn(), s.primaryRegion(),
                s.isDeleted(), s.versions().size(), replicationStatus(s, store.region()), s.kmsKeyId(),
                s.createdDate(), s.lastChangedDate(), rot != null && rot.enabled(),
                s.lastRotatedDate(), s.nextRotationDate());
    }

    /** The secret {@code name} (a name or ARN) in (account, region), or null when there is none. */
    static SecretView view(Stores stores, String account, String region, String name) {
        for (RegionalStore store : stores.all()) {
            if (!store.account().equals(account) || !store.region().equals(region)) continue;
            return store.locked(() -> {
                for (Secret s : store.all()) {
                    if (!s.name().equals(name) && !s.arn().equals(name)) continue;
                    List<VersionView> versions = new ArrayList<>();
                    for (SecretVersion v : s.versions()) {
                        versions.add(new VersionView(v.versionId(), v.createdDate(), List.copyOf(new TreeSet<>(v.stages())),
                                v.hasValue()));
                    }
                    versions.sort(Comparator.comparing(VersionView::createdDate));
                    RotationConfig rot = s.rotation();
                    return new SecretView(summary(store, s), s.description(), s.resourcePolicy(),
                            rot == null ? null : rot.lambdaArn(),
                            rot == null || rot.rules() == null ? null : schedule(rot.rules()), versions);
                }
                return null;
            });
        }
        return null;
    }

    private static String schedule(RotationRules r) {
        String s = r.scheduleExpression() != null ? r.scheduleExpression()
                : r.automaticallyAfterDays() != null ? "every " + r.automaticallyAfterDays() + " days" : "";
        return r.duration() == null ? s : s + " (window " + r.duration() + ")";
    }
}
