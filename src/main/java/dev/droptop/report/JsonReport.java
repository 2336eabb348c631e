package dev.droptop.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.Protocols;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SymbolOrigin;
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
            writeSymbols(data, g);
            writeDrops(data, g);
            g.writeArrayFieldStart("reasons");
            for (Map.Entry<String, Long> e : s.reasons().entrySet()) {
                g.writeStartObject();
                g.writeStringField("reason", e.getKey());
                g.writeNumberField("count", e.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
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
