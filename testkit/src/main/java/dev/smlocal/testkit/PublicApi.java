package dev.smlocal.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type as part of the testkit's published API: users may depend on it, and a change that
 * breaks it needs a major version. Types without it are internal even when they are public.
 * Retained at run time so that a test (and later a binary-compatibility check) can list them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@PublicApi
public @interface PublicApi {}
