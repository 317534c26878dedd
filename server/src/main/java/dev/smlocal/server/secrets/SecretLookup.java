package dev.smlocal.server.secrets;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.RequestContext;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a SecretId points: the (account, region) store it addresses and the secret it names in
 * that store (a name, a partial ARN or a full ARN; see {@link SecretArn}). The one place SecretIds
 * are resolved.
 */
public final class SecretLookup {
    /** The name pattern {@link #isValidName} implements ({@code SecretNamePropertyTest} holds them equal). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@!-]+");

    private final Stores stores;

    SecretLookup(Stores stores) {
        this.stores = Objects.requireNonNull(stores);
    }

    /** The store a SecretId addresses: the caller's, or the account named by a full ARN of the caller's region. */
    public RegionalStore storeFor(RequestContext ctx, String secretId) {
        SecretArn a = SecretArn.parse(secretId);
        if (a != null && RequestContext.isAccountId(a.account()) && a.region().equals(ctx.region())) {
            return stores.get(a.account(), ctx.region());
        }
        return stores.get(ctx.account(), ctx.region());
    }

    /**
     * The secret a SecretId (full ARN, partial ARN or name) names in {@code store}, else
     * ResourceNotFoundException; the caller holds the store's lock.
     */
    public Secret lookup(RegionalStore store, String secretId) {
        if (SecretArn.isArn(secretId)) {
            SecretArn a = SecretArn.parse(secretId);
            if (a == null || !a.isSecret() || !a.region().equals(store.region()) || !a.account().equals(store.account())) {
                throw Errors.secretNotFound();
            }
            Secret s = store.byName(a.name());
            // a full ARN must match exactly; a partial one (no suffix) names the secret by name
            if (s != null && (!a.hasSuffix() || s.arn().equals(secretId))) return s;
            throw Errors.secretNotFound();
        }
        requireValidName(secretId);
        Secret s = store.byName(secretId);
        if (s == null) throw Errors.secretNotFound();
        return s;
    }

    /** A secret name: letters, digits and {@code /_+=.@!-}, else InvalidParameterException. */
    static void requireValidName(String name) {
        if (!isValidName(name)) throw Errors.invalidName();
    }

    /** Whether {@code name} matches {@code [A-Za-z0-9/_+=.@!-]+}, without a regex matcher per request. */
    static boolean isValidName(String name) {
        if (name == null || name.isEmpty()) return false;
        for (int i = 0, n = name.length(); i < n; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '_' || c == '+' || c == '=' || c == '.' || c == '@' || c == '!' || c == '-';
            if (!ok) return false;
        }
        return true;
    }
}
