package dev.smlocal.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The AWS account an injected client acts in, e.g. {@code @InAccount("111122223333")}. The client's
 * access key id is then the 12-digit account id, which the server maps to that account. Without
 * it, clients act in {@link SmLocal#DEFAULT_ACCOUNT}.
 */
@PublicApi
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface InAccount {
    /** A 12-digit account id. */
    String value();
}
