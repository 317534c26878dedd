package dev.smlocal.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * This check was run by this suite against real AWS and passed on {@link #on()} (ISO date). Only a
 * run with {@code -Dsmlocal.target=aws} may justify adding it; the date makes staleness visible.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AwsValidated {
    /** The day the check passed against AWS, {@code YYYY-MM-DD}. */
    String on();
}
