package dev.droptop.lab;

import dev.droptop.model.Sanitize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of {@code lab search} as CSIT shows NDRPDR results: per test its NDR and PDR, the
 * ip4base twin's beside them, the ratios, and what limited each rate (the top drop and conntrack
 * state of the trial just above it); then every trial. Text, JSON, and an SVG plot of loss against
 * offered rate per trial ({@link #svg()}).
 */
public final class SearchReport {
    private final List<Row> rows;

    /** A test and its twin (null without one). */
    public record Row(LabSearch.Outcome test, LabSearch.Outcome twin) {
    }

    public SearchReport(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    static String unit(Scenario s) {
        return s.profile().tput() ? "pps" : "CPS";
    }

    /** "PDR limited by nf_hook_slow NETFILTER_DROP, conntrack 1000/1000" or why there is no limit. */
    static String limit(RateSearch.Goal<SearchTrial> g, RateSearch.Config c) {
        if (g.upper() == null) {
            return g.name() + " at the maximum rate tried (" + fmt(c.maxRate()) + "): not limited";
        }
        String why = Sanitize.text(g.limit().detail().why());
        String at = String.format(Locale.ROOT, " (%.2f%% loss at %s)", 100 * g.limit().loss(), fmt(g.upper()));
        if (g.rate() == null && g.upper() > c.minRate()) {
            return g.name() + " not found (the search ended before a trial met it): " + why + at;
        }
        if (g.rate() == null) {
            return g.name() + " below the minimum rate " + fmt(c.minRate()) + ": " + why + at;
        }
        return g.name() + " limited by " + why + at;
    }

    static String fmt(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.0f", rate);
    }

    static Double ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-44s %4s %9s %9s %12s %12s %6s %6s  %s%n", "test", "unit", "NDR", "PDR",
                "ip4base NDR", "ip4base PDR", "NDR/b", "PDR/b", "top drop at the PDR limit"));
        for (Row r : rows) {
            RateSearch.Result<SearchTrial> t = r.test().result();
            RateSearch.Result<SearchTrial> w = r.twin() == null ? null : r.twin().result();
            Double bn = w == null ? null : w.ndr().rate();
            Double bp = w == null ? null : w.pdr().rate();
            RateSearch.Goal<SearchTrial> pdr = t.pdr();
            b.append(String.format(Locale.ROOT, "%-44s %4s %9s %9s %12s %12s %6s %6s  %s%n", r.test().scenario().name(),
                    unit(r.test().scenario()), fmt(t.ndr().rate()), fmt(pdr.rate()), fmt(bn), fmt(bp),
                    ratioText(ratio(t.ndr().rate(), bn)), ratioText(ratio(pdr.rate(), bp)),
                    pdr.limit() == null ? "-" : Sanitize.text(pdr.limit().detail().why())));
        }
        for (Row r : rows) {
            details(b, r.test());
            if (r.twin() != null) {
                details(b, r.twin());
            }
        }
        return b.toString();
    }

    private static String ratioText(Double r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }

    private static void details(StringBuilder b, LabSearch.Outcome o) {
        RateSearch.Result<SearchTrial> r = o.result();
        RateSearch.Config c = configOf(o);
        b.append(String.format(Locale.ROOT, "%n%s: %d trials of %.1f s, %s%n", o.scenario().name(), r.trials().size(),
                o.trialSeconds(), r.ended()));
        b.append("  ").append(limit(r.ndr(), c)).append('\n');
        b.append("  ").append(limit(r.pdr(), c)).append('\n');
        b.append(String.format(Locale.ROOT, "  %5s %9s %8s %10s %10s %11s  %s%n", "trial", "rate/s", "loss", "offered",
                "ok", "unattempted", "top drop (count), conntrack"));
        for (RateSearch.Trial<SearchTrial> t : r.trials()) {
            SearchTrial d = t.detail();
            String drop = d.drops().isEmpty() ? "no drops (" + d.dropScope() + ")"
                    : Sanitize.text(d.drops().get(0).location() + " " + d.drops().get(0).reason()) + " ("
                            + d.drops().get(0).count() + " of " + d.dropTotal() + ")";
            b.append(String.format(Locale.ROOT, "  %5d %9.0f %7.3f%% %10d %10d %11d  %s, conntrack %d/%d%s%n", t.n(),
                    t.rate(), 100 * t.loss(), d.intended(), d.succeeded(), d.unattempted(), drop, d.conntrackPeak(),
                    d.conntrackMax(), d.rampUp() >= 0 ? ", ramp-up " + d.rampUp() + " sessions" : ""));
        }
    }

    private static RateSearch.Config configOf(LabSearch.Outcome o) {
        return o.config();
    }

    public String json() {
        List<String> tests = new ArrayList<>();
        for (Row r : rows) {
            RateSearch.Result<SearchTrial> t = r.test().result();
            RateSearch.Result<SearchTrial> w = r.twin() == null ? null : r.twin().result();
            Double bn = w == null ? null : w.ndr().rate();
            Double bp = w == null ? null : w.pdr().rate();
            tests.add("{\"name\":" + LabTable.str(r.test().scenario().name()) + ",\"unit\":"
                    + LabTable.str(unit(r.test().scenario())) + ",\"ndr\":" + num(t.ndr().rate()) + ",\"pdr\":"
                    + num(t.pdr().rate()) + ",\"ip4base_ndr\":" + num(bn) + ",\"ip4base_pdr\":" + num(bp)
                    + ",\"ndr_ratio\":" + num(ratio(t.ndr().rate(), bn)) + ",\"pdr_ratio\":"
                    + num(ratio(t.pdr().rate(), bp)) + ",\"top_drop_at_pdr_limit\":" + topDrop(t.pdr())
                    + ",\"search\":" + json(r.test()) + ",\"ip4base\":" + (r.twin() == null ? "null" : json(r.twin()))
                    + "}");
        }
        return "{\"tests\":[" + String.join(",", tests) + "]}";
    }

    private static String topDrop(RateSearch.Goal<SearchTrial> g) {
        if (g.limit() == null || g.limit().detail().drops().isEmpty()) {
            return "null";
        }
        SearchTrial.Drop d = g.limit().detail().drops().get(0);
        return "{\"location\":" + LabTable.str(d.location()) + ",\"reason\":" + LabTable.str(d.reason()) + ",\"count\":"
                + d.count() + "}";
    }

    private static String json(LabSearch.Outcome o) {
        RateSearch.Result<SearchTrial> r = o.result();
        RateSearch.Config c = o.config();
        List<String> trials = new ArrayList<>();
        for (RateSearch.Trial<SearchTrial> t : r.trials()) {
            SearchTrial d = t.detail();
            List<String> drops = new ArrayList<>();
            for (SearchTrial.Drop x : d.drops()) {
                drops.add("{\"location\":" + LabTable.str(x.location()) + ",\"reason\":" + LabTable.str(x.reason())
                        + ",\"count\":" + x.count() + "}");
            }
            trials.add(String.format(Locale.ROOT, "{\"n\":%d,\"rate\":%.1f,\"loss\":%.6f,\"unit\":%s,\"offered\":%d,"
                    + "\"succeeded\":%d,\"unattempted\":%d,\"seconds\":%.3f,\"drops_total\":%d,\"drop_scope\":%s,"
                    + "\"drops\":[%s],\"conntrack_peak\":%s,\"conntrack_max\":%s,\"conntrack_drops\":%d,\"ramp_up\":%s,"
                    + "\"why\":%s}", t.n(), t.rate(), t.loss(), LabTable.str(d.unit()), d.intended(), d.succeeded(),
                    d.unattempted(), d.seconds(), d.dropTotal(), LabTable.str(d.dropScope()), String.join(",", drops),
                    d.conntrackPeak() < 0 ? "null" : Long.toString(d.conntrackPeak()),
                    d.conntrackMax() < 0 ? "null" : Long.toString(d.conntrackMax()), d.conntrackDrops(),
                    d.rampUp() < 0 ? "null" : Long.toString(d.rampUp()), LabTable.str(d.why())));
        }
        return String.format(Locale.ROOT, "{\"name\":%s,\"ndr\":%s,\"pdr\":%s,\"ndr_upper\":%s,\"pdr_upper\":%s,"
                + "\"ndr_limit\":%s,\"pdr_limit\":%s,\"min_rate\":%.1f,\"max_rate\":%.1f,\"precision\":%.4f,"
                + "\"trial_seconds\":%.3f,\"ended\":%s,\"trials\":[%s]}", LabTable.str(o.scenario().name()),
                num(r.ndr().rate()), num(r.pdr().rate()), num(r.ndr().upper()), num(r.pdr().upper()),
                LabTable.str(limit(r.ndr(), c)), LabTable.str(limit(r.pdr(), c)), c.minRate(), c.maxRate(),
                c.precision(), o.trialSeconds(), LabTable.str(r.ended()), String.join(",", trials));
    }

    static String num(Double d) {
        return d == null || d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.4f", d)
                .replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** A self-contained SVG: loss (log scale, 0 at the bottom) against offered rate, a panel per test. */
    public String svg() {
        int panelH = 300;
        int w = 820;
        int h = 40 + rows.size() * (panelH + 60);
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" font-family=\"sans-serif\" "
                        + "font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        int y0 = 30;
        for (Row r : rows) {
            panel(b, r, 70, y0, w - 100, panelH);
            y0 += panelH + 60;
        }
        return b.append("</svg>\n").toString();
    }

    private static final double[] LOSS_TICKS = {0, 0.001, 0.005, 0.01, 0.1, 1};

    /** Loss to a 0..1 height: 0 at the bottom, then log10 from 0.01% to 100%. */
    static double lossY(double loss) {
        if (loss <= 0) {
            return 0;
        }
        double l = Math.log10(Math.max(1e-4, loss));
        return 0.08 + 0.92 * (l + 4) / 4;
    }

    private static void panel(StringBuilder b, Row r, int x, int y, int w, int h) {
        double max = 1;
        List<LabSearch.Outcome> both = new ArrayList<>();
        both.add(r.test());
        if (r.twin() != null) {
            both.add(r.twin());
        }
        for (LabSearch.Outcome o : both) {
            for (RateSearch.Trial<SearchTrial> t : o.result().trials()) {
                max = Math.max(max, t.rate());
            }
        }
        double xmax = max * 1.05;
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s: loss per trial vs "
                + "offered rate (%s)</text>%n", x, y - 10, esc(r.test().scenario().name()), unit(r.test().scenario())));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", x, y, w, h));
        for (double t : LOSS_TICKS) {
            double yy = y + h - lossY(t) * h;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", x, x + w, yy, yy,
                    t == 0.005 ? "#e99" : "#eee", x - 4, yy + 4, t == 0 ? "0" : trim(100 * t) + "%"));
        }
        for (int i = 0; i <= 5; i++) {
            double v = xmax * i / 5;
            double xx = x + w * i / 5.0;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n", xx,
                    y + h + 16, v));
        }
        String[] colors = {"#c0392b", "#2471a3"};
        for (int k = 0; k < both.size(); k++) {
            LabSearch.Outcome o = both.get(k);
            String c = colors[k];
            for (RateSearch.Goal<SearchTrial> g : List.of(o.result().ndr(), o.result().pdr())) {
                if (g.rate() != null) {
                    double xx = x + w * g.rate() / xmax;
                    b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
                            + "stroke-dasharray=\"%s\"/><text x=\"%.1f\" y=\"%d\" fill=\"%s\" text-anchor=\"middle\">"
                            + "%s %.0f</text>%n", xx, xx, y, y + h, c, g.name().equals("NDR") ? "2,3" : "6,3", xx,
                            y + 12 + 12 * k + (g.name().equals("NDR") ? 0 : 24), c, g.name(), g.rate()));
                }
            }
            for (RateSearch.Trial<SearchTrial> t : o.result().trials()) {
                double xx = x + w * t.rate() / xmax;
                double yy = y + h - lossY(t.loss()) * h;
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" "
                        + "fill-opacity=\"0.7\"><title>trial %d: %.0f/s, %.3f%% loss, %s</title></circle>"
                        + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"%s\">%d</text>%n", xx, yy, c, t.n(),
                        t.rate(), 100 * t.loss(), esc(t.detail().why()), xx + 6, yy - 4, c, t.n()));
            }
            int lx = x + 10 + 380 * k;
            b.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"%s\"/><text x=\"%d\" "
                    + "y=\"%d\">%s</text>%n", lx, y + h + 34, c, lx + 10, y + h + 38, esc(o.scenario().name())));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d "
                + "%d)\">loss</text>%n", x - 45, y + h / 2, x - 45, y + h / 2));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    static String esc(String s) {
        return Sanitize.text(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
