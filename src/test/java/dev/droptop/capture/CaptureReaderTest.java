package dev.droptop.capture;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Counters;
import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.droptop.capture.CaptureTestSupport.SECOND;
import static dev.droptop.capture.CaptureTestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureReaderTest {
    private static final String HEADER = new String(CaptureTestSupport.resource("basic.fixture.jsonl"),
            StandardCharsets.UTF_8).lines().findFirst().orElseThrow() + "\n";

    @Test
    void readsTheHandWrittenFixture() throws IOException {
        CaptureTestSupport.Replay replay = replay("basic.fixture.jsonl");
        CaptureReader.Result r = replay.result();
        assertEquals(CaptureTestSupport.header(), r.header());
        assertEquals(2, r.version());
        assertEquals(1822, r.total());
        assertEquals(2, r.lost());
        assertEquals(2, r.intervals());
        assertEquals(Map.of("conntrack.count", new Counters.Summary(812, 1000, 1000, 2),
                "conntrack.max", new Counters.Summary(1000, 1000, 1000, 2)), r.system().summaries());
        assertTrue(r.complete());
        assertEquals("NO_SOCKET", r.header().reasonNames().name(3));

        Snapshot s = replay.aggregator().snapshot();
        assertEquals(2, s.windows());
        assertEquals(T0, s.startNanos());
        Snapshot.Row tcp = s.rows().stream().filter(row -> row.key().symbol().equals("tcp_v4_rcv")).findFirst()
                .orElseThrow();
        assertEquals(new DropKey("tcp_v4_rcv", 58, "NO_SOCKET", 0x0800, 4026531840L, "eth0"), tcp.key());
        assertEquals(List.of("tcp_v4_rcv", "ip_local_deliver_finish"),
                List.of(s.stacks().frameNames(tcp.stacks().get(0).stackId())));
    }

    @Test
    void tornLastLineAtEveryByteIsTolerated() throws IOException {
        byte[] file = killedCapture();
        int lastStart = lastLineStart(file);
        long before = CaptureTestSupport.replay(Arrays.copyOf(file, lastStart), "k.jsonl").result().total();
        for (int cut = lastStart + 1; cut < file.length - 1; cut++) {
            CaptureReader.Result r = CaptureTestSupport.replay(Arrays.copyOf(file, cut), "k.jsonl").result();
            assertTrue(r.tornLastLine(), "cut at " + cut);
            assertEquals(before, r.total(), "cut at " + cut);
            assertEquals(2, r.intervals());
            assertFalse(r.complete());
            assertEquals(1, r.warnings().count("torn last line"));
        }
        // the full line without its newline is valid JSON: it counts, nothing is torn
        CaptureReader.Result full = CaptureTestSupport.replay(Arrays.copyOf(file, file.length - 1), "k.jsonl")
                .result();
        assertFalse(full.tornLastLine());
        assertEquals(3, full.intervals());
    }

    @Test
    void truncatedAfterACompleteLineIsIncompleteNotAnError() throws IOException {
        byte[] file = CaptureTestSupport.resource("basic.fixture.jsonl");
        int cut = nthNewline(file, 3) + 1;    // header, stack, first interval
        CaptureReader.Result r = CaptureTestSupport.replay(Arrays.copyOf(file, cut), "t.jsonl").result();
        assertFalse(r.complete());
        assertFalse(r.tornLastLine());
        assertNull(r.end());
        assertEquals(818, r.total());
        assertTrue(r.warnings().isEmpty());
    }

    @Test
    void tornEndRecordKeepsEveryInterval() throws IOException {
        byte[] file = CaptureTestSupport.resource("basic.fixture.jsonl");
        CaptureReader.Result r = CaptureTestSupport.replay(Arrays.copyOf(file, file.length - 20), "e.jsonl").result();
        assertTrue(r.tornLastLine());
        assertFalse(r.complete());
        assertEquals(1822, r.total());
        assertTrue(r.warnings().example("torn last line").startsWith("e.jsonl:6: "));
    }

    @Test
    void endTotalsThatDisagreeAreAWarning() throws IOException {
        CaptureReader.Result r = replay(HEADER + interval("{\"symbol\":\"a\",\"reason\":\"\",\"count\":3}")
                + end(), "d.jsonl").result();
        assertEquals(1, r.warnings().count("end totals differ"));
    }

    @Test
    void undefinedStackNamesFileAndLine() {
        assertEquals("undefined-stack.fixture.jsonl:4: interval refers to undefined stack 9",
                error("undefined-stack.fixture.jsonl"));
    }

    @Test
    void unknownRecordTypesAreCountedAndSkipped() throws IOException {
        CaptureReader.Result r = replay("unknown-record.fixture.jsonl").result();
        assertEquals(2, r.warnings().count("unknown record type"));
        assertEquals("unknown-record.fixture.jsonl:3: \"finding\"", r.warnings().example("unknown record type"));
        assertEquals(10, r.total());
        assertEquals(CaptureEnd.INTERRUPTED, r.end().status());
        assertEquals("stopped by user", r.end().message());
    }

    @Test
    void wrongMagicIsNotACapture() {
        String other = HEADER.replace("droptop-capture", "retis-events");
        assertEquals("x.json: not a droptop capture (line 1)", error(other, "x.json"));
        assertEquals("x.json: not a droptop capture (line 1)", error("[1,2,3]\n", "x.json"));
        assertEquals("x.json: not a droptop capture (line 1)", error("perf 123 [000] 1.0: skb:kfree_skb\n", "x.json"));
    }

    @Test
    void binaryGarbageIsACleanError() {
        byte[] junk = new byte[70_000];
        new Random(42).nextBytes(junk);
        IOException e = assertThrows(IOException.class, () -> CaptureTestSupport.replay(junk, "core.bin"));
        assertEquals("core.bin: not a droptop capture (line 1)", e.getMessage());
    }

    @Test
    void newerVersionSaysWhatThisDroptopReads() {
        String msg = error("newer-version.fixture.jsonl");
        assertTrue(msg.startsWith("newer-version.fixture.jsonl: capture format version 3 is newer"), msg);
        assertTrue(msg.contains("up to version 2"), msg);
    }

    @Test
    void emptyFileIsAClearError() {
        assertEquals("e.jsonl: empty file, not a droptop capture", error("", "e.jsonl"));
    }

    @Test
    void tornHeaderSaysSo() {
        String msg = error(HEADER.substring(0, 60), "h.jsonl");
        assertEquals("h.jsonl:1: header line is incomplete (the capture was cut while writing it)", msg);
    }

    @Test
    void malformedLineInTheMiddleNamesTheLineWithoutJacksonDetails() {
        String msg = error(HEADER + "{\"type\":\"interval\",\"index\":0,,}\n" + end(), "m.jsonl");
        assertTrue(msg.startsWith("m.jsonl:2: malformed JSON ("), msg);
        assertFalse(msg.contains("com.fasterxml") || msg.contains("[Source:") || msg.contains("\n"), msg);
    }

    @Test
    void fieldErrorsNameTheLine() {
        assertEquals("f.jsonl:2: interval: missing \"end\"",
                error(HEADER + "{\"type\":\"interval\",\"index\":0,\"start\":0,\"lost\":0,\"drops\":[]}\n", "f.jsonl"));
        assertEquals("f.jsonl:2: drops[0]: negative \"count\" (-5)",
                error(HEADER + interval("{\"symbol\":\"a\",\"reason\":\"\",\"count\":-5}"), "f.jsonl"));
        assertEquals("f.jsonl:2: drops[0]: \"count\" must be an integer",
                error(HEADER + interval("{\"symbol\":\"a\",\"reason\":\"\",\"count\":1.5}"), "f.jsonl"));
        assertEquals("f.jsonl:2: drops[0]: \"count\" out of range",
                error(HEADER + interval("{\"symbol\":\"a\",\"reason\":\"\",\"count\":99999999999999999999}"),
                        "f.jsonl"));
        assertEquals("f.jsonl:2: record without a \"type\"", error(HEADER + "{\"id\":1}\n", "f.jsonl"));
        assertEquals("f.jsonl:3: stack 1 defined twice", error(HEADER + stack() + stack(), "f.jsonl"));
        assertEquals("f.jsonl:3: record after the end record", error(HEADER + end() + stack(), "f.jsonl"));
        assertEquals("f.jsonl:1: header: missing \"source\"",
                error(HEADER.replace("\"source\":\"live\",", ""), "f.jsonl"));
    }

    @Test
    void hugeCountsAreFine() throws IOException {
        String max = Long.toString(Long.MAX_VALUE);
        CaptureReader.Result r = replay(HEADER + interval("{\"symbol\":\"a\",\"reason\":\"\",\"count\":" + max + "}"),
                "h.jsonl").result();
        assertEquals(Long.MAX_VALUE, r.total());
    }

    @Test
    void overlongLineIsAnErrorNotAnOutOfMemory() {
        long size = 10L << 20;
        InputStream longLine = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'a' : (left == -1 ? '\n' : -1);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return super.read(b, off, len);
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 'a');
                left -= n;
                return n;
            }
        };
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(bytes(HEADER)), longLine);
        IOException e = assertThrows(IOException.class,
                () -> CaptureReader.read(in, "big.jsonl", new DropAggregator(SECOND)));
        assertEquals("big.jsonl:2: line longer than " + CaptureFormat.MAX_LINE + " bytes", e.getMessage());
    }

    @Test
    void blankLinesAreIgnored() throws IOException {
        CaptureReader.Result r = replay(HEADER + "\n  \n" + end(), "b.jsonl").result();
        assertTrue(r.complete());
    }

    // ---- helpers

    /** A capture whose writer was never closed: three intervals, the last line is an interval. */
    private static byte[] killedCapture() throws IOException {
        DropAggregator agg = new DropAggregator(SECOND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureWriter writer = new CaptureWriter(out, CaptureTestSupport.header(), agg.stacks());
        agg.addListener(writer);
        int s = agg.stacks().intern("nf_hook_slow", "ip_rcv");
        for (int i = 1; i <= 3; i++) {
            agg.record(DropKey.of("nf_hook_slow", 125, "NETFILTER_DROP", 0x0800), s, 10L * i, T0 + i * SECOND);
            agg.record(DropKey.of("tcp_v4_rcv", -1, "NO_SOCKET", 0x0800), 0, i, T0 + i * SECOND);
            agg.intervalEnd(T0 + i * SECOND);
        }
        return out.toByteArray();
    }

    private static int lastLineStart(byte[] file) {
        int i = file.length - 2;
        while (file[i] != '\n') {
            i--;
        }
        return i + 1;
    }

    private static int nthNewline(byte[] file, int n) {
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n' && --n == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("fewer lines");
    }

    private static String interval(String drop) {
        return "{\"type\":\"interval\",\"index\":0,\"start\":0,\"end\":1,\"lost\":0,\"drops\":[" + drop + "]}\n";
    }

    private static String stack() {
        return "{\"type\":\"stack\",\"id\":1,\"frames\":[\"a\"]}\n";
    }

    private static String end() {
        return "{\"type\":\"end\",\"time\":0,\"total\":0,\"lost\":0,\"status\":\"completed\"}\n";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static CaptureTestSupport.Replay replay(String resource) throws IOException {
        return CaptureTestSupport.replay(CaptureTestSupport.resource(resource), resource);
    }

    private static CaptureTestSupport.Replay replay(String text, String name) throws IOException {
        return CaptureTestSupport.replay(bytes(text), name);
    }

    private static String error(String resource) {
        return assertThrows(IOException.class, () -> replay(resource)).getMessage();
    }

    private static String error(String text, String name) {
        return assertThrows(IOException.class, () -> replay(text, name)).getMessage();
    }
}
