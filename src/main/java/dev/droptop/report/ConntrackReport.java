package dev.droptop.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.diagnose.Finding;
import dev.droptop.diagnose.Sizes;
import dev.droptop.model.ConntrackState;
import dev.droptop.model.Decimals;
import dev.droptop.model.Sanitize;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code droptop conntrack} screen (text) or object (JSON): limits and fill, timeouts, stat
 * counters, kernel log table-full lines, entry size and memory estimate, entries by state and top
 * sources, and the diagnosis.
 *
 * @param where "initial network namespace" or the netns name
 * @param suggestedMax the suggested nf_conntrack_max, or -1
 */
public record ConntrackReport(String where, ConntrackState state, long suggestedMax, List<Finding> findings) {
    private static final List<String> STATS = List.of("drop", "early_drop", "insert_failed", "invalid",
            "search_restart", "clashres", "chainlength", "found", "new", "insert");

    public void text(PrintWriter out) {
        ConntrackState s = state;
        out.printf(Locale.ROOT, "conntrack in %s%n", Sanitize.text(where));
        out.printf(Locale.ROOT, "  entries   %d of max %d (%s full), %d buckets%n", s.count(), s.max(),
                Decimals.percent(s.fill()), s.buckets());
        out.printf(Locale.ROOT, "  memory    %s = max %d x %d B [%s] + %d buckets x 16 B%n",
                Sizes.bytes(s.memoryBytes(s.max())), s.max(), s.entryBytes(), s.entryBytesSource(), s.buckets());
        if (suggestedMax > 0) {
            out.printf(Locale.ROOT, "  suggested max %d: %s%n", suggestedMax, Sizes.bytes(s.memoryBytes(suggestedMax)));
        }
        out.println("  timeouts  " + joined(s.timeouts(), " s"));
        out.println("  stat      " + (s.stats().isEmpty() ? "(unreadable)" : statLine(s)));
        out.println("  kernel log " + (s.kmsg().read() ? s.kmsg().tableFull() + " 'table full' lines, "
                + s.kmsg().suppressed() + " net_ratelimit-suppressed messages (" + s.kmsg().window() + ")"
                : "(not readable: /dev/kmsg needs root)"));
        entries(out);
        out.println();
        if (findings.isEmpty()) {
            out.println("No conntrack problem found.");
        }
        for (Finding f : findings) {
            out.println("* [" + f.severity().label() + "] " + Sanitize.text(f.summary()));
            out.println("  evidence: " + Sanitize.text(f.evidence()));
            out.println("  advice:   " + Sanitize.text(f.advice()));
        }
        out.flush();
    }

    private void entries(PrintWriter out) {
        if (state.entries() == null) {
            out.println("  by state  (/proc/net/nf_conntrack not readable)");
            return;
        }
        out.println("  by state  " + joined(state.entries().byState(), ""));
        StringBuilder sb = new StringBuilder();
        state.entries().topSources().forEach(c -> sb.append(sb.length() == 0 ? "" : ", ")
                .append(Sanitize.text(c.source())).append(' ').append(c.count()));
        out.println("  top sources " + (sb.length() == 0 ? "(none)" : sb) + " (" + state.entries().distinctSources()
                + " distinct)");
    }

    private String statLine(ConntrackState s) {
        StringBuilder sb = new StringBuilder();
        for (String k : STATS) {
            if (s.stats().containsKey(k)) {
                sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(s.stat(k));
            }
        }
        return sb.toString();
    }

    private static String joined(Map<String, Long> m, String unit) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(Sanitize.text(k)).append(' ').append(v)
                .append(unit));
        return sb.length() == 0 ? "(none)" : sb.toString();
    }

    public void json(OutputStream out) throws IOException {
        try (JsonGenerator g = Json.open(out, Json.CONNTRACK)) {
            ConntrackState s = state;
            g.writeStringField("netns", where);
            g.writeNumberField("count", s.count());
            g.writeNumberField("max", s.max());
            g.writeNumberField("fill", Math.round(s.fill() * 10000) / 10000.0);
            g.writeNumberField("buckets", s.buckets());
            g.writeNumberField("entryBytes", s.entryBytes());
            g.writeStringField("entryBytesSource", s.entryBytesSource());
            g.writeNumberField("memoryBytes", s.memoryBytes(s.max()));
            Json.count(g, "suggestedMax", suggestedMax > 0 ? suggestedMax : -1);
            Json.count(g, "suggestedMemoryBytes", suggestedMax > 0 ? s.memoryBytes(suggestedMax) : -1);
            map(g, "tcpTimeouts", s.timeouts());
            map(g, "stat", s.stats());
            kmsg(g, s.kmsg());
            entriesJson(g);
            JsonReport.writeFindings(findings, g);
            Json.close(g, out);
        }
    }

    private void entriesJson(JsonGenerator g) throws IOException {
        if (state.entries() == null) {
            return;
        }
        map(g, "byState", state.entries().byState());
        g.writeArrayFieldStart("topSources");
        for (ConntrackState.SourceCount c : state.entries().topSources()) {
            g.writeStartObject();
            g.writeStringField("source", c.source());
            g.writeNumberField("count", c.count());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void kmsg(JsonGenerator g, ConntrackState.KmsgCounts k) throws IOException {
        if (!k.read()) {
            return;
        }
        g.writeObjectFieldStart("kernelLog");
        g.writeNumberField("tableFull", k.tableFull());
        g.writeNumberField("suppressed", k.suppressed());
        g.writeStringField("window", k.window());
        g.writeEndObject();
    }

    private static void map(JsonGenerator g, String name, Map<String, Long> m) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : m.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
