package dev.smlocal.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's rotation example is the marked region of {@code CachingClientExampleTest}, which runs. */
class ReadmeRotationExampleTest {
    @Test
    void theReadmeRotationExampleEqualsTheCompiledTest() throws Exception {
        Path repo = Path.of(System.getProperty("smlocal.repo.dir", ".."));
        String source = Files.readString(repo.resolve("server/src/test/java/dev/smlocal/server/wire/CachingClientExampleTest.java"));
        int a = source.indexOf("// readme-rotation:begin\n") + "// readme-rotation:begin\n".length();
        int b = source.indexOf("        // readme-rotation:end");
        String marked = String.join("\n", source.substring(a, b).lines()
                .map(l -> l.startsWith("        ") ? l.substring(8) : l).toList()).stripTrailing();
        String readme = Files.readString(repo.resolve("README.md"));
        int h = readme.indexOf("## Rotation without Docker");
        assertTrue(h >= 0, "README.md has no rotation section");
        int s = readme.indexOf("```java\n", h) + "```java\n".length();

        assertEquals(marked, readme.substring(s, readme.indexOf("```", s)).stripTrailing());
    }
}
