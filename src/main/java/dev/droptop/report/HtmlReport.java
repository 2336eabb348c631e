package dev.droptop.report;

import dev.droptop.diagnose.Finding;
import dev.droptop.diagnose.ReasonCatalogue;
import dev.droptop.model.Protocols;
import dev.droptop.model.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One self-contained HTML page: the diagnosis on top, then the drop stacks as an icicle rooted at the
 * drop locations (callers below; the classic flame graph one click away; click to zoom, search with
 * matched share, tooltips), then the locations and reasons tables. The
 * page is the resource {@code flame.html}; this writer copies it up to each {@code /*name:*}{@code /}
 * marker, writes that part, and hands the text to the writer in chunks of about
 * {@link #FLUSH_THRESHOLD} characters (the async-profiler FlameGraph way: no template engine).
 */
public final class HtmlReport {
    static final int FLUSH_THRESHOLD = 16384;
    private static final Pattern MARKER = Pattern.compile("/\\*([a-z]+):\\*/");
    private final int top;

    public HtmlReport(int top) {
        this.top = top;
    }

    /** The page of a drop report. */
    public void write(ReportData data, Writer out) throws IOException {
        StringBuilder top = new StringBuilder();
        findings(data.findings(), top);
        Page page = new Page("droptop: drops in " + data.source(), info(data), "drops",
                FlameStacks.ofDrops(data.snapshot()), tables(data), top.toString(), DROP_LEGEND, "drop", "");
        write(page, out);
    }

    /** The colour legend of a drop page. */
    static final String DROP_LEGEND = "<span class=\"k2\">drop location</span><span class=\"k0\">kernel network</span>"
            + "<span class=\"k1\">other</span><span class=\"k4\">no symbol ([unknown], [lib.so])</span>";

    /**
     * What one page shows.
     *
     * @param info one line under the title (plain text)
     * @param unit what the counts count ("drops", "samples")
     * @param tablesHtml ready HTML below the graph (everything in it already escaped)
     * @param topHtml ready HTML above the graph: the findings (escaped)
     * @param legendHtml ready HTML of the colour legend
     * @param view the view the page opens on: {@code drop} (icicle rooted at the drop locations, their
     *             callers below), {@code flame} (classic flame graph) or {@code sandwich} (callers and
     *             callees of {@code symbol})
     * @param symbol the symbol of the sandwich view, or empty for none
     */
    public record Page(String title, String info, String unit, FlameStacks flame, String tablesHtml, String topHtml,
                       String legendHtml, String view, String symbol) {
    }

    public static void write(Page page, Writer out) throws IOException {
        String template = template();
        StringBuilder sb = new StringBuilder(FLUSH_THRESHOLD * 2);
        Matcher m = MARKER.matcher(template);
        int pos = 0;
        while (m.find()) {
            sb.append(template, pos, m.start());
            fill(m.group(1), page, sb, out);
            pos = m.end();
        }
        sb.append(template, pos, template.length());
        out.write(sb.toString());
        out.flush();
    }

    private static void fill(String marker, Page page, StringBuilder sb, Writer out) throws IOException {
        switch (marker) {
            case "title": HtmlText.html(page.title(), sb); break;
            case "info": HtmlText.html(page.info(), sb); break;
            case "unit": HtmlText.js(page.unit(), sb); break;
            case "tables": sb.append(page.tablesHtml()); break;
            case "top": sb.append(page.topHtml()); break;
            case "legend": sb.append(page.legendHtml()); break;
            case "view": HtmlText.js(page.view(), sb); break;
            case "symbol": HtmlText.js(page.symbol(), sb); break;
            case "names": names(page.flame(), sb, out); break;
            case "kinds": page.flame().kinds().forEach(k -> sb.append(k).append(',')); break;
            case "stacks": stacks(page.flame(), sb, out); break;
            default: throw new IllegalStateException("flame.html: unknown marker " + marker);
        }
    }

    private static void names(FlameStacks f, StringBuilder sb, Writer out) throws IOException {
        for (String n : f.names()) {
            sb.append('"');
            HtmlText.js(n, sb);
            sb.append("\",\n");
            flushIfFull(sb, out);
        }
    }

    private static void stacks(FlameStacks f, StringBuilder sb, Writer out) throws IOException {
        for (int i = 0; i < f.size(); i++) {
            sb.append('[').append(f.count(i));
            for (int id : f.stack(i)) {
                sb.append(',').append(id);
            }
            sb.append("],\n");
            flushIfFull(sb, out);
        }
    }

    private static void flushIfFull(StringBuilder sb, Writer out) throws IOException {
        if (sb.length() >= FLUSH_THRESHOLD) {
            out.write(sb.toString());
            sb.setLength(0);
        }
    }

    private static String template() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("flame.html")) {
            if (in == null) {
                throw new IllegalStateException("flame.html missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String info(ReportData data) {
        Snapshot s = data.snapshot();
        return String.format(Locale.ROOT, "%d drops over %.1f s, %d lost events; read from %s (%s)",
                s.total(), s.durationSeconds(), s.lost(), data.source(), data.backend());
    }

    private String tables(ReportData data) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<h2>Drop locations</h2>\n<table id=\"locations\"><tr><th>Location</th><th>Reason</th>"
                + "<th>Protocol</th><th>Drops</th><th>Share</th></tr>\n");
        List<Rows.Row> rows = Rows.merged(data.snapshot());
        for (Rows.Row r : rows.subList(0, Math.min(top, rows.size()))) {
            row(sb, r.total(), data.share(r.total()), r.key().location(), r.key().reasonOrDash(),
                    Protocols.name(r.key().protocol()));
        }
        sb.append("</table>\n<h2>Reasons</h2>\n<table id=\"reasons\"><tr><th>Reason</th><th>What it means, what to "
                + "check</th><th>Drops</th><th>Share</th></tr>\n");
        for (Map.Entry<String, Long> e : data.snapshot().reasons().entrySet()) {
            row(sb, e.getValue(), data.share(e.getValue()), e.getKey().isEmpty() ? "-" : e.getKey(),
                    ReasonCatalogue.builtIn().oneLine(e.getKey(), null));
        }
        sb.append("</table>\n");
        flows(data, sb);
        return sb.toString();
    }

    /** The top flows per drop point (only when the source read packet headers). */
    private void flows(ReportData data, StringBuilder sb) {
        List<FlowRows.Point> points = FlowRows.of(data.snapshot(), FlowRows.DEFAULT_PER_POINT);
        if (points.isEmpty()) {
            return;
        }
        sb.append("<h2>Flows</h2>\n<table id=\"flows\"><tr><th>Location</th><th>Reason</th><th>Source</th>"
                + "<th>Destination</th><th>Protocol</th><th>Drops</th><th>Share of the location</th></tr>\n");
        for (FlowRows.Point p : points.subList(0, Math.min(top, points.size()))) {
            for (dev.droptop.model.FlowCount f : p.flows()) {
                dev.droptop.model.Flow fl = f.flow();
                double share = p.total() == 0 ? 0 : (double) f.count() / p.total();
                if (fl.isOther()) {
                    row(sb, f.count(), share, p.key().location(), p.key().reasonOrDash(), "(other flows)", "", "");
                } else {
                    String icmp = FlowRows.icmp(fl);
                    String dst = FlowRows.endpoint(fl.dst(), fl.dport(), fl.proto());
                    row(sb, f.count(), share, p.key().location(), p.key().reasonOrDash(),
                            FlowRows.endpoint(fl.src(), fl.sport(), fl.proto()), icmp.isEmpty() ? dst : dst + " " + icmp,
                            fl.protoName());
                }
            }
        }
        sb.append("</table>\n");
    }

    private static void row(StringBuilder sb, long count, double share, String... cells) {
        sb.append("<tr>");
        for (String c : cells) {
            sb.append("<td>");
            HtmlText.html(c, sb);
            sb.append("</td>");
        }
        sb.append("<td class=\"n\">").append(count).append("</td><td class=\"n\">")
                .append(dev.droptop.model.Decimals.percent(share)).append("</td></tr>\n");
    }

    private static void findings(List<Finding> findings, StringBuilder sb) {
        sb.append("<h2>Diagnosis</h2>\n");
        if (findings.isEmpty()) {
            sb.append("<p>No rule matched these drops.</p>\n");
        }
        for (Finding f : findings) {
            sb.append("<div class=\"finding ").append(f.severity().label()).append("\" id=\"finding-");
            HtmlText.html(f.id(), sb);
            sb.append("\"><b>[");
            HtmlText.html(f.severity().label() + "] " + f.summary(), sb);
            sb.append("</b>");
            HtmlText.html(f.evidence(), sb);
            sb.append("<div class=\"advice\">Advice: ");
            HtmlText.html(f.advice(), sb);
            sb.append("</div></div>\n");
        }
    }
}
