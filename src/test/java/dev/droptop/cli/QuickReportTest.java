package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@link QuickReport} parses {@code report}'s command line without picocli; whatever it accepts, picocli
 * must parse to the same fields, and what it is unsure of it leaves to picocli. {@link Main#run} answers a
 * lone {@code --version} without picocli too.
 */
class QuickReportTest {
    private static final String[] VALUES = {"json", "5", "0", "007", "1s", "500ms", "-", "a=b", "", "x y",
        "/tmp/out.json", "NO_SOCKET", "nf_hook_slow", "ipv4", "0x0800", "drops.html", "ns1"};
    private static final String[] ODD_VALUES = {"-1", "@args", "2147483648", "+3", "0x10", "--top", "-o", "-x"};
    private static final String[] FILES = {"a.txt", "-", "b.perf", "c d.txt", "x=y.txt"};
    private static final String[] ODD_WORDS = {"--", "@args", "-x", "--bogus", "--help", "-h", "-V", "--version",
        "--top=", "-o=x.json", "-5", "-ofile"};

    @Test
    void whatItAcceptsPicocliParsesToTheSameFields() {
        Random random = new Random(20261201L);
        List<String> options = optionNames();
        int accepted = 0;
        int cases = 20_000;
        for (int n = 0; n < cases; n++) {
            List<String> argv = new ArrayList<>(List.of("report"));
            int words = 1 + random.nextInt(6);
            for (int w = 0; w < words; w++) {
                int kind = random.nextInt(10);
                if (kind < 6) {
                    String option = options.get(random.nextInt(options.size()));
                    String value = random.nextInt(7) == 0 ? pick(random, ODD_VALUES) : pick(random, VALUES);
                    if (random.nextInt(4) == 0) {
                        argv.add(option + "=" + value);
                    } else {
                        argv.add(option);
                        argv.add(value);
                    }
                } else {
                    argv.add(kind < 9 ? pick(random, FILES) : pick(random, ODD_WORDS));
                }
            }
            String[] args = argv.toArray(String[]::new);
            ReportCommand quick = QuickReport.parse(args);
            if (quick == null) {
                continue;
            }
            accepted++;
            assertEquals(picocli(args), fields(quick), argv.toString());
        }
        // the comparison above must have run on a good share of the cases to mean anything
        assertTrue(accepted > cases / 5, accepted + " of " + cases + " accepted");
    }

    private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
    }

    /** An option added to report and not to {@link QuickReport} would send every report through picocli. */
    @Test
    void itKnowsEveryOptionOfReport() {
        for (OptionSpec o : reportSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            for (String name : o.names()) {
                String value = o.type() == int.class ? "3" : "v";
                String[] args = {"report", name, value, "trace.txt"};
                ReportCommand quick = QuickReport.parse(args);
                assertNotNull(quick, "QuickReport does not take " + name + ": add it there");
                assertEquals(picocli(args), fields(quick), name);
            }
        }
    }

    @Test
    void theReadmesReportsAreQuick() {
        for (String line : List.of("report samples/perf/nat-conntrack-full.perf.txt", "report -o drops.json perf.data",
                "report -", "report --format collapsed trace.txt", "report -o drops.html capture.jsonl",
                "report --archive perf.data.tar.bz2 perf.data", "report --netns=ns1 --top 5 a.txt b.txt",
                "report -- -odd-name.txt")) {
            assertNotNull(QuickReport.parse(line.split(" ")), line);
        }
    }

    @Test
    void helpVersionAndMistakesAreLeftToPicocli() {
        for (String line : List.of("report", "report --help", "report -h a.txt", "report -V", "report --top x a.txt",
                "report --top -1 a.txt", "report --top 1 --top 2 a.txt", "report -o a.json --output b.json a.txt",
                "report --fromat json a.txt", "report @args", "report a.txt --top", "report -oout.json a.txt",
                "report --top 99999999999 a.txt", "reprot a.txt", "diff a.txt b.txt")) {
            assertNull(QuickReport.parse(line.split(" ")), line);
        }
    }

    /** A failure past parsing is the same one line and exit code picocli's path gives. */
    @Test
    void failuresAfterParsingAreAnsweredAsBefore() throws Exception {
        CliRunner.Result r = CliRunner.run("report", "--top", "0", "samples/perf/nat-conntrack-full.perf.txt");
        assertEquals(Main.USAGE, r.code());
        assertEquals("droptop: --top must be at least 1\n", r.stderr());
        CliRunner.Result missing = CliRunner.run("report", "no/such/trace.txt");
        assertEquals(Main.USAGE, missing.code());
        assertEquals(1, missing.stderr().lines().count(), missing.stderr());
        assertTrue(missing.stderr().startsWith("droptop: "), missing.stderr());
    }

    /** A lone --version is answered without picocli, as picocli answers it. */
    @Test
    void aLoneVersionIsPicoclisAnswer() throws Exception {
        for (String v : List.of("--version", "-V")) {
            java.io.StringWriter out = new java.io.StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(out, true));
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
            assertEquals(0, cl.execute(v));
            CliRunner.Result quick = CliRunner.run(v);
            assertEquals(0, quick.code());
            assertEquals(out.toString(), quick.stdout());
            assertEquals("", quick.stderr());
        }
    }

    private static CommandLine.Model.CommandSpec reportSpec() {
        return Main.commandLineFor("report").getSubcommands().get("report").getCommandSpec();
    }

    private static List<String> optionNames() {
        List<String> names = new ArrayList<>();
        for (OptionSpec o : reportSpec().options()) {
            names.addAll(List.of(o.names()));
        }
        return names;
    }

    /** Each option's and parameter's value after picocli parsed {@code args}, or the error it gave. */
    private static Map<String, Object> picocli(String[] args) {
        CommandLine cl = Main.commandLineFor(args);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return Map.of("picocli refused", e.getMessage());
        }
        return values(cl.getSubcommands().get("report").getCommandSpec());
    }

    private static Map<String, Object> fields(ReportCommand quick) {
        return values(new CommandLine(quick).getCommandSpec());
    }

    private static Map<String, Object> values(CommandLine.Model.CommandSpec spec) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ArgSpec a : spec.args()) {
            String key = a instanceof OptionSpec o ? o.longestName() : "FILE";
            values.put(key, a.getValue());
        }
        return values;
    }
}
