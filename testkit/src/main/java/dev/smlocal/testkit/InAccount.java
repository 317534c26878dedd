package dev.smlocal.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The AWS account an injected client acts in, e.g. {@code @InAccount("111122223333")}. The client's
 * access key id is then the 12-digit account id, which the server maps to that account's root
 * principal. Without it, clients act in {@link SmLocal#DEFAULT_ACCOUNT}.
 *
 * <p>With {@link #principal()}, e.g. {@code @InAccount(value = "111122223333", principal = "role/Reader")},
 * the client acts as that role or user: through the access key declared for its ARN (builder
 * {@code principal(...)} or {@link SmLocal#declarePrincipal}, with an identity policy), else through a key
 * the testkit declares without an identity policy.
 */
@PublicApi
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface InAccount {
    /** A 12-digit account id. */
    String value();

    /** {@code role/NAME} or {@code user/NAME} in that account; empty (the default) is the account's root. */
    String principal() default "";
}
