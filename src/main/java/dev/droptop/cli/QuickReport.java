package dev.droptop.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code droptop report} without picocli's model, for the plain command lines a report is run with
 * ({@code report FILE}, {@code report -o out.json --top 5 FILE}...). Building picocli's model of a command
 * (its annotations read by reflection, a dynamic proxy per annotation type, the converters, the help
 * machinery) took 60-90 ms, a quarter of a report of the NAT sample end to end.
 *
 * <p>It fills the same {@link ReportCommand} fields picocli would, then runs the same {@code call()}, so
 * every check and message past parsing is shared. It takes only what it is sure of: each of report's
 * options once, as {@code --name VALUE} or {@code --name=VALUE}, files, {@code -} and {@code --}. Anything
 * else (help, version, an unknown or repeated option, an {@code @file} argument, an option value that
 * starts with a dash, a --top that is not plain digits) goes to picocli, which answers it as always.
 * {@code QuickReportTest} checks, on thousands of seeded random command lines, that whatever this accepts
 * picocli parses to the same fields, and that it knows every option report has.
 */
final class QuickReport {
    private QuickReport() {
    }

    /** The command with its fields set from {@code args} (whose first word is "report"), or null: ask picocli. */
    static ReportCommand parse(String[] args) {
        if (args.length < 2 || !args[0].equals("report")) {
            return null;
        }
        ReportCommand c = new ReportCommand();
        List<Path> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean optionsEnded = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("@")) {
                return null; // picocli reads @FILE as a file of arguments
            }
            if (optionsEnded || a.equals("-") || !a.startsWith("-")) {
                Path p = path(a);
                if (p == null) {
                    return null;
                }
                files.add(p);
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = a;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0 && a.startsWith("--")) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (i + 1 == args.length) {
                    return null;
                }
                value = args[++i];
            }
            if (value.startsWith("-") && !value.equals("-") || value.startsWith("@")) {
                return null; // picocli may take it for an option (or a file of arguments)
            }
            if (!seen.add(canonical(name)) || !set(c, name, value)) {
                return null;
            }
        }
        if (files.isEmpty()) {
            return null;
        }
        c.files = files;
        return c;
    }

    private static String canonical(String name) {
        return name.equals("-o") ? "--output" : name;
    }

    /**
     * Sets option {@code name} to {@code value}; false for a name report does not have or a value picocli
     * would refuse or convert otherwise.
     */
    private static boolean set(ReportCommand c, String name, String value) {
        return switch (name) {
            case "--format" -> {
                c.format = value;
                yield true;
            }
            case "--top" -> {
                if (value.isEmpty() || value.length() > 9 || !digits(value)) {
                    yield false;
                }
                c.top = Integer.parseInt(value);
                yield true;
            }
            case "--interval" -> {
                c.interval = value;
                yield true;
            }
            // a path option is set to the path, or to null for one picocli's converter refuses
            case "-o", "--output" -> (c.output = path(value)) != null;
            case "--kallsyms" -> (c.symbols.kallsyms = path(value)) != null;
            case "--archive" -> (c.symbols.archive = path(value)) != null;
            case "--tracepoint-format" -> (c.tracepointFormat = path(value)) != null;
            default -> filter(c.filters, name, value);
        };
    }

    private static boolean filter(FilterOptions f, String name, String value) {
        switch (name) {
            case "--netns" -> f.netns = value;
            case "--container" -> f.container = value;
            case "--dev" -> f.dev = value;
            case "--reason" -> f.reason = value;
            case "--location" -> f.location = value;
            case "--proto" -> f.proto = value;
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    /** The path picocli's converter would make, or null (an invalid path: picocli words that error). */
    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
