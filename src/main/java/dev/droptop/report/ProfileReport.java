package dev.droptop.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.model.CallTree;
import dev.droptop.model.Profile;
import dev.droptop.model.Sanitize;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * The {@code profile} views: for one symbol, its share of all samples and its callers and callees
 * as trees with percentages of the symbol's samples (branches under {@link #MIN_SHARE} are cut);
 * without a symbol, the top symbols by total and self samples.
 */
public final class ProfileReport {
    static final double MIN_SHARE = 0.005;
    private static final int MAX_DEPTH = 12;

    /**
     * The first line: source, samples and their event, the weight (sum of periods) when the trace gave
     * periods, samples without a call chain, and the events left out.
     */
    static String summary(String source, Profile p) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("droptop profile: ").append(Sanitize.text(source)).append(", ").append(p.total()).append(" samples");
        if (!p.event().isEmpty()) {
            sb.append(" of ").append(Sanitize.text(p.event()));
        }
        if (p.weighted()) {
            sb.append(", weight ").append(p.totalWeight()).append(" (sum of periods)");
        }
        if (p.unstacked() > 0) {
            sb.append(", ").append(p.unstacked()).append(" without a call chain");
        }
        if (!p.otherEvents().isEmpty()) {
            StringBuilder o = new StringBuilder();
            p.otherEvents().forEach((e, n) -> o.append(o.length() == 0 ? "" : ", ").append(Sanitize.text(e))
                    .append(' ').append(n));
            sb.append("; other events left out (--event NAME): ").append(o);
        }
        return sb.toString();
    }

    public void writeText(String source, Profile p, Profile.Focus f, PrintWriter out) {
        out.println(summary(source, p));
        out.printf(Locale.ROOT, "%s: %d samples on the stack (%.2f%% of all), %d self", Sanitize.text(f.symbol()),
                f.total(), f.share() * 100, f.self());
        if (p.weighted()) {
            out.printf(Locale.ROOT, "; weight %d (%.2f%% of all), %d self", f.weight(), f.weightShare() * 100,
                    f.selfWeight());
        }
        out.printf("%n%n");
        out.printf("CALLEES OF %s (%% of its samples)%n", Sanitize.text(f.symbol()));
        tree(f.callees(), f.total(), 0, "", out);
        out.printf("%nCALLERS OF %s (%% of its samples)%n", Sanitize.text(f.symbol()));
        tree(f.callers(), f.total(), 0, "", out);
        out.flush();
    }

    private static void tree(CallTree node, long of, int depth, String prefix, PrintWriter out) {
        out.printf(Locale.ROOT, "%7.2f%% %8d  %s%s%n", 100.0 * node.count() / of, node.count(), prefix,
                Sanitize.text(node.frame()));
        if (depth >= MAX_DEPTH) {
            return;
        }
        for (CallTree c : node.children()) {
            if (c.count() >= MIN_SHARE * of) {
                tree(c, of, depth + 1, depth == 0 ? "  " : prefix + "  ", out);
            }
        }
    }

    /** The top symbols; with periods, ordered by weight, and the weight's shares beside the samples. */
    public void writeTop(String source, Profile p, List<Profile.SymbolCount> top, PrintWriter out) {
        long samples = p.total();
        out.printf("%s; top kernel network symbols%n%n", summary(source, p));
        if (p.weighted()) {
            out.printf("%8s %7s %8s %7s %8s %8s  %s%n", "TOTAL", "%", "SELF", "%", "WEIGHT%", "SELFW%", "SYMBOL");
        } else {
            out.printf("%8s %7s %8s %7s  %s%n", "TOTAL", "%", "SELF", "%", "SYMBOL");
        }
        for (Profile.SymbolCount s : top) {
            out.printf(Locale.ROOT, "%8d %6.2f%% %8d %6.2f%%", s.total(), pct(s.total(), samples), s.self(),
                    pct(s.self(), samples));
            if (p.weighted()) {
                out.printf(Locale.ROOT, " %7.2f%% %7.2f%%", pct(s.weight(), p.totalWeight()),
                        pct(s.selfWeight(), p.totalWeight()));
            }
            out.printf("  %s%n", Sanitize.text(s.symbol()));
        }
        out.flush();
    }

    private static double pct(long n, long of) {
        return of == 0 ? 0 : 100.0 * n / of;
    }

    /** The fields every JSON view starts with: source, event, samples, weight (null without periods), others. */
    private static void head(JsonGenerator g, String source, Profile p) throws IOException {
        g.writeStringField("source", source);
        if (p.event().isEmpty()) {
            g.writeNullField("event");
        } else {
            g.writeStringField("event", p.event());
        }
        g.writeNumberField("samples", p.total());
        if (p.weighted()) {
            g.writeNumberField("weight", p.totalWeight());
        } else {
            g.writeNullField("weight");
        }
        g.writeNumberField("withoutCallChain", p.unstacked());
        g.writeArrayFieldStart("otherEvents");
        for (java.util.Map.Entry<String, Long> e : p.otherEvents().entrySet()) {
            g.writeStartObject();
            g.writeStringField("event", e.getKey());
            g.writeNumberField("samples", e.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    public void writeJson(String source, Profile p, Profile.Focus f, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.open(out, Json.PROFILE)) {
            head(g, source, p);
            g.writeStringField("symbol", f.symbol());
            g.writeNumberField("total", f.total());
            g.writeNumberField("self", f.self());
            Json.number(g, "share", f.allSamples() == 0 ? Double.NaN : f.share(), 4);
            if (p.weighted()) {
                g.writeNumberField("totalWeight", f.weight());
                g.writeNumberField("selfWeight", f.selfWeight());
                g.writeNumberField("weightShare", Math.round(f.weightShare() * 10000) / 10000.0);
            } else {
                g.writeNullField("totalWeight");
                g.writeNullField("selfWeight");
                g.writeNullField("weightShare");
            }
            g.writeFieldName("callees");
            node(f.callees(), f.total(), 0, g);
            g.writeFieldName("callers");
            node(f.callers(), f.total(), 0, g);
            Json.close(g, out);
        }
    }

    private static void node(CallTree n, long of, int depth, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("frame", n.frame());
        g.writeNumberField("count", n.count());
        Json.number(g, "share", of == 0 ? Double.NaN : (double) n.count() / of, 4);
        g.writeArrayFieldStart("children");
        for (CallTree c : depth < MAX_DEPTH ? n.children() : List.<CallTree>of()) {
            if (c.count() >= MIN_SHARE * of) {
                node(c, of, depth + 1, g);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    public void writeTopJson(String source, Profile p, List<Profile.SymbolCount> top, OutputStream out)
            throws IOException {
        try (JsonGenerator g = Json.open(out, Json.PROFILE_TOP)) {
            head(g, source, p);
            g.writeArrayFieldStart("symbols");
            for (Profile.SymbolCount s : top) {
                g.writeStartObject();
                g.writeStringField("symbol", s.symbol());
                g.writeNumberField("total", s.total());
                g.writeNumberField("self", s.self());
                if (p.weighted()) {
                    g.writeNumberField("weight", s.weight());
                    g.writeNumberField("selfWeight", s.selfWeight());
                } else {
                    g.writeNullField("weight");
                    g.writeNullField("selfWeight");
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            Json.close(g, out);
        }
    }

    /** The colour legend of a CPU profile page. */
    static final String PROFILE_LEGEND = "<span class=\"k0\">kernel network code</span><span class=\"k1\">other code"
            + "</span><span class=\"k4\">no symbol ([unknown], [lib.so])</span>";

    /** The whole profile as a flame graph (root = outermost frame), with the top network symbols below it. */
    public void writeHtml(String source, Profile p, List<Profile.SymbolCount> top, Writer out) throws IOException {
        writeHtml(source, p, top, null, out);
    }

    /**
     * As above; with a {@code symbol} the page opens on its sandwich (callers above it, callees below),
     * the flame graph one click away. {@code [unknown]} frames (user code without symbols) are hidden
     * until the page's checkbox shows them.
     */
    public void writeHtml(String source, Profile p, List<Profile.SymbolCount> top, String symbol, Writer out)
            throws IOException {
        String info = String.format(Locale.ROOT, "%d samples%s over %.1f s; read from %s", p.total(),
                p.event().isEmpty() ? "" : " of " + p.event(), p.durationSeconds(), source);
        String head = "";
        if (symbol != null) {
            Profile.Focus f = p.focus(symbol);
            head = String.format(Locale.ROOT, "<p><b>%s</b>: %d samples on the stack (%.2f%% of all), %d self</p>%n",
                    HtmlText.html(symbol), f.total(), f.share() * 100, f.self());
        }
        HtmlReport.write(new HtmlReport.Page("droptop: CPU profile of " + source, info,
                p.weighted() ? "period" : "samples", FlameStacks.ofProfile(p), topTable(p.total(), top), head,
                PROFILE_LEGEND, symbol == null ? "flame" : "sandwich", symbol == null ? "" : symbol), out);
    }

    private static String topTable(long samples, List<Profile.SymbolCount> top) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<h2>Top kernel network symbols</h2>\n<table id=\"symbols\"><tr><th>Symbol</th><th>Total</th>"
                + "<th>Share</th><th>Self</th><th>Share</th></tr>\n");
        for (Profile.SymbolCount s : top) {
            sb.append("<tr><td>");
            HtmlText.html(s.symbol(), sb);
            sb.append(String.format(Locale.ROOT, "</td><td class=\"n\">%d</td><td class=\"n\">%.1f%%</td>"
                    + "<td class=\"n\">%d</td><td class=\"n\">%.1f%%</td></tr>%n", s.total(), pct(s.total(), samples),
                    s.self(), pct(s.self(), samples)));
        }
        return sb.append("</table>\n").toString();
    }
}
