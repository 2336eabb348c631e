package dev.droptop.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.Protocols;
import dev.droptop.model.Snapshot;
import dev.droptop.model.StackTable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The JSON report, schema of DESIGN.md: {@code source, backend, durationSeconds, total, lost,
 * drops[{symbol, offset, reason, protocol, count, share, topStacks[{frames, count}]}],
 * reasons[{reason, count}], diagnosis[{id, severity, summary, evidence, advice, drops}]}, plus {@code warnings}.
 * Frames are innermost first, starting at the drop location.
 */
public final class JsonReport {
    private static final int TOP_STACKS = 5;
    private final int top;

    public JsonReport(int top) {
        this.top = top;
    }

    public void write(ReportData data, OutputStream out) throws IOException {
        Snapshot s = data.snapshot();
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("source", data.source());
            g.writeStringField("backend", data.backend());
            g.writeNumberField("durationSeconds", Math.round(s.durationSeconds() * 1000) / 1000.0);
            g.writeNumberField("total", s.total());
            g.writeNumberField("lost", s.lost());
            writeDrops(data, g);
            g.writeArrayFieldStart("reasons");
            for (Map.Entry<String, Long> e : s.reasons().entrySet()) {
                g.writeStartObject();
                g.writeStringField("reason", e.getKey());
                g.writeNumberField("count", e.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            writeFlows(data, g);
            writeDiagnosis(data, g);
            g.writeObjectFieldStart("warnings");
            for (Map.Entry<String, Long> e : data.warnings().counts().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeRaw('\n');
        }
        out.flush();
    }

    private void writeDrops(ReportData data, JsonGenerator g) throws IOException {
        StackTable stacks = data.snapshot().stacks();
        List<Rows.Row> rows = Rows.merged(data.snapshot());
        g.writeArrayFieldStart("drops");
        for (Rows.Row r : rows.subList(0, Math.min(top, rows.size()))) {
            g.writeStartObject();
            g.writeStringField("symbol", r.key().symbol());
            g.writeStringField("offset", r.key().offsetHex());
            g.writeStringField("reason", r.key().reason());
            g.writeStringField("protocol", Protocols.name(r.key().protocol()));
            g.writeNumberField("count", r.total());
            g.writeNumberField("share", Math.round(data.share(r.total()) * 10000) / 10000.0);
            g.writeArrayFieldStart("topStacks");
            for (Map.Entry<Integer, Long> st : r.topStacks(TOP_STACKS)) {
                if (st.getKey() == StackTable.NO_STACK) {
                    continue;
                }
                g.writeStartObject();
                g.writeArrayFieldStart("frames");
                for (String f : stacks.frameNames(st.getKey())) {
                    g.writeString(f);
                }
                g.writeEndArray();
                g.writeNumberField("count", st.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * {@code flows[{symbol, offset, reason, src, dst, sport, dport, proto, count, share}]}: the top flows per
     * drop point, points by drops; {@code share} of the point's drops. Unknown ports are null; the rest
     * of a point (beyond the top, or folded by a flow cap) is one entry with {@code other: true} and
     * null addresses. Empty when the source read no packet headers.
     */
    private static void writeFlows(ReportData data, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("flows");
        for (FlowRows.Point p : FlowRows.of(data.snapshot(), FlowRows.DEFAULT_PER_POINT)) {
            for (dev.droptop.model.FlowCount f : p.flows()) {
                dev.droptop.model.Flow fl = f.flow();
                g.writeStartObject();
                g.writeStringField("symbol", p.key().symbol());
                g.writeStringField("offset", p.key().offsetHex());
                g.writeStringField("reason", p.key().reason());
                if (fl.isOther()) {
                    g.writeNullField("src");
                    g.writeNullField("dst");
                    g.writeNullField("sport");
                    g.writeNullField("dport");
                    g.writeNullField("proto");
                    g.writeBooleanField("other", true);
                } else {
                    g.writeStringField("src", fl.src());
                    g.writeStringField("dst", fl.dst());
                    boolean ports = fl.proto() != 1 && fl.proto() != 58;
                    nullable(g, "sport", ports ? fl.sport() : -1);
                    nullable(g, "dport", ports ? fl.dport() : -1);
                    if (fl.proto() < 0) {
                        g.writeNullField("proto");
                    } else {
                        g.writeStringField("proto", fl.protoName());
                    }
                    if (!ports) {
                        g.writeNumberField("icmpType", fl.sport());
                        g.writeNumberField("icmpCode", fl.dport());
                    }
                }
                g.writeNumberField("count", f.count());
                g.writeNumberField("share", p.total() == 0 ? 0 : Math.round(10000.0 * f.count() / p.total()) / 10000.0);
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("flowTargets");
        for (FlowRows.Point p : FlowRows.of(data.snapshot(), FlowRows.DEFAULT_PER_POINT)) {
            for (FlowRows.Target t : FlowRows.targets(data.snapshot(), p.key(), FlowRows.DEFAULT_PER_POINT)) {
                g.writeStartObject();
                g.writeStringField("symbol", p.key().symbol());
                g.writeStringField("offset", p.key().offsetHex());
                g.writeStringField("reason", p.key().reason());
                g.writeStringField("dst", t.dst());
                nullable(g, "dport", t.dport());
                if (t.proto() < 0) {
                    g.writeNullField("proto");
                } else {
                    g.writeStringField("proto", dev.droptop.model.Flow.protoName(t.proto()));
                }
                g.writeNumberField("sources", t.sources());
                g.writeNumberField("flows", t.flows());
                g.writeNumberField("count", t.count());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    private static void nullable(JsonGenerator g, String name, int v) throws IOException {
        if (v < 0) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    private static void writeDiagnosis(ReportData data, JsonGenerator g) throws IOException {
        writeFindings(data.findings(), g);
    }

    /** The {@code diagnosis} array. */
    static void writeFindings(List<Finding> findings, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("diagnosis");
        for (Finding f : findings) {
            g.writeStartObject();
            g.writeStringField("id", f.id());
            g.writeStringField("severity", f.severity().label());
            g.writeStringField("summary", f.summary());
            g.writeStringField("evidence", f.evidence());
            g.writeStringField("advice", f.advice());
            g.writeNumberField("drops", f.drops());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
