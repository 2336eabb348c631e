package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.droptop.model.DropAggregator;
import dev.droptop.parse.BpftraceParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When the paced reader pauses (counted, not timed) and that it passes every byte through. */
class PacedInputTest {
    @Test
    void pausesOnlyAfterAShortRead() throws IOException {
        AtomicInteger pauses = new AtomicInteger();
        // a pipe that hands out 100 bytes, then 40,000, then 10, then ends
        InputStream pipe = new Chunks(100, 40_000, 10);
        PacedInput in = new PacedInput(pipe, pauses::incrementAndGet);
        byte[] buf = new byte[1 << 20];
        assertEquals(100, in.read(buf, 0, buf.length));
        assertEquals(0, pauses.get(), "the first read does not wait");
        assertEquals(40_000, in.read(buf, 0, buf.length));
        assertEquals(1, pauses.get(), "after a short read the next one waits");
        assertEquals(10, in.read(buf, 0, buf.length));
        assertEquals(1, pauses.get(), "after a full read (the reader is behind) the next one does not");
        assertEquals(-1, in.read(buf, 0, buf.length));
        assertEquals(2, pauses.get());
    }

    @Test
    void theParserSeesEveryByte() throws IOException {
        StringBuilder text = new StringBuilder("droptop-bpftrace 2 interval_ms=1000 keys=location,reason,protocol,netns,dev"
                + " counts=cumulative packets=2 mode=2 snaplen=128 rate=0\n");
        for (int i = 1; i <= 500; i++) {
            text.append("@@ interval ").append(i * 1_000_000_000L).append('\n');
            text.append("@drops[tcp_v4_rcv+0x99, NO_SOCKET, 2048, 7, lo]: ").append(i).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        AtomicInteger pauses = new AtomicInteger();
        BpftraceParser parser = new BpftraceParser();
        parser.parse(new PacedInput(new Chunks(split(bytes, 37), bytes), pauses::incrementAndGet),
                new DropAggregator(1_000_000_000L));
        assertEquals(500, parser.drops());
        assertEquals(0, parser.warnings().total(), parser.warnings().counts().toString());
        assertEquals(split(bytes, 37).length, pauses.get(), "every read was short: a pause before each but the first, and before EOF");

        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        new PacedInput(new Chunks(split(bytes, 37), bytes), () -> { }).transferTo(copy);
        assertArrayEquals(bytes, copy.toByteArray());

        // the wrapper parser hands its parser a paced stream and reports that parser's counts
        BpftraceParser inner = new BpftraceParser();
        var paced = PacedInput.pacing(inner);
        paced.parse(new ByteArrayInputStream(bytes), new DropAggregator(1_000_000_000L)); // one full read: no pause
        assertEquals(500, paced.drops());
        assertEquals(inner.warnings(), paced.warnings());
    }

    private static int[] split(byte[] b, int size) {
        int n = (b.length + size - 1) / size;
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = Math.min(size, b.length - i * size);
        }
        return sizes;
    }

    /** A stream whose reads return the given sizes (at most), like writes arriving in a pipe. */
    private static final class Chunks extends InputStream {
        private final int[] sizes;
        private final ByteArrayInputStream data;
        private int next;

        Chunks(int... sizes) {
            this(sizes, pattern(java.util.stream.IntStream.of(sizes).sum()));
        }

        Chunks(int[] sizes, byte[] data) {
            this.sizes = sizes;
            this.data = new ByteArrayInputStream(data);
        }

        private static byte[] pattern(int n) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) i;
            }
            return b;
        }

        @Override
        public int read() {
            return data.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (next == sizes.length) {
                return -1;
            }
            return data.read(b, off, Math.min(len, sizes[next++]));
        }
    }
}
