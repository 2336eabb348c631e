package dev.droptop.cli;

import dev.droptop.model.Sanitize;
import dev.droptop.report.DiffReport;
import dev.droptop.report.ReportData;
import dev.droptop.source.TraceInput;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
                "Each input is any file 'report' reads (capture, perf script text, perf.data, ...)."},
        footer = {"", "Examples:",
                "  droptop diff before.jsonl after.jsonl",
                "  droptop diff --format json nat-small-table.perf.txt nat-raised-table.perf.txt"})
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BEFORE", description = "The run before the change")
    Path before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "The run after the change")
    Path after;

    @Option(names = "--format", paramLabel = "FMT", description = "text or json (default: ${DEFAULT-VALUE})")
    String format = "text";

    @Option(names = "--interval", paramLabel = "D", description = "Window length (default: ${DEFAULT-VALUE})")
    String interval = "1s";

    @Mixin
    SymbolOptions symbols = new SymbolOptions();

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UserError("unknown --format " + format + " (use text or json)");
        }
        long nanos = Durations.parse(interval, "--interval");
        TraceInput.Tables tables = symbols.tables(null);
        ReportData b = Inputs.load(List.of(before), nanos, tables);
        ReportData a = Inputs.load(List.of(after), nanos, tables);
        for (ReportData d : List.of(b, a)) {
            Inputs.symbolWarnings(d.symbols()).forEach(w -> System.err.println("droptop: warning: " + Sanitize.text(w)));
        }
        if (format.equals("json")) {
            new DiffReport().writeJson(b, a, System.out);
            return Main.OK;
        }
        PrintWriter pw = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        new DiffReport().writeText(b, a, pw);
        if (pw.checkError()) {
            throw new IOException("Broken pipe");
        }
        return Main.OK;
    }
}
