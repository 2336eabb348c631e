package dev.droptop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test that needs root (it calls one of KernelTest's root/tracefs assumptions) carries
 * {@code @Tag("root")}, on itself or on its class, so {@code -DexcludedGroups=root} leaves out
 * exactly the tests that need the kernel.
 */
class RootTagTest {
    private static final Pattern NEEDS_ROOT = Pattern.compile("assumeRootAndNetns\\(|assumeTracefs\\(|KernelTest\\.isRoot\\(");
    private static final Pattern TEST = Pattern.compile("\\s*@(Test|ParameterizedTest|RepeatedTest)\\b.*");

    @Test
    void everyRootTestIsTagged() throws IOException {
        List<String> untagged = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith("Test.java"))::iterator) {
                List<String> lines = Files.readAllLines(f);
                if (classTagged(lines)) {
                    continue;
                }
                for (int i = 0; i < lines.size(); i++) {
                    if (NEEDS_ROOT.matcher(lines.get(i)).find() && !methodTagged(lines, i)) {
                        untagged.add(f + ":" + (i + 1));
                    }
                }
            }
        }
        assertEquals(List.of(), untagged);
    }

    private static boolean classTagged(List<String> lines) {
        for (String l : lines) {
            if (l.startsWith("@Tag(\"root\")")) {
                return true;
            }
            if (l.matches("(public |final |abstract )*class .*")) {
                return false;
            }
        }
        return false;
    }

    /** Walks up from a line to the annotations of the test method holding it. */
    private static boolean methodTagged(List<String> lines, int at) {
        int i = at;
        while (i >= 0 && !TEST.matcher(lines.get(i)).matches()) {
            i--;
        }
        if (i < 0) {
            return true; // a helper outside any test method: its callers are checked where they call it
        }
        for (int j = i - 1; j >= 0 && lines.get(j).trim().startsWith("@"); j--) {
            if (lines.get(j).contains("@Tag(\"root\")")) {
                return true;
            }
        }
        for (int j = i + 1; j < lines.size() && lines.get(j).trim().startsWith("@"); j++) {
            if (lines.get(j).contains("@Tag(\"root\")")) {
                return true;
            }
        }
        return false;
    }
}
