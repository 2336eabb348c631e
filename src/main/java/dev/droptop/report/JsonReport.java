package dev.droptop.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.diagnose.Finding;
import dev.droptop.diagnose.ReasonCatalogue;
import dev.droptop.model.NetnsInfo;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SymbolOrigin;
import dev.droptop.model.StackTable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON report ({@link Json#REPORT}, docs/json.md): {@code schema, source, backend, durationSeconds, total,
 * lost, netnsUnknown, drops[{symbol, offset, location, reason, protocol, protocolName, count, share, netns,
 * device, explanation{means, causes, check, benign}, topStacks[{frames, count}]}], reasons[{reason, count}],
 * diagnosis[{id, severity, summary, evidence, advice, drops}], warnings{}}. Frames are innermost first,
 * starting at the drop location. Unknown values are null ({@link Json}).
 */
public final class JsonReport {
    private static final int TOP_STACKS = 5;
    private final int top;

    public JsonReport(int top) {
        this.top = top;
    }

    public void write(ReportData data, OutputStream out) throws IOException {
        Snapshot s = data.snapshot();
        try (JsonGenerator g = Json.open(out, Json.REPORT)) {
            g.writeStringField("source", data.source());
            Json.text(g, "backend", data.backend());
            Json.number(g, "durationSeconds", s.durationSeconds() > 0 ? s.durationSeconds() : Double.NaN, 3);
            g.writeNumberField("total", s.total());
            g.writeNumberField("lost", s.lost());
            // null when drops carry their netns/device; else why they cannot
            if (data.attributed()) {
                g.writeNullField("netnsUnknown");
            } else {
                g.writeStringField("netnsUnknown", data.unattributedNote());
            }
            writeSymbols(data, g);
            writeDrops(data, g);
            g.writeArrayFieldStart("reasons");
            for (Map.Entry<String, Long> e : s.reasons().entrySet()) {
                g.writeStartObject();
                Json.text(g, "reason", e.getKey());
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
            Json.close(g, out);
        }
    }

    /**
     * {@code symbols} (trace, kallsyms-file, buildid-cache, archive, running-kernel or none; null without a
     * search) and {@code kernel {release, buildId}} of the first input, {@code symbolsWarning}, and per input
     * the same under {@code inputs}.
     */
    static void writeSymbols(ReportData data, JsonGenerator g) throws IOException {
        SymbolOrigin first = data.firstSymbols();
        writeOrigin(first, g);
        g.writeArrayFieldStart("inputs");
        for (SymbolOrigin o : data.symbols()) {
            g.writeStartObject();
            g.writeStringField("file", o.input());
            writeOrigin(o, g);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeOrigin(SymbolOrigin o, JsonGenerator g) throws IOException {
        g.writeStringField("symbols", o == null ? null : o.source());
        g.writeObjectFieldStart("kernel");
        g.writeStringField("release", o == null ? null : o.kernel().release());
        g.writeStringField("buildId", o == null ? null : o.kernel().buildId());
        g.writeEndObject();
        g.writeStringField("symbolsWarning", o == null ? null : o.warning());
    }

    private void writeDrops(ReportData data, JsonGenerator g) throws IOException {
        StackTable stacks = data.snapshot().stacks();
        List<Rows.Row> rows = Rows.of(data);
        g.writeArrayFieldStart("drops");
        for (Rows.Row r : rows.subList(0, Math.min(top, rows.size()))) {
            g.writeStartObject();
            Json.dropPoint(g, r.key());
            g.writeNumberField("count", r.total());
            Json.number(g, "share", data.share(r.total()), 4);
            writeNetns(data, r.key().netns(), g);
            Json.text(g, "device", r.key().device());
            writeExplanation(r.key().reason(), g);
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
     * The catalogue entry of a reason: {@code means, causes, check, benign} (benign null unless the free is
     * not lost traffic); for a reason the catalogue lacks, {@code means} says so and the rest is null.
     */
    private static void writeExplanation(String reason, JsonGenerator g) throws IOException {
        ReasonCatalogue cat = ReasonCatalogue.builtIn();
        Optional<ReasonCatalogue.Entry> e = cat.entry(reason);
        g.writeObjectFieldStart("explanation");
        g.writeStringField("means", e.map(ReasonCatalogue.Entry::means).orElse(cat.oneLine(reason, null)));
        Json.text(g, "causes", e.map(ReasonCatalogue.Entry::causes).orElse(null));
        Json.text(g, "check", e.map(ReasonCatalogue.Entry::check).orElse(null));
        Json.text(g, "benign", e.map(ReasonCatalogue.Entry::benign).orElse(null));
        g.writeEndObject();
    }

    /** {@code "netns": null} when unknown, else {@code {inode, label, name, pid, comm, runtime, container, pod, podName}}. */
    private static void writeNetns(ReportData data, long inode, JsonGenerator g) throws IOException {
        if (inode == 0) {
            g.writeNullField("netns");
            return;
        }
        NetnsInfo i = data.names().describe(inode);
        g.writeObjectFieldStart("netns");
        g.writeNumberField("inode", inode);
        g.writeStringField("label", i.label());
        Json.text(g, "name", i.name());
        if (i.pid() > 0) {
            g.writeNumberField("pid", i.pid());
        } else {
            g.writeNullField("pid");
        }
        Json.text(g, "comm", i.comm());
        Json.text(g, "runtime", i.runtime());
        Json.text(g, "container", i.container());
        Json.text(g, "pod", i.pod());
        Json.text(g, "podName", i.podName());
        g.writeEndObject();
    }

    /**
     * {@code flows[{symbol, offset, reason, src, dst, sport, dport, proto, count, share}]}: the top flows per
     * drop point, points by drops; {@code share} of the point's drops. Unknown ports are null; the rest
     * of a point (beyond the top, or folded by a flow cap) is one entry with {@code other: true} and
     * null addresses. Empty when the source read no packet headers.
     */
    private static void writeFlows(ReportData data, JsonGenerator g) throws IOException {
        g.writeFieldName("flows");
        writeFlowList(data.snapshot(), FlowRows.DEFAULT_PER_POINT, g);
        writeFlowTargets(data, g);
    }

    /**
     * The {@code flows} array alone, compact, with the top {@code perPoint} flows per drop point: what the
     * lab's JSON carries per scenario, in the report's field names.
     */
    public static String flowsArray(Snapshot s, int perPoint) {
        java.io.StringWriter w = new java.io.StringWriter();
        try (JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(w)) {
            writeFlowList(s, perPoint, g);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    private static void writeFlowList(Snapshot s, int perPoint, JsonGenerator g) throws IOException {
        g.writeStartArray();
        for (FlowRows.Point p : FlowRows.of(s, perPoint)) {
            for (dev.droptop.model.FlowCount f : p.flows()) {
                dev.droptop.model.Flow fl = f.flow();
                g.writeStartObject();
                Json.dropPoint(g, p.key());
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
    }

    private static void writeFlowTargets(ReportData data, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("flowTargets");
        for (FlowRows.Point p : FlowRows.of(data.snapshot(), FlowRows.DEFAULT_PER_POINT)) {
            for (FlowRows.Target t : FlowRows.targets(data.snapshot(), p.key(), FlowRows.DEFAULT_PER_POINT)) {
                g.writeStartObject();
                Json.dropPoint(g, p.key());
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
            Json.text(g, "evidence", f.evidence());
            Json.text(g, "advice", f.advice());
            g.writeNumberField("drops", f.drops());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
