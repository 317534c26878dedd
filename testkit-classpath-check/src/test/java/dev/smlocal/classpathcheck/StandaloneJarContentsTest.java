package dev.smlocal.classpathcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smlocal.testkit.SmLocalTest;
import java.io.File;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the standalone jar may hold, entry by entry: the shade plugin relocates class contents, but a
 * class file left at its original path (a multi-release variant under {@code META-INF/versions/N/})
 * would still answer lookups of a user's own classes of that name.
 */
class StandaloneJarContentsTest {

    @Test
    void everyClassIsSmlocalsOrRelocated() throws Exception {
        File jar = new File(SmLocalTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(jar.getName().startsWith("smlocal-testkit-standalone-"), jar.toString());
        try (JarFile file = new JarFile(jar)) {
            List<String> names = file.stream().map(ZipEntry::getName).toList();
            List<String> stray = names.stream()
                    .filter(n -> n.endsWith(".class") && !n.startsWith("dev/smlocal/"))
                    .toList();
            assertEquals(List.of(), stray);
            List<String> versionedOrNative = names.stream()
                    .filter(n -> n.startsWith("META-INF/versions/") || n.startsWith("META-INF/native"))
                    .toList();
            assertEquals(List.of(), versionedOrNative);
            List<String> services = names.stream()
                    .filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
                    .filter(n -> !n.startsWith("META-INF/services/dev.smlocal.shaded.")
                            && !n.equals("META-INF/services/reactor.blockhound.integration.BlockHoundIntegration"))
                    .toList();
            assertEquals(List.of(), services, "service files of unrelocated interfaces");
            assertTrue(names.contains("dev/smlocal/shaded/io/vertx/core/Vertx.class"));
            assertTrue(names.contains("dev/smlocal/shaded/io/netty/channel/Channel.class"));
            assertTrue(names.contains("dev/smlocal/shaded/com/fasterxml/jackson/databind/ObjectMapper.class"));
            assertTrue(names.contains("dev/smlocal/shaded/org/bouncycastle/crypto/engines/AESEngine.class"));
        }
    }
}
