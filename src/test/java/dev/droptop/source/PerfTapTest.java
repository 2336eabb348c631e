package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.parse.PerfDataReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The copy from perf record to perf script: byte for byte, whatever the reader thinks of it. */
class PerfTapTest {
    /** Pipe-mode perf.data as perf 6.1 starts it: header, VERSION feature, FINISHED_INIT, a LOST record. */
    static byte[] pipeStream() {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.put("PERFILE2".getBytes(StandardCharsets.US_ASCII)).putLong(16);
        byte[] v = Arrays.copyOf("6.1.187".getBytes(StandardCharsets.US_ASCII), 8);
        b.putInt(80).putShort((short) 0).putShort((short) (8 + 8 + 4 + v.length)).putLong(5).putInt(v.length).put(v);
        b.putInt(82).putShort((short) 0).putShort((short) 8);
        b.putInt(2).putShort((short) 0).putShort((short) 24).putLong(1).putLong(3);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** Collects what perf script would read; closed when the tap is done. */
    static final class Script extends ByteArrayOutputStream {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void perfRecordsOutputReachesPerfScriptWhileTheReaderSeesTheEventsEnabled() throws Exception {
        byte[] in = pipeStream();
        Script script = new Script();
        PerfDataReader framing = PerfDataReader.framing();
        PerfTap.start(new ByteArrayInputStream(in), script, framing);
        assertTrue(script.closed.await(10, TimeUnit.SECONDS), "perf script's stdin not closed at the end");
        assertArrayEquals(in, script.toByteArray());
        assertTrue(framing.recording());
        assertEquals("6.1.187", framing.perfVersion());
    }

    @Test
    void outputTheReaderRefusesIsCopiedAllTheSame() throws Exception {
        byte[] in = "not perf.data at all, but perf script may say why".repeat(500).getBytes(StandardCharsets.US_ASCII);
        Script script = new Script();
        PerfDataReader framing = PerfDataReader.framing();
        PerfTap.start(new ByteArrayInputStream(in), script, framing);
        assertTrue(script.closed.await(10, TimeUnit.SECONDS));
        assertArrayEquals(in, script.toByteArray());
        assertFalse(framing.recording());
    }

    @Test
    void perfRecordsOutputIsReadToItsEndWhenPerfScriptIsGone() throws Exception {
        byte[] in = Arrays.copyOf(pipeStream(), 100_000);
        ByteArrayInputStream from = new ByteArrayInputStream(in);
        CountDownLatch closed = new CountDownLatch(1);
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
        PerfDataReader framing = PerfDataReader.framing();
        PerfTap.start(from, gone, framing);
        assertTrue(closed.await(10, TimeUnit.SECONDS));
        assertEquals(0, from.available(), "perf record would block on a full pipe");
        assertTrue(framing.recording());
    }
}
