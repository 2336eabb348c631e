package dev.droptop.capture;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.droptop.capture.CaptureTestSupport.SECOND;
import static dev.droptop.capture.CaptureTestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureWriterTest {
    private static final DropKey NF = DropKey.of("nf_hook_slow", 125, "NETFILTER_DROP", 0x0800);
    private static final DropKey BARE = DropKey.of("kfree_skb", -1, "", -1);

    @Test
    void everyIntervalIsFlushedWithItsStacksDefinedOnceBefore() throws IOException {
        DropAggregator agg = new DropAggregator(SECOND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        agg.addListener(new CaptureWriter(out, CaptureTestSupport.header(), agg.stacks()));
        assertEquals(1, lines(out).size(), "header flushed at creation");
        int s = agg.stacks().intern("nf_hook_slow", "ip_rcv");
        for (int i = 1; i <= 3; i++) {
            agg.record(NF, s, i, T0 + i * SECOND);
            agg.intervalEnd(T0 + i * SECOND);
            List<String> lines = lines(out);
            assertTrue(lines.get(lines.size() - 1).startsWith("{\"type\":\"interval\",\"index\":" + (i - 1)));
            assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("\n"));
        }
        List<String> lines = lines(out);
        assertEquals(5, lines.size());
        assertTrue(lines.get(1).startsWith("{\"type\":\"stack\",\"id\":" + s + ","), lines.get(1));
    }

    @Test
    void unknownFieldsAreOmitted() throws IOException {
        DropAggregator agg = new DropAggregator(SECOND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        agg.addListener(new CaptureWriter(out, CaptureTestSupport.header(), agg.stacks()));
        agg.record(BARE, 0, 4, T0);
        agg.intervalEnd(T0 + SECOND);
        assertTrue(lines(out).get(1).contains("\"drops\":[{\"symbol\":\"kfree_skb\",\"reason\":\"\",\"count\":4}]"),
                lines(out).get(1));
        assertFalse(lines(out).get(1).contains("system"));
    }

    @Test
    void plainCloseMarksTheCaptureAborted() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CaptureWriter w = new CaptureWriter(out, CaptureTestSupport.header(), new DropAggregator(1).stacks())) {
            assertNotNull(w);
        }
        String end = lines(out).get(1);
        String expected = "{\"type\":\"end\",\"time\":" + T0 + ",\"total\":0,\"lost\":0,\"status\":\"aborted\"";
        assertTrue(end.startsWith(expected), end);
    }

    @Test
    void aKilledWriterLeavesEveryCompleteIntervalOnDisk(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("caps.jsonl");
        DropAggregator agg = new DropAggregator(SECOND);
        CaptureWriter w = CaptureWriter.open(file, CaptureTestSupport.header(), agg.stacks());
        agg.addListener(w);
        for (int i = 1; i <= 4; i++) {
            agg.record(NF, agg.stacks().intern("nf_hook_slow", "f" + i), 10, T0 + i * SECOND);
            agg.intervalEnd(T0 + i * SECOND);
        }
        // no close: read what a kill -9 would leave
        CaptureReader.Result r = CaptureReader.read(file, new DropAggregator(SECOND));
        assertEquals(40, r.total());
        assertEquals(4, r.intervals());
        assertFalse(r.complete());
        w.close(CaptureEnd.INTERRUPTED, "stopped by user", null);
        assertTrue(CaptureReader.read(file, new DropAggregator(SECOND)).complete());
        assertEquals(CaptureTestSupport.header(), CaptureReader.readHeader(file));
    }

    @Test
    void aWriteErrorStopsWritingAndSurfacesOnClose() throws IOException {
        IOException disk = new IOException("No space left on device");
        FailingStream out = new FailingStream(disk);
        DropAggregator agg = new DropAggregator(SECOND);
        CaptureWriter w = new CaptureWriter(out, CaptureTestSupport.header(), agg.stacks());
        agg.addListener(w);
        out.failing = true;
        agg.record(NF, 0, 1, T0);
        agg.intervalEnd(T0 + SECOND);               // must not throw into the aggregator
        assertSame(disk, w.failure());
        assertSame(disk, assertThrows(IOException.class, () -> w.close(CaptureEnd.COMPLETED, "", null)));
    }

    @Test
    void openNamesTheFileItCannotCreate(@TempDir Path dir) {
        Path missing = dir.resolve("no/such/dir/caps.jsonl");
        IOException e = assertThrows(IOException.class,
                () -> CaptureWriter.open(missing, CaptureTestSupport.header(), new DropAggregator(1).stacks()));
        assertTrue(e.getMessage().startsWith("Could not create capture " + missing), e.getMessage());
        assertFalse(Files.exists(missing));
    }

    private static List<String> lines(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static final class FailingStream extends OutputStream {
        private final IOException error;
        boolean failing;

        FailingStream(IOException error) {
            this.error = error;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failing) {
                throw error;
            }
        }
    }
}
