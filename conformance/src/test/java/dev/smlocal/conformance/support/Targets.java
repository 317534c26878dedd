package dev.smlocal.conformance.support;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the {@link Target} that {@code -Dsmlocal.target} names:
 * <ul>
 *   <li>{@code in-process} (default): an emulator in this JVM;</li>
 *   <li>{@code url:http://host:port}: any endpoint; regions from {@code -Dsmlocal.regions}
 *       (default {@code us-east-1,us-west-2}), credentials {@code -Dsmlocal.accessKey} /
 *       {@code -Dsmlocal.secretKey}; the admin token of a server run with {@code --admin-token} from
 *       {@code -Dsmlocal.adminToken} or {@code SMLOCAL_ADMIN_TOKEN};</li>
 *   <li>{@code aws}: real AWS; regions from {@code -Dsmlocal.aws.regions} (default
 *       {@code us-east-1,us-west-2}); needs {@code -Dsmlocal.aws.confirm=true}.</li>
 * </ul>
 */
public final class Targets {
    public static final String PROPERTY = "smlocal.target";
    public static final String DEFAULT = "in-process";
    static final String DEFAULT_REGIONS = "us-east-1,us-west-2";

    private Targets() {}

    public static Target create(String spec) {
        String s = spec == null || spec.isBlank() ? DEFAULT : spec.trim();
        if (s.equals("in-process")) {
            return new InProcessTarget(regions("smlocal.regions"));
        }
        if (s.startsWith("url:")) {
            URI uri = URI.create(s.substring("url:".length()));
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("smlocal.target=url: needs an absolute URL such as url:http://127.0.0.1:4599, was: " + s);
            }
            return new UrlTarget(s, uri, regions("smlocal.regions"),
                    System.getProperty("smlocal.accessKey", "AKIDEXAMPLE"),
                    System.getProperty("smlocal.secretKey", "conformance"), adminToken());
        }
        if (s.equals("aws")) {
            int checks = RunPlan.checks() < 0 ? 150 : RunPlan.checks();
            List<String> regions = regions("smlocal.aws.regions");
            return AwsTarget.start(regions, CostEstimate.of(checks, RunPlan.kmsKeys(), RunPlan.replicaChecks(), regions.size() - 1),
                    Boolean.getBoolean(AwsTarget.CONFIRM));
        }
        throw new IllegalArgumentException("smlocal.target must be in-process, url:http://host:port or aws, was: " + s);
    }

    /** {@code -Dsmlocal.adminToken}, else {@code SMLOCAL_ADMIN_TOKEN}, else none: for a server run with --admin-token. */
    static String adminToken() {
        String t = System.getProperty("smlocal.adminToken");
        if (t == null || t.isBlank()) t = System.getenv("SMLOCAL_ADMIN_TOKEN");
        return t == null || t.isBlank() ? null : t.trim();
    }

    static List<String> regions(String property) {
        List<String> r = Arrays.stream(System.getProperty(property, DEFAULT_REGIONS).split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).toList();
        if (r.isEmpty()) throw new IllegalArgumentException(property + " names no region");
        return r;
    }
}
