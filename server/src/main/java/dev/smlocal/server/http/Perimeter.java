package dev.smlocal.server.http;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.Errors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The emulator's perimeter, decided from request headers alone before any route runs (see
 * docs/SECURITY.md): the {@code Host} a request names (DNS rebinding), the {@code Origin} a browser
 * sends (foreign web pages), the admin token, and the media type of admin writes. Knows nothing of
 * Vert.x; {@link HttpFront} asks it once per request. Only string operations run per request: no
 * regular expression, no name resolution.
 */
public final class Perimeter {
    public static final String ADMIN_PREFIX = "/_smlocal";
    public static final String HEALTH_PATH = ADMIN_PREFIX + "/health";
    /**
     * The dashboard's page and its script and style: open without the token, as health is, because
     * a browser cannot attach a header when it first opens a URL. They hold no data; every call the
     * page makes for data or control needs the token (the page asks for it).
     */
    public static final String DASHBOARD_PATH = ADMIN_PREFIX + "/ui";
    /** Longest header value quoted back in a refusal. */
    private static final int QUOTE_LIMIT = 100;

    /** Why a request is refused: its HTTP status, and the error in AWS form for the data plane. */
    public record Refusal(int status, AwsException error) {
        public String message() {
            return error.getMessage();
        }
    }

    private final Set<String> allowedOrigins;
    private final Set<String> allowedHosts;
    private final List<String> allowedHostSuffixes;
    private final byte[] adminToken;

