package dev.smlocal.conformance.support;

import dev.smlocal.conformance.AwsUnverified;
import dev.smlocal.conformance.AwsValidated;
import dev.smlocal.conformance.EmulatorOnly;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/** Reads a check's marker: exactly one of {@link AwsValidated}, {@link AwsUnverified}, {@link EmulatorOnly}. */
public final class Markers {
    public static final List<Class<? extends Annotation>> ALL =
            List.of(AwsValidated.class, AwsUnverified.class, EmulatorOnly.class);

    private Markers() {}

    public static List<Annotation> on(Method m) {
        List<Annotation> found = new ArrayList<>();
        for (Class<? extends Annotation> type : ALL) {
            Annotation a = m.getAnnotation(type);
            if (a != null) found.add(a);
        }
        return found;
    }

    /** How the scoreboard names the marker: {@code AwsValidated(2026-01-15)}, {@code AwsUnverified}, … */
    public static String label(Method m) {
        List<Annotation> found = on(m);
        if (found.size() != 1) return found.isEmpty() ? "(none)" : "(several)";
        Annotation a = found.get(0);
        if (a instanceof AwsValidated v) return "AwsValidated(" + v.on() + ")";
        return a.annotationType().getSimpleName();
    }

    /** A one-line account of why a method's markers are wrong, or null when it has exactly one. */
    public static String problem(Method m) {
        List<Annotation> found = on(m);
        if (found.size() == 1) {
            if (found.get(0) instanceof AwsValidated v && !v.on().matches("\\d{4}-\\d{2}-\\d{2}")) {
                return m.getDeclaringClass().getSimpleName() + "." + m.getName() + ": @AwsValidated(on) must be YYYY-MM-DD, was " + v.on();
            }
            if (found.get(0) instanceof AwsUnverified u && u.reason().isBlank()) {
                return m.getDeclaringClass().getSimpleName() + "." + m.getName() + ": @AwsUnverified needs a reason";
            }
            return null;
        }
        return m.getDeclaringClass().getSimpleName() + "." + m.getName() + " carries " + found.size()
                + " markers; exactly one of @AwsValidated, @AwsUnverified, @EmulatorOnly is required";
    }
}
