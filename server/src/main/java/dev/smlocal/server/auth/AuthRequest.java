package dev.smlocal.server.auth;

import java.util.List;

/**
 * One request as policies see it: who ({@code principalArn}, {@code principalAccount}), what
 * ({@code action}, e.g. {@code secretsmanager:GetSecretValue}), on what ({@code resource}, an ARN or
 * {@code *}, owned by {@code resourceAccount}), and the condition keys the operation supplies.
 */
public record AuthRequest(String principalArn, String principalAccount, String action, String resource,
                          String resourceAccount, Facts facts) {

    /** Condition-key values of one request, looked up lazily; keys arrive in lower case. */
    @FunctionalInterface
    public interface Facts {
        /** The values of {@code lowerCaseKey}, or null when the request does not carry it. */
        List<String> values(String lowerCaseKey);

        Facts NONE = k -> null;
    }

    public AuthRequest {
        if (facts == null) facts = Facts.NONE;
    }

    /** The values of a condition key: the caller's own keys first, then the operation's facts. */
    public List<String> values(String lowerCaseKey) {
        return switch (lowerCaseKey) {
            case "aws:principalaccount", "kms:calleraccount" -> List.of(principalAccount);
            case "aws:principalarn" -> List.of(principalArn);
            default -> facts.values(lowerCaseKey);
        };
    }
}