    /**
     * @param allowedOrigins origins served besides loopback ones, as a browser sends them
     *                       ({@code https://tools.example.com:8443}); {@code *} serves every origin
     * @param allowedHosts   {@code Host} names served besides IP literals, localhost names and
     *                       single-label names; {@code *.example.com} serves every name below example.com,
     *                       {@code *} every name
     * @param adminToken     the bearer token every admin route except health needs; null: none
     */
    public Perimeter(List<String> allowedOrigins, List<String> allowedHosts, String adminToken) {
        this.allowedOrigins = new HashSet<>();
        for (String o : allowedOrigins) this.allowedOrigins.add(normaliseOrigin(o));
        this.allowedHosts = new HashSet<>();
        List<String> suffixes = new java.util.ArrayList<>();
        for (String h : allowedHosts) {
            String n = h.trim().toLowerCase(Locale.ROOT);
            if (n.startsWith("*.")) suffixes.add(n.substring(1));
            else this.allowedHosts.add(n);
        }
        this.allowedHostSuffixes = List.copyOf(suffixes);
        this.adminToken = adminToken == null || adminToken.isEmpty() ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** No allowance beyond the defaults, no token. */
    public static Perimeter defaults() {
        return new Perimeter(List.of(), List.of(), null);
    }

    public static boolean isAdminPath(String path) {
        return path != null && (path.equals(ADMIN_PREFIX) || path.startsWith(ADMIN_PREFIX + "/"));
    }

    /**
     * The refusal of a request, or null when it may pass. Checks run in this order: Host (421),
     * Origin (403), admin token (401), admin write media type (415).
     *
     * @param host          the {@code Host} header (or HTTP/2 authority); null when absent
     * @param origin        the {@code Origin} header; null when absent (no browser, or same-origin GET)
     * @param contentType   the {@code Content-Type} header
     * @param authorization the {@code Authorization} header
     */
    public Refusal check(String method, String path, String host, String origin, String contentType,
                         String authorization) {
        if (host != null && !hostAllowed(host)) return new Refusal(421, Errors.foreignHost(quote(host)));
        if (origin != null && !originAllowed(origin)) return new Refusal(403, Errors.foreignOrigin(quote(origin)));
        if (!isAdminPath(path)) return null;
        if (adminToken != null && !("GET".equals(method) && isOpen(path)) && !tokenMatches(authorization)) {
            return new Refusal(401, Errors.adminTokenMissing());
        }
        // a DELETE without a body (and so without a media type) passes: browsers preflight every DELETE,
        // so a foreign page cannot send one past the Origin check, and curl or the dashboard send none
        boolean bodylessDelete = "DELETE".equals(method) && contentType == null;
        if (isWrite(method) && !bodylessDelete && !isJson(contentType)) {
            return new Refusal(415, Errors.adminNeedsJson());
        }
        return null;
    }

    /** Admin paths a GET may read without the token: health, and the dashboard's static files. */
    private static boolean isOpen(String path) {
        return path.equals(HEALTH_PATH) || path.equals(DASHBOARD_PATH) || path.startsWith(DASHBOARD_PATH + "/");
    }

    /** Whether a browser on {@code origin} is granted CORS (loopback and allowed origins). */
    public boolean originAllowed(String origin) {
        if (origin == null) return false;
        String o = normaliseOrigin(origin);
        if (allowedOrigins.contains("*") || allowedOrigins.contains(o)) return true;
        String rest;
        if (o.startsWith("http://")) rest = o.substring(7);
        else if (o.startsWith("https://")) rest = o.substring(8);
        else return false;
        if (rest.isEmpty() || rest.indexOf('/') >= 0 || rest.indexOf('@') >= 0) return false;
        return isLoopbackName(stripPort(rest));
    }

    /** Whether {@code host} (a Host header, maybe with a port) is one this emulator answers to. */
    public boolean hostAllowed(String host) {
        String h = stripPort(host.trim().toLowerCase(Locale.ROOT));
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (h.isEmpty()) return false;
        if (allowedHosts.contains("*") || allowedHosts.contains(h)) return true;
        for (String suffix : allowedHostSuffixes) {
            if (h.endsWith(suffix) && h.length() > suffix.length()) return true;
        }
        if (h.startsWith("[")) return h.endsWith("]") && isIpv6Literal(h.substring(1, h.length() - 1));
        if (isIpv4Literal(h)) return true;
        if (h.equals("localhost") || h.endsWith(".localhost")) return validName(h);
        // a single label (a Docker service name, a hosts-file alias): no public DNS name a web page could rebind
        return h.indexOf('.') < 0 && validName(h);
    }

    private boolean tokenMatches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, adminToken);
    }

    private static boolean isWrite(String method) {
        return "POST".equals(method) || "PUT".equals(method) || "DELETE".equals(method) || "PATCH".equals(method);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) return false;
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    /** localhost, a *.localhost name, 127.0.0.0/8 or ::1. */
    static boolean isLoopbackName(String h) {
        if (h.equals("localhost") || h.endsWith(".localhost")) return true;
        if (h.equals("[::1]")) return true;
        return isIpv4Literal(h) && h.startsWith("127.");
    }

    /** {@code host[:port]} or {@code [v6][:port]} without its port. */
    private static String stripPort(String h) {
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        if (colon < 0) return h;
        if (h.indexOf(':', colon + 1) >= 0) return h; // an unbracketed IPv6 literal: not a valid Host
        return h.substring(0, colon);
    }

    static boolean isIpv4Literal(String h) {
        int parts = 0;
        int value = -1;
        for (int i = 0; i <= h.length(); i++) {
            char c = i == h.length() ? '.' : h.charAt(i);
            if (c == '.') {
                if (value < 0) return false;
                parts++;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) return false;
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    private static boolean isIpv6Literal(String h) {
        if (h.isEmpty() || h.indexOf(':') < 0) return false;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '%';
            if (!ok) return false;
        }
        return true;
    }

    /** Letters, digits, hyphens, underscores (Docker allows them) and dots between non-empty labels. */
    private static boolean validName(String h) {
        if (h.startsWith(".") || h.contains("..")) return false;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok) return false;
        }
        return true;
    }

    private static String normaliseOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        while (o.endsWith("/")) o = o.substring(0, o.length() - 1);
        return o;
    }

    private static String quote(String value) {
        String v = value.length() > QUOTE_LIMIT ? value.substring(0, QUOTE_LIMIT) + "..." : value;
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
