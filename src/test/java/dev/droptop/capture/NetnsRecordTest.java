package dev.droptop.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.NetnsInfo;
import dev.droptop.model.NetnsNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** netns records: written once per named inode before its first interval, read back, checked. */
class NetnsRecordTest {
    private static final long NS = 4026532500L;

    @Test
    void writtenOnceAndReadBack() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DropAggregator agg = new DropAggregator(CaptureTestSupport.SECOND);
        CaptureWriter w = new CaptureWriter(out, CaptureTestSupport.header(), agg.stacks());
        w.setNetnsNames(NetnsNames.of(Map.of(NS, new NetnsInfo(NS, "blue", 7, "sleep", null, null, null, null, false))));
        agg.addListener(w);
        DropKey k = new DropKey("f", 1, "NO_SOCKET", 0x800, NS, "lo");
        DropKey unnamed = new DropKey("f", 1, "NO_SOCKET", 0x800, NS + 1, "lo");
        for (int i = 1; i <= 3; i++) {
            agg.record(k, 0, 5, 0);
            agg.record(unnamed, 0, 1, 0);
            agg.intervalEnd(CaptureTestSupport.T0 + i * CaptureTestSupport.SECOND);
        }
        w.close(CaptureEnd.COMPLETED, "", null);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.split("\"type\":\"netns\"", -1).length - 1, text);
        assertTrue(text.indexOf("\"type\":\"netns\"") < text.indexOf("\"type\":\"interval\""), text);
        CaptureTestSupport.Replay r = CaptureTestSupport.replay(out.toByteArray(), "n.jsonl");
        NetnsInfo i = r.result().namespaces().get(NS);
        assertEquals("blue", i.name());
        assertEquals(7, i.pid());
        assertEquals("sleep", i.comm());
        assertNull(r.result().namespaces().get(NS + 1));
        assertEquals(18, r.result().total());
    }

    @Test
    void badRecordsFailWithTheLine() {
        String header = new String(CaptureTestSupport.resource("basic.fixture.jsonl"), StandardCharsets.UTF_8).lines()
                .findFirst().orElseThrow();
        IOException e = assertThrows(IOException.class, () -> read(header + "\n{\"type\":\"netns\",\"name\":\"x\"}\n"));
        assertTrue(e.getMessage().startsWith("t.jsonl:2: netns: missing \"inode\""), e.getMessage());
        e = assertThrows(IOException.class, () -> read(header + "\n{\"type\":\"netns\",\"inode\":5,\"name\":\""
                + "x".repeat(300) + "\"}\n"));
        assertTrue(e.getMessage().contains("longer than 256"), e.getMessage());
        e = assertThrows(IOException.class, () -> read(header + "\n{\"type\":\"netns\",\"inode\":5,\"pid\":-1}\n"));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    }

    private static void read(String capture) throws IOException {
        CaptureReader.read(new ByteArrayInputStream(capture.getBytes(StandardCharsets.UTF_8)), "t.jsonl",
                new DropAggregator(CaptureTestSupport.SECOND));
    }
}
