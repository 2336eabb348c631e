package dev.droptop.capture;

import dev.droptop.model.Counters;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import dev.droptop.model.Warnings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.droptop.capture.CaptureTestSupport.SECOND;
import static dev.droptop.capture.CaptureTestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureRoundTripTest {
    private static final DropKey NF = DropKey.of("nf_hook_slow", 125, "NETFILTER_DROP", 0x0800);
    private static final DropKey TCP = DropKey.of("tcp_v4_rcv", 0x3a, "NO_SOCKET", 0x86dd);
    private static final DropKey XMIT = new DropKey("__dev_queue_xmit", -1, "", -1, 4026531840L, "eth0");

    private final List<Map<String, Long>> systemWritten = new ArrayList<>();

    @Test
    void eventSourceSurvivesWriteAndRead() throws Exception {
        DropAggregator live = new DropAggregator(SECOND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureWriter writer = new CaptureWriter(out, CaptureTestSupport.header(), live.stacks());
        writer.setSystemCounters(this::nextSystem);
        live.addListener(writer);
        feed(live);
        Warnings w = new Warnings();
        w.add("weird stack line", "    ffff (bad)", 3);
        writer.close(CaptureEnd.COMPLETED, "", w);

        CaptureTestSupport.Replay replay = CaptureTestSupport.replay(out.toByteArray(), "rt.jsonl");
        CaptureReader.Result r = replay.result();
        assertSameSnapshot(live.snapshot(), replay.aggregator().snapshot());
        assertTrue(r.complete());
        assertFalse(r.tornLastLine());
        assertTrue(r.warnings().isEmpty(), () -> r.warnings().counts().toString());
        assertEquals(CaptureEnd.COMPLETED, r.end().status());
        assertEquals(Map.of("weird stack line", 3L), r.end().warnings());
        assertEquals(live.total(), r.total());
        assertEquals(live.lost(), r.lost());
        assertEquals(live.snapshot().windows(), r.intervals());
        assertEquals(2, r.stacks());
        Counters written = new Counters();
        systemWritten.forEach(written::add);
        assertEquals(written.summaries(), r.system().summaries());
        assertEquals(CaptureTestSupport.header(), r.header());
    }

    @Test
    void writerReproducesTheHandWrittenFixture() throws Exception {
        DropAggregator agg = new DropAggregator(SECOND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureWriter writer = new CaptureWriter(out, CaptureTestSupport.header(), agg.stacks());
        List<Map<String, Long>> system = List.of(counters(812, 1000), counters(1000, 1000));
        int[] next = {0};
        writer.setSystemCounters(() -> system.get(next[0]++));
        agg.addListener(writer);
        int s1 = agg.stacks().intern("nf_hook_slow", "ip_rcv", "__netif_receive_skb_one_core");
        int s2 = agg.stacks().intern("tcp_v4_rcv", "ip_local_deliver_finish");
        agg.record(NF, s1, 818, T0 + SECOND);
        agg.intervalEnd(T0 + SECOND);
        agg.record(NF, s1, 1000, T0 + 2 * SECOND);
        agg.record(new DropKey("tcp_v4_rcv", 58, "NO_SOCKET", 0x0800, 4026531840L, "eth0"), s2, 3, T0 + 2 * SECOND);
        agg.record(DropKey.of("__dev_queue_xmit", -1, "", -1), 0, 1, T0 + 2 * SECOND);
        agg.lost(2, T0 + 2 * SECOND);
        agg.intervalEnd(T0 + 2 * SECOND);
        Warnings w = new Warnings();
        w.add("weird stack line", "x", 3);
        writer.close(CaptureEnd.COMPLETED, "", w);

        assertEquals(new String(CaptureTestSupport.resource("basic.fixture.jsonl"), StandardCharsets.UTF_8),
                out.toString(StandardCharsets.UTF_8));
    }

    /** Five windows with a gap, lost events, three keys, a stack shared by two keys, then a partial window. */
    private static void feed(DropAggregator agg) {
        int s1 = agg.stacks().intern("nf_hook_slow", "ip_rcv", "__netif_receive_skb_one_core");
        int s2 = agg.stacks().intern("tcp_v4_rcv", "ip_local_deliver_finish", "ip_rcv");
        for (int i = 0; i < 40; i++) {
            long t = T0 + i * (SECOND / 10);               // windows 0..3
            agg.record(NF, i % 3 == 0 ? s2 : s1, 1, t);
            if (i % 4 == 0) {
                agg.record(TCP, s2, 1, t);
            }
            if (i % 7 == 0) {
                agg.record(XMIT, 0, 1, t);
            }
        }
        agg.lost(5, T0 + 2 * SECOND + 1);
        agg.record(TCP, s2, 1, T0 + 5 * SECOND + 3);     // window 4 is empty
        agg.record(NF, s1, 2, T0 + 5 * SECOND + SECOND / 2);
        agg.finish();                                     // partial window 5
    }

    private Map<String, Long> nextSystem() {
        Map<String, Long> m = counters(800 + systemWritten.size(), 1000);
        systemWritten.add(m);
        return m;
    }

    private static Map<String, Long> counters(long count, long max) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("conntrack.count", count);
        m.put("conntrack.max", max);
        return m;
    }

    private static void assertSameSnapshot(Snapshot a, Snapshot b) {
        assertEquals(a.total(), b.total(), "total");
        assertEquals(a.lost(), b.lost(), "lost");
        assertEquals(a.windows(), b.windows(), "windows");
        assertEquals(a.startNanos(), b.startNanos(), "start");
        assertEquals(a.endNanos(), b.endNanos(), "end");
        assertArrayEquals(a.recentTotals(), b.recentTotals(), "window totals");
        assertArrayEquals(a.recentLost(), b.recentLost(), "window lost");
        assertEquals(a.rows().size(), b.rows().size(), "keys");
        for (int i = 0; i < a.rows().size(); i++) {
            Snapshot.Row ra = a.rows().get(i);
            Snapshot.Row rb = b.rows().get(i);
            assertEquals(ra.key(), rb.key());
            assertEquals(ra.total(), rb.total(), ra.key().location());
            assertArrayEquals(ra.recent(), rb.recent(), ra.key().location());
            assertEquals(stacks(a, ra), stacks(b, rb), ra.key().location());
        }
    }

    /** A row's stacks by frame names (ids differ between tables). */
    private static Map<String, Long> stacks(Snapshot s, Snapshot.Row row) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Snapshot.StackCount sc : row.stacks()) {
            out.put(String.join(";", s.stacks().frameNames(sc.stackId())), sc.count());
        }
        return out;
    }
}
