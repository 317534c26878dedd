package dev.smlocal.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opentest4j.AssertionFailedError;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Which version of a secret holds which staging label, read once with {@code DescribeSecret}
 * ({@code VersionIdsToStages}), with assertions that name every stage when they fail:
 * <pre>{@code
 * VersionStages.of(sm, "prod/db")
 *         .assertCurrent(token)          // the rotated version
 *         .assertPrevious(firstVersion)  // the one before
 *         .assertNoPending();            // rotation finished
 * }</pre>
 * A snapshot: read again after the secret changes. Works with any client, injected or attached.
 */
@PublicApi
public final class VersionStages {
    public static final String CURRENT = "AWSCURRENT";
    public static final String PREVIOUS = "AWSPREVIOUS";
    public static final String PENDING = "AWSPENDING";

    private final String secretId;
    private final Map<String, List<String>> stages;

    private VersionStages(String secretId, Map<String, List<String>> stages) {
        this.secretId = secretId;
        this.stages = stages;
    }

    /** The labels of {@code secretId} now, as {@code client} sees them. */
    public static VersionStages of(SecretsManagerClient client, String secretId) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(secretId, "secretId");
        Map<String, List<String>> m = client.describeSecret(b -> b.secretId(secretId)).versionIdsToStages();
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (m != null) m.forEach((v, s) -> copy.put(v, List.copyOf(s)));
        return new VersionStages(secretId, Collections.unmodifiableMap(copy));
    }

    /** Version id → its labels, as DescribeSecret listed them. */
    public Map<String, List<String>> asMap() {
        return stages;
    }

    /** The version holding {@code stage}, or null when no version holds it. */
    public String holderOf(String stage) {
        for (Map.Entry<String, List<String>> e : stages.entrySet()) {
            if (e.getValue().contains(stage)) return e.getKey();
        }
        return null;
    }

    /** The version holding AWSCURRENT (every secret with a value has one). */
    public String current() { return holderOf(CURRENT); }

    /** The version holding AWSPREVIOUS, or null. */
    public String previous() { return holderOf(PREVIOUS); }

    /** The version holding AWSPENDING (a rotation under way or failed), or null. */
    public String pending() { return holderOf(PENDING); }

    /** The labels of {@code versionId}; empty when it has none or is not listed. */
    public List<String> stagesOf(String versionId) {
        return stages.getOrDefault(versionId, List.of());
    }

    /** Asserts that {@code versionId} holds {@code stage}. */
    public VersionStages assertHolder(String stage, String versionId) {
        String holder = holderOf(stage);
        if (!Objects.equals(holder, versionId)) {
            throw new AssertionFailedError(stage + " of " + secretId + " should be on " + describe(versionId)
                    + " but is on " + describe(holder) + "; " + this, versionId, holder);
        }
        return this;
    }

    public VersionStages assertCurrent(String versionId) { return assertHolder(CURRENT, versionId); }

    public VersionStages assertPrevious(String versionId) { return assertHolder(PREVIOUS, versionId); }

    public VersionStages assertPending(String versionId) { return assertHolder(PENDING, versionId); }

    /** Asserts that no version holds AWSPENDING: no rotation is under way or left failed. */
    public VersionStages assertNoPending() { return assertHolder(PENDING, null); }

    /** Asserts that {@code versionId} holds exactly {@code expected} (in any order). */
    public VersionStages assertStagesOf(String versionId, String... expected) {
        List<String> want = new ArrayList<>(List.of(expected));
        List<String> have = new ArrayList<>(stagesOf(versionId));
        Collections.sort(want);
        Collections.sort(have);
        if (!want.equals(have)) {
            throw new AssertionFailedError("version " + versionId + " of " + secretId + " should hold " + want
                    + " but holds " + have + "; " + this, want, have);
        }
        return this;
    }

    private static String describe(String versionId) {
        return versionId == null ? "no version" : "version " + versionId;
    }

    /** {@code secretId {version=[stages], ...}}. */
    @Override
    public String toString() {
        return secretId + " " + stages;
    }
}
