package dev.smlocal.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.conformance.support.ConformanceExtension;
import dev.smlocal.conformance.support.EmulatorPowers;
import dev.smlocal.conformance.support.RawAnswer;
import dev.smlocal.conformance.support.RawClient;
import dev.smlocal.conformance.support.Scenario;
import dev.smlocal.conformance.support.SecretState;
import dev.smlocal.conformance.support.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;

/**
 * Base of every {@code *Conformance} class: the target, this check's {@link Scenario}, both
 * views (the SDK client and the signing raw client), and the few helpers checks share. Every raw
 * answer is matched against the check's snapshot when one exists.
 */
@ExtendWith(ConformanceExtension.class)
public abstract class ConformanceCheck implements ConformanceExtension.ScenarioAware {
    /** The text AWS answers for any SecretId it cannot resolve. */
    public static final String NOT_FOUND = "Secrets Manager can't find the specified secret.";
    public static final String MARKED_FOR_DELETION =
            "You can't perform this operation on the secret because it was marked for deletion.";
    public static final String INVALID_NAME =
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!";

    protected Target target;
    private Scenario scenario;

    @Override
    public void begin(Target t, Scenario s) {
        this.target = t;
        this.scenario = s;
    }

    @Override
    public Scenario scenario() {
        return scenario;
    }

    // ---- clients -------------------------------------------------------------------------------

    protected SecretsManagerClient sm() {
        return target.secrets(target.region());
    }

    protected SecretsManagerClient sm(String region) {
        return target.secrets(region);
    }

    protected KmsClient kms() {
        return target.kms(target.region());
    }

    protected KmsClient kms(String region) {
        return target.kms(region);
    }

    protected EmulatorPowers powers() {
        return target.powers().orElseThrow(() -> new IllegalStateException("an @EmulatorOnly check ran without powers"));
    }

    // ---- raw view ------------------------------------------------------------------------------

    /** A raw Secrets Manager call in the target's first region, with {@code members} as the body. */
    protected RawAnswer raw(String operation, JsonNode body) {
        return raw(target.region(), operation, body);
    }

    protected RawAnswer raw(String region, String operation, JsonNode body) {
        if (operation.equals("CreateSecret") && body.hasNonNull("Name")) {
            scenario.track(region, body.get("Name").asText());
        }
        RawAnswer a = target.raw("secretsmanager", region).call(operation, body);
        scenario.snapshot(a);
        return a;
    }

    protected RawAnswer rawKms(String operation, JsonNode body) {
        RawAnswer a = target.raw("kms", target.region()).call(operation, body);
        scenario.snapshot(a);
        return a;
    }

