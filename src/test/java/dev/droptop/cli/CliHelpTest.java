package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.testing.KernelTest;
import dev.droptop.testing.Tmux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a newcomer meets first: help as wide as the terminal with {@code -o FILE}, "did you mean",
 * {@code --version} on every command, the completion script and the man page.
 */
class CliHelpTest {
    @TempDir
    Path tmp;

    @Test
    void misspelledCommandGetsSuggestionsAndTheRightHelpToTry() throws IOException {
        CliRunner.Result r = CliRunner.run("reprot");
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains("Did you mean: droptop report"), r.stderr());
        assertTrue(r.stderr().contains("Try 'droptop --help'."), r.stderr());
        assertFalse(r.stderr().contains("droptop droptop"), r.stderr());
        CliRunner.Result sub = CliRunner.run("lab", "nta");
        assertTrue(sub.stderr().contains("Did you mean: droptop lab nat"), sub.stderr());
        assertTrue(sub.stderr().contains("Try 'droptop lab --help'."), sub.stderr());
    }

    @Test
    void misspelledOptionGetsASuggestion() throws IOException {
        CliRunner.Result r = CliRunner.run("report", "--fromat", "json", "x");
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains("Did you mean: --format?"), r.stderr());
        assertTrue(r.stderr().endsWith("Try 'droptop report --help'.\n"), r.stderr());
        CliRunner.Result s = CliRunner.run("capture", "--stack", "-o", "x");
        assertTrue(s.stderr().contains("--stacks"), s.stderr());
        assertFalse(CliRunner.run("report", "--nonsense-option", "x").stderr().contains("Did you mean"));
        assertEquals(3, Suggestions.distance("--fromat", "--format") + 2, "a swap is one edit");
    }

    /** Both spellings parse: "--format json" and "--format=json". */
    @Test
    void optionValuesWithSpaceOrEquals() throws IOException {
        String nat = "samples/perf/nat-conntrack-full.perf.txt";
        CliRunner.Result a = CliRunner.run("report", "--format", "json", nat);
        CliRunner.Result b = CliRunner.run("report", "--format=json", nat);
        assertEquals(0, b.code(), b.stderr());
        assertEquals(a.stdout(), b.stdout());
    }

    @Test
    void everyCommandPrintsTheVersion() throws IOException {
        List<List<String>> commands = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), commands);
        assertTrue(commands.size() >= 14, commands.toString());
        for (List<String> c : commands) {
            for (String flag : List.of("-V", "--version")) {
                List<String> args = new ArrayList<>(c);
                args.add(flag);
                CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
                assertEquals(0, r.code(), args + ": " + r.stderr());
                assertEquals("droptop " + Main.VERSION + "\n", r.stdout(), args.toString());
            }
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        if (cl.getCommandSpec().mixinStandardHelpOptions()) {
            out.add(path);
        }
        cl.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            collect(sub, p, out);
        });
    }

    /**
     * Help at the given width: no line wider (examples included), {@code -o FILE} not {@code -o=FILE},
     * and no description line that was wrapped by hand (each ends a sentence).
     */
    @Test
    void helpFitsTheWidthWithoutEqualsOrHandWrapping() {
        List<List<String>> commands = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), commands);
        for (int width : new int[] {80, 120}) {
            for (List<String> c : commands) {
                CommandLine cl = Main.commandLine();
                for (String name : c) {
                    cl = cl.getSubcommands().get(name);
                }
                String help = usage(cl, width);
                for (String line : help.split("\n")) {
                    assertTrue(line.length() <= width, c + " at " + width + ": " + line.length() + ": " + line);
                }
                assertFalse(help.matches("(?s).*-[a-z-]+=[A-Z].*"), c + ": picocli's -o=FILE form:\n" + help);
                for (String d : cl.getCommandSpec().usageMessage().description()) {
                    assertTrue(d.isEmpty() || d.matches("(?s).*[.:)!?]$"), c + ": a description line that"
                            + " does not end a sentence (wrapped by hand?): " + d);
                }
            }
        }
        String report = usage(Main.commandLine().getSubcommands().get("report"), 120);
        assertTrue(report.startsWith("Usage: droptop report [-hV] [--archive FILE] [--container ID|NAME] [--dev IFACE]"
                + " [--format FMT] [--interval D]\n"), report);
        assertTrue(report.contains(" [-o FILE] "), report);
    }

    /** Every help section of {@code cl}, plain, at {@code columns} columns (LazyTreeTest compares them too). */
    static String usage(CommandLine cl, int columns) {
        CommandLine.Help.ColorScheme plain = CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF);
        CommandLine.Help help = cl.getHelpFactory().create(cl.getCommandSpec(), plain);
        cl.getCommandSpec().usageMessage().width(columns);
        StringBuilder sb = new StringBuilder();
        for (String key : cl.getHelpSectionKeys()) {
            CommandLine.IHelpSectionRenderer r = cl.getHelpSectionMap().get(key);
            if (r != null) {
                sb.append(r.render(help));
            }
        }
        return sb.toString();
    }

    @Test
    void widthComesFromColumnsWhenNotATerminalAndIsBounded() {
        assertEquals(120, HelpLayout.width(Map.of("COLUMNS", "120")));
        assertEquals(80, HelpLayout.width(Map.of()));
        assertEquals(80, HelpLayout.width(Map.of("COLUMNS", "wide")));
        assertEquals(HelpLayout.MIN_WIDTH, HelpLayout.clamp(20));
        assertEquals(HelpLayout.MAX_WIDTH, HelpLayout.clamp(500));
    }

    /** On a real 120-column terminal (tmux), JLine reads the width: the synopsis is not cut at 80. */
    @Test
    void helpOnA120ColumnTerminalUsesTheWidth() throws Exception {
        assumeTrue(Tmux.installed(), "tmux not installed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "cd '" + KernelTest.projectDir() + "' && unset COLUMNS; '" + java + "' -cp '"
                + System.getProperty("java.class.path") + "' dev.droptop.cli.Main report --help; echo HELP-DONE;"
                + " sleep 30";
        try (Tmux tmux = new Tmux("dthelp")) {
            tmux.run("new-session", "-d", "-x", "120", "-y", "50", "-e", "LANG=C.UTF-8", cmd);
            String screen = tmux.waitFor(30_000, "HELP-DONE");
            String first = screen.lines().filter(l -> l.startsWith("Usage:")).findFirst().orElseThrow();
            assertTrue(first.length() > 80 && first.length() <= 120, first);
            int at = screen.indexOf("Usage:");
            String usage = screen.substring(at, screen.indexOf("\n\n", at) < 0 ? screen.length() : screen.indexOf("\n\n", at));
            assertTrue(usage.contains("[-o FILE]"), usage);
            assertTrue(screen.contains("  perf script | droptop report -"), screen);
        }
    }

    @Test
    void completionScriptCoversCommandsAndOptionsAndWorksInBash() throws Exception {
        CliRunner.Result r = CliRunner.run("completion", "bash");
        assertEquals(0, r.code(), r.stderr());
        String script = r.stdout();
        assertTrue(script.contains("complete -F _complete_droptop"), script.substring(0, 200));
        for (String word : List.of("report", "replay", "capture", "diff", "profile", "lab", "--format", "--stacks",
                "--kallsyms", "--symbol")) {
            assertTrue(script.contains(word), word);
        }
        assertEquals(script, CliRunner.run("completion", "zsh").stdout(), "one script for both shells");
        assertEquals(2, CliRunner.run("completion", "fish").code());
        Path file = tmp.resolve("droptop.bash");
        Files.writeString(file, script);
        assumeTrue(KernelTest.onPath("bash"), "bash not installed");
        String probe = "source '" + file + "'; COMP_WORDS=(droptop rep); COMP_CWORD=1; COMP_LINE='droptop rep';"
                + " COMP_POINT=11; _complete_droptop droptop rep droptop 2>/dev/null; echo \"${COMPREPLY[*]}\"";
        assertEquals("replay report", bash(probe));
        String opts = "source '" + file + "'; COMP_WORDS=(droptop diff --fo); COMP_CWORD=2;"
                + " COMP_LINE='droptop diff --fo'; COMP_POINT=17; _complete_droptop droptop --fo diff 2>/dev/null;"
                + " echo \"${COMPREPLY[*]}\"";
        assertEquals("--format", bash(opts));
    }

    private static String bash(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void manPageHasEveryCommandAndRendersWithoutWarnings() throws Exception {
        Path man = tmp.resolve("man/droptop.1");
        Path completion = tmp.resolve("completion/droptop.bash");
        ManPage.main(new String[] {man.toString(), completion.toString()});
        String page = Files.readString(man);
        assertTrue(page.contains(".TH DROPTOP 1 \"\" \"droptop " + Main.VERSION + "\""), page.substring(0, 200));
        for (String c : List.of("live", "capture", "replay", "report", "diff", "profile", "conntrack", "lab nat",
                "lab run", "lab cleanup", "doctor", "bench", "completion")) {
            assertTrue(page.contains(".SS droptop " + c.replace("-", "\\-") + "\n"), c);
        }
        assertTrue(page.contains("\\fB\\-o\\fR, \\fB\\-\\-output\\fR \\fIFILE\\fR"), "options with their labels");
        assertTrue(page.contains(".SH EXIT STATUS"));
        assertEquals(CompletionCommand.script(), Files.readString(completion));
        assumeTrue(KernelTest.onPath("groff"), "groff not installed");
        Process p = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", man.toString())
                .redirectErrorStream(true).start();
        String warnings = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals("", warnings, "groff warnings");
    }
}
