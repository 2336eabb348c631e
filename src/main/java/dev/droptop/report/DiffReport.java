package dev.droptop.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Two runs side by side ("did raising nf_conntrack_max fix it?"): per location and reason the
 * counts, the rates over each input's duration, the change in percent (of the rates when both
 * inputs have a duration, else of the counts), drop points that are NEW or VANISHED, and the
 * findings of each run. When the two runs' durations differ by more than {@link #LENGTH_RATIO}
 * times, a warning says so: counts of runs of different lengths do not compare, rates do.
 */
public final class DiffReport {
    /** Durations further apart than this factor get a warning. */
    public static final double LENGTH_RATIO = 2.0;

    /**
     * One location and reason in both runs. {@code change} (and {@code status}) compare the rates when
     * both runs have a duration, else the counts; {@code change} is NaN for NEW and VANISHED lines.
     */
    public record Line(String location, String reason, long before, long after, double beforeRate,
                       double afterRate, String status, double change) {
    }

    public static List<Line> lines(ReportData before, ReportData after) {
        Map<String, Long> b = byPoint(before.snapshot());
        Map<String, Long> a = byPoint(after.snapshot());
        Set<String> keys = new LinkedHashSet<>(b.keySet());
        keys.addAll(a.keySet());
        double bs = before.snapshot().durationSeconds();
        double as = after.snapshot().durationSeconds();
        List<Line> out = new ArrayList<>();
        for (String k : keys) {
            long x = b.getOrDefault(k, 0L);
            long y = a.getOrDefault(k, 0L);
            String[] lr = k.split("\t", 2);
            double rx = rate(x, bs);
            double ry = rate(y, as);
            boolean byRate = bs > 0 && as > 0;
            double from = byRate ? rx : x;
            double to = byRate ? ry : y;
            String status = x == 0 ? "NEW" : y == 0 ? "VANISHED" : to > from ? "MORE" : to < from ? "FEWER" : "SAME";
            double change = x == 0 || y == 0 ? Double.NaN : pct(from, to);
            out.add(new Line(lr[0], lr[1], x, y, rx, ry, status, change));
        }
        return out;
    }

    private static Map<String, Long> byPoint(Snapshot s) {
        return s.sumBy(r -> r.key().location() + "\t" + r.key().reason());
    }

    private static double rate(long count, double seconds) {
        return seconds > 0 ? count / seconds : Double.NaN;
    }

    private static double pct(double from, double to) {
        return (to - from) / from * 100;
    }

    /**
     * What to keep in mind when reading the table: runs of very different lengths, or a run without
     * a duration (the change is then of the counts). Empty when the runs compare plainly.
     */
    public static List<String> warnings(ReportData before, ReportData after) {
        double bs = before.snapshot().durationSeconds();
        double as = after.snapshot().durationSeconds();
        List<String> out = new ArrayList<>();
        if (bs <= 0 || as <= 0) {
            out.add("a run has no duration (" + seconds(bs) + " and " + seconds(as) + "): CHANGE compares the counts,"
                    + " which only means something if both runs lasted as long");
        } else if (Math.max(bs, as) / Math.min(bs, as) > LENGTH_RATIO) {
            out.add(String.format(Locale.ROOT, "the runs differ in length (%s and %s, %.0fx): compare the rates (/s),"
                    + " not the counts; CHANGE is the change of the rate", seconds(bs), seconds(as),
                    Math.max(bs, as) / Math.min(bs, as)));
        }
        return out;
    }

    private static String seconds(double s) {
        return s > 0 ? String.format(Locale.ROOT, "%.1f s", s) : "no duration";
    }

    public void writeText(ReportData before, ReportData after, PrintWriter out) {
        out.printf(Locale.ROOT, "before: %s  %d drops in %s%n", Sanitize.text(before.source()),
                before.snapshot().total(), seconds(before.snapshot().durationSeconds()));
        out.printf(Locale.ROOT, "after:  %s  %d drops in %s%n", Sanitize.text(after.source()),
                after.snapshot().total(), seconds(after.snapshot().durationSeconds()));
        for (String w : warnings(before, after)) {
            out.println("WARNING: " + w);
        }
        out.println();
        boolean rates = before.snapshot().durationSeconds() > 0 && after.snapshot().durationSeconds() > 0;
        out.printf(Locale.ROOT, "%-36s %-22s %9s %9s %9s %9s  %s%n", "LOCATION", "REASON", "BEFORE", "AFTER",
                "BEFORE/s", "AFTER/s", rates ? "CHANGE/s" : "CHANGE");
        for (Line l : lines(before, after)) {
            out.printf(Locale.ROOT, "%-36s %-22s %9d %9d %9s %9s  %s%n", Sanitize.text(l.location()),
                    Sanitize.text(l.reason().isEmpty() ? "-" : l.reason()), l.before(), l.after(), num(l.beforeRate()),
                    num(l.afterRate()), change(l));
        }
        findingsText("before", before.findings(), out);
        findingsText("after", after.findings(), out);
        out.flush();
    }

    private static String change(Line l) {
        return Double.isNaN(l.change()) ? l.status() : String.format(Locale.ROOT, "%+.1f%%", l.change());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void findingsText(String which, List<Finding> findings, PrintWriter out) {
        out.printf("%nDiagnosis %s:%s%n", which, findings.isEmpty() ? " none" : "");
        for (Finding f : findings) {
            out.printf("  [%s] %s%n", f.severity().label(), Sanitize.text(f.summary()));
        }
    }

    public void writeJson(ReportData before, ReportData after, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.open(out, Json.DIFF)) {
            side("before", before, g);
            side("after", after, g);
            g.writeArrayFieldStart("warnings");
            for (String w : warnings(before, after)) {
                g.writeString(w);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("points");
            for (Line l : lines(before, after)) {
                point(l, g);
            }
            g.writeEndArray();
            Json.close(g, out);
        }
    }

    private static void side(String name, ReportData d, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("source", d.source());
        Json.text(g, "backend", d.backend());
        double secs = d.snapshot().durationSeconds();
        Json.number(g, "durationSeconds", secs > 0 ? secs : Double.NaN, 3);
        g.writeNumberField("total", d.snapshot().total());
        JsonReport.writeFindings(d.findings(), g);
        g.writeEndObject();
    }

    private static void point(Line l, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("location", l.location());
        Json.text(g, "reason", l.reason());
        g.writeStringField("status", l.status());
        g.writeNumberField("before", l.before());
        g.writeNumberField("after", l.after());
        Json.number(g, "beforeRate", l.beforeRate(), 3);
        Json.number(g, "afterRate", l.afterRate(), 3);
        Json.number(g, "changePercent", l.change(), 3);
        g.writeEndObject();
    }
}
