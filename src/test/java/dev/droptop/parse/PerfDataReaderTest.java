package dev.droptop.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.SymbolResolver;
import dev.droptop.model.TracepointLayout;
import dev.droptop.system.TracepointFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The native perf.data reader against perf script's text of the same recording, and bad input. */
class PerfDataReaderTest {
    static final Path DATA = Path.of("samples/perf/closed-port-tcp.perf.data");
    static final Path TEXT = Path.of("samples/perf/closed-port-tcp.perf.txt");

    static TracepointLayout layout() throws IOException {
        return TracepointFormat.read(Path.of("samples/tracefs/kfree_skb.format.txt")).layout();
    }

    @Test
    void layoutFromTheFormatFile() throws IOException {
        TracepointLayout l = layout();
        assertEquals(2310, l.id());
        assertEquals(16, l.locationOffset());
        assertEquals(36, l.reasonOffset());
        assertEquals(4, l.reasonSize());
        assertEquals(32, l.protocolOffset());
        assertEquals("NO_SOCKET", l.reasons().name(3));
    }

    @Test
    void sameAggregatesAsPerfScriptText() throws IOException {
        String text = Files.readString(TEXT);
        Aggregates fromText = new Aggregates();
        PerfScriptParser script = new PerfScriptParser();
        script.parse(new ByteArrayInputStream(Aggregates.ascii(Aggregates.kernelOnly(text))), fromText);
        Aggregates fromData = new Aggregates();
        PerfDataReader reader = new PerfDataReader(Aggregates.resolverFrom(text), layout());
        reader.parse(Files.newInputStream(DATA), fromData);
        assertEquals(1000, fromText.total);
        assertEquals(fromText.keys, fromData.keys);
        assertEquals(fromText.folded, fromData.folded);
        assertEquals(1000, reader.drops());
        assertTrue(reader.warnings().isEmpty(), reader.warnings().counts().toString());
        assertFalse(reader.pipeMode());
    }

    @Test
    void wrongMagicIsAOneLineError() {
        byte[] b = Arrays.copyOf(Aggregates.ascii("PERFILE3"), 200);
        IOException e = assertThrows(IOException.class, () -> read(b));
        assertEquals("not perf.data: wrong magic (expected PERFILE2)", e.getMessage());
        assertThrows(IOException.class, () -> read(new byte[3]));
    }

    @Test
    void truncatedAtManyPointsNeverThrowsAnythingButIOException() throws IOException {
        byte[] all = Files.readAllBytes(DATA);
        long previous = -1;
        for (int cut : new int[] {0, 7, 16, 50, 103, 104, 200, 423, 424, 431, 1000, 5000, 100_000, 369_215, all.length - 1}) {
            byte[] part = Arrays.copyOf(all, cut);
            Aggregates agg = new Aggregates();
            PerfDataReader r = new PerfDataReader(SymbolResolver.NONE, TracepointLayout.kernel6(
                    dev.droptop.model.ReasonNames.none()));
            try {
                r.parse(new ByteArrayInputStream(part), agg);
                assertTrue(r.drops() >= previous, "cut " + cut);
                previous = r.drops();
                assertEquals(cut < 369_216 ? 1 : 0, r.warnings().count("torn last record"), "cut " + cut);
            } catch (IOException e) {
                assertTrue(cut < 424, "cut " + cut + ": " + e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
            }
        }
        assertEquals(1000, previous); // the cut of the last byte hits the feature sections, after the data
    }

    @Test
    void absurdSizesAndUnknownRecordsInPipeMode() throws IOException {
        ByteBuffer b = pipe(64);
        b.putInt(200).putShort((short) 0).putShort((short) 16).putLong(0); // unknown type 200
        b.putInt(2).putShort((short) 0).putShort((short) 24).putLong(1).putLong(17); // LOST 17
        b.putInt(9).putShort((short) 0).putShort((short) 4); // size < 8
        Aggregates agg = new Aggregates();
        PerfDataReader r = new PerfDataReader(SymbolResolver.NONE, layout());
        IOException e = assertThrows(IOException.class, () -> r.parse(in(b), agg));
        assertTrue(e.getMessage().startsWith("corrupt perf.data: record of size 4"), e.getMessage());
        assertEquals(1, r.warnings().count("unknown perf record type skipped"));
        assertEquals(17, agg.lost);
    }

    @Test
    void absurdFileHeaderIsRefusedWithoutAllocating() {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Aggregates.ascii("PERFILE2")).putLong(104).putLong(144).putLong(104).putLong(0)
                .putLong(Long.MAX_VALUE / 2).putLong(Long.MAX_VALUE);
        IOException e = assertThrows(IOException.class, () -> read(Arrays.copyOf(b.array(), 128)));
        assertTrue(e.getMessage().startsWith("perf.data header with an absurd data section"), e.getMessage());
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        h.put(Aggregates.ascii("PERFILE2")).putLong(1L << 40);
        e = assertThrows(IOException.class, () -> read(h.array()));
        assertTrue(e.getMessage().startsWith("perf.data header of absurd size"), e.getMessage());
    }

