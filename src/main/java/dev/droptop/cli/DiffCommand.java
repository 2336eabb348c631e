package dev.droptop.cli;

import dev.droptop.run.DiffRun;
import dev.droptop.run.DiffSettings;
import dev.droptop.run.Durations;
import dev.droptop.run.OutputPath;
import dev.droptop.run.Outputs;
import dev.droptop.run.UserError;
import dev.droptop.source.StdinInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code droptop diff BEFORE AFTER}: what changed between two runs. */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare two runs, e.g. before and after raising nf_conntrack_max.",
                "Drops per location and reason, rates per second over each input's duration, change in %%, NEW and VANISHED drop points, and the diagnosis of each.",
                "Each input is any file 'report' reads (capture, perf script text, perf.data, ...).",
                "When the runs' durations differ by more than 2x a warning says to compare the rates, not the counts."},
        footer = {"", "Examples:",
                "  droptop diff before.jsonl after.jsonl",
                "  droptop diff -o change.json nat-small-table.perf.txt nat-raised-table.perf.txt",
                "  perf script -i after.data | droptop diff before.jsonl -"})
final class DiffCommand implements Callable<Integer> {
    static final List<String> FORMATS = List.of("text", "json");

    @Parameters(index = "0", paramLabel = "BEFORE", description = "The run before the change; - for standard input")
    Path before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "The run after the change; - for standard input")
    Path after;

    @Mixin
    FilterOptions filters = new FilterOptions();

    @Option(names = "--format", paramLabel = "FMT", description = "text or json (default: from -o's extension, else text)")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output (- is standard output)")
    Path output;

    @Option(names = "--interval", paramLabel = "D", description = "Window length (default: ${DEFAULT-VALUE})")
    String interval = "1s";

    @Mixin
    SymbolOptions symbols = new SymbolOptions();

    @Override
    public Integer call() throws IOException {
        String fmt = Outputs.format(format, output, FORMATS, "text");
        if (StdinInput.isDash(before) && StdinInput.isDash(after)) {
            throw new UserError("- (standard input) can be given only once");
        }
        if (output != null) {
            OutputPath.check(output);
        }
        DiffRun.run(new DiffSettings(before, after, fmt, output, Durations.parse(interval, "--interval"),
                symbols.kallsyms, symbols.archive, filters.given()), System.err);
        return Main.OK;
    }
}
