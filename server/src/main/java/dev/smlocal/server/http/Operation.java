package dev.smlocal.server.http;

import dev.smlocal.server.aws.RequestContext;
import java.util.function.BiFunction;

/**
 * One line of the dispatch table: the {@code X-Amz-Target}, the input record and the service call.
 *
 * @param service {@code secretsmanager} or {@code TrentService}
 * @param name    the operation name as the service model spells it
 */
public record Operation<I>(String service, String name, Class<I> input, BiFunction<RequestContext, I, ?> handler) {
    public String target() {
        return service + "." + name;
    }

    @SuppressWarnings("unchecked")
    Object invoke(RequestContext ctx, Object in) {
        return handler.apply(ctx, (I) in);
    }
}
