package dev.droptop.cli;

import dev.droptop.run.Durations;
import dev.droptop.run.OutputPath;
import dev.droptop.run.Outputs;
import dev.droptop.run.ReportRun;
import dev.droptop.run.ReportSettings;
import dev.droptop.run.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code droptop report FILE...}: any trace or capture to text, JSON, CSV or folded stacks. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Summarise saved traces: drop table, reasons, caller trees, JSON, CSV, folded stacks, HTML.",
                "Reads droptop captures, perf script text, perf.data (read natively), tracefs text, SystemTap dropwatch and"
                        + " bpftrace output; the format is detected from the content. Several files are added together."
                        + " FILE - reads standard input (a piped perf.data is copied to a temporary file, at most 2 GiB,"
                        + " removed when done).",
                "-o FILE picks the format from its extension: .txt, .json, .csv, .html, .folded or .collapsed."},
        footer = {"", "Examples:",
                "  droptop report samples/perf/nat-conntrack-full.perf.txt",
                "  droptop report -o drops.json perf.data",
                "  perf script | droptop report -",
                "  droptop report --format collapsed trace.txt | flamegraph.pl > drops.svg",
                "  droptop report -o drops.html capture.jsonl",
                "  droptop report --archive perf.data.tar.bz2 perf.data"})
final class ReportCommand implements Callable<Integer> {
    static final List<String> FORMATS = List.of("text", "json", "csv", "collapsed", "html");

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Trace or capture files; - for standard input")
    List<Path> files;

    @Option(names = "--format", paramLabel = "FMT",
            description = "text, json, csv, collapsed or html (default: the one -o FILE's extension names, else text)")
    String format;

    @Option(names = "--top", paramLabel = "N", description = "Rows in the table and in JSON drops (default: ${DEFAULT-VALUE})")
    int top = 20;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output (- is standard output)")
    Path output;

    @Option(names = "--interval", paramLabel = "D", description = "Window length for rates, e.g. 1s, 500ms (default: ${DEFAULT-VALUE})")
    String interval = "1s";

    @Mixin
    SymbolOptions symbols = new SymbolOptions();

    @Option(names = "--tracepoint-format", paramLabel = "FILE",
            description = "Map reason numbers with this copy of events/skb/kfree_skb/format (default: the running kernel's)")
    Path tracepointFormat;

    @Mixin
    FilterOptions filters = new FilterOptions();

    @Override
    public Integer call() throws IOException {
        String fmt = Outputs.format(format, output, FORMATS, "text");
        if (fmt.equals("html") && Outputs.toTerminal(output)) {
            throw new UserError("--format html writes a page for a browser, not a terminal: use -o FILE.html");
        }
        if (top < 1) {
            throw new UserError("--top must be at least 1");
        }
        if (output != null) {
            OutputPath.check(output);
        }
        ReportRun.run(new ReportSettings(files, fmt, top, output, Durations.parse(interval, "--interval"),
                symbols.kallsyms, symbols.archive, tracepointFormat, filters.given()), System.err);
        return Main.OK;
    }
}
