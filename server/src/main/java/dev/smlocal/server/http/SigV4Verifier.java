package dev.smlocal.server.http;

import dev.smlocal.server.aws.Errors;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 the way AWS does, in its header form ({@code Authorization:
 * AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…}) and its presigned query form
 * ({@code X-Amz-Algorithm}, {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires},
 * {@code X-Amz-SignedHeaders}, {@code X-Amz-Signature}), with the 5-minute clock skew rule on the
 * emulator clock. Secret keys come from a lookup (access key id to secret access key). Transport
 * neutral: {@link HttpFront} hands over the method, raw path and query, header lookup and body.
 * The messages and their evidence are in docs/SECURITY.md.
 */
public final class SigV4Verifier {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    /** What the verifier needs of one request. Header names are looked up in lower case. */
    public record Request(String method, String rawPath, String rawQuery, Function<String, List<String>> headers,
                          byte[] body) {}

    private final Function<String, Optional<String>> secretKeys;
    private final Supplier<Instant> clock;

    /**
     * @param secretKeys access key id to secret access key; empty: the key is unknown
     * @param clock      the emulator clock (the skew rule is checked against it)
     */
    public SigV4Verifier(Function<String, Optional<String>> secretKeys, Supplier<Instant> clock) {
        this.secretKeys = Objects.requireNonNull(secretKeys, "secretKeys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether the request carries a presigned query signature rather than an Authorization header. */
    public static boolean isPresigned(String rawQuery) {
        return rawQuery != null && rawQuery.contains("X-Amz-Signature=");
    }

    /** The decoded {@code X-Amz-Credential} of a presigned query, or null. */
    public static String presignedCredential(String rawQuery) {
        if (rawQuery == null) return null;
        for (String[] p : pairs(rawQuery)) {
            if (p[0].equals("X-Amz-Credential")) return p[1];
        }
        return null;
    }

    /** Throws AWS's error ({@link dev.smlocal.server.aws.AwsException}) when the request's signature does not verify. */
    public void verify(Request r) {
        String authorization = first(r.headers(), "authorization");
        if (authorization != null) {
            verifyHeaderForm(r, authorization);
        } else if (isPresigned(r.rawQuery())) {
            verifyQueryForm(r);
        } else {
            throw Errors.missingAuthentication();
        }
    }

    private void verifyHeaderForm(Request r, String authorization) {
        String auth = authorization.trim();
        if (!auth.startsWith(ALGORITHM + " ")) {
            throw Errors.incompleteSignature("Authorization header must use the " + ALGORITHM + " algorithm.");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : auth.substring(ALGORITHM.length()).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) continue;
            String k = p.substring(0, eq).trim();
            String v = p.substring(eq + 1).trim();
            switch (k) {
                case "Credential" -> credential = v;
                case "SignedHeaders" -> signedHeaders = v;
                case "Signature" -> signature = v;
                default -> { }
            }
        }
        List<String> missing = new ArrayList<>();
        if (credential == null) missing.add("Credential");
        if (signedHeaders == null) missing.add("SignedHeaders");
        if (signature == null) missing.add("Signature");
        if (!missing.isEmpty()) {
            throw Errors.incompleteSignature("Authorization header requires " + String.join(", ", missing.stream()
                    .map(m -> "'" + m + "'").toList()) + " parameter(s). Authorization=" + ALGORITHM);
        }
        String amzDate = first(r.headers(), "x-amz-date");
        if (amzDate == null) {
            throw Errors.incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a "
                    + "'Date' header.");
        }
        check(r, credential, signedHeaders, signature, amzDate, null, false);
    }

    private void verifyQueryForm(Request r) {
        String algorithm = null;
        String credential = null;
        String amzDate = null;
        String expires = null;
        String signedHeaders = null;
        String signature = null;
        for (String[] p : pairs(r.rawQuery())) {
            switch (p[0]) {
                case "X-Amz-Algorithm" -> algorithm = p[1];
                case "X-Amz-Credential" -> credential = p[1];
                case "X-Amz-Date" -> amzDate = p[1];
                case "X-Amz-Expires" -> expires = p[1];
                case "X-Amz-SignedHeaders" -> signedHeaders = p[1];
                case "X-Amz-Signature" -> signature = p[1];
                default -> { }
            }
        }
        if (!ALGORITHM.equals(algorithm) || credential == null || amzDate == null || signedHeaders == null) {
            throw Errors.incompleteSignature("A presigned request needs X-Amz-Algorithm=" + ALGORITHM
                    + ", X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Signature.");
        }
        Duration validity;
        try {
            validity = expires == null ? MAX_SKEW : Duration.ofSeconds(Long.parseLong(expires.trim()));
        } catch (NumberFormatException e) {
            throw Errors.incompleteSignature("X-Amz-Expires must be a number of seconds, was: " + expires);
        }
        check(r, credential, signedHeaders, signature, amzDate, validity, true);
    }

