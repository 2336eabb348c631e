package dev.droptop.capture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.droptop.model.DropKey;
import dev.droptop.model.Flow;
import dev.droptop.model.FlowCount;
import dev.droptop.model.SymbolTable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one parsed (and upgraded) line into a {@link CaptureRecord}, checking every field the
 * current format requires and every number's type and range: a capture is not trusted. Problems are
 * {@link BadRecord}s with a short reason; the reader adds file and line. Strings of drop keys are
 * interned in the sink's {@link SymbolTable}.
 */
final class RecordDecoder {
    private final SymbolTable symbols;

    RecordDecoder(SymbolTable symbols) {
        this.symbols = symbols;
    }

    CaptureRecord decode(String type, JsonNode n) throws BadRecord {
        switch (type) {
            case CaptureFormat.STACK:
                return stack(n);
            case CaptureFormat.INTERVAL:
                return interval(n);
            case CaptureFormat.END:
                return end(n);
            case CaptureFormat.FLOWS:
                return flows(n);
            case CaptureFormat.HEADER:
                return header(n);
            case CaptureFormat.NETNS:
                return netns(n);
            default:
                return new CaptureRecord.Unknown(type);
        }
    }

    static CaptureHeader header(JsonNode n) throws BadRecord {
        String where = "header";
        long interval = longField(n, "intervalNanos", where);
        if (interval <= 0) {
            throw new BadRecord(where + ": \"intervalNanos\" must be positive (" + interval + ")");
        }
        return new CaptureHeader(text(n, "droptop", where), text(n, "host", where), text(n, "kernel", where),
                text(n, "backend", where), strings(n, "command", where), text(n, "source", where),
                instant(n, "startTime", where), longField(n, "startNanos", where), interval,
                reasons(n, where), stringMap(n, "sysctl", where), buildId(n.get("kernelBuildId")), bool(n, "flows", where));
    }

    /** The optional {@code kernelBuildId}: lower-case hex or absent; anything else is ignored (null). */
    private static String buildId(JsonNode v) {
        return v != null && v.isTextual() && v.asText().matches("[0-9a-f]{8,128}") ? v.asText() : null;
    }

    private static CaptureRecord.Stack stack(JsonNode n) throws BadRecord {
        long id = longField(n, "id", "stack");
        if (id <= 0 || id > Integer.MAX_VALUE) {
            throw new BadRecord("stack: \"id\" out of range (" + id + ")");
        }
        List<String> frames = strings(n, "frames", "stack " + id);
        if (frames.isEmpty()) {
            throw new BadRecord("stack " + id + " has no frames");
        }
        return new CaptureRecord.Stack((int) id, frames);
    }

    private CaptureRecord.IntervalLine interval(JsonNode n) throws BadRecord {
        String where = "interval";
        long start = longField(n, "start", where);
        long end = longField(n, "end", where);
        if (end < start) {
            throw new BadRecord("interval ends (" + end + ") before it starts (" + start + ")");
        }
        JsonNode drops = required(n, "drops", where);
        if (!drops.isArray()) {
            throw new BadRecord(where + ": \"drops\" must be an array");
        }
        List<CaptureRecord.Drop> list = new ArrayList<>(drops.size());
        for (int i = 0; i < drops.size(); i++) {
            list.add(drop(drops.get(i), "drops[" + i + "]"));
        }
        return new CaptureRecord.IntervalLine(nonNegative(n, "index", where), start, end,
                nonNegative(n, "lost", where), list, counterMap(n, "system", where));
    }

    private CaptureRecord.Drop drop(JsonNode d, String where) throws BadRecord {
        if (!d.isObject()) {
            throw new BadRecord(where + " must be an object");
        }
        String symbol = text(d, "symbol", where);
        if (symbol.isEmpty()) {
            throw new BadRecord(where + ": empty \"symbol\"");
        }
        int offset = (int) ranged(d, "offset", where, DropKey.NO_OFFSET, -1, Integer.MAX_VALUE);
        int protocol = (int) ranged(d, "protocol", where, DropKey.NO_PROTOCOL, -1, 0xffff);
        long netns = ranged(d, "netns", where, 0, 0, Long.MAX_VALUE);
        int stack = (int) ranged(d, "stack", where, 0, 0, Integer.MAX_VALUE);
        String device = optional(d, "device") == null ? "" : text(d, "device", where);
        DropKey key = new DropKey(intern(symbol), offset, intern(text(d, "reason", where)), protocol, netns,
                intern(device));
        return new CaptureRecord.Drop(key, stack, nonNegative(d, "count", where));
    }

