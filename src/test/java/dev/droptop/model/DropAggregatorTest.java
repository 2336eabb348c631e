package dev.droptop.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropAggregatorTest {
    private static final long S = 1_000_000_000L;
    private static final DropKey NF = DropKey.of("nf_hook_slow", 0x7d, "NETFILTER_DROP", 0x800);
    private static final DropKey TCP = DropKey.of("tcp_v4_rcv", 0x99, "NO_SOCKET", 0x800);

    @Test
    void eventsCloseWindowsByTimeAndKeepTotals() {
        DropAggregator agg = new DropAggregator(S);
        List<Interval> closed = new ArrayList<>();
        agg.addListener(closed::add);
        int st = agg.stacks().intern("nf_hook_slow", "ip_rcv", "__netif_receive_skb_one_core");
        agg.record(NF, st, 1, 10 * S);
        agg.record(NF, st, 1, 10 * S + 500_000_000L);
        agg.record(TCP, StackTable.NO_STACK, 1, 11 * S + 1);   // closes window 0
        agg.record(NF, st, 1, 13 * S + 2);                      // closes 1 and the empty 2
        agg.finish();
        assertEquals(4, closed.size());
        assertEquals(2, closed.get(0).total());
        assertEquals(1, closed.get(1).total());
        assertEquals(0, closed.get(2).total());
        assertEquals(1, closed.get(3).total());
        Snapshot s = agg.snapshot();
        assertEquals(4, s.total());
        assertEquals(4, s.windows());
        assertEquals(NF, s.rows().get(0).key());
        assertEquals(3, s.rows().get(0).total());
        assertArrayEquals(new long[] {2, 0, 0, 1}, s.rows().get(0).recent());
        assertArrayEquals(new long[] {0, 1, 0, 0}, s.rows().get(1).recent());
        assertArrayEquals(new long[] {2, 1, 0, 1}, s.recentTotals());
    }

    @Test
    void aggregatedSourcesCloseWindowsExplicitly() {
        DropAggregator agg = new DropAggregator(5 * S);
        agg.record(NF, 0, 10031, 5 * S);
        agg.record(TCP, 0, 676, 5 * S);
        agg.intervalEnd(5 * S);
        agg.record(NF, 0, 7284, 10 * S);
        agg.record(TCP, 0, 268, 10 * S);
        agg.intervalEnd(10 * S);
        Snapshot s = agg.snapshot();
        assertEquals(2, s.windows());
        assertEquals(17315, s.rows().get(0).total());
        assertArrayEquals(new long[] {10031, 7284}, s.rows().get(0).recent());
        assertEquals(10.0, s.durationSeconds(), 1e-9);
        assertEquals(268 / 5.0 + 7284 / 5.0, s.currentRate(), 1e-9);
    }

    /**
     * Timestamps from a corrupt trace may lie anywhere in 64 bits. A jump across the whole range (found by
     * the perfRing fuzz target: it looped over ~2^64/interval empty windows) or next to Long.MAX_VALUE
     * closes one window and goes on; the duration does not overflow into a negative number.
     */
    @Test
    void timestampsAtTheEndsOfTheRangeNeitherLoopNorOverflow() {
        DropAggregator agg = new DropAggregator(S);
        agg.record(NF, 0, 1, Long.MIN_VALUE + 5);
        agg.record(NF, 0, 2, Long.MAX_VALUE - 5);
        agg.record(NF, 0, 4, Long.MAX_VALUE);
        agg.lost(1, Long.MAX_VALUE);
        agg.finish();
        Snapshot s = agg.snapshot();
        assertEquals(7, s.total());
        assertEquals(1, s.lost());
        assertEquals(2, s.windows());
        assertTrue(s.durationSeconds() > 1.8e10, "duration " + s.durationSeconds());

        DropAggregator back = new DropAggregator(S);
        back.record(NF, 0, 1, Long.MAX_VALUE);
        back.record(NF, 0, 1, Long.MIN_VALUE); // going back in time stays in the open window
        back.finish();
        assertEquals(1, back.snapshot().windows());
        assertEquals(2, back.snapshot().total());
    }

    @Test
    void lostEventsAreCountedPerWindow() {
        DropAggregator agg = new DropAggregator(S);
        agg.record(NF, 0, 1, 0);
        agg.lost(7, 1);
        agg.advanceTo(S);
        agg.lost(3, S + 1);
        agg.finish();
        Snapshot s = agg.snapshot();
        assertEquals(10, s.lost());
        assertArrayEquals(new long[] {7, 3}, s.recentLost());
    }

    @Test
    void callerTreeHangsCallersUnderTheLocation() {
        DropAggregator agg = new DropAggregator(S);
        int a = agg.stacks().intern("nf_hook_slow", "ip_rcv", "__netif_receive_skb_one_core");
        int b = agg.stacks().intern("nf_hook_slow", "ip_local_deliver", "ip_rcv");
        agg.record(NF, a, 80, 0);
        agg.record(NF, b, 20, 0);
        agg.record(DropKey.of("nf_hook_slow", 0x43, "NETFILTER_DROP", 0x800), StackTable.NO_STACK, 5, 0);
        CallerTree.Node root = CallerTree.ofSymbol(agg.snapshot(), "nf_hook_slow");
        assertEquals(105, root.count());
        assertEquals("ip_rcv", root.children().get(0).frame());
        assertEquals(80, root.children().get(0).count());
        assertEquals("__netif_receive_skb_one_core", root.children().get(0).children().get(0).frame());
        assertEquals("ip_local_deliver", root.children().get(1).frame());
    }

    @Test
    void stacksAreCutAtTheLocationOrAfterDropHelpers() {
        SymbolTable sym = new SymbolTable();
        StackTable st = new StackTable(sym);
        int[] raw = {sym.intern("sk_skb_reason_drop"), sym.intern("tcp_v4_rcv"), sym.intern("ip_protocol_deliver_rcu")};
        int id = st.internFromLocation(raw, 3, sym.intern("tcp_v4_rcv"));
        assertArrayEquals(new String[] {"tcp_v4_rcv", "ip_protocol_deliver_rcu"}, st.frameNames(id));
        int other = st.internFromLocation(raw, 3, sym.intern("somewhere_else"));
        assertArrayEquals(new String[] {"tcp_v4_rcv", "ip_protocol_deliver_rcu"}, st.frameNames(other));
        assertEquals(id, other);
    }

    @Test
    void internTablesGrowPastTheirInitialSize() {
        SymbolTable sym = new SymbolTable();
        StackTable st = new StackTable(sym);
        for (int i = 0; i < 5000; i++) {
            int s = sym.intern("f" + i);
            assertEquals(s, sym.intern("f" + i));
            assertEquals(st.intern(new int[] {s, 0}, 0, 2), st.intern(new int[] {s, 0}, 0, 2));
        }
        assertEquals(5000, sym.size());
        assertEquals("f4999", sym.name(4999));
        assertEquals(5001, st.size());
    }

    @Test
    void countsSaturateInsteadOfOverflowing() {
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        DropKey a = DropKey.of("a", 1, "NO_SOCKET", 2048);
        DropKey b = DropKey.of("b", 1, "NO_SOCKET", 2048);
        agg.record(a, 0, Long.MAX_VALUE - 5, 10);
        agg.record(b, 0, 100, 20);
        agg.record(b, 0, 100, 30);
        agg.lost(Long.MAX_VALUE, 30);
        agg.lost(Long.MAX_VALUE, 30);
        agg.finish();
        Snapshot s = agg.snapshot();
        assertEquals(Long.MAX_VALUE, s.total());
        assertEquals(Long.MAX_VALUE, s.lost());
        assertEquals(5, s.rows().get(1).total());
        assertTrue(agg.saturated());
    }
}
