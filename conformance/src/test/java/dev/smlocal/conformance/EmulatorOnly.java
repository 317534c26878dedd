package dev.smlocal.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * This check needs emulator powers (the manual clock, injected faults): it runs in process and
 * against endpoints that answer {@code GET /_smlocal/health}, and is skipped against AWS and other
 * endpoints.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface EmulatorOnly {
    /** Which power the check needs and why, for the skip message. */
    String value() default "";
}
