package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published API is exactly the public types marked {@link PublicApi}: nothing public slips
 * out unmarked, and the list changes only on purpose (this test then changes with it).
 */
class PublicApiTest {

    @Test
    void everyPublicTypeIsMarkedAndTheListIsTheIntendedOne() throws Exception {
        List<String> unmarked = new ArrayList<>();
        List<String> marked = new ArrayList<>();
        for (Class<?> c : mainClasses()) {
            if (!Modifier.isPublic(c.getModifiers())) continue;
            if (c.isMemberClass() && !Modifier.isPublic(c.getEnclosingClass().getModifiers())) continue;
            (c.isAnnotationPresent(PublicApi.class) ? marked : unmarked).add(c.getName().replace("dev.smlocal.testkit.", ""));
        }

        assertEquals(List.of(), unmarked);
        assertEquals(List.of("Chaos", "ClockControl", "EmulatorEvent", "Fault", "FaultSpec", "FaultSpec$Action",
                "InAccount", "InRegion", "OutageMode", "PendingTask", "PublicApi", "Replication", "Rotation", "SmLocal",
                "SmLocalDiagnostics", "SmLocalExtension", "SmLocalExtension$Builder", "SmLocalTest",
                "SmLocalTest$Clock", "VersionStages"), marked);
    }

    private static List<Class<?>> mainClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(PublicApi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/smlocal/testkit"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, PublicApi.class.getClassLoader());
                if (!c.isAnonymousClass() && !c.isLocalClass() && !c.isSynthetic()) out.add(c);
            }
        }
        out.sort(java.util.Comparator.comparing(Class::getName));
        return out;
    }
}
