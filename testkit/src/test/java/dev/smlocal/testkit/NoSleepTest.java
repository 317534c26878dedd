package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Tests that need time to pass advance the emulator clock; none of them sleeps (style guide 3.10). */
class NoSleepTest {

    @Test
    void noTestSleeps() throws IOException {
        Path tests = Path.of("src/test/java");
        String forbidden = "Thread" + ".sleep";
        try (Stream<Path> files = Files.walk(tests)) {
            List<String> sleepers = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains(forbidden)).map(Path::toString).sorted().toList();

            assertEquals(List.of(), sleepers);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
