package dev.droptop.lab;

import dev.droptop.diagnose.Finding;
import dev.droptop.lab.LoadResult;
import dev.droptop.lab.ScenarioResult;
import dev.droptop.model.Protocols;
import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lab's one table: a row per scenario (side by side with --compare), then the drops, the dropped
 * flows (with --flows) and the findings of each.
 */
public final class LabTable {
    static final int TOP_DROPS = 5;
    private final List<Entry> entries;
    private final Flows flows;

    /** One scenario's result and its diagnosis. */
    public record Entry(ScenarioResult result, List<Finding> findings) {
    }

    /**
     * How the dropped flows are written: the reports' flows section and flows[] array, passed in by the
     * run layer (lab and report are side by side, so the table cannot call the report itself).
     */
    public interface Flows {
        /** The text section for {@code drops}, each line starting with {@code indent}; "" without flows. */
        String text(Snapshot drops, String indent);

        /** The JSON array of {@code drops}' flows, {@code []} without flows. */
        String json(Snapshot drops);
    }

    public LabTable(List<Entry> entries, Flows flows) {
        this.entries = List.copyOf(entries);
        this.flows = flows;
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-42s %9s %9s %9s %9s %7s %8s %8s %15s %9s%n", "scenario", "attempted",
                "ok", "failed", "CPS", "fail%", "p50 ms", "p99 ms", "conntrack peak", "ct drops"));
        for (Entry e : entries) {
            ScenarioResult r = e.result();
            LoadResult l = r.load();
            b.append(String.format(Locale.ROOT, "%-42s %9d %9d %9d %9.0f %6.1f%% %8.2f %8.2f %15s %9d%n",
                    r.scenario().name(), l.attempted(), l.succeeded(), l.failed(), l.cps(), l.failurePercent(),
                    l.p50Nanos() / 1e6, l.p99Nanos() / 1e6, r.conntrackPeak() + "/" + r.conntrackMax(),
                    r.conntrackDrops()));
        }
        for (Entry e : entries) {
            details(b, e);
        }
        return b.toString();
    }

    private void details(StringBuilder b, Entry e) {
        ScenarioResult r = e.result();
        LoadResult l = r.load();
        Snapshot s = r.drops();
        b.append(String.format(Locale.ROOT, "%n%s: %.1f s, %d errors, %d timeouts%s, server saw %d%n",
                r.scenario().name(), l.elapsedNanos() / 1e9, l.errors(), l.timeouts(),
                l.timeBound() ? " (stopped by --duration before all sessions)" : "", r.served()));
        b.append(String.format(Locale.ROOT, "  drops (%s, whole system): %d, %d lost%n", r.backend(), s.total(), s.lost()));
        int n = 0;
        for (Snapshot.Row row : s.rows()) {
            if (n++ == TOP_DROPS) {
                break;
            }
            b.append(String.format(Locale.ROOT, "    %-34s %-24s %-5s %9d %6.1f%%%n", Sanitize.text(row.key().location()),
                    Sanitize.text(row.key().reasonOrDash()), Protocols.name(row.key().protocol()), row.total(),
                    s.total() == 0 ? 0.0 : 100.0 * row.total() / s.total()));
        }
        String dropped = flows.text(s, "    ");
        if (!dropped.isEmpty()) {
            b.append("  dropped flows:\n").append(dropped.startsWith("\n") ? dropped.substring(1) : dropped);
        }
        b.append(e.findings().isEmpty() ? "  findings: none\n" : "  findings:\n");
        for (Finding f : e.findings()) {
            b.append("    ").append(f.severity()).append(' ').append(Sanitize.text(f.summary())).append(": ")
                    .append(Sanitize.text(f.evidence())).append('\n');
            b.append("      advice: ").append(Sanitize.text(f.advice())).append('\n');
        }
    }

    public String json() {
        List<String> items = new ArrayList<>();
        for (Entry e : entries) {
            items.add(json(e));
        }
        return "{\"schema\":\"droptop-lab/1\",\"scenarios\":[" + String.join(",", items) + "]}";
    }

    private String json(Entry e) {
        ScenarioResult r = e.result();
        LoadResult l = r.load();
        Snapshot s = r.drops();
        List<String> drops = new ArrayList<>();
        for (Snapshot.Row row : s.rows().subList(0, Math.min(TOP_DROPS, s.rows().size()))) {
            drops.add("{\"location\":" + str(row.key().location()) + ",\"reason\":" + strOrNull(row.key().reason())
                    + ",\"protocol\":" + (row.key().protocol() < 0 ? "null" : row.key().protocol()) + ",\"count\":"
                    + row.total() + "}");
        }
        List<String> findings = new ArrayList<>();
        for (Finding f : e.findings()) {
            findings.add("{\"id\":" + str(f.id()) + ",\"severity\":" + str(f.severity().toString()) + ",\"summary\":"
                    + str(f.summary()) + ",\"evidence\":" + str(f.evidence()) + ",\"advice\":" + str(f.advice()) + "}");
        }
        return String.format(Locale.ROOT, "{\"name\":%s,\"attempted\":%d,\"succeeded\":%d,\"errors\":%d,\"timeouts\":%d,"
                + "\"seconds\":%.3f,\"cps\":%.1f,\"failure_percent\":%.2f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                + "\"conntrack_peak\":%d,\"conntrack_max\":%d,\"conntrack_drops\":%d,\"backend\":%s,\"drops_total\":%d,"
                + "\"drops_lost\":%d,\"top_drops\":[%s],\"flows\":%s,\"findings\":[%s]}", str(r.scenario().name()), l.attempted(),
                l.succeeded(), l.errors(), l.timeouts(), l.elapsedNanos() / 1e9, l.cps(), l.failurePercent(),
                l.p50Nanos() / 1e6, l.p99Nanos() / 1e6, r.conntrackPeak(), r.conntrackMax(), r.conntrackDrops(),
                str(r.backend()), s.total(), s.lost(), String.join(",", drops), flows.json(s), String.join(",", findings));
    }

    /** Unknown (null or empty) is JSON null, as in every droptop JSON output. */
    static String strOrNull(String s) {
        return s == null || s.isEmpty() ? "null" : str(s);
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : (s == null ? "" : s).toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