    @Test
    void sampleWithAbsurdCallchainIsCountedNotThrown() throws IOException {
        ByteBuffer b = pipe(64);
        // HEADER_ATTR: tracepoint, sample_type CALLCHAIN|RAW
        b.putInt(64).putShort((short) 0).putShort((short) (8 + 64));
        int a = b.position();
        b.putInt(2).putInt(64).putLong(2310).putLong(1).putLong(PerfAttr.CALLCHAIN | PerfAttr.RAW);
        b.position(a + 64);
        // SAMPLE claiming 1e18 frames
        b.putInt(9).putShort((short) 0).putShort((short) 24).putLong(1_000_000_000_000_000_000L).putLong(0);
        Aggregates agg = new Aggregates();
        PerfDataReader r = new PerfDataReader(SymbolResolver.NONE, layout());
        r.parse(in(b), agg);
        assertEquals(0, r.drops());
        assertEquals(1, r.warnings().count("sample with an absurd call chain length"));
    }

    /** Collects what a reader says about the trace's kernel. */
    static final class KernelHints implements SymbolResolver {
        dev.droptop.model.TraceKernel kernel = dev.droptop.model.TraceKernel.UNKNOWN;
        boolean resolvedBeforeKnown;

        @Override
        public Resolved resolve(long address) {
            resolvedBeforeKnown |= kernel.buildId() == null || kernel.text() == 0;
            return null;
        }

        @Override
        public void traceKernel(dev.droptop.model.TraceKernel k) {
            kernel = kernel.merge(k);
        }
    }

