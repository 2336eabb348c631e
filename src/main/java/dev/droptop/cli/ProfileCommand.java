package dev.droptop.cli;

import dev.droptop.run.ProfileRun;
import dev.droptop.run.ProfileSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code droptop profile}: a system-wide CPU call graph around one kernel symbol. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"CPU profile around a kernel symbol: its callers and callees.",
                "Records a system-wide profile with call graphs (perf record -a -g -e cpu-clock) and shows SYM's callers"
                        + " and callees as trees (%% of SYM's samples) and SYM's share of all samples. Without --symbol:"
                        + " the top kernel network symbols, total and self. Needs root and perf.",
                "--input reads perf script text of any perf version (or a perf.data): one event per profile (the first,"
                        + " or --event NAME); samples weigh their period, as in perf report.",
                "On a terminal without --format or -o: an interactive screen (Enter folds or opens, Tab, q). -o FILE.html"
                        + " (or --format html): a flame graph of the whole profile; -o FILE.json or .txt: the report"
                        + " into FILE.",
                "Ctrl-C or SIGTERM while recording stops early and shows the profile so far."},
        footer = {"", "Examples:",
                "  droptop profile --symbol nf_hook_slow --duration 10s",
                "  droptop profile --symbol nf_hook_slow -o cpu.data -- ip netns exec lab ./load",
                "  droptop profile --input cpu.data -o cpu.json",
                "  droptop profile --input cpu.data -o cpu.html",
                "  droptop profile --input perf.txt --event instructions",
                "  perf script -i cpu.data | droptop profile --input - --symbol tcp_v4_rcv"})
final class ProfileCommand implements Callable<Integer> {
    @Option(names = "--symbol", paramLabel = "SYM", description = "The kernel function to look at")
    String symbol;

    @Option(names = "--duration", paramLabel = "D", description = "Recording length without CMD (default: ${DEFAULT-VALUE})")
    String duration = "10s";

    @Option(names = "--frequency", paramLabel = "HZ", description = "Samples per second per CPU (default: ${DEFAULT-VALUE})")
    int frequency = 999;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "FILE ending in .html, .json or .txt (or with --format html): the report goes there, - is standard"
                    + " output; any other FILE keeps the recorded perf.data (default: discarded)")
    Path output;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Read an existing perf.data or perf script text; - for standard input")
    Path input;

    @Option(names = "--event", paramLabel = "NAME",
            description = "With --input: the event to profile (default: the first in the trace; others are listed)")
    String event;

    @Option(names = "--format", paramLabel = "FMT",
            description = "text, json or html (default: from -o's extension, else the screen on a terminal, else text)")
    String format;

    @Option(names = "--top", paramLabel = "N", description = "Symbols listed without --symbol (default: ${DEFAULT-VALUE})")
    int top = 25;

    @Parameters(paramLabel = "CMD", arity = "0..*", description = "Load command to profile (after --)")
    List<String> command = new ArrayList<>();

    @Mixin
    SymbolOptions symbols = new SymbolOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        new ProfileRun(new ProfileSettings(symbol, duration, frequency, output, input, event, format, top, command,
                symbols.kallsyms, symbols.archive), System.err).run();
        return Main.OK;
    }
}
