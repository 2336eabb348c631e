package dev.droptop.run;

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
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * One {@code droptop report}: reads the inputs together, puts the notes about them on standard error,
 * and writes the report; csv, folded stacks and HTML have no place for the symbol warning, so it goes
 * to standard error too.
 */
public final class ReportRun {
    private ReportRun() {
    }

    public static void run(ReportSettings s, PrintStream err) throws IOException {
        ReportData data = Inputs.load(s.files(), s.intervalNanos(),
                Inputs.tables(s.kallsyms(), s.archive(), s.tracepointFormat()), Inputs.checked(s.filter()));
        Outputs.notes(data.notes());
        try (OutputStream out = Outputs.open(s.output())) {
            write(s, data, out);
        }
        if (!s.format().equals("text") && !s.format().equals("json")) {
            Inputs.symbolWarnings(data.symbols()).forEach(w -> err.println("droptop: warning: " + Sanitize.text(w)));
        }
    }

    private static void write(ReportSettings s, ReportData data, OutputStream out) throws IOException {
        PrintWriter pw = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        switch (s.format()) {
            case "json": new JsonReport(s.top()).write(data, out); break;
            case "csv": new CsvReport().write(data, pw); break;
            case "collapsed": new CollapsedReport().write(data, pw); break;
            case "html": new HtmlReport(s.top()).write(data, pw); break;
            default: new TextReport(s.top(), Outputs.toTerminal(s.output())).write(data, pw); break;
        }
        pw.flush();
        if (pw.checkError()) {
            throw new IOException("Broken pipe");
        }
    }
}