    /** A JSON object from name/value pairs; values may be strings, numbers, booleans, lists, maps or nodes. */
    protected static ObjectNode json(Object... pairs) {
        if (pairs.length % 2 != 0) throw new IllegalArgumentException("pairs expected");
        ObjectNode n = RawClient.JSON.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) n.set((String) pairs[i], node(pairs[i + 1]));
        return n;
    }

    private static JsonNode node(Object v) {
        if (v instanceof JsonNode j) return j;
        if (v instanceof List<?> list) {
            ArrayNode a = RawClient.JSON.createArrayNode();
            for (Object o : list) a.add(node(o));
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = RawClient.JSON.createObjectNode();
            map.forEach((k, val) -> o.set(String.valueOf(k), node(val)));
            return o;
        }
        return RawClient.JSON.valueToTree(v);
    }

    // ---- names and resources -------------------------------------------------------------------

    /** A secret name for this check (see {@link Scenario#name}). */
    protected String name(String label) {
        return scenario.name(label);
    }

    /** A fresh ClientRequestToken / VersionId. */
    protected static String token() {
        return UUID.randomUUID().toString();
    }

    /** Creates a string secret through the SDK (tracked for cleanup). */
    protected CreateSecretResponse createSecret(String name, String value) {
        scenario.track(target.region(), name);
        return sm().createSecret(b -> {
            b.name(name);
            if (value != null) b.secretString(value);
        });
    }

    /** Creates a string secret with a known first VersionId. */
    protected CreateSecretResponse createSecret(String name, String value, String versionId) {
        scenario.track(target.region(), name);
        return sm().createSecret(b -> b.name(name).secretString(value).clientRequestToken(versionId));
    }

    protected void track(String secretName) {
        scenario.track(target.region(), secretName);
    }

    /** A symmetric customer managed key in the first region, scheduled for deletion after the check. */
    protected CreateKeyResponse createKey(String description) {
        CreateKeyResponse k = kms().createKey(b -> b.description(description));
        scenario.trackKey(target.region(), k.keyMetadata().keyId());
        return k;
    }

    protected CreateKeyResponse createMultiRegionKey(String description) {
        CreateKeyResponse k = kms().createKey(b -> b.description(description).multiRegion(true));
        scenario.trackKey(target.region(), k.keyMetadata().keyId());
        return k;
    }

    protected void trackKey(String region, String keyId) {
        scenario.trackKey(region, keyId);
    }

    // ---- refused, and nothing changed ---------------------------------------------------------

    /**
     * Runs {@code refusal} (which asserts that a call on {@code secretId} is refused) and then asserts
     * that the whole visible state of the secret in the first region ({@link SecretState}: values of
     * every version, stages, tags, policy, description, key, dates, replication status) is what it
     * was before.
     */
    protected void unchanged(String secretId, Executable refusal) {
        unchanged(List.of(target.region()), secretId, refusal);
    }

    /** As {@link #unchanged(String, Executable)}, for the secret (primary and replicas) in each of {@code regions}. */
    protected void unchanged(List<String> regions, String secretId, Executable refusal) {
        List<SecretState> before = new ArrayList<>();
        for (String r : regions) before.add(SecretState.read(sm(r), r, secretId));
        try {
            refusal.execute();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionFailedError("the refusal threw " + t, t);
        }
        List<String> d = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            SecretState after = SecretState.read(sm(regions.get(i)), regions.get(i), secretId);
            for (String x : after.differencesFrom(before.get(i))) d.add(regions.get(i) + ": " + x);
        }
        if (!d.isEmpty()) throw new AssertionFailedError("refused, but the secret changed: " + String.join("; ", d));
    }

    // ---- the SDK view of errors ----------------------------------------------------------------

    /**
     * Runs {@code call}, expects the SDK to throw {@code type}, and checks the error code, message
     * and status the SDK read off the wire; every difference is reported at once.
     */
    protected static <T extends AwsServiceException> T refused(Class<T> type, String code, String message, Executable call) {
        Throwable thrown = null;
        try {
            call.execute();
        } catch (Throwable t) {
            thrown = t;
        }
        if (thrown == null) throw new AssertionFailedError("SDK: expected " + code + ", but the call succeeded");
        if (!(thrown instanceof AwsServiceException e)) {
            throw new AssertionFailedError("SDK: expected " + code + ", but got " + thrown, thrown);
        }
        List<String> d = new ArrayList<>();
        String actualCode = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String actualMessage = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        int status = code.equals("InternalServiceError") ? 500 : 400;
        if (!code.equals(actualCode)) d.add("error code expected " + code + ", was " + actualCode);
        if (message != null && !message.equals(actualMessage)) {
            d.add("message expected \"" + message + "\", was \"" + actualMessage + "\"");
        }
        if (e.statusCode() != status) d.add("status expected " + status + ", was " + e.statusCode());
        if (!type.isInstance(e)) d.add("exception expected " + type.getSimpleName() + ", was " + e.getClass().getSimpleName());
        if (!d.isEmpty()) throw new AssertionFailedError("SDK: " + String.join("; ", d), e);
        return type.cast(e);
    }
}
