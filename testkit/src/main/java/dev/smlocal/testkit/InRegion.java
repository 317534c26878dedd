package dev.smlocal.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The region an injected client signs its requests for, e.g. {@code @InRegion("eu-west-1")}. It
 * must be one of the configured regions. Required when more than one region is configured. Not
 * called {@code @Region}, so that it never clashes with the SDK's {@code Region} class.
 */
@PublicApi
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface InRegion {
    /** A configured region name. */
    String value();
}
