package dev.droptop.report;

import dev.droptop.model.DropKey;
import dev.droptop.model.Protocols;
import dev.droptop.model.Sanitize;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * One CSV line per location/reason/protocol, the columns of a JSON drop point ({@link Json#dropPoint}):
 * {@code symbol,offset,location,reason,protocol,protocolName,count,share}. An unknown value is an
 * empty field, as JSON's null.
 */
public final class CsvReport {
    public void write(ReportData data, PrintWriter out) {
        out.println("symbol,offset,location,reason,protocol,protocolName,count,share");
        for (Rows.Row r : Rows.merged(data.snapshot())) {
            DropKey k = r.key();
            out.printf(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%d,%.6f%n", field(k.symbol()), number(k.offset()),
                    field(k.location()), field(k.reason()), number(k.protocol()),
                    k.protocol() < 0 ? "" : field(Protocols.name(k.protocol())), r.total(), data.share(r.total()));
        }
        out.flush();
    }

    private static String number(int v) {
        return v < 0 ? "" : Integer.toString(v);
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
