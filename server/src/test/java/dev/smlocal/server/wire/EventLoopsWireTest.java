package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.EmulatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

/**
 * {@code --event-loops 2}: several SDK clients on parallel threads (each its own connections)
 * write and read the same secrets; no acknowledged write is lost and each secret keeps exactly
 * one AWSCURRENT version, which is one of the acknowledged ones.
 */
class EventLoopsWireTest extends WireSupport {
    private static final int THREADS = 4;
    private static final int PUTS = 15;

    @Override
    protected EmulatorConfig config() {
        return super.config().toBuilder().eventLoops(2).build();
    }

    @Test
    void parallelClientsLoseNoAcknowledgedWrite() throws Exception {
        sm().createSecret(b -> b.name("shared").secretString("v0"));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    SecretsManagerClient c = sm("us-east-1", "AKIDTHREAD" + thread);
                    for (int i = 0; i < PUTS; i++) {
                        String value = "t" + thread + "-" + i;
                        acknowledged.add(c.putSecretValue(b -> b.secretId("shared").secretString(value)).versionId());
                        c.createSecret(b -> b.name("own-" + thread + "-" + value).secretString(value));
                        String read = c.getSecretValue(b -> b.secretId("own-" + thread + "-" + value)).secretString();
                        assertEquals(value, read);
                        c.getSecretValue(b -> b.secretId("shared"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(THREADS * PUTS, acknowledged.size(), "every put got its own version");
        List<SecretVersionsListEntry> versions = sm().listSecretVersionIds(b -> b.secretId("shared").includeDeprecated(true)).versions();
        Set<String> listed = ConcurrentHashMap.newKeySet();
        versions.forEach(v -> listed.add(v.versionId()));
        assertTrue(listed.containsAll(acknowledged), "no acknowledged version lost");
        List<String> current = versions.stream().filter(v -> v.versionStages().contains("AWSCURRENT"))
                .map(SecretVersionsListEntry::versionId).toList();
        assertEquals(1, current.size(), "exactly one AWSCURRENT");
        assertTrue(acknowledged.contains(current.get(0)));
        assertEquals(1, versions.stream().filter(v -> v.versionStages().contains("AWSPREVIOUS")).count(),
                "exactly one AWSPREVIOUS");
        assertEquals(current.get(0), sm().getSecretValue(b -> b.secretId("shared")).versionId());
        assertEquals(THREADS * PUTS + 1, sm().listSecrets(b -> b.maxResults(100)).secretList().size());
        long[] perLoop = emulator.requestsPerEventLoop();
        assertEquals(2, perLoop.length);
        // Vert.x hands accepted connections to the servers in turn, and the clients opened several
        assertTrue(perLoop[0] > 0 && perLoop[1] > 0, "both loops served: " + java.util.Arrays.toString(perLoop));
        assertTrue(perLoop[0] + perLoop[1] >= 4L * THREADS * PUTS + 4, "every request counted");
    }
}
