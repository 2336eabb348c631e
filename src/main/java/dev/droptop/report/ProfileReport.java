package dev.droptop.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.model.CallTree;
import dev.droptop.model.Profile;
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

    public void writeText(String source, Profile.Focus f, PrintWriter out) {
        out.printf(Locale.ROOT, "droptop profile: %s, %d samples%n", source, f.allSamples());
        out.printf(Locale.ROOT, "%s: %d samples on the stack (%.2f%% of all), %d self%n%n", f.symbol(), f.total(),
                f.share() * 100, f.self());
        out.printf("CALLEES OF %s (%% of its samples)%n", f.symbol());
        tree(f.callees(), f.total(), 0, "", out);
        out.printf("%nCALLERS OF %s (%% of its samples)%n", f.symbol());
        tree(f.callers(), f.total(), 0, "", out);
        out.flush();
    }

    private static void tree(CallTree node, long of, int depth, String prefix, PrintWriter out) {
        out.printf(Locale.ROOT, "%7.2f%% %8d  %s%s%n", 100.0 * node.count() / of, node.count(), prefix, node.frame());
        if (depth >= MAX_DEPTH) {
            return;
        }
        for (CallTree c : node.children()) {
            if (c.count() >= MIN_SHARE * of) {
                tree(c, of, depth + 1, depth == 0 ? "  " : prefix + "  ", out);
            }
        }
    }

    public void writeTop(String source, long samples, List<Profile.SymbolCount> top, PrintWriter out) {
        out.printf(Locale.ROOT, "droptop profile: %s, %d samples; top kernel network symbols%n%n", source, samples);
        out.printf("%8s %7s %8s %7s  %s%n", "TOTAL", "%", "SELF", "%", "SYMBOL");
        for (Profile.SymbolCount s : top) {
            out.printf(Locale.ROOT, "%8d %6.2f%% %8d %6.2f%%  %s%n", s.total(), pct(s.total(), samples), s.self(),
                    pct(s.self(), samples), s.symbol());
        }
        out.flush();
    }

    private static double pct(long n, long of) {
        return of == 0 ? 0 : 100.0 * n / of;
    }

    public void writeJson(String source, Profile.Focus f, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.open(out, Json.PROFILE)) {
            g.writeStringField("source", source);
            g.writeNumberField("samples", f.allSamples());
            g.writeStringField("symbol", f.symbol());
            g.writeNumberField("total", f.total());
            g.writeNumberField("self", f.self());
            Json.number(g, "share", f.allSamples() == 0 ? Double.NaN : f.share(), 4);
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

    public void writeTopJson(String source, long samples, List<Profile.SymbolCount> top, OutputStream out)
            throws IOException {
        try (JsonGenerator g = Json.open(out, Json.PROFILE_TOP)) {
            g.writeStringField("source", source);
            g.writeNumberField("samples", samples);
            g.writeArrayFieldStart("symbols");
            for (Profile.SymbolCount s : top) {
                g.writeStartObject();
                g.writeStringField("symbol", s.symbol());
                g.writeNumberField("total", s.total());
                g.writeNumberField("self", s.self());
                g.writeEndObject();
            }
            g.writeEndArray();
            Json.close(g, out);
        }
    }

    /** The whole profile as a flame graph (root = outermost frame), with the top network symbols below it. */
    public void writeHtml(String source, Profile p, List<Profile.SymbolCount> top, Writer out) throws IOException {
        String info = String.format(Locale.ROOT, "%d samples over %.1f s; read from %s", p.total(),
                p.durationSeconds(), source);
        HtmlReport.write(new HtmlReport.Page("droptop: CPU profile of " + source, info, "samples",
                FlameStacks.ofProfile(p), topTable(p.total(), top)), out);
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
