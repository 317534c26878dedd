package dev.smlocal.testkit.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The excerpts in {@code docs/DRILLS.md} are lines of the drill classes, in order: each Java block
 * is checked against the class linked last before it, line by line with indentation ignored;
 * {@code ...} stands for lines left out.
 */
class DrillsDocTest {
    private static final Path REPO = Path.of(System.getProperty("smlocal.repo.dir", ".."));
    private static final Path DRILLS = REPO.resolve("testkit/src/test/java/dev/smlocal/testkit/drills");
    private static final Pattern CLASS_LINK = Pattern.compile("drills/(\\w+DrillTest)\\.java");

    @Test
    void everyExcerptIsLinesOfItsDrillInOrder() throws IOException {
        String doc = Files.readString(REPO.resolve("docs/DRILLS.md"));
        List<String> checked = new ArrayList<>();

        int from = 0;
        while ((from = doc.indexOf("```java\n", from)) >= 0) {
            int start = from + "```java\n".length();
            int end = doc.indexOf("```", start);
            String drill = lastLinkedDrillBefore(doc, from);
            List<String> source = trimmedLines(Files.readString(DRILLS.resolve(drill + ".java")));
            int at = 0;
            for (String line : trimmedLines(doc.substring(start, end))) {
                if (line.isEmpty() || line.equals("...")) continue;
                int found = indexFrom(source, line, at);
                assertTrue(found >= 0, drill + " has no line, after line " + at + ": " + line);
                at = found + 1;
            }
            checked.add(drill);
            from = end + 3;
        }

        assertEquals(List.of("DisasterRecoveryDrillTest", "ReplicationLagDrillTest", "InvalidReplicaKeyDrillTest",
                "RotationDuringOutageDrillTest", "ThrottlingDrillTest", "CrossAccountSharingDrillTest"), checked);
    }

    private static String lastLinkedDrillBefore(String doc, int position) {
        Matcher m = CLASS_LINK.matcher(doc.substring(0, position));
        String last = null;
        while (m.find()) last = m.group(1);
        assertTrue(last != null, "no drill class linked before the excerpt at " + position);
        return last;
    }

    private static List<String> trimmedLines(String text) {
        return text.lines().map(String::strip).toList();
    }

    private static int indexFrom(List<String> lines, String line, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).equals(line)) return i;
        }
        return -1;
    }
}
