package dev.smlocal.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs in CI, so the image's promises are checked statically: the build stage
 * runs the same Maven command as the README, the jar it copies is the one the shade plugin
 * writes, and the runtime is non-root, on 4599, bound to all interfaces, with a health check.
 */
class DockerfileTest {
    private static final Path REPO = Path.of(System.getProperty("smlocal.repo.dir", ".."));

    @Test
    void theImageBuildsTheShadedJarAndRunsItSafely() throws Exception {
        List<String> lines = Files.readAllLines(REPO.resolve("Dockerfile"));
        String text = String.join("\n", lines);
        String serverPom = Files.readString(REPO.resolve("server/pom.xml"));

        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FROM maven:") && l.contains("temurin-17") && l.endsWith("AS build")), text);
        assertTrue(text.contains("mvn -B -q -pl server -am package -DskipTests"), "build stage runs the README's build");
        assertTrue(serverPom.contains("<finalName>smlocal-server</finalName>"), "the shade plugin writes smlocal-server.jar");
        assertTrue(text.contains("COPY --from=build /src/server/target/smlocal-server.jar /opt/smlocal/smlocal-server.jar"), text);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FROM eclipse-temurin:17-jre")), "runs on a JRE");
        assertTrue(lines.stream().anyMatch(l -> l.equals("USER smlocal")), "runs as a non-root user");
        assertTrue(lines.contains("EXPOSE 4599"));
        assertTrue(text.contains("CMD [\"java\", \"-jar\", \"/opt/smlocal/smlocal-server.jar\", \"healthcheck\"]"), "health check uses the jar");
        assertTrue(text.contains("ENTRYPOINT [\"java\", \"-XX:SharedArchiveFile=/opt/smlocal/smlocal.jsa\", "
                        + "\"-XX:+ExitOnOutOfMemoryError\", \"-jar\", \"/opt/smlocal/smlocal-server.jar\"]"),
                "out of memory ends the container; the server starts from the class-data archive");
        // the archive the entry point names is recorded at image build, by a start of the same jar, before USER
        int archive = text.indexOf("RUN java -XX:ArchiveClassesAtExit=/opt/smlocal/smlocal.jsa");
        assertTrue(archive > text.indexOf("COPY --from=build") && archive < text.indexOf("USER smlocal"), text);
        assertTrue(text.contains("-jar /opt/smlocal/smlocal-server.jar training-run"),
                "recorded by the jar's training run (start, health check, first calls, exit), as the Maven build does");
        assertTrue(text.contains("test -s /opt/smlocal/smlocal.jsa ||"), "the image build says when it made no archive");
        assertEquals("CMD [\"--host=0.0.0.0\"]", lines.get(lines.size() - 1));
        assertTrue(Files.readString(REPO.resolve(".dockerignore")).contains("**/target/"), "no local build output in the context");
    }
}
