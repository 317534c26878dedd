package dev.smlocal.server.rotation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.secrets.SecretsService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a {@code RotationLambdaARN} leads. The function name of
 * {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]} (or a bare function name) is
 * looked up, in this order, among
 * <ol>
 *   <li>HTTP functions registered through the admin API ({@code PUT /_smlocal/functions/NAME
 *       {"url": ...}}): each step's event is POSTed to the URL as JSON
 *       {@code {"SecretId","ClientRequestToken","Step"}}; a 2xx answer is success;</li>
 *   <li>in-process functions registered with {@link #register} (the testkit's hook);</li>
 *   <li>the built-ins {@value #PASSWORD} and {@value #ALTERNATING_USERS} (the secret only), and
 *       {@value #POSTGRESQL_SINGLE_USER} and {@value #POSTGRESQL_MULTI_USER} (a PostgreSQL database
 *       over JDBC, as AWS's PostgreSQL rotation templates).</li>
 * </ol>
 * A name found nowhere is a function Secrets Manager cannot invoke. The emulator reset forgets
 * every HTTP and in-process registration; the built-ins always stay. Thread-safe.
 */
public final class RotationFunctions {
    /** Built-in: a new password (GetRandomPassword's defaults); a JSON secret keeps its other keys. */
    public static final String PASSWORD = "smlocal-password";
    /** Built-in: AWS's alternating-users strategy, switching between {@code user} and {@code user_clone}. */
    public static final String ALTERNATING_USERS = "smlocal-alternating-users";
    /** Built-in: AWS's PostgreSQL single-user template; ALTER USER on the secret's database. */
    public static final String POSTGRESQL_SINGLE_USER = "smlocal-postgresql-single-user";
    /** Built-in: AWS's PostgreSQL alternating-users template; creates or alters {@code user_clone} with {@code masterarn}. */
    public static final String POSTGRESQL_MULTI_USER = "smlocal-postgresql-multi-user";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern LAMBDA_ARN = Pattern.compile(
            "arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:([A-Za-z0-9_-]{1,64})(:[A-Za-z0-9_$-]{1,128})?");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a registration lives. */
    public enum Kind { HTTP, IN_PROCESS, BUILT_IN }

    /** One registered function, for listings ({@code url} only for HTTP functions). */
    public record Registration(String name, Kind kind, URI url) {}

    /** A function a Lambda ARN resolved to. */
    public record Resolved(String name, Kind kind, RotationFunction function) {}

    private final Map<String, URI> http = new LinkedHashMap<>();
    private final Map<String, RotationFunction> inProcess = new LinkedHashMap<>();
    private final Map<String, RotationFunction> builtIns = new LinkedHashMap<>();
    /**
     * Built on the first call of an HTTP function ({@link #client()}): creating a JDK HttpClient sets
     * up the default TLS context, about a third of a second of a cold start that most runs never need.
     */
    private volatile HttpClient client;
    private final Supplier<Duration> timeout;
    private volatile java.util.Set<String> allowedHosts = java.util.Set.of();

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10)).build();
                    client = c;
                }
            }
        }
        return c;
    }

    /**
     * @param sm      the service the built-ins call
     * @param timeout the function timeout, also the HTTP request timeout
     */
    public RotationFunctions(SecretsService sm, Supplier<Duration> timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        builtIns.put(PASSWORD, BuiltInFunctions.password(sm));
        builtIns.put(ALTERNATING_USERS, BuiltInFunctions.alternatingUsers(sm));
        builtIns.put(POSTGRESQL_SINGLE_USER, PostgresFunctions.singleUser(sm));
        builtIns.put(POSTGRESQL_MULTI_USER, PostgresFunctions.multiUser(sm));
    }

    /** Registers (or replaces) an in-process function under a Lambda function name. */
    public synchronized void register(String name, RotationFunction function) {
        requireName(name);
        inProcess.put(name, Objects.requireNonNull(function, "function"));
    }

    /** Forgets an in-process function; returns whether there was one. */
    public synchronized boolean unregister(String name) {
        return inProcess.remove(name) != null;
    }

    /**
     * Host names (or IP literals) HTTP functions may live on besides loopback ones: {@code localhost},
     * 127.0.0.0/8 and {@code ::1}. Names are compared as written, never resolved.
     */
    public void allowHosts(List<String> hosts) {
        java.util.Set<String> s = new java.util.HashSet<>();
        for (String h : hosts) s.add(h.trim().toLowerCase(java.util.Locale.ROOT));
        allowedHosts = java.util.Set.copyOf(s);
    }

    /**
     * Registers (or replaces) an HTTP function: each step is POSTed to {@code url}. The URL must
     * name a loopback host or one of {@link #allowHosts}, so the emulator cannot be made to send
     * requests into the network; it is refused here, before anything is sent to it.
     */
    public synchronized void registerHttp(String name, URI url) {
        requireName(name);
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme();
        if (!url.isAbsolute() || url.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
            throw new IllegalArgumentException("url must be an absolute http(s) URL, was: " + url);
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url must not carry user information, was: " + url.getHost());
        }
        String host = url.getHost().toLowerCase(java.util.Locale.ROOT);
        if (!isLoopback(host) && !allowedHosts.contains(host) && !allowedHosts.contains(stripBrackets(host))) {
            throw new IllegalArgumentException("url host " + url.getHost() + " is not loopback (localhost, 127.0.0.0/8, "
                    + "[::1]) and not in --allowed-function-hosts; the emulator only calls functions there");
        }
        http.put(name, url);
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** localhost, an IPv4 literal in 127.0.0.0/8, or the IPv6 loopback literal; never resolved. */
    static boolean isLoopback(String host) {
        if (host.equals("localhost")) return true;
        String h = stripBrackets(host);
        if (h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) return true;
        String[] p = h.split("\\.", -1);
        if (p.length != 4 || !p[0].equals("127")) return false;
        for (String part : p) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) return false;
            if (Integer.parseInt(part) > 255) return false;
        }
        return true;
    }

    /** Forgets an HTTP function; returns whether there was one. */
    public synchronized boolean unregisterHttp(String name) {
        return http.remove(name) != null;
    }

    /** Every registration in lookup order: HTTP, in-process, built-in. */
    public synchronized List<Registration> list() {
        List<Registration> out = new ArrayList<>();
        http.forEach((n, u) -> out.add(new Registration(n, Kind.HTTP, u)));
        inProcess.keySet().forEach(n -> out.add(new Registration(n, Kind.IN_PROCESS, null)));
        builtIns.keySet().forEach(n -> out.add(new Registration(n, Kind.BUILT_IN, null)));
        return out;
    }

    /** A built-in by name (e.g. to wrap it in a test function), or null. */
    public RotationFunction builtIn(String name) {
        return builtIns.get(name);
    }

    /** The function {@code lambdaArn} names, or null when it resolves nowhere. */
    public synchronized Resolved resolve(String lambdaArn) {
        String name = functionName(lambdaArn);
        if (name == null) return null;
        URI url = http.get(name);
        if (url != null) return new Resolved(name, Kind.HTTP, httpFunction(name, url));
        RotationFunction f = inProcess.get(name);
        if (f != null) return new Resolved(name, Kind.IN_PROCESS, f);
        f = builtIns.get(name);
        return f == null ? null : new Resolved(name, Kind.BUILT_IN, f);
    }

    /** The function name of a Lambda function ARN (or of a bare name); null when it is neither. */
    public static String functionName(String lambdaArn) {
        if (lambdaArn == null) return null;
        Matcher m = LAMBDA_ARN.matcher(lambdaArn);
        if (m.matches()) return m.group(1);
        return NAME.matcher(lambdaArn).matches() ? lambdaArn : null;
    }

    /** Forgets HTTP and in-process registrations (the emulator reset); built-ins stay. */
    public synchronized void reset() {
        http.clear();
        inProcess.clear();
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a function name is 1-64 letters, digits, - or _, was: " + name);
        }
    }

    private RotationFunction httpFunction(String name, URI url) {
        return event -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("SecretId", event.secretId());
            body.put("ClientRequestToken", event.clientRequestToken());
            body.put("Step", event.step());
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(timeout.get())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<Void> response;
            try {
                response = client().send(request, HttpResponse.BodyHandlers.discarding());
            } catch (HttpTimeoutException e) {
                throw new RotationStepException("HTTP function " + name + " did not answer within " + timeout.get());
            } catch (IOException e) {
                throw new RotationStepException("HTTP function " + name + " at " + url + " could not be reached: "
                        + e.getClass().getSimpleName());
            }
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                throw new RotationStepException("HTTP function " + name + " answered HTTP " + status);
            }
        };
    }
}