    private CaptureRecord.FlowsLine flows(JsonNode n) throws BadRecord {
        String where = "flows";
        JsonNode list = required(n, "flows", where);
        if (!list.isArray()) {
            throw new BadRecord(where + ": \"flows\" must be an array");
        }
        List<FlowCount> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(flow(list.get(i), "flows[" + i + "]"));
        }
        return new CaptureRecord.FlowsLine(nonNegative(n, "index", where), out);
    }

    /** {@code {symbol, offset?, reason, protocol?, netns?, device?, src, dst, sport?, dport?, proto?, count}} or {@code other: true}. */
    private FlowCount flow(JsonNode d, String where) throws BadRecord {
        if (!d.isObject()) {
            throw new BadRecord(where + " must be an object");
        }
        String symbol = text(d, "symbol", where);
        if (symbol.isEmpty()) {
            throw new BadRecord(where + ": empty \"symbol\"");
        }
        int offset = (int) ranged(d, "offset", where, DropKey.NO_OFFSET, -1, Integer.MAX_VALUE);
        int protocol = (int) ranged(d, "protocol", where, DropKey.NO_PROTOCOL, -1, 0xffff);
        long netns = ranged(d, "netns", where, 0, 0, Long.MAX_VALUE);
        String device = optional(d, "device") == null ? "" : text(d, "device", where);
        DropKey key = new DropKey(intern(symbol), offset, intern(text(d, "reason", where)), protocol, netns,
                intern(device));
        Flow flow;
        if (bool(d, "other", where)) {
            flow = Flow.OTHER;
        } else {
            flow = new Flow(intern(address(d, "src", where)), intern(address(d, "dst", where)),
                    (int) ranged(d, "sport", where, Flow.NO_PORT, -1, 0xffff),
                    (int) ranged(d, "dport", where, Flow.NO_PORT, -1, 0xffff),
                    (int) ranged(d, "proto", where, -1, -1, 255));
        }
        return new FlowCount(key, flow, nonNegative(d, "count", where));
    }

    /** An address as droptop writes it: IPv4 dotted or IPv6 text, at most 45 characters of [0-9a-fA-F.:]. */
    private static String address(JsonNode d, String name, String where) throws BadRecord {
        String s = text(d, name, where);
        if (s.isEmpty() || s.length() > 45 || !s.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0)) {
            throw new BadRecord(where + ": \"" + name + "\" is not an IP address");
        }
        return s;
    }

    private static boolean bool(JsonNode n, String name, String where) throws BadRecord {
        JsonNode v = optional(n, name);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new BadRecord(where + ": \"" + name + "\" must be true or false");
        }
        return v.booleanValue();
    }

    private static CaptureEnd end(JsonNode n) throws BadRecord {
        String where = "end";
        String message = optional(n, "message") == null ? "" : text(n, "message", where);
        return new CaptureEnd(longField(n, "time", where), nonNegative(n, "total", where),
                nonNegative(n, "lost", where), text(n, "status", where), message, counterMap(n, "warnings", where));
    }

    private String intern(String s) {
        return s.isEmpty() ? "" : symbols.name(symbols.intern(s));
    }

    // ---- typed field access; "where" names the record for messages

    /** Strings from the trace host are kept short: a name, a comm, an id. */
    private static final int MAX_NAME = 256;

    private static CaptureRecord.Netns netns(JsonNode n) throws BadRecord {
        String where = "netns";
        long inode = ranged(n, "inode", where, 0, 1, Long.MAX_VALUE);
        if (inode == 0) {
            throw new BadRecord(where + ": missing \"inode\"");
        }
        int pid = (int) ranged(n, "pid", where, 0, 0, Integer.MAX_VALUE);
        JsonNode host = optional(n, "host");
        return new CaptureRecord.Netns(new dev.droptop.model.NetnsInfo(inode, shortText(n, "name", where), pid,
                shortText(n, "comm", where), shortText(n, "runtime", where), shortText(n, "container", where),
                shortText(n, "pod", where), shortText(n, "podName", where), host != null && host.asBoolean(false)));
    }

    /** An optional string field, null when absent; at most {@link #MAX_NAME} characters. */
    private static String shortText(JsonNode n, String name, String where) throws BadRecord {
        if (optional(n, name) == null) {
            return null;
        }
        String s = text(n, name, where);
        if (s.length() > MAX_NAME) {
            throw new BadRecord(where + ": \"" + name + "\" longer than " + MAX_NAME + " characters");
        }
        return s;
    }

    private static JsonNode optional(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private static JsonNode required(JsonNode n, String name, String where) throws BadRecord {
        JsonNode v = optional(n, name);
        if (v == null) {
            throw new BadRecord(where + ": missing \"" + name + "\"");
        }
        return v;
    }

    static long longField(JsonNode n, String name, String where) throws BadRecord {
        return asLong(required(n, name, where), name, where);
    }

    private static long asLong(JsonNode v, String name, String where) throws BadRecord {
        if (!v.isIntegralNumber()) {
            throw new BadRecord(where + ": \"" + name + "\" must be an integer");
        }
        if (!v.canConvertToLong()) {
            throw new BadRecord(where + ": \"" + name + "\" out of range");
        }
        return v.longValue();
    }

    private static long nonNegative(JsonNode n, String name, String where) throws BadRecord {
        long v = longField(n, name, where);
        if (v < 0) {
            throw new BadRecord(where + ": negative \"" + name + "\" (" + v + ")");
        }
        return v;
    }

    /** An optional integer in {@code [min, max]}, {@code absent} when missing. */
    private static long ranged(JsonNode n, String name, String where, long absent, long min, long max)
            throws BadRecord {
        JsonNode v = optional(n, name);
        if (v == null) {
            return absent;
        }
        long x = asLong(v, name, where);
        if (x < min || x > max) {
            throw new BadRecord(where + ": \"" + name + "\" out of range (" + x + ")");
        }
        return x;
    }

    private static String text(JsonNode n, String name, String where) throws BadRecord {
        JsonNode v = required(n, name, where);
        if (!v.isTextual()) {
            throw new BadRecord(where + ": \"" + name + "\" must be a string");
        }
        return v.textValue();
    }

    private static Instant instant(JsonNode n, String name, String where) throws BadRecord {
        String s = text(n, name, where);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new BadRecord(where + ": \"" + name + "\" is not an ISO-8601 instant");
        }
    }

    private static List<String> strings(JsonNode n, String name, String where) throws BadRecord {
        JsonNode v = required(n, name, where);
        if (!v.isArray()) {
            throw new BadRecord(where + ": \"" + name + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new BadRecord(where + ": \"" + name + "\" must be an array of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }

    private static Iterator<Map.Entry<String, JsonNode>> entries(JsonNode n, String name, String where)
            throws BadRecord {
        JsonNode v = optional(n, name);
        if (v == null) {
            return Collections.emptyIterator();
        }
        if (!v.isObject()) {
            throw new BadRecord(where + ": \"" + name + "\" must be an object");
        }
        return v.fields();
    }

    private static Map<String, String> stringMap(JsonNode n, String name, String where) throws BadRecord {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entries(n, name, where); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), text(n.get(name), e.getKey(), where + " " + name));
        }
        return out;
    }

    /** A flat map of name to integer; empty and shared when absent. */
    private static Map<String, Long> counterMap(JsonNode n, String name, String where) throws BadRecord {
        Iterator<Map.Entry<String, JsonNode>> it = entries(n, name, where);
        if (!it.hasNext()) {
            return Map.of();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), asLong(e.getValue(), e.getKey(), where + " " + name));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<Integer, String> reasons(JsonNode n, String where) throws BadRecord {
        Map<Integer, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entries(n, "reasons", where); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int number;
            try {
                number = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new BadRecord(where + ": reason number \"" + e.getKey() + "\" is not an integer");
            }
            out.put(number, text(n.get("reasons"), e.getKey(), where + " reasons"));
        }
        return out;
    }

    /** A record that breaks the format; the message is short and has no file or line yet. */
    static final class BadRecord extends Exception {
        BadRecord(String message) {
            super(message, null, false, false);
        }
    }
}
