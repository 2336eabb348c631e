package dev.droptop.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.droptop.model.Counters;
import dev.droptop.model.DropSink;
import dev.droptop.model.NetnsInfo;
import dev.droptop.model.Warnings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * Replays a capture into a {@link DropSink}, streaming line by line (memory is bounded by
 * {@link CaptureFormat#MAX_LINE} and the stacks, not by the file): per interval, one
 * {@link DropSink#record} per drop with the file's stack ids mapped to ids interned in the sink's
 * {@link DropSink#stacks()}, then {@link DropSink#lost} and {@link DropSink#intervalEnd} at the
 * interval's end time.
 *
 * <p>Strict (STYLE C5): a file that is not a capture, a newer version, malformed JSON, a missing or
 * ill-typed field, a negative count or a stack used before its definition is an {@code IOException}
 * with {@code "<name>:<line>: <reason>"}. Tolerated: a torn last line ({@link Result#tornLastLine()}),
 * a missing end record ({@link Result#complete()} false) and unknown record types (counted in
 * {@link Result#warnings()}).
 */
public final class CaptureReader {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final byte[] HEADER_PREFIX = "{\"type\":\"header\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_REASON = 80;

    /**
     * What a read found besides the drops it fed to the sink.
     *
     * @param version format version of the file (before upgrade)
     * @param end the end record, or null when the capture was killed
     * @param intervals interval records read
     * @param total drops read (sum of counts)
     * @param lost lost events read
     * @param stacks stack definitions read
     * @param system the intervals' {@code system} counters, summarised per key (bounded however long the capture)
     * @param tornLastLine the last line was cut mid-write and ignored
     * @param warnings tolerated oddities, per kind (torn last line, unknown record type, ...)
     * @param namespaces the {@code netns} records: what the writer knew about each namespace, by inode
     */
    public record Result(CaptureHeader header, int version, CaptureEnd end, long intervals, long total,
                         long lost, int stacks, Counters system, boolean tornLastLine,
                         Warnings warnings, Map<Long, NetnsInfo> namespaces) {
        /** True when the capture has its end record (it was closed, not killed). */
        public boolean complete() {
            return end != null;
        }
    }

    private final String name;
    private final LineReader lines;
    private final Compat compat;
    private final Warnings warnings = new Warnings();
    private final Counters system = new Counters();
    private final Map<Long, NetnsInfo> namespaces = new java.util.HashMap<>();
    /** More netns records than any machine has namespaces is corruption, not data. */
    private static final int MAX_NAMESPACES = 1 << 16;
    private CaptureHeader header;
    private int version;
    private CaptureEnd end;
    private boolean torn;
    private CaptureSession session;

    private CaptureReader(InputStream in, String name, Compat compat) {
        this.name = name;
        this.lines = new LineReader(in, CaptureFormat.MAX_LINE);
        this.compat = compat;
    }

    /** Reads {@code path} into {@code sink}; messages name the file by its file name. */
    public static Result read(Path path, DropSink sink) throws IOException {
        return read(path, String.valueOf(path.getFileName()), sink);
    }

    public static Result read(Path path, String name, DropSink sink) throws IOException {
        try (InputStream in = open(path)) {
            return read(in, name, sink);
        }
    }

    /** Reads a capture from {@code in} (not closed) into {@code sink}; {@code name} is used in messages. */
    public static Result read(InputStream in, String name, DropSink sink) throws IOException {
        return read(in, name, header -> sink, Compat.STANDARD);
    }

    /**
     * Reads a capture whose sink depends on the header, e.g.
     * {@code h -> new DropAggregator(h.intervalNanos())}, so a stream need not be read twice.
     */
    public static Result read(InputStream in, String name, Function<CaptureHeader, ? extends DropSink> sinkFor)
            throws IOException {
        return read(in, name, sinkFor, Compat.STANDARD);
    }

    static Result read(InputStream in, String name, Function<CaptureHeader, ? extends DropSink> sinkFor,
                       Compat compat) throws IOException {
        return new CaptureReader(in, name, compat).run(sinkFor);
    }

    /** Reads line 1 only. */
    public static CaptureHeader readHeader(Path path) throws IOException {
        try (InputStream in = open(path)) {
            return new CaptureReader(in, String.valueOf(path.getFileName()), Compat.STANDARD).readHeader();
        }
    }

    private static InputStream open(Path path) throws IOException {
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new IOException("Could not open capture " + path + ": no such file", e);
        } catch (IOException e) {
            throw new IOException("Could not open capture " + path + ": " + e.getMessage(), e);
        }
    }

    private Result run(Function<CaptureHeader, ? extends DropSink> sinkFor) throws IOException {
        readHeader();
        DropSink sink = sinkFor.apply(header);
        session = new CaptureSession(sink, new RecordDecoder(sink.symbols()));
        while (nextLine()) {
            if (isBlank()) {
                continue;
            }
            ObjectNode node = parse();
            if (node == null) {
                torn = true;
                warnings.add("torn last line", lineRef() + ": cut mid-write (capture killed?), ignored");
                break;
            }
            onRecord(node);
        }
        if (end != null && (end.total() != session.total() || end.lost() != session.lost())) {
            warnings.add("end totals differ", "end record says " + end.total() + " drops, " + end.lost()
                    + " lost; intervals add up to " + session.total() + ", " + session.lost());
        }
        return new Result(header, version, end, session.intervals(), session.total(), session.lost(),
                session.stacks(), system, torn, warnings, Map.copyOf(namespaces));
    }

    private CaptureHeader readHeader() throws IOException {
        if (!nextLine()) {
            throw new IOException(name + ": empty file, not a droptop capture");
        }
        ObjectNode node = parseHeader();
        if (node == null || !CaptureFormat.HEADER.equals(node.path("type").textValue())
                || !CaptureFormat.MAGIC.equals(node.path("format").textValue())) {
            throw new IOException(name + ": not a droptop capture (line 1)");
        }
        version = checkVersion(node);
        compat.upgrade(version, CaptureFormat.HEADER, node);
        try {
            header = RecordDecoder.header(node);
        } catch (RecordDecoder.BadRecord e) {
            throw fail(e.getMessage());
        }
        return header;
    }

    private int checkVersion(ObjectNode node) throws IOException {
        long v;
        try {
            v = RecordDecoder.longField(node, "version", "header");
        } catch (RecordDecoder.BadRecord e) {
            throw fail(e.getMessage());
        }
        if (v > CaptureFormat.VERSION) {
            throw new IOException(name + ": capture format version " + v + " is newer than this droptop reads"
                    + " (up to version " + CaptureFormat.VERSION + "); use a newer droptop");
        }
        if (v < compat.oldestVersion()) {
            throw new IOException(name + ": capture format version " + v + " is not supported (this droptop"
                    + " reads versions " + compat.oldestVersion() + " to " + CaptureFormat.VERSION + ")");
        }
        return (int) v;
    }

    private void onRecord(ObjectNode node) throws IOException {
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw fail("record without a \"type\"");
        }
        String t = type.textValue();
        if (version < CaptureFormat.VERSION) {
            compat.upgrade(version, t, node);
        }
        try {
            dispatch(session.decoder().decode(t, node));
        } catch (RecordDecoder.BadRecord e) {
            throw fail(e.getMessage());
        }
    }

    private void dispatch(CaptureRecord r) throws RecordDecoder.BadRecord {
        if (r instanceof CaptureRecord.Unknown u) {
            warnings.add("unknown record type", lineRef() + ": \"" + u.type() + "\"");
        } else if (r instanceof CaptureHeader) {
            throw new RecordDecoder.BadRecord("second header (concatenated captures are not supported)");
        } else if (end != null) {
            throw new RecordDecoder.BadRecord("record after the end record");
        } else if (r instanceof CaptureRecord.Stack s) {
            session.define(s);
        } else if (r instanceof CaptureRecord.FlowsLine f) {
            session.flows(f);
        } else if (r instanceof CaptureRecord.IntervalLine iv) {
            session.interval(iv);
            system.add(iv.system());
        } else if (r instanceof CaptureRecord.Netns n) {
            if (namespaces.size() >= MAX_NAMESPACES && !namespaces.containsKey(n.info().inode())) {
                throw new RecordDecoder.BadRecord("more than " + MAX_NAMESPACES + " netns records");
            }
            namespaces.put(n.info().inode(), n.info());
        } else if (r instanceof CaptureEnd e) {
            end = e;
        }
    }

    private boolean nextLine() throws IOException {
        try {
            return lines.next();
        } catch (LineReader.LineTooLongException e) {
            if (e.lineNumber() == 1) {
                throw new IOException(name + ": not a droptop capture (line 1)");
            }
            throw new IOException(name + ":" + e.lineNumber() + ": line longer than "
                    + CaptureFormat.MAX_LINE + " bytes");
        }
    }

    /** Line 1 as a JSON object, or null when it is not one (the caller says "not a capture"). */
    private ObjectNode parseHeader() throws IOException {
        try {
            return readJson() instanceof ObjectNode o ? o : null;
        } catch (JsonProcessingException e) {
            if (!lines.terminated() && startsWith(HEADER_PREFIX)) {
                throw fail("header line is incomplete (the capture was cut while writing it)");
            }
            return null;
        }
    }

    /** The current line as a JSON object; null when it is a torn last line. */
    private ObjectNode parse() throws IOException {
        JsonNode n;
        try {
            n = readJson();
        } catch (JsonProcessingException e) {
            if (!lines.terminated()) {
                return null;
            }
            throw fail("malformed JSON (" + shortReason(e) + ")");
        }
        if (!(n instanceof ObjectNode)) {
            throw fail("not a JSON object");
        }
        return (ObjectNode) n;
    }

    private JsonNode readJson() throws IOException {
        return MAPPER.readTree(lines.buf(), lines.start(), lines.end() - lines.start());
    }

    private boolean isBlank() {
        for (int i = lines.start(); i < lines.end(); i++) {
            byte b = lines.buf()[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private boolean startsWith(byte[] prefix) {
        int len = lines.end() - lines.start();
        return len >= prefix.length && Arrays.equals(lines.buf(), lines.start(),
                lines.start() + prefix.length, prefix, 0, prefix.length);
    }

    private String lineRef() {
        return name + ":" + lines.lineNumber();
    }

    private IOException fail(String reason) {
        return new IOException(lineRef() + ": " + reason);
    }

    /** Jackson's message without location or source excerpt, printable and short. */
    private static String shortReason(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        int nl = m.indexOf('\n');
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < (nl < 0 ? m.length() : nl) && sb.length() < MAX_REASON; i++) {
            char c = m.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
