package dev.droptop.run;

import dev.droptop.model.Sanitize;
import dev.droptop.report.DiffReport;
import dev.droptop.report.ReportData;
import dev.droptop.source.TraceInput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One {@code droptop diff}: reads both runs with the same tables and filter, puts their notes and
 * symbol warnings on stderr, and writes the comparison (JSON: its warnings on stderr as well).
 */
public final class DiffRun {
    private DiffRun() {
    }

    public static void run(DiffSettings s, PrintStream err) throws IOException {
        TraceInput.Tables tables = Inputs.tables(s.kallsyms(), s.archive(), null);
        ReportData b = Inputs.load(List.of(s.before()), s.intervalNanos(), tables, Inputs.checked(s.filter()));
        ReportData a = Inputs.load(List.of(s.after()), s.intervalNanos(), tables, Inputs.checked(s.filter()));
        Outputs.notes(b.notes());
        Outputs.notes(a.notes());
        for (ReportData d : List.of(b, a)) {
            Inputs.symbolWarnings(d.symbols()).forEach(w -> err.println("droptop: warning: " + Sanitize.text(w)));
        }
        try (OutputStream out = Outputs.open(s.output())) {
            if (s.format().equals("json")) {
                for (String w : DiffReport.warnings(b, a)) {
                    err.println("droptop: warning: " + w);
                }
                new DiffReport().writeJson(b, a, out);
                return;
            }
            PrintWriter pw = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            new DiffReport().writeText(b, a, pw);
            if (pw.checkError()) {
                throw new IOException("Broken pipe");
            }
        }
    }
}
