package dev.smlocal.server.auth;

/**
 * AWS's policy evaluation for one request, pure and synchronous (see docs/AUTHORIZATION.md):
 * <ol>
 *   <li>an explicit Deny in the identity policy, then in the resource policy, refuses;</li>
 *   <li>same account: allowed when the identity policy allows (a caller without one is allowed
 *       everything in its own account), or when the resource policy names the caller itself;</li>
 *   <li>another account: the resource policy must allow the caller (its ARN, its account's root,
 *       its account id or {@code *}) and the identity policy, when there is one, must allow too.</li>
 * </ol>
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {}

    /** The outcome and, for a refusal, which AWS reason applies. */
    public enum Decision {
        ALLOW(null),
        EXPLICIT_DENY_IDENTITY("with an explicit deny in an identity-based policy"),
        EXPLICIT_DENY_RESOURCE("with an explicit deny in a resource-based policy"),
        NO_IDENTITY_ALLOW("because no identity-based policy allows the %s action"),
        NO_RESOURCE_ALLOW("because no resource-based policy allows the %s action");

        private final String reason;

        Decision(String reason) {
            this.reason = reason;
        }

        public boolean allowed() { return this == ALLOW; }

        /** The tail of AWS's AccessDeniedException message for {@code action}. */
        public String reason(String action) {
            return reason == null ? null : String.format(reason, action);
        }
    }

    /** {@code identity} null: no identity policy (everything in the own account); {@code resource} null: none. */
    public static Decision decide(AuthRequest r, Policy identity, Policy resource) {
        Policy.Match id = identity == null ? Policy.Match.ALLOW : identity.match(r, false);
        if (id == Policy.Match.DENY) return Decision.EXPLICIT_DENY_IDENTITY;
        Policy.Match res = resource == null ? Policy.Match.NONE : resource.match(r, false);
        if (res == Policy.Match.DENY) return Decision.EXPLICIT_DENY_RESOURCE;
        boolean identityAllows = id == Policy.Match.ALLOW;
        if (r.principalAccount().equals(r.resourceAccount())) {
            if (identityAllows) return Decision.ALLOW;
            if (res == Policy.Match.ALLOW && resource.match(r, true) == Policy.Match.ALLOW) return Decision.ALLOW;
            return Decision.NO_IDENTITY_ALLOW;
        }
        if (res != Policy.Match.ALLOW) return Decision.NO_RESOURCE_ALLOW;
        return identityAllows ? Decision.ALLOW : Decision.NO_IDENTITY_ALLOW;
    }

    /**
     * KMS's rule for a key (its key policy is {@code keyPolicy}): the key policy must allow the caller
     * in every case. When it names the caller itself (ARN or {@code *}) in the key's own account, that
     * suffices; when it names the caller's account (its root or id), the identity policy, when there is
     * one, must allow too. Explicit Denies win as everywhere.
     */
    public static Decision decideKey(AuthRequest r, Policy identity, Policy keyPolicy) {
        Policy.Match id = identity == null ? Policy.Match.ALLOW : identity.match(r, false);
        if (id == Policy.Match.DENY) return Decision.EXPLICIT_DENY_IDENTITY;
        Policy.Match res = keyPolicy == null ? Policy.Match.NONE : keyPolicy.match(r, false);
        if (res == Policy.Match.DENY) return Decision.EXPLICIT_DENY_RESOURCE;
        if (res != Policy.Match.ALLOW) return Decision.NO_RESOURCE_ALLOW;
        if (id == Policy.Match.ALLOW) return Decision.ALLOW;
        if (r.principalAccount().equals(r.resourceAccount()) && keyPolicy.match(r, true) == Policy.Match.ALLOW) {
            return Decision.ALLOW;
        }
        return Decision.NO_IDENTITY_ALLOW;
    }
}
