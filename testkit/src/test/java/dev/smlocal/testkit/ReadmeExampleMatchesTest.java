package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's testkit example is the marked region of {@link ReadmeExampleTest}, which runs. */
class ReadmeExampleMatchesTest {
    private static final Path REPO = Path.of(System.getProperty("smlocal.repo.dir", ".."));

    @Test
    void theReadmeTestkitExampleEqualsTheCompiledTest() throws Exception {
        String marked = marked(Files.readString(REPO.resolve("testkit/src/test/java/dev/smlocal/testkit/ReadmeExampleTest.java")));

        assertEquals(marked, javaBlockAfter(Files.readString(REPO.resolve("README.md")), "## Testkit"));
        assertEquals(marked, javaBlockAfter(Files.readString(REPO.resolve("testkit/README.md")), "## The annotation"));
    }

    static String marked(String source) {
        int a = source.indexOf("// readme-example:begin\n");
        int b = source.indexOf("// readme-example:end");
        assertTrue(a >= 0 && b > a, "markers missing");
        return source.substring(a + "// readme-example:begin\n".length(), b).stripTrailing();
    }

    static String javaBlockAfter(String markdown, String heading) {
        int h = markdown.indexOf(heading);
        assertTrue(h >= 0, "no section " + heading);
        int a = markdown.indexOf("```java\n", h) + "```java\n".length();
        int b = markdown.indexOf("```", a);
        return markdown.substring(a, b).stripTrailing();
    }
}
