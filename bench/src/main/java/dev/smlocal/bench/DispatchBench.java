package dev.smlocal.bench;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.http.AwsJsonDispatcher;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The request path without HTTP: {@code dispatcher().dispatch(...)} called in a loop on an
 * in-process emulator (no port), printing nanoseconds per dispatch. Prints numbers; asserts nothing.
 */
final class DispatchBench {
    private DispatchBench() {}

    static void run(String op, int calls) {
        try (Emulator e = Emulator.create(Bench.config())) {
            AwsJsonDispatcher d = e.dispatcher();
            AwsJsonDispatcher.Result created = d.dispatch("secretsmanager.CreateSecret", null, "localhost",
                    bytes("{\"Name\":\"bench/dispatch\",\"SecretString\":\"s3cr3t-value\",\"ClientRequestToken\":\"00000000-0000-4000-8000-000000000001\"}"));
            if (created.status() != 200) throw new IllegalStateException("setup failed: " + created.bodyText());
            String target = "secretsmanager." + op;
            byte[] body = bytes("{\"SecretId\":\"bench/dispatch\"}");
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    AwsJsonDispatcher.Result r = d.dispatch(target, null, "localhost", body);
                    if (r.status() != 200) throw new IllegalStateException(op + " failed: " + r.bodyText());
                }
                long ns = System.nanoTime() - start;
                System.out.printf(Locale.ROOT, "dispatch %s round %d: %d calls, %.0f ns per dispatch%n",
                        op, round + 1, calls, (double) ns / calls);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
