package dev.smlocal.conformance.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on a raw answer, collecting every difference before failing so the scoreboard shows
 * the whole story in one line: {@code GetSecretValue: __type expected …, was …; message expected …}.
 */
public final class Expect {
    private final RawAnswer answer;
    private final Shape shape;
    private final List<String> differences = new ArrayList<>();

    private Expect(RawAnswer answer) {
        this.answer = answer;
        this.shape = Shape.of(answer);
    }

    public static Expect that(RawAnswer answer) {
        return new Expect(answer);
    }

    /** An AWS error: status, type, exact message, and a body of exactly {@code __type} and {@code Message}. */
    public static void error(RawAnswer a, int status, String type, String message) {
        that(a).status(status).type(type).message(message).fields("__type", "Message").verify();
    }

    /** A success whose top-level members are exactly {@code fields}. */
    public static void ok(RawAnswer a, String... fields) {
        that(a).status(200).fields(fields).verify();
    }

    public Expect status(int expected) {
        if (answer.status() != expected) differences.add("status expected " + expected + ", was " + answer.status());
        return this;
    }

    public Expect type(String expected) {
        if (!Objects.equals(answer.type(), expected)) {
            differences.add("__type expected " + expected + ", was " + answer.type());
        }
        return this;
    }

    public Expect message(String expected) {
        if (!Objects.equals(answer.message(), expected)) {
            differences.add("message expected \"" + expected + "\", was \"" + answer.message() + "\"");
        }
        return this;
    }

    public Expect messageStartsWith(String prefix) {
        String m = answer.message();
        if (m == null || !m.startsWith(prefix)) {
            differences.add("message expected to start with \"" + prefix + "\", was \"" + m + "\"");
        }
        return this;
    }

    public Expect messageContains(String part) {
        String m = answer.message();
        if (m == null || !m.contains(part)) differences.add("message expected to contain \"" + part + "\", was \"" + m + "\"");
        return this;
    }

    public Expect messageMatches(String regex) {
        String m = answer.message();
        if (m == null || !Pattern.compile(regex, Pattern.DOTALL).matcher(m).matches()) {
            differences.add("message expected to match /" + regex + "/, was \"" + m + "\"");
        }
        return this;
    }

    /** The top-level members are exactly these. */
    public Expect fields(String... expected) {
        Set<String> want = new TreeSet<>(Arrays.asList(expected));
        Set<String> have = new TreeSet<>(shape.topLevel());
        if (!want.equals(have)) {
            Set<String> missing = new TreeSet<>(want);
            missing.removeAll(have);
            Set<String> extra = new TreeSet<>(have);
            extra.removeAll(want);
            differences.add("members expected " + want + ", was " + have
                    + (missing.isEmpty() ? "" : " (missing " + missing + ")")
                    + (extra.isEmpty() ? "" : " (unexpected " + extra + ")"));
        }
        return this;
    }

    /** These member paths are present ({@code Versions[].KmsKeyIds}, {@code Tags[].Key}). */
    public Expect has(String... paths) {
        Set<String> missing = new LinkedHashSet<>();
        for (String p : paths) if (!shape.fields().containsKey(p)) missing.add(p);
        if (!missing.isEmpty()) differences.add("missing members " + missing + " among " + shape.fields().keySet());
        return this;
    }

    /** These member paths are absent. */
    public Expect lacks(String... paths) {
        Set<String> present = new LinkedHashSet<>();
        for (String p : paths) if (shape.fields().containsKey(p)) present.add(p);
        if (!present.isEmpty()) differences.add("unexpected members " + present);
        return this;
    }

    /** The JSON type of a member path ({@code number}, {@code string}, …). */
    public Expect memberType(String path, String jsonType) {
        String t = shape.fields().get(path);
        if (!jsonType.equals(t)) differences.add("member " + path + " expected " + jsonType + ", was " + t);
        return this;
    }

    public void verify() {
        if (!differences.isEmpty()) {
            throw new AssertionFailedError(answer.operation() + ": " + String.join("; ", differences)
                    + " — answer " + answer.status() + " " + abbreviate(answer.text()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }
}