    @Test
    void fileModeSaysItsKernelBeforeTheFirstSample() throws IOException {
        KernelHints hints = new KernelHints();
        PerfDataReader r = new PerfDataReader(hints, layout());
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(DATA)) {
            r.read(ch, new Aggregates());
        }
        // perf report --header-only: os release 6.18.44-fc-v657; perf buildid-list: 48dc540c...;
        // perf script --show-mmap-events: [0xffffffff81000000(0x1209988) @ 0xffffffff81000000]: x [kernel.kallsyms]_text
        assertEquals(new dev.droptop.model.TraceKernel("6.18.44-fc-v657", "48dc540c8b76393804ca8088dbfa7d42911a9444",
                0xffffffff81000000L, 0x1209988), hints.kernel);
        assertFalse(hints.resolvedBeforeKnown);
        assertEquals(1000, r.drops());
    }

    @Test
    void pipeModeFeatureAndBuildIdRecords() throws IOException {
        ByteBuffer b = pipe(0);
        // HEADER_FEATURE (80): feat_id 4 (OSRELEASE), perf string {u32 len, bytes padded}
        byte[] rel = Arrays.copyOf(Aggregates.ascii("6.18.44-fc-v657\u001b[2J"), 24);
        b.putInt(80).putShort((short) 0).putShort((short) (8 + 8 + 4 + rel.length)).putLong(4).putInt(rel.length).put(rel);
        // HEADER_BUILD_ID (67): misc = kernel | BUILD_ID_SIZE, pid -1, 20 bytes + size 20, "[kernel.kallsyms]"
        byte[] name = Arrays.copyOf(Aggregates.ascii("[kernel.kallsyms]"), 24);
        b.putInt(67).putShort((short) 0x8001).putShort((short) (8 + 4 + 24 + name.length)).putInt(-1);
        for (int i = 0; i < 20; i++) {
            b.put((byte) (0x10 + i));
        }
        b.put((byte) 20).put((byte) 0).putShort((short) 0).put(name);
        // MMAP (1) of the kernel, shifted by KASLR
        byte[] map = Arrays.copyOf(Aggregates.ascii("[kernel.kallsyms]_text"), 24);
        b.putInt(1).putShort((short) 1).putShort((short) (8 + 32 + map.length)).putInt(-1).putInt(0)
                .putLong(0xffffffff9a000000L).putLong(0x1209988).putLong(0xffffffff9a000000L).put(map);
        KernelHints hints = new KernelHints();
        PerfDataReader r = new PerfDataReader(hints, layout());
        r.parse(in(b), new Aggregates());
        assertEquals(new dev.droptop.model.TraceKernel("6.18.44-fc-v6572J", "101112131415161718191a1b1c1d1e1f20212223",
                0xffffffff9a000000L, 0x1209988), hints.kernel, "control characters dropped from the release");
        assertTrue(r.warnings().isEmpty(), r.warnings().counts().toString());
    }

    @Test
    void pipeModeSaysOnceFinishedInitShowsTheEventsEnabled() throws IOException {
        ByteBuffer b = pipe(0);
        // HEADER_FEATURE (80): feat_id 5 (VERSION), as perf 6.1 writes it before enabling its events
        byte[] v = Arrays.copyOf(Aggregates.ascii("6.1.187"), 8);
        b.putInt(80).putShort((short) 0).putShort((short) (8 + 8 + 4 + v.length)).putLong(5).putInt(v.length).put(v);
        PerfDataReader r = new PerfDataReader(SymbolResolver.NONE, layout());
        r.parse(in(b), new Aggregates());
        assertEquals("6.1.187", r.perfVersion());
        assertFalse(r.recording(), "a header and features only: the events are not enabled yet");
        b.putInt(82).putShort((short) 0).putShort((short) 8); // FINISHED_INIT
        r = new PerfDataReader(SymbolResolver.NONE, layout());
        r.parse(in(b), new Aggregates());
        assertTrue(r.recording());
        assertTrue(r.warnings().isEmpty(), r.warnings().counts().toString());
    }

    @Test
    void aLostCountAlsoShowsTheEventsEnabled() throws IOException {
        ByteBuffer b = pipe(0);
        b.putInt(2).putShort((short) 0).putShort((short) 24).putLong(1).putLong(3); // LOST 3 (perf before 6.0)
        PerfDataReader r = new PerfDataReader(SymbolResolver.NONE, layout());
        r.parse(in(b), new Aggregates());
        assertTrue(r.recording());
        assertEquals(null, r.perfVersion());
    }

    @Test
    void theFramingReaderFollowsRecordsAndDecodesNoSample() throws IOException {
        PerfDataReader r = PerfDataReader.framing();
        r.follow(Files.newInputStream(DATA));
        assertEquals(0, r.drops());
        assertTrue(r.recording(), "its samples show the events enabled");
        assertTrue(r.warnings().isEmpty(), r.warnings().counts().toString());
    }

    static ByteBuffer pipe(int extra) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Aggregates.ascii("PERFILE2")).putLong(16);
        return b;
    }

    static ByteArrayInputStream in(ByteBuffer b) {
        return new ByteArrayInputStream(Arrays.copyOf(b.array(), b.position()));
    }

    static void read(byte[] b) throws IOException {
        new PerfDataReader(SymbolResolver.NONE, TracepointLayout.kernel6(dev.droptop.model.ReasonNames.none()))
                .parse(new ByteArrayInputStream(b), new Aggregates());
    }
}
