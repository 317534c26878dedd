package dev.smlocal.conformance.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * One check's run: its resource names ({@code <run prefix><Class>/<method>[.<invocation>]/<label>}),
 * what it created (removed after the check, pass or fail), and its snapshot entries.
 */
public final class Scenario {
    private static final Logger LOG = Logger.getLogger(Scenario.class.getName());

    private final Target target;
    private final String className;
    private final String method;
    private final String invocation;
    private final String scope;
    private final Snapshots.Session snapshot;
    private final List<Ledger.Secret> secrets = new ArrayList<>();
    private final List<Ledger.Key> keys = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Runnable> afterwards = new ArrayList<>();
    private int rawCalls;
    /** The keys the check declares ({@code @CreatesKeys}), 0 when it declares none. */
    private final int declaredKeys;

    Scenario(Target target, ExtensionContext ctx, Snapshots snapshots) {
        this.target = target;
        this.className = ctx.getRequiredTestClass().getSimpleName();
        this.method = ctx.getRequiredTestMethod().getName();
        this.invocation = invocationIndex(ctx.getUniqueId());
        dev.smlocal.conformance.CreatesKeys declared =
                ctx.getRequiredTestMethod().getAnnotation(dev.smlocal.conformance.CreatesKeys.class);
        this.declaredKeys = declared == null ? 0 : declared.value();
        this.scope = target.namePrefix() + className + "/" + method + (invocation.isEmpty() ? "" : "." + invocation) + "/";
        this.snapshot = snapshots == null ? null
                : snapshots.open(className, invocation.isEmpty() ? method : method + "." + invocation);
    }

    /** {@code 3} for the third invocation of a parameterized check, else empty. */
    static String invocationIndex(String uniqueId) {
        int i = uniqueId.lastIndexOf("-invocation:#");
        if (i < 0) return "";
        String rest = uniqueId.substring(i + "-invocation:#".length());
        int end = rest.indexOf(']');
        return end < 0 ? rest : rest.substring(0, end);
    }

    /** Every name this check uses starts with this. */
    public String scope() {
        return scope;
    }

    /**
     * A name for {@code label}, unique in the run and traceable to this check; asking twice for a
     * label gives a second name. Labels must not end in {@code -} and six letters or digits (they
     * would read as an ARN suffix).
     */
    public String name(String label) {
        int n = labels.merge(label, 1, Integer::sum);
        return scope + label + (n == 1 ? "" : String.valueOf(n));
    }

    public void track(String region, String secretId) {
        Ledger.Secret s = new Ledger.Secret(region, secretId);
        if (!secrets.contains(s)) {
            secrets.add(s);
            target.ledger().add(s);
        }
    }

    public void trackKey(String region, String keyId) {
        Ledger.Key k = new Ledger.Key(region, keyId);
        keys.add(k);
        target.ledger().add(k);
    }

    /**
     * Something to undo when the check ends, pass or fail, before its resources are removed (a fault
     * to lift, a rotation function to forget); undone last-registered first.
     */
    public void afterwards(Runnable undo) {
        afterwards.add(undo);
    }

    /** Compares (or records) a raw answer with this check's snapshot. */
    public void snapshot(RawAnswer a) {
        rawCalls++;
        if (snapshot != null) snapshot.match(rawCalls + " " + a.operation(), a);
    }

    /**
     * After the check: what it made is removed and the snapshot written. Against AWS, or when the
     * check failed half-way, the check's name prefix is swept as well.
     */
    void end(boolean failed) {
        for (int i = afterwards.size() - 1; i >= 0; i--) {
            try {
                afterwards.get(i).run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "undoing a step of " + scope + " failed: " + e.getMessage());
            }
        }
        afterwards.clear();
        if (failed || target.kind() == Target.Kind.AWS) sweepAll();
        int madeKeys = keys.size();
        target.ledger().clean(secrets, keys);
        if (snapshot != null) snapshot.close();
        if (!failed && madeKeys > declaredKeys) {
            throw new org.opentest4j.AssertionFailedError(className + "." + method + " made " + madeKeys
                    + " KMS keys but declares " + declaredKeys + " (@CreatesKeys): the AWS cost estimate would undercount them");
        }
    }

    private void sweepAll() {
        try {
            for (String region : target.regions()) {
                for (SecretListEntry e : sweep(region)) track(region, e.arn());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "sweep of " + scope + " failed: " + e.getMessage());
        }
    }

    private List<SecretListEntry> sweep(String region) {
        return target.secrets(region).listSecretsPaginator(b -> b.includePlannedDeletion(true)
                .filters(Filter.builder().key(FilterNameStringType.NAME).values(scope).build()))
                .stream().flatMap(page -> page.secretList().stream()).toList();
    }

    public String className() {
        return className;
    }

    public String method() {
        return method;
    }
}
