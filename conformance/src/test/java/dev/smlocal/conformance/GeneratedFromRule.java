package dev.smlocal.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * This parameterized check is one validation rule applied across many operations or inputs (every
 * operation × every bad character, say): its invocations are many rows of the scoreboard but one
 * rule. The scoreboard counts them apart from the hand-written checks, so a total does not overstate
 * coverage. Not a marker: the check still carries exactly one of the three markers.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface GeneratedFromRule {
    /** The rule, in a few words ("an invalid character in SecretId is a ValidationException"). */
    String value();
}
