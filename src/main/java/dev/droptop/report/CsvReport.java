package dev.droptop.report;

import dev.droptop.model.Flow;
import dev.droptop.model.FlowCount;
import dev.droptop.model.Protocols;
import dev.droptop.model.Sanitize;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * One CSV line per location/reason/protocol: {@code symbol,offset,reason,protocol,count,share}. When the
 * source read packet headers, a blank line and a second table follow: the top flows per drop point,
 * {@code symbol,offset,reason,src,dst,sport,dport,proto,count} (empty fields for unknown values, src
 * {@code *} for the other flows).
 */
public final class CsvReport {
    public void write(ReportData data, PrintWriter out) {
        out.println("symbol,offset,reason,protocol,count,share");
        for (Rows.Row r : Rows.merged(data.snapshot())) {
            out.printf(Locale.ROOT, "%s,%s,%s,%s,%d,%.6f%n", field(r.key().symbol()), r.key().offsetHex(),
                    field(r.key().reason()), Protocols.name(r.key().protocol()), r.total(), data.share(r.total()));
        }
        List<FlowRows.Point> points = FlowRows.of(data.snapshot(), FlowRows.DEFAULT_PER_POINT);
        if (!points.isEmpty()) {
            out.println();
            out.println("symbol,offset,reason,src,dst,sport,dport,proto,count");
            for (FlowRows.Point p : points) {
                for (FlowCount f : p.flows()) {
                    Flow fl = f.flow();
                    out.printf(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s,%d%n", field(p.key().symbol()), p.key().offsetHex(),
                            field(p.key().reason()), fl.isOther() ? "*" : field(fl.src()), fl.isOther() ? "*" : field(fl.dst()),
                            fl.sport() < 0 ? "" : Integer.toString(fl.sport()), fl.dport() < 0 ? "" : Integer.toString(fl.dport()),
                            fl.proto() < 0 ? "" : fl.protoName(), f.count());
                }
            }
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
