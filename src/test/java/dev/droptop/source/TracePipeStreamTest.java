package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.ForwardingSink;
import dev.droptop.parse.TracefsParser;
import dev.droptop.testing.Await;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live tracefs path on a FIFO standing in for {@code trace_pipe}: a drop is recorded once its event
 * is read whole, while the pipe stays open and quiet. Before, the parser held the last stack trace
 * until the next line came, and a single drop on a quiet machine waited for the capture's end
 * ({@code CaptureSignalsTest} waited its full 20 s for the last 2 of 300 drops, every run).
 */
@EnabledOnOs(OS.LINUX)
class TracePipeStreamTest {
    private static final String MARKER = "droptop-end-test";
    private static final String EVENT = "          dg-syn-15099   [000] ..s1.  9129.878286: kfree_skb: skbaddr=0000000043ca7194"
            + " rx_sk=0000000000000000 protocol=2048 location=tcp_v4_rcv+0x99/0x1400 reason: NO_SOCKET\n";
    private static final String STACK = "          dg-syn-15099   [000] ..s1.  9129.878343: <stack trace>\n"
            + " => trace_event_raw_event_kfree_skb\n => sk_skb_reason_drop\n => tcp_v4_rcv\n => ip_protocol_deliver_rcu\n";
    private static final String END = "          <...>-42   [001] .....  9130.5: tracing_mark_write: " + MARKER + "\n";

    @TempDir
    Path tmp;

    @Test
    void aDropWithItsStackIsRecordedWhileThePipeStaysQuiet() throws Exception {
        AtomicLong drops = run(true, EVENT + STACK);
        assertEquals(1, drops.get());
    }

    @Test
    void withoutStacksNoEventWaits() throws Exception {
        AtomicLong drops = run(false, EVENT + EVENT.replace("[000]", "[001]"));
        assertEquals(2, drops.get());
    }

    /**
     * Writes {@code events} into the pipe, then waits, the pipe open, until every event written is
     * recorded; then ends the stream with the marker as {@link TracefsRun} does.
     */
    private AtomicLong run(boolean stacks, String events) throws Exception {
        Path fifo = tmp.resolve("trace_pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        TracefsParser parser = new TracefsParser();
        AtomicLong drops = new AtomicLong();
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        ForwardingSink counting = new ForwardingSink(agg) {
            @Override
            public void record(DropKey key, int stackId, long count, long timeNanos) {
                super.record(key, stackId, count, timeNanos);
                drops.addAndGet(count);
            }
        };
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (TracePipeStream pipe = new TracePipeStream(fifo, MARKER, () -> parser.endOfRead(counting, stacks),
                    () -> { })) {
                parser.parse(pipe, counting);
            } catch (IOException | RuntimeException e) {
                failed.set(e);
            }
        }, "test-trace-pipe-reader");
        reader.start();
        long expected = events.split("kfree_skb: ", -1).length - 1;
        try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
            out.write(events.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Await.until(expected + " drops recorded while the pipe is open and quiet", 10_000,
                    () -> drops.get() == expected);
            out.write(END.getBytes(StandardCharsets.US_ASCII));
        }
        reader.join(10_000);
        assertTrue(!reader.isAlive() && failed.get() == null, "reader ended cleanly: " + failed.get());
        return drops;
    }
}
