package dev.droptop.report;

import dev.droptop.model.NetnsInfo;
import dev.droptop.model.Protocols;
import dev.droptop.model.Sanitize;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * One CSV line per location/reason/protocol/netns/device:
 * {@code symbol,offset,reason,protocol,count,share,netns,netns_name,container,device}. The last four
 * are empty when unknown (the backend cannot see them, or the drop had no device).
 */
public final class CsvReport {
    public void write(ReportData data, PrintWriter out) {
        out.println("symbol,offset,reason,protocol,count,share,netns,netns_name,container,device");
        for (Rows.Row r : Rows.of(data)) {
            long ns = r.key().netns();
            NetnsInfo info = ns == 0 ? null : data.names().describe(ns);
            out.printf(Locale.ROOT, "%s,%s,%s,%s,%d,%.6f,%s,%s,%s,%s%n", field(r.key().symbol()), r.key().offsetHex(),
                    field(r.key().reason()), Protocols.name(r.key().protocol()), r.total(), data.share(r.total()),
                    ns == 0 ? "" : Long.toString(ns), info == null ? "" : field(info.label()),
                    info == null || info.container() == null ? "" : field(info.container()), field(r.key().device()));
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
