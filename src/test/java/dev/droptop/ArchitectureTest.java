package dev.droptop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers of DESIGN.md / STYLE.md §2 honest. It reads every qualified name in the code
 * (imports and fully qualified uses alike, comments and string literals left out): a droptop package
 * may use only the packages below it in {@link #ALLOWED}; a third-party package only where
 * {@link #THIRD_PARTY} puts it (a library missing from that list is refused anywhere); model uses
 * java.* only; every class sits in a package of the table.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of("src/main/java/dev/droptop");
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("model", Set.of()),
            Map.entry("parse", Set.of("model")),
            Map.entry("system", Set.of("model")),
            Map.entry("capture", Set.of("model")),
            Map.entry("source", Set.of("parse", "system", "capture", "model")),
            Map.entry("diagnose", Set.of("model")),
            Map.entry("report", Set.of("diagnose", "model")),
            Map.entry("tui", Set.of("diagnose", "model")),
            Map.entry("lab", Set.of("source", "system", "diagnose", "model")),
            Map.entry("run", Set.of("model", "parse", "system", "capture", "source", "diagnose", "report", "tui", "lab")),
            Map.entry("cli", Set.of("model", "parse", "system", "capture", "source", "diagnose", "report", "tui", "lab",
                    "run")));
    private static final Map<String, Set<String>> THIRD_PARTY = Map.of(
            "com.googlecode.lanterna", Set.of("tui"),
            "com.sun.jna", Set.of("system"),
            "com.fasterxml.jackson", Set.of("capture", "report"),
            "picocli", Set.of("cli"),
            "io.prometheus", Set.of("run"),
            "com.sun.net.httpserver", Set.of("run"),
            "org.jline", Set.of("cli", "run"),
            "sun.misc", Set.of("cli", "run"));
    /** A package-qualified type: lower-case segments, then a capitalised name. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+)\\.[A-Z*]");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");

    @Test
    void qualifiedNamesFollowTheLayers() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Path rel = ROOT.relativize(f);
                String pkg = rel.getNameCount() == 1 ? "" : rel.getName(0).toString();
                if (!ALLOWED.containsKey(pkg)) {
                    violations.add(f + ": package '" + pkg + "' is not in ArchitectureTest's table");
                    continue;
                }
                for (String name : qualifiedNames(Files.readAllLines(f))) {
                    check(pkg, f, name, violations);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theCheckSeesFullyQualifiedNamesAndUnknownLibraries() {
        List<String> v = new ArrayList<>();
        for (String name : qualifiedNames(List.of("    var x = new dev.droptop.cli.Main();",
                "    org.example.Thing t; // dev.droptop.tui.Frame in a comment",
                "    String s = \"dev.droptop.report.TextReport\";", "    java.util.List<String> l;"))) {
            check("report", Path.of("X.java"), name, v);
        }
        check("model", Path.of("Y.java"), "com.sun.jna", v);
        assertEquals(3, v.size(), v.toString());
        assertTrue(v.get(0).contains("may not use cli"), v.get(0));
        assertTrue(v.get(1).contains("org.example") && v.get(1).contains("not on ArchitectureTest's list"), v.get(1));
        assertTrue(v.get(2).contains("model uses java.* only"), v.get(2));
    }

    private static List<String> qualifiedNames(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean inComment = false;
        for (String raw : lines) {
            String line = raw.trim();
            if (inComment) {
                int end = line.indexOf("*/");
                if (end < 0) {
                    continue;
                }
                line = line.substring(end + 2);
                inComment = false;
            }
            line = STRING.matcher(line).replaceAll("\"\"");
            int slashes = line.indexOf("//");
            if (slashes >= 0) {
                line = line.substring(0, slashes);
            }
            int open = line.indexOf("/*");
            if (open >= 0) {
                inComment = !line.substring(open).contains("*/");
                line = line.substring(0, open);
            }
            if (line.startsWith("package ")) {
                continue;
            }
            Matcher m = QUALIFIED.matcher(line);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static void check(String pkg, Path f, String name, List<String> violations) {
        if (name.startsWith("java.")) {
            return;
        }
        if (name.startsWith("dev.droptop.")) {
            String rest = name.substring(12);
            String dep = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
            if (!dep.equals(pkg) && !ALLOWED.get(pkg).contains(dep)) {
                violations.add(f + ": " + pkg + " may not use " + dep + " (" + name + ")");
            }
            return;
        }
        if (pkg.equals("model")) {
            violations.add(f + ": model uses java.* only, not " + name);
            return;
        }
        for (Map.Entry<String, Set<String>> e : THIRD_PARTY.entrySet()) {
            if (name.equals(e.getKey()) || name.startsWith(e.getKey() + ".")) {
                if (!e.getValue().contains(pkg)) {
                    violations.add(f + ": " + e.getKey() + " belongs to " + e.getValue() + ", not " + pkg);
                }
                return;
            }
        }
        if (!name.startsWith("javax.")) {
            violations.add(f + ": " + name + " is not on ArchitectureTest's list of libraries");
        }
    }
}