    private void check(Request r, String credential, String signedHeaders, String signature, String amzDate,
                       Duration presignedValidity, boolean presigned) {
        String[] scope = credential.split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            throw Errors.incompleteSignature("Credential must have exactly 5 slash-delimited elements, e.g. "
                    + "keyid/date/region/service/aws4_request, got '" + credential + "'");
        }
        String secret = secretKeys.apply(scope[0]).orElseThrow(Errors::unknownAccessKey);
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw Errors.incompleteSignature("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
        }
        if (!amzDate.startsWith(scope[1])) {
            throw Errors.signatureMismatchScope(scope[1], amzDate);
        }
        Instant now = clock.get();
        if (presigned) {
            Instant expiresAt = signedAt.plus(presignedValidity);
            if (now.isAfter(expiresAt)) {
                throw Errors.presignedExpired(fmt(signedAt), fmt(expiresAt), fmt(now));
            }
        } else if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            throw Errors.signatureExpired(fmt(signedAt), fmt(now.minus(MAX_SKEW)), fmt(now));
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw Errors.signatureNotYetCurrent(fmt(signedAt), fmt(now.plus(MAX_SKEW)), fmt(now));
        }

        String canonical = canonicalRequest(r, signedHeaders, presigned);
        String credentialScope = scope[1] + "/" + scope[2] + "/" + scope[3] + "/" + scope[4];
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n" + hex(sha256(canonical));
        String expected = sign(secret, scope[1], scope[2], scope[3], stringToSign);
        String given = signature == null ? "" : signature.trim().toLowerCase(Locale.ROOT);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
            throw Errors.signatureMismatch(canonical, stringToSign);
        }
    }

    /** The canonical request of SigV4: method, URI, query, headers, signed header list, payload hash. */
    static String canonicalRequest(Request r, String signedHeaders, boolean presigned) {
        StringBuilder sb = new StringBuilder(512);
        sb.append(r.method()).append('\n');
        sb.append(canonicalUri(r.rawPath())).append('\n');
        sb.append(canonicalQuery(r.rawQuery(), presigned)).append('\n');
        for (String name : signedHeaders.split(";")) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            List<String> values = r.headers().apply(n);
            sb.append(n).append(':');
            if (values != null) {
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) sb.append(',');
                    sb.append(trimAll(values.get(i)));
                }
            }
            sb.append('\n');
        }
        sb.append('\n').append(signedHeaders).append('\n');
        String declared = first(r.headers(), "x-amz-content-sha256");
        sb.append(declared != null ? declared : hex(sha256(r.body())));
        return sb.toString();
    }

    /** Each segment of the (already encoded) path encoded once more, as every service but S3 expects. */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) return "/";
        StringBuilder sb = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) sb.append('/');
            sb.append(encode(segments[i]));
        }
        return sb.charAt(0) == '/' ? sb.toString() : "/" + sb;
    }

    static String canonicalQuery(String rawQuery, boolean presigned) {
        if (rawQuery == null || rawQuery.isEmpty()) return "";
        List<String[]> encoded = new ArrayList<>();
        for (String[] p : pairs(rawQuery)) {
            if (presigned && p[0].equals("X-Amz-Signature")) continue;
            encoded.add(new String[] {encode(p[0]), encode(p[1])});
        }
        encoded.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : encoded) {
            if (sb.length() > 0) sb.append('&');
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** Decoded name/value pairs of a raw query string. */
    private static List<String[]> pairs(String rawQuery) {
        List<String[]> out = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            out.add(new String[] {decode(name), decode(value)});
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** SigV4's URI encoding: every byte but A-Z, a-z, 0-9, '-', '_', '.', '~' as %XY (upper-case hex). */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Leading and trailing spaces removed, inner runs of spaces made one. */
    private static String trimAll(String v) {
        String t = v.trim();
        if (t.indexOf("  ") < 0) return t;
        StringBuilder sb = new StringBuilder(t.length());
        boolean space = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == ' ') {
                if (!space) sb.append(c);
                space = true;
            } else {
                sb.append(c);
                space = false;
            }
        }
        return sb.toString();
    }

    private static String first(Function<String, List<String>> headers, String name) {
        List<String> v = headers.apply(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    static String fmt(Instant t) {
        return AMZ_DATE.format(t);
    }

    static byte[] sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /** For tests and signing tools: the signature of {@code stringToSign} with a secret and scope. */
    public static String sign(String secret, String date, String region, String service, String stringToSign) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, stringToSign));
    }
}
