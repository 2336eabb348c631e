package dev.droptop.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.droptop.model.DropKey;
import dev.droptop.model.NetnsInfo;
import dev.droptop.model.NetnsNames;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The exporter's counters: labels, offsets folded, allowlist, series cap, idle expiry. */
class DropSeriesTest {
    private static final long NS = 4026532500L;
    private final AtomicLong now = new AtomicLong();
    private final NetnsNames names = NetnsNames.of(Map.of(NS, new NetnsInfo(NS, "blue", 0, null, null, null, null, null, false)));

    private DropSeries series(Set<String> labels, int max) {
        return new DropSeries(names, labels, max, 600_000_000_000L, now::get);
    }

    @Test
    void locationWithoutOffsetAndNamedNetns() {
        DropSeries s = series(Set.copyOf(DropSeries.LABELS), 10);
        s.record(new DropKey("__udp4_lib_rcv", 0x2a1, "NO_SOCKET", 0x800, NS, "lo"), 0, 5, 0);
        s.record(new DropKey("__udp4_lib_rcv", 0x2b0, "NO_SOCKET", 0x800, NS, "lo"), 0, 7, 0);
        s.record(new DropKey("ip_finish_output2", 0x10, "NOT_SPECIFIED", 0x800, 0, ""), 0, 1, 0);
        List<DropSeries.Series> list = s.series();
        assertEquals(2, list.size());
        DropSeries.Series udp = list.stream().filter(x -> x.labels().get(0).equals("__udp4_lib_rcv")).findFirst().orElseThrow();
        assertEquals(List.of("__udp4_lib_rcv", "NO_SOCKET", "IPv4", "blue", "lo"), udp.labels());
        assertEquals(12, udp.count());
        assertEquals(13, s.drops());
    }

    @Test
    void allowlistMergesSeries() {
        DropSeries s = series(Set.of("location", "reason"), 10);
        s.record(new DropKey("f", 1, "R", 0x800, NS, "lo"), 0, 1, 0);
        s.record(new DropKey("f", 2, "R", 0x86dd, 0, "eth0"), 0, 2, 0);
        assertEquals(1, s.series().size());
        assertEquals(List.of("f", "R", "", "", ""), s.series().get(0).labels());
        assertEquals(3, s.series().get(0).count());
    }

    @Test
    void capCountsWhatItDropsAndExpiryFreesRoom() {
        DropSeries s = series(Set.copyOf(DropSeries.LABELS), 2);
        s.record(new DropKey("a", 0, "R", 0x800, 0, ""), 0, 1, 0);
        s.record(new DropKey("b", 0, "R", 0x800, 0, ""), 0, 1, 0);
        s.record(new DropKey("c", 0, "R", 0x800, 0, ""), 0, 4, 0);
        assertEquals(2, s.series().size());
        assertEquals(4, s.seriesDropped());
        now.set(300_000_000_000L);
        s.record(new DropKey("a", 0, "R", 0x800, 0, ""), 0, 1, 0);
        now.set(700_000_000_000L);
        assertEquals(1, s.expire(), "b idle for 700 s > 600 s; a only 400 s");
        s.record(new DropKey("c", 0, "R", 0x800, 0, ""), 0, 3, 0);
        assertEquals(2, s.series().size());
        assertEquals(3, s.series().stream().filter(x -> x.labels().get(0).equals("c")).findFirst().orElseThrow().count());
        assertEquals(2, s.series().stream().filter(x -> x.labels().get(0).equals("a")).findFirst().orElseThrow().count());
    }
}
