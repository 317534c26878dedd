package dev.smlocal.server.auth;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.RequestContext;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Applies {@link PolicyEvaluator} to calls: finds the caller's identity policy, decides, and on a
 * refusal tells the refusal listener (the event log) and throws AWS's AccessDeniedException.
 * Switched off ({@code --authorization off}) it allows everything.
 */
public final class Authorizer {
    /** One refused call: who, what, on which resource (as sent) and AWS's reason. */
    public record Refusal(String principalArn, String action, String resource, String reason, String region,
                          String account) {}

    private final Principals principals;
    private volatile boolean enabled;
    private volatile Consumer<Refusal> listener = r -> { };

    public Authorizer(Principals principals, boolean enabled) {
        this.principals = Objects.requireNonNull(principals);
        this.enabled = enabled;
    }

    public Principals principals() { return principals; }
    public boolean enabled() { return enabled; }
    public void setEnabled(boolean on) { this.enabled = on; }

    public void onRefusal(Consumer<Refusal> l) {
        this.listener = l == null ? r -> { } : l;
    }

    /**
     * Throws AccessDeniedException unless {@code ctx}'s principal may do {@code action} on
     * {@code resourceArn} (owned by {@code resourceAccount}, protected by {@code resourcePolicy},
     * null for none). {@code asSent} is the resource as the caller named it, for the message.
     */
    public void check(RequestContext ctx, String action, String resourceArn, String resourceAccount,
                      Policy resourcePolicy, AuthRequest.Facts facts, String asSent) {
        PolicyEvaluator.Decision d = decide(ctx, action, resourceArn, resourceAccount, resourcePolicy, facts);
        if (d.allowed()) return;
        String reason = d.reason(action);
        listener.accept(new Refusal(ctx.principalArn(), action, asSent, reason, ctx.region(), ctx.account()));
        throw Errors.accessDenied(ctx.principalArn(), action, asSent, reason);
    }

    /** Like {@link #check} but answers instead of throwing; a refusal is still reported. */
    public boolean permits(RequestContext ctx, String action, String resourceArn, String resourceAccount,
                           Policy resourcePolicy, AuthRequest.Facts facts) {
        PolicyEvaluator.Decision d = decide(ctx, action, resourceArn, resourceAccount, resourcePolicy, facts);
        if (d.allowed()) return true;
        listener.accept(new Refusal(ctx.principalArn(), action, resourceArn, d.reason(action), ctx.region(),
                ctx.account()));
        return false;
    }

    private PolicyEvaluator.Decision decide(RequestContext ctx, String action, String resourceArn,
                                            String resourceAccount, Policy resourcePolicy, AuthRequest.Facts facts) {
        if (!enabled) return PolicyEvaluator.Decision.ALLOW;
        Policy identity = principals.identityPolicyOf(ctx.principalArn());
        if (identity == null && resourcePolicy == null && ctx.account().equals(resourceAccount)) {
            return PolicyEvaluator.Decision.ALLOW; // the common case, decided without building a request
        }
        return PolicyEvaluator.decide(new AuthRequest(ctx.principalArn(), ctx.account(), action, resourceArn,
                resourceAccount, facts), identity, resourcePolicy);
    }

    /**
     * Whether the caller may use a KMS key for {@code action} ({@code kms:Decrypt} ...) under its key
     * policy ({@link PolicyEvaluator#decideKey}); a refusal is reported. Always true when switched off.
     */
    public boolean permitsKey(RequestContext ctx, String action, String keyArn, String keyAccount, Policy keyPolicy,
                              AuthRequest.Facts facts) {
        return keyDecision(ctx, action, keyArn, keyAccount, keyPolicy, facts).allowed();
    }

    /** Throws AccessDeniedException (AWS's message shape) unless {@link #permitsKey}. */
    public void checkKey(RequestContext ctx, String action, String keyArn, String keyAccount, Policy keyPolicy,
                         String asSent) {
        PolicyEvaluator.Decision d = keyDecision(ctx, action, keyArn, keyAccount, keyPolicy, AuthRequest.Facts.NONE);
        if (!d.allowed()) throw Errors.accessDenied(ctx.principalArn(), action, asSent, d.reason(action));
    }

    private PolicyEvaluator.Decision keyDecision(RequestContext ctx, String action, String keyArn, String keyAccount,
                                                 Policy keyPolicy, AuthRequest.Facts facts) {
        if (!enabled) return PolicyEvaluator.Decision.ALLOW;
        PolicyEvaluator.Decision d = PolicyEvaluator.decideKey(new AuthRequest(ctx.principalArn(), ctx.account(),
                action, keyArn, keyAccount, facts), principals.identityPolicyOf(ctx.principalArn()), keyPolicy);
        if (!d.allowed()) {
            listener.accept(new Refusal(ctx.principalArn(), action, keyArn, d.reason(action), ctx.region(),
                    ctx.account()));
        }
        return d;
    }
}
