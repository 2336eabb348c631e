package dev.droptop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the layers of DESIGN.md / STYLE.md §2 honest by reading import lines. */
class ArchitectureTest {
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("model", Set.of()),
            Map.entry("parse", Set.of("model")),
            Map.entry("system", Set.of("model")),
            Map.entry("capture", Set.of("model")),
            Map.entry("source", Set.of("parse", "system", "capture", "model")),
            Map.entry("diagnose", Set.of("model")),
            Map.entry("report", Set.of("diagnose", "model")),
            Map.entry("tui", Set.of("diagnose", "model")),
            Map.entry("lab", Set.of("source", "system", "model")),
            Map.entry("run", Set.of("model", "parse", "system", "capture", "source", "diagnose", "report", "tui", "lab")),
            Map.entry("cli", Set.of("model", "parse", "system", "capture", "source", "diagnose", "report", "tui", "lab", "run")));
    private static final Map<String, Set<String>> THIRD_PARTY = Map.of(
            "com.googlecode.lanterna", Set.of("tui"),
            "com.sun.jna", Set.of("system"),
            "com.fasterxml.jackson", Set.of("capture", "report"),
            "picocli", Set.of("cli"),
            "io.prometheus", Set.of("run"),
            "com.sun.net.httpserver", Set.of("run"),
            "org.jline", Set.of("cli", "tui"));

    @Test
    void importsFollowTheLayers() throws IOException {
        Path root = Path.of("src/main/java/dev/droptop");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String pkg = root.relativize(f).getName(0).toString();
                if (pkg.endsWith(".java")) {
                    continue;
                }
                for (String line : Files.readAllLines(f)) {
                    check(pkg, f, line.trim(), violations);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    private static void check(String pkg, Path f, String line, List<String> violations) {
        if (!line.startsWith("import ")) {
            return;
        }
        String target = line.substring(line.startsWith("import static ") ? 14 : 7).replace(";", "");
        if (target.startsWith("dev.droptop.")) {
            String dep = target.substring(12, target.indexOf('.', 12) < 0 ? target.length() : target.indexOf('.', 12));
            if (!dep.equals(pkg) && !ALLOWED.getOrDefault(pkg, Set.of()).contains(dep)) {
                violations.add(f + ": " + pkg + " may not import " + dep);
            }
            return;
        }
        for (Map.Entry<String, Set<String>> e : THIRD_PARTY.entrySet()) {
            if (target.startsWith(e.getKey()) && !e.getValue().contains(pkg)) {
                violations.add(f + ": " + e.getKey() + " belongs to " + e.getValue() + ", not " + pkg);
            }
        }
    }
}
