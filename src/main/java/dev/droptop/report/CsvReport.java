package dev.droptop.report;

import dev.droptop.model.Protocols;
import dev.droptop.model.Sanitize;
import java.io.PrintWriter;
import java.util.Locale;

/** One CSV line per location/reason/protocol: {@code symbol,offset,reason,protocol,count,share}. */
public final class CsvReport {
    public void write(ReportData data, PrintWriter out) {
        out.println("symbol,offset,reason,protocol,count,share");
        for (Rows.Row r : Rows.merged(data.snapshot())) {
            out.printf(Locale.ROOT, "%s,%s,%s,%s,%d,%.6f%n", field(r.key().symbol()), r.key().offsetHex(),
                    field(r.key().reason()), Protocols.name(r.key().protocol()), r.total(), data.share(r.total()));
        }
        out.flush();
    }

    /** RFC 4180 quoting; a leading formula character is neutralised for spreadsheet users. */
    static String field(String raw) {
        String s = Sanitize.text(raw);
        if (!s.isEmpty() && "=+@".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
