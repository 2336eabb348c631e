package dev.droptop.cli;

import dev.droptop.system.HostInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How usage help is laid out. The width is the terminal's, asked only when help is printed: JLine's
 * system terminal reads it with one {@code ioctl(TIOCGWINSZ)} through JNA (no {@code stty} child, as
 * picocli's usageHelpAutoWidth would start), else {@code $COLUMNS}, else 80 (a pipe, a file). Examples
 * and other footer lines are printed as written: picocli would re-wrap them and cut commands and
 * addresses mid-word. Synopses and option lists show {@code -o FILE}, as man pages do, not
 * picocli's {@code -o=FILE}.
 */
final class HelpLayout {
    static final int DEFAULT_WIDTH = 80;
    /** Wider than this, lines get hard to read; picocli needs at least 55. */
    static final int MAX_WIDTH = 160;
    static final int MIN_WIDTH = 55;

    private HelpLayout() {
    }

    static void install(CommandLine cl) {
        cl.setHelpFactory(new Factory());
        verbatimFooters(cl);
    }

    /*
     * Classes, not lambdas, for picocli's interfaces: a lambda of one (pre-Java-6 class files) keeps the
     * interface and every class implementing it out of the launcher's CDS archive ("old class has been
     * linked"), and its proxy class is spun again on every run.
     */

    private static final class Factory implements CommandLine.IHelpFactory {
        @Override
        public CommandLine.Help create(CommandLine.Model.CommandSpec spec, CommandLine.Help.ColorScheme colors) {
            // help is the last thing a run does: from here on options read "-o FILE" (parsing, done by
            // now, accepts both "--format json" and "--format=json")
            spec.parser().separator(" ");
            spec.usageMessage().width(width(System.getenv()));
            spec.usageMessage().longOptionsMaxWidth(30);
            return new CommandLine.Help(spec, colors);
        }
    }

    private static final class Synopsis implements CommandLine.IHelpSectionRenderer {
        @Override
        public String render(CommandLine.Help help) {
            return synopsis(help);
        }
    }

    private static final class VerbatimFooter implements CommandLine.IHelpSectionRenderer {
        @Override
        public String render(CommandLine.Help help) {
            StringBuilder sb = new StringBuilder();
            for (String line : help.commandSpec().usageMessage().footer()) {
                sb.append(line.replace("%n", System.lineSeparator()).replace("%%", "%")).append(System.lineSeparator());
            }
            return sb.toString();
        }
    }

    private static void verbatimFooters(CommandLine cl) {
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, new Synopsis());
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, new VerbatimFooter());
        for (CommandLine sub : cl.getSubcommands().values()) {
            verbatimFooters(sub);
        }
    }

    /**
     * picocli's synopsis, wrapped between options rather than inside them: {@code [-o FILE]} and a
     * required {@code -o FILE} stay on one line (picocli breaks after {@code -o} once the separator is
     * a space). Widths are measured without the ANSI colour codes picocli adds on a terminal.
     */
    static String synopsis(CommandLine.Help help) {
        UsageMessageSpec usage = help.commandSpec().usageMessage();
        int width = usage.width();
        String line;
        try {
            usage.width(10_000);
            // picocli may still wrap at the width it started with: undo that, then wrap between groups
            line = help.synopsis(0).strip().replaceAll("\\s*\\R\\s*", " ");
        } finally {
            usage.width(width);
        }
        List<String> groups = groups(line);
        // the command's words follow the "Usage: " heading (its own section); continuation lines align after them
        int lead = help.commandSpec().qualifiedName().split(" ").length;
        StringBuilder out = new StringBuilder();
        int col = visible(help.synopsisHeading());
        for (int g = 0; g < Math.min(lead, groups.size()); g++) {
            out.append(g == 0 ? "" : " ").append(groups.get(g));
            col += (g == 0 ? 0 : 1) + visible(groups.get(g));
        }
        int indent = Math.min(col + 1, width / 2);
        for (String group : groups.subList(Math.min(lead, groups.size()), groups.size())) {
            int len = visible(group);
            if (col + 1 + len > width && col > indent) {
                out.append(System.lineSeparator()).append(" ".repeat(indent)).append(group);
                col = indent + len;
            } else {
                out.append(' ').append(group);
                col += 1 + len;
            }
        }
        return out.append(System.lineSeparator()).toString();
    }

    /** Length as shown: without ANSI escape sequences. */
    static int visible(String s) {
        return ANSI.matcher(s).replaceAll("").length();
    }

    private static final java.util.regex.Pattern ANSI = java.util.regex.Pattern.compile("\u001B\\[[0-9;]*m");

    /**
     * Splits a synopsis at the spaces outside brackets ({@code [-o FILE]} is one group); a bare option
     * keeps its parameter ({@code -o FILE}); ANSI escape sequences are carried along, never split.
     */
    static List<String> groups(String synopsis) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < synopsis.length(); i++) {
            char c = synopsis.charAt(i);
            if (c == '\u001B') {
                int end = synopsis.indexOf('m', i);
                end = end < 0 ? synopsis.length() - 1 : end;
                cur.append(synopsis, i, end + 1);
                i = end;
                continue;
            }
            if (c == '[' || c == '(') {
                depth++;
            } else if ((c == ']' || c == ')') && depth > 0) {
                depth--;
            }
            if (c == ' ' && depth == 0) {
                if (visible(cur.toString()) > 0) {
                    words.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (visible(cur.toString()) > 0) {
            words.add(cur.toString());
        }
        List<String> out = new ArrayList<>();
        for (String w : words) {
            String prev = out.isEmpty() ? "" : ANSI.matcher(out.get(out.size() - 1)).replaceAll("");
            String plain = ANSI.matcher(w).replaceAll("");
            boolean param = !plain.startsWith("-") && !plain.startsWith("[") && !plain.startsWith("(")
                    && !plain.endsWith("...");
            if (prev.startsWith("-") && !prev.contains(" ") && param) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + w);
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /** The terminal's columns when standard output is one, else {@code $COLUMNS}, else 80; within 55..160. */
    static int width(Map<String, String> env) {
        int w = HostInfo.isTerminal(1) ? terminalColumns() : 0;
        if (w <= 0) {
            try {
                w = Integer.parseInt(env.getOrDefault("COLUMNS", "").trim());
            } catch (NumberFormatException e) {
                w = DEFAULT_WIDTH;
            }
        }
        return clamp(w);
    }

    static int clamp(int columns) {
        return columns <= 0 ? DEFAULT_WIDTH : Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns));
    }

    private static int terminalColumns() {
        try (Terminal t = TerminalBuilder.builder().system(true).jna(true).jansi(false).exec(false).dumb(false)
                .nativeSignals(false).build()) {
            return t.getWidth();
        } catch (Exception | LinkageError e) {
            return 0;
        }
    }
}
