package dev.droptop.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.diagnose.Finding;
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
 * findings of each run.
 */
public final class DiffReport {
    /** One location and reason in both runs. {@code change} is NaN for NEW and VANISHED lines. */
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
            String status = x == 0 ? "NEW" : y == 0 ? "VANISHED" : y > x ? "MORE" : y < x ? "FEWER" : "SAME";
            double change = x == 0 || y == 0 ? Double.NaN : bs > 0 && as > 0 ? pct(rx, ry) : pct(x, y);
            out.add(new Line(lr[0], lr[1], x, y, rx, ry, status, change));
        }
        return out;
    }

    private static Map<String, Long> byPoint(Snapshot s) {
        return s.sumBy(r -> r.key().location() + "\t" + r.key().reasonOrDash());
    }

    private static double rate(long count, double seconds) {
        return seconds > 0 ? count / seconds : Double.NaN;
    }

    private static double pct(double from, double to) {
        return (to - from) / from * 100;
    }

    public void writeText(ReportData before, ReportData after, PrintWriter out) {
        out.printf(Locale.ROOT, "before: %s  %d drops in %.1f s%n", before.source(), before.snapshot().total(),
                before.snapshot().durationSeconds());
        out.printf(Locale.ROOT, "after:  %s  %d drops in %.1f s%n%n", after.source(), after.snapshot().total(),
                after.snapshot().durationSeconds());
        out.printf(Locale.ROOT, "%-36s %-22s %9s %9s %9s %9s  %s%n", "LOCATION", "REASON", "BEFORE", "AFTER",
                "BEFORE/s", "AFTER/s", "CHANGE");
        for (Line l : lines(before, after)) {
            out.printf(Locale.ROOT, "%-36s %-22s %9d %9d %9s %9s  %s%n", l.location(), l.reason(), l.before(),
                    l.after(), num(l.beforeRate()), num(l.afterRate()), change(l));
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
            out.printf("  [%s] %s%n", f.severity().label(), f.summary());
        }
    }

    public void writeJson(ReportData before, ReportData after, OutputStream out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            side("before", before, g);
            side("after", after, g);
            g.writeArrayFieldStart("points");
            for (Line l : lines(before, after)) {
                point(l, g);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
        out.flush();
    }

    private static void side(String name, ReportData d, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("source", d.source());
        g.writeStringField("backend", d.backend());
        g.writeNumberField("durationSeconds", round(d.snapshot().durationSeconds()));
        g.writeNumberField("total", d.snapshot().total());
        JsonReport.writeFindings(d.findings(), g);
        g.writeEndObject();
    }

    private static void point(Line l, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("location", l.location());
        g.writeStringField("reason", l.reason());
        g.writeStringField("status", l.status());
        g.writeNumberField("before", l.before());
        g.writeNumberField("after", l.after());
        nullable("beforeRate", l.beforeRate(), g);
        nullable("afterRate", l.afterRate(), g);
        nullable("changePercent", l.change(), g);
        g.writeEndObject();
    }

    private static void nullable(String field, double v, JsonGenerator g) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, round(v));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
