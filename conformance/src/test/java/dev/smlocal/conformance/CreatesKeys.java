package dev.smlocal.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How many KMS keys this check creates (per invocation), multi-Region replica keys included: each
 * is billed as a key on AWS. The cost estimate printed before a run against AWS adds these up.
 * Every run keeps it honest: a check that makes more keys than it declares fails
 * ({@code Scenario}), so the estimate cannot undercount them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CreatesKeys {
    int value();
}
