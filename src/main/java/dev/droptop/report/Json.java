package dev.droptop.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Protocols;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The conventions every JSON output of droptop follows (docs/json.md), in one place so that a new
 * field is one line: each document is an object that starts with {@code "schema"} (its name and
 * version, e.g. {@code droptop-report/1}); an unknown value is {@code null} (never {@code "-"} or
 * {@code ""}); numbers are numbers; a drop point is always written by {@link #dropPoint}:
 * {@code symbol}, {@code offset} (bytes into the symbol, a decimal number, as in captures),
 * {@code location} ({@code symbol+0xhex}, as the text report shows it), {@code reason},
 * {@code protocol} (the ethertype, a number, as in captures) and {@code protocolName}.
 */
public final class Json {
    public static final String REPORT = "droptop-report/1";
    public static final String DIFF = "droptop-diff/1";
    public static final String PROFILE = "droptop-profile/1";
    public static final String PROFILE_TOP = "droptop-profile-top/1";
    public static final String CONNTRACK = "droptop-conntrack/1";

    private Json() {
    }

    /** A pretty-printing generator on {@code out} (left open) with the document's object and schema started. */
    public static JsonGenerator open(OutputStream out, String schema) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.useDefaultPrettyPrinter();
        g.writeStartObject();
        g.writeStringField("schema", schema);
        return g;
    }

    /** Ends the document started by {@link #open} with a newline, and flushes. */
    public static void close(JsonGenerator g, OutputStream out) throws IOException {
        g.writeEndObject();
        g.writeRaw('\n');
        g.close();
        out.flush();
    }

    /** A string, {@code null} when null or empty (unknown). */
    public static void text(JsonGenerator g, String field, String value) throws IOException {
        if (value == null || value.isEmpty()) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    /** A count or size, {@code null} when negative (unknown). */
    public static void count(JsonGenerator g, String field, long value) throws IOException {
        if (value < 0) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    /** A measured number rounded to {@code decimals}, {@code null} when NaN or infinite (unknown). */
    public static void number(JsonGenerator g, String field, double value, int decimals) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            g.writeNullField(field);
        } else {
            double scale = Math.pow(10, decimals);
            g.writeNumberField(field, Math.round(value * scale) / scale);
        }
    }

    /** The fields of a drop point, the same in every document. */
    public static void dropPoint(JsonGenerator g, DropKey k) throws IOException {
        g.writeStringField("symbol", k.symbol());
        count(g, "offset", k.offset());
        g.writeStringField("location", k.location());
        text(g, "reason", k.reason());
        count(g, "protocol", k.protocol());
        text(g, "protocolName", k.protocol() < 0 ? null : Protocols.name(k.protocol()));
    }
}
