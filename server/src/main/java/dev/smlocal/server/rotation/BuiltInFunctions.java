package dev.smlocal.server.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.secrets.Secret;
import dev.smlocal.server.secrets.SecretArn;
import dev.smlocal.server.secrets.SecretsApi.GetRandomPasswordRequest;
import dev.smlocal.server.secrets.SecretsApi.GetSecretValueRequest;
import dev.smlocal.server.secrets.SecretsApi.PutSecretValueRequest;
import dev.smlocal.server.secrets.SecretsApi.SecretIdRequest;
import dev.smlocal.server.secrets.SecretsApi.SecretValueEntry;
import dev.smlocal.server.secrets.SecretsApi.UpdateSecretVersionStageRequest;
import dev.smlocal.server.secrets.SecretsService;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The built-in rotation functions. They follow AWS's single-user and alternating-users Lambda
 * templates step by step, calling {@link SecretsService} directly in the secret's account and
 * region:
 * <ul>
 *   <li>{@code createSecret}: unless the token's AWSPENDING version already has a value, read
 *       AWSCURRENT, make a new password with GetRandomPassword's defaults and PutSecretValue it
 *       under the token with AWSPENDING. A JSON object keeps its other keys and gets a new
 *       {@code password}; any other string is replaced by the password. The alternating-users
 *       variant also switches {@code username} between {@code user} and {@code user_clone}.</li>
 *   <li>{@code setSecret}: nothing (there is no database to change).</li>
 *   <li>{@code testSecret}: reads the AWSPENDING value back.</li>
 *   <li>{@code finishSecret}: moves AWSCURRENT to the token's version (AWSPREVIOUS follows).</li>
 * </ul>
 */
final class BuiltInFunctions {
    static final String CLONE_SUFFIX = "_clone";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BuiltInFunctions() {}

    static RotationFunction password(SecretsService sm) {
        return event -> run(sm, event, false);
    }

    static RotationFunction alternatingUsers(SecretsService sm) {
        return event -> run(sm, event, true);
    }

    private static void run(SecretsService sm, RotationEvent e, boolean alternate) throws RotationStepException {
        RequestContext ctx = contextOf(e.secretId());
        String arn = e.secretId();
        String token = e.clientRequestToken();
        switch (e.step()) {
            case RotationEvent.CREATE_SECRET: {
                SecretValueEntry current = sm.getSecretValue(ctx, new GetSecretValueRequest(arn, null, Secret.CURRENT));
                if (pendingValueExists(sm, ctx, arn, token)) return;
                if (current.secretString() == null) {
                    throw new RotationStepException((alternate ? RotationFunctions.ALTERNATING_USERS
                            : RotationFunctions.PASSWORD) + " rotates string secrets; this secret is binary");
                }
                String password = sm.getRandomPassword(ctx,
                        new GetRandomPasswordRequest(null, null, null, null, null, null, null, null)).randomPassword();
                String value = rotatedValue(current.secretString(), password, alternate);
                sm.putSecretValue(ctx, new PutSecretValueRequest(arn, token, null, value, List.of(Secret.PENDING), null));
                return;
            }
            case RotationEvent.SET_SECRET:
                return;
            case RotationEvent.TEST_SECRET:
                sm.getSecretValue(ctx, new GetSecretValueRequest(arn, token, Secret.PENDING));
                return;
            default: {
                Map<String, List<String>> stages = sm.describeSecret(ctx, new SecretIdRequest(arn)).versionIdsToStages();
                String holder = null;
                if (stages != null) {
                    for (Map.Entry<String, List<String>> en : stages.entrySet()) {
                        if (en.getValue().contains(Secret.CURRENT)) holder = en.getKey();
                    }
                }
                if (token.equals(holder)) return;
                sm.updateSecretVersionStage(ctx, new UpdateSecretVersionStageRequest(arn, Secret.CURRENT, holder, token));
            }
        }
    }

    private static boolean pendingValueExists(SecretsService sm, RequestContext ctx, String arn, String token) {
        try {
            sm.getSecretValue(ctx, new GetSecretValueRequest(arn, token, Secret.PENDING));
            return true;
        } catch (AwsException ex) {
            if (ex.type() == ErrorType.RESOURCE_NOT_FOUND) return false;
            throw ex;
        }
    }

    /** The new value: a JSON object with a new password (and alternate user), or the bare password. */
    static String rotatedValue(String current, String password, boolean alternate) throws RotationStepException {
        JsonNode node = null;
        try {
            node = JSON.readTree(current);
        } catch (IOException notJson) {
            // a plain string secret
        }
        if (node == null || !node.isObject()) {
            if (alternate) {
                throw new RotationStepException(RotationFunctions.ALTERNATING_USERS
                        + " needs a JSON secret with a username");
            }
            return password;
        }
        ObjectNode obj = ((ObjectNode) node).deepCopy();
        if (alternate) {
            JsonNode user = obj.get("username");
            if (user == null || !user.isTextual() || user.asText().isEmpty()) {
                throw new RotationStepException(RotationFunctions.ALTERNATING_USERS
                        + " needs a JSON secret with a username");
            }
            obj.put("username", alternateUser(user.asText()));
        }
        obj.put("password", password);
        try {
            return JSON.writeValueAsString(obj);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** AWS's alternating-users rule: {@code user} ↔ {@code user_clone}. */
    static String alternateUser(String user) {
        return user.endsWith(CLONE_SUFFIX) ? user.substring(0, user.length() - CLONE_SUFFIX.length())
                : user + CLONE_SUFFIX;
    }

    /** The account and region a secret ARN names, as the caller of the built-in's API calls. */
    static RequestContext contextOf(String arn) {
        SecretArn a = SecretArn.of(arn);
        return new RequestContext(a.account(), a.region(), "smlocal-rotation");
    }
}
