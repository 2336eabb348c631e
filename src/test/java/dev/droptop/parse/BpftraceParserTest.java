package dev.droptop.parse;

import static dev.droptop.parse.Fixtures.REASONS;
import static dev.droptop.parse.Fixtures.RESOLVER;
import static dev.droptop.parse.Fixtures.SECOND;
import static dev.droptop.parse.Fixtures.parse;
import static dev.droptop.parse.Fixtures.row;
import static dev.droptop.parse.Fixtures.sample;
import static dev.droptop.parse.Fixtures.text;
import static dev.droptop.parse.Fixtures.topStack;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropKey;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.Snapshot;
import dev.droptop.model.StackTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class BpftraceParserTest {
    private static final String DROPS = "Attaching 4 probes...\n"
            + "droptop-bpftrace 1 interval_ms=1000 keys=location,reason,protocol,netns,dev\n"
            + "@@ interval 8127380512\n"
            + "@drops[0xffffffff82094309, 3, 2048, 4026531840, lo]: 17\n"
            + "@drops[0xffffffff81f63638, 12, 2048, 0, ]: 4\n"
            + "\n"
            + "@@ interval 9127401217\n"
            + "\n"
            + "@@ interval 10127401217\n"
            + "@drops[0xffffffff82094309, 3, 2048, 4026531840, lo]: 5\n"
            + "@drops[0xffffffff82094309, 3, 34525, 4026532177, veth0]: 2\n"
            + "\n";

    private static final String STACKS =
            "droptop-bpftrace 1 interval_ms=1000 keys=location,reason,protocol,netns,dev,stack\n"
            + "@@ interval 8127380512\n"
            + "@drops[0xffffffff82094309, 3, 2048, 4026531840, lo,\n"
            + "    sk_skb_reason_drop+144\n"
            + "    tcp_v4_rcv+153\n"
            + "    ip_protocol_deliver_rcu+55\n"
            + "]: 17\n"
            + "@drops[0xffffffff81f63638, 12, 2048, 0, ,\n"
            + "    sk_skb_reason_drop+144\n"
            + "    nft_do_chain+1135\n"
            + "    nf_hook_slow+67\n"
            + "]: 4\n"
            + "\n";

    @Test
    void headerNamesTheRecordingKernel() {
        String in = "Attaching 4 probes...\n"
                + "droptop-bpftrace 2 interval_ms=1000 keys=location,reason,protocol,netns,dev counts=cumulative"
                + " kernel=6.18.44-fc-v1045 text=0xffffffff81000000 etext=0xffffffff82276988\n"
                + "@@ interval 1000\n@drops[0xffffffff82033a51, 3, 2048, 4026532177, lo]: 4\n@@ interval 2000\n";
        PerfDataReaderTest.KernelHints hints = new PerfDataReaderTest.KernelHints();
        BpftraceParser p = new BpftraceParser(hints, REASONS);
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(4, s.total());
        assertEquals(new dev.droptop.model.TraceKernel("6.18.44-fc-v1045", null, 0xffffffff81000000L, 0x1276988),
                hints.kernel);
        assertTrue(p.warnings().count("unresolved location address") > 0);
        assertEquals(1, s.rows().size());
        assertEquals("0xffffffff82033a51", s.rows().get(0).key().symbol());
    }

    @Test
    void dropsContractKeysAndIntervals() {
        BpftraceParser p = new BpftraceParser(RESOLVER, REASONS);
        Snapshot s = parse(p, text(DROPS)).snapshot();
        assertEquals(28, s.total());
        assertEquals(3, s.windows());
        assertArrayEquals(new long[] {21, 0, 7}, s.recentTotals());
        assertEquals(10127401217L, s.endNanos());
        assertEquals(24, s.symbols().get("tcp_v4_rcv"));
        DropKey lo = new DropKey("tcp_v4_rcv", 0x99, "NO_SOCKET", 2048, 4026531840L, "lo");
        assertEquals(22, s.rows().stream().filter(r -> r.key().equals(lo)).findFirst().orElseThrow().total());
        DropKey veth = new DropKey("tcp_v4_rcv", 0x99, "NO_SOCKET", 34525, 4026532177L, "veth0");
        assertEquals(2, s.rows().stream().filter(r -> r.key().equals(veth)).findFirst().orElseThrow().total());
        Snapshot.Row hex = row(s, "0xffffffff81f63638");
        assertEquals("NETFILTER_DROP", hex.key().reason());
        assertEquals(0, hex.key().netns());
        assertEquals("", hex.key().device());
        assertEquals(1, p.warnings().count(LocationReader.UNRESOLVED));
        assertEquals(1, p.warnings().total());
        assertEquals(28, p.drops());
    }

    @Test
    void stackContractCutsStacksAtTheLocation() {
        BpftraceParser p = new BpftraceParser(RESOLVER, REASONS);
        Snapshot s = parse(p, text(STACKS)).snapshot();
        assertEquals(21, s.total());
        Snapshot.Row tcp = row(s, "tcp_v4_rcv");
        assertEquals(17, tcp.total());
        assertEquals(List.of("tcp_v4_rcv", "ip_protocol_deliver_rcu"), topStack(s, tcp));
        Snapshot.Row hex = row(s, "0xffffffff81f63638");
        // location unresolved: stack keeps everything after the drop helpers
        assertEquals(List.of("nft_do_chain", "nf_hook_slow"), topStack(s, hex));
        assertEquals("", hex.key().device());
        assertEquals(1, s.windows());
    }

    @Test
    void stackKeyInTheMiddle() {
        String in = "droptop-bpftrace 1 interval_ms=500 keys=location,stack,reason\n"
                + "@drops[0xffffffff82094309,\n"
                + "    sk_skb_reason_drop+144\n"
                + "    tcp_v4_rcv+153\n"
                + ", 3]: 2\n";
        BpftraceParser p = new BpftraceParser(RESOLVER, REASONS);
        Snapshot s = parse(p, text(in)).snapshot();
        Snapshot.Row tcp = row(s, "tcp_v4_rcv");
        assertEquals(2, tcp.total());
        assertEquals("NO_SOCKET", tcp.key().reason());
        assertEquals(DropKey.NO_PROTOCOL, tcp.key().protocol());
        assertEquals(List.of("tcp_v4_rcv"), topStack(s, tcp));
        assertEquals(SECOND / 2, s.endNanos()); // no marker: one block, one header interval after 0
        assertTrue(p.warnings().isEmpty(), p.warnings().counts().toString());
    }

    @Test
    void genericKstackSampleTakesTheLocationFromTheStack() {
        BpftraceParser p = new BpftraceParser(RESOLVER, ReasonNames.none());
        Snapshot s = parse(p, sample("bpftrace_kstack_sample.txt")).snapshot();
        assertEquals(1, s.total()); // the second entry is cut off in the sample
        Snapshot.Row r = row(s, "__netif_receive_skb_core.constprop.0");
        assertEquals(2081, r.key().offset());
        assertEquals("74", r.key().reason());
        List<String> stack = topStack(s, r);
        assertEquals("__netif_receive_skb_core.constprop.0", stack.get(0));
        assertEquals("__netif_receive_skb_one_core", stack.get(1));
        assertEquals("entry_SYSCALL_64_after_hwframe", stack.get(stack.size() - 1));
        assertEquals(19, stack.size());
        assertEquals(1, p.warnings().count("map without keys skipped"));
        assertEquals(1, p.warnings().count("incomplete map entry skipped"));
        assertEquals(1, p.warnings().count(ReasonNumbers.NO_TABLE));
        assertEquals(3, p.warnings().total());
        assertEquals(1, s.windows());
    }

    @Test
    void genericLocReasonSample() {
        BpftraceParser p = new BpftraceParser(RESOLVER, REASONS);
        Snapshot s = parse(p, sample("bpftrace_locreason_sample.txt")).snapshot();
        assertEquals(3428352, s.total());
        Snapshot.Row r = row(s, "__netif_receive_skb_core.constprop.0");
        assertEquals(0x821, r.key().offset());
        assertEquals("UNHANDLED_PROTO", r.key().reason());
        assertEquals(StackTable.NO_STACK, r.stacks().get(0).stackId());
        assertEquals(1, p.warnings().count("unrecognised line")); // "resolved:"
        assertEquals(1, p.warnings().count("map without keys skipped")); // @n
        assertEquals(2, p.warnings().total());
    }

    @Test
    void printfSampleIsNotAMap() {
        BpftraceParser p = new BpftraceParser(RESOLVER, REASONS);
        Snapshot s = parse(p, sample("bpftrace_printf_sample.txt")).snapshot();
        assertEquals(0, s.total());
        assertEquals(4, p.warnings().count("unrecognised line"));
        assertEquals(4, p.warnings().total());
    }

    @Test
    void onlyTheFirstGenericMapCounts() {
        String in = "@loc[0xffffffff82094309, 3]: 10\n@other[0xffffffff82094309, 3]: 10\n@loc[tcp_v4_rcv+0x99, 3]: 1\n";
        BpftraceParser p = new BpftraceParser(RESOLVER, REASONS);
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(11, row(s, "tcp_v4_rcv").total());
        assertEquals(1, p.warnings().count("other map skipped"));
    }

    @Test
    void garbageTornAndEscapeLinesDoNotStopParsing() {
        String in = "droptop-bpftrace 1 interval_ms=1000 keys=location,reason,protocol,netns,dev\n"
                + "@@ interval 1000\n"
                + "@drops[0xffffffff82094309, 3, 2048, 4026531840, \u001b[31mlo]: 1\n"
                + "\u001b[2J garbage\n"
                + "@drops[0xffffffff82094309, 3, 2048, 4026531840, lo]: x\n"
                + "@drops[0xffffffff82094309, 3, 2048, 4026531840, lo]: 2\n"
                + "@drops[0xffffffff82094309, 3, 20";
        BpftraceParser p = new BpftraceParser(RESOLVER, REASONS);
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(3, s.total());
        assertEquals(1, p.warnings().count("unrecognised line"));
        assertEquals(1, p.warnings().count("malformed map entry"));
        assertEquals(1, p.warnings().count("torn last line skipped"));
        assertEquals(3, p.warnings().total());
    }

    @Test
    void emptyInputGivesNothing() {
        BpftraceParser p = new BpftraceParser();
        Snapshot s = parse(p, text("")).snapshot();
        assertEquals(0, s.total());
        assertEquals(0, s.windows());
        assertTrue(p.warnings().isEmpty());
    }

    @Test
    void applicability() {
        byte[] b = Fixtures.sampleBytes("bpftrace_kstack_sample.txt");
        assertEquals(Applicable.YES, BpftraceParser.isApplicable(b, b.length));
        byte[] t = Fixtures.sampleBytes("bpftrace_printf_sample.txt");
        assertEquals(Applicable.UNSURE, BpftraceParser.isApplicable(t, t.length));
    }
}
