package dev.droptop.cli;

import dev.droptop.model.Sanitize;
import dev.droptop.report.CollapsedReport;
import dev.droptop.report.CsvReport;
import dev.droptop.report.HtmlReport;
import dev.droptop.report.JsonReport;
import dev.droptop.report.ReportData;
import dev.droptop.report.TextReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code droptop report FILE...}: any trace or capture to text, JSON, CSV or folded stacks. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Summarise saved traces: drop table, reasons, caller trees, JSON, CSV, folded stacks, HTML.",
                "Reads droptop captures, perf script text, perf.data (read natively), tracefs text,",
                "SystemTap dropwatch and bpftrace output; the format is detected from the content.",
                "Several files are added together."},
        footer = {"", "Examples:",
                "  droptop report samples/perf/nat-conntrack-full.perf.txt",
                "  droptop report --format json perf.data > drops.json",
                "  droptop report --format collapsed trace.txt | flamegraph.pl > drops.svg",
                "  droptop report --format html -o drops.html capture.jsonl",
                "  droptop report --archive perf.data.tar.bz2 perf.data   # recorded on another machine"})
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Trace or capture files")
    List<Path> files;

    @Option(names = "--format", paramLabel = "FMT", description = "text, json, csv, collapsed or html (default: ${DEFAULT-VALUE})")
    String format = "text";

    @Option(names = "--top", paramLabel = "N", description = "Rows in the table and in JSON drops (default: ${DEFAULT-VALUE})")
    int top = 20;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write to OUT instead of standard output")
    Path output;

    @Option(names = "--interval", paramLabel = "D", description = "Window length for rates, e.g. 1s, 500ms (default: ${DEFAULT-VALUE})")
    String interval = "1s";

    @Mixin
    SymbolOptions symbols = new SymbolOptions();

    @Option(names = "--tracepoint-format", paramLabel = "FILE",
            description = "Map reason numbers with this copy of events/skb/kfree_skb/format (default: the running kernel's)")
    Path tracepointFormat;

    @Override
    public Integer call() throws IOException {
        Set<String> formats = Set.of("text", "json", "csv", "collapsed", "html");
        if (!formats.contains(format)) {
            throw new UserError("unknown --format " + format + " (use text, json, csv, collapsed or html)");
        }
        if (top < 1) {
            throw new UserError("--top must be at least 1");
        }
        if (output != null) {
            OutputPath.check(output);
        }
        ReportData data = Inputs.load(files, Durations.parse(interval, "--interval"),
                symbols.tables(tracepointFormat));
        try (OutputStream out = output == null ? new NonClosing(System.out) : Files.newOutputStream(output)) {
            write(data, out);
        }
        if (!format.equals("text") && !format.equals("json")) {
            // csv, folded stacks and HTML have no place for it: the symbol warning goes to stderr
            Inputs.symbolWarnings(data.symbols()).forEach(w -> System.err.println("droptop: warning: " + Sanitize.text(w)));
        }
        return Main.OK;
    }

    private void write(ReportData data, OutputStream out) throws IOException {
        PrintWriter pw = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        switch (format) {
            case "json": new JsonReport(top).write(data, out); break;
            case "csv": new CsvReport().write(data, pw); break;
            case "collapsed": new CollapsedReport().write(data, pw); break;
            case "html": new HtmlReport(top).write(data, pw); break;
            default: new TextReport(top).write(data, pw); break;
        }
        pw.flush();
        if (pw.checkError()) {
            throw new IOException("Broken pipe");
        }
    }

    /** Keeps System.out open when the report is done. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
