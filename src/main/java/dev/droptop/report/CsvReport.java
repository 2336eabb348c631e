package dev.droptop.report;

import dev.droptop.model.DropKey;
import dev.droptop.model.Flow;
import dev.droptop.model.FlowCount;
import dev.droptop.model.NetnsInfo;
import dev.droptop.model.Protocols;
import dev.droptop.model.Sanitize;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * One CSV line per location/reason/protocol/netns/device, the columns of a JSON drop point ({@link
 * Json#dropPoint}) and its namespace: {@code symbol,offset,location,reason,protocol,protocolName,count,share,
 * netns,netnsName,container,device}. An unknown value is an empty field, as JSON's null (the netns columns are
 * empty when the backend cannot see them, or the drop had no device). When the source read packet headers,
 * a blank line and a second table follow: the top flows per drop point, {@code symbol,offset,reason,src,dst,sport,dport,proto,count} (empty fields for unknown values, src
 * {@code *} for the other flows).
 */
public final class CsvReport {
    public void write(ReportData data, PrintWriter out) {
        out.println("symbol,offset,location,reason,protocol,protocolName,count,share,netns,netnsName,container,device");
        for (Rows.Row r : Rows.of(data)) {
            DropKey k = r.key();
            long ns = k.netns();
            NetnsInfo info = ns == 0 ? null : data.names().describe(ns);
            out.printf(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%d,%.6f,%s,%s,%s,%s%n", field(k.symbol()), number(k.offset()),
                    field(k.location()), field(k.reason()), number(k.protocol()),
                    k.protocol() < 0 ? "" : field(Protocols.name(k.protocol())), r.total(), data.share(r.total()),
                    ns == 0 ? "" : Long.toString(ns), info == null ? "" : field(info.label()),
                    info == null || info.container() == null ? "" : field(info.container()), field(k.device()));
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
