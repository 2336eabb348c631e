package dev.droptop.capture;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Flow;
import dev.droptop.model.FlowCount;
import dev.droptop.model.Interval;
import dev.droptop.model.StackTable;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes each record as one JSON object with Jackson's streaming generator, no object trees. The
 * caller terminates the line. Field order follows {@link CaptureFormat}.
 */
final class RecordEncoder {
    private RecordEncoder() {
    }

    static void header(JsonGenerator g, CaptureHeader h) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", CaptureFormat.HEADER);
        g.writeStringField("format", CaptureFormat.MAGIC);
        g.writeNumberField("version", CaptureFormat.VERSION);
        g.writeStringField("droptop", h.droptop());
        g.writeStringField("host", h.host());
        g.writeStringField("kernel", h.kernel());
        if (h.kernelBuildId() != null) {
            g.writeStringField("kernelBuildId", h.kernelBuildId());
        }
        g.writeStringField("backend", h.backend());
        g.writeArrayFieldStart("command");
        for (String arg : h.command()) {
            g.writeString(arg);
        }
        g.writeEndArray();
        g.writeStringField("source", h.source());
        g.writeStringField("startTime", h.startTime().toString());
        g.writeNumberField("startNanos", h.startNanos());
        g.writeNumberField("intervalNanos", h.intervalNanos());
        g.writeObjectFieldStart("reasons");
        for (Map.Entry<Integer, String> e : h.reasons().entrySet()) {
            g.writeStringField(Integer.toString(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("sysctl");
        for (Map.Entry<String, String> e : h.sysctl().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        if (h.flows()) {
            g.writeBooleanField("flows", true);
        }
        g.writeEndObject();
    }

    static void stack(JsonGenerator g, int id, StackTable stacks) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", CaptureFormat.STACK);
        g.writeNumberField("id", id);
        g.writeArrayFieldStart("frames");
        for (String frame : stacks.frameNames(id)) {
            g.writeString(frame);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void interval(JsonGenerator g, Interval iv, Map<String, Long> system) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", CaptureFormat.INTERVAL);
        g.writeNumberField("index", iv.index());
        g.writeNumberField("start", iv.startNanos());
        g.writeNumberField("end", iv.endNanos());
        g.writeNumberField("lost", iv.lost());
        g.writeArrayFieldStart("drops");
        for (Interval.Cell cell : iv.cells()) {
            drop(g, cell);
        }
        g.writeEndArray();
        if (system != null && !system.isEmpty()) {
            g.writeObjectFieldStart("system");
            for (Map.Entry<String, Long> e : system.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** {@code {"type":"netns","inode":..,...}}: unknown parts are left out. */
    static void netns(JsonGenerator g, dev.droptop.model.NetnsInfo i) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", CaptureFormat.NETNS);
        g.writeNumberField("inode", i.inode());
        optional(g, "name", i.name());
        if (i.pid() > 0) {
            g.writeNumberField("pid", i.pid());
        }
        optional(g, "comm", i.comm());
        optional(g, "runtime", i.runtime());
        optional(g, "container", i.container());
        optional(g, "pod", i.pod());
        optional(g, "podName", i.podName());
        if (i.host()) {
            g.writeBooleanField("host", true);
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** The flows of interval {@code index}, written before its interval line. */
    static void flows(JsonGenerator g, long index, List<FlowCount> flows) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", CaptureFormat.FLOWS);
        g.writeNumberField("index", index);
        g.writeArrayFieldStart("flows");
        for (FlowCount f : flows) {
            DropKey k = f.key();
            g.writeStartObject();
            g.writeStringField("symbol", k.symbol());
            if (k.offset() >= 0) {
                g.writeNumberField("offset", k.offset());
            }
            g.writeStringField("reason", k.reason());
            if (k.protocol() >= 0) {
                g.writeNumberField("protocol", k.protocol());
            }
            if (k.netns() != 0) {
                g.writeNumberField("netns", k.netns());
            }
            if (!k.device().isEmpty()) {
                g.writeStringField("device", k.device());
            }
            Flow fl = f.flow();
            if (fl.isOther()) {
                g.writeBooleanField("other", true);
            } else {
                g.writeStringField("src", fl.src());
                g.writeStringField("dst", fl.dst());
                if (fl.sport() >= 0) {
                    g.writeNumberField("sport", fl.sport());
                }
                if (fl.dport() >= 0) {
                    g.writeNumberField("dport", fl.dport());
                }
                if (fl.proto() >= 0) {
                    g.writeNumberField("proto", fl.proto());
                }
            }
            g.writeNumberField("count", f.count());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void end(JsonGenerator g, CaptureEnd end, List<Map<String, String>> findings) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", CaptureFormat.END);
        g.writeNumberField("time", end.timeNanos());
        g.writeNumberField("total", end.total());
        g.writeNumberField("lost", end.lost());
        g.writeStringField("status", end.status());
        g.writeStringField("message", end.message());
        g.writeObjectFieldStart("warnings");
        for (Map.Entry<String, Long> e : end.warnings().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        findings(g, findings);
        g.writeEndObject();
    }

    /** {@code {"symbol":..,"offset":..,"reason":..,"protocol":..,"netns":..,"device":..,"stack":..,"count":..}}. */
    private static void drop(JsonGenerator g, Interval.Cell cell) throws IOException {
        DropKey k = cell.key();
        g.writeStartObject();
        g.writeStringField("symbol", k.symbol());
        if (k.offset() >= 0) {
            g.writeNumberField("offset", k.offset());
        }
        g.writeStringField("reason", k.reason());
        if (k.protocol() >= 0) {
            g.writeNumberField("protocol", k.protocol());
        }
        if (k.netns() != 0) {
            g.writeNumberField("netns", k.netns());
        }
        if (!k.device().isEmpty()) {
            g.writeStringField("device", k.device());
        }
        if (cell.stackId() != StackTable.NO_STACK) {
            g.writeNumberField("stack", cell.stackId());
        }
        g.writeNumberField("count", cell.count());
        g.writeEndObject();
    }

    /** The diagnosis at the end of the run, as written: id, summary, evidence, advice (readers may ignore it). */
    private static void findings(JsonGenerator g, List<Map<String, String>> findings) throws IOException {
        if (findings.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("findings");
        for (Map<String, String> f : findings) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : f.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
