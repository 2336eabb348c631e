package dev.droptop.parse;

import static dev.droptop.parse.Fixtures.RESOLVER;
import static dev.droptop.parse.Fixtures.parse;
import static dev.droptop.parse.Fixtures.row;
import static dev.droptop.parse.Fixtures.sample;
import static dev.droptop.parse.Fixtures.text;
import static dev.droptop.parse.Fixtures.topStack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import dev.droptop.model.StackTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracefsParserTest {
    private static final String EV = "          dg-syn-15099   [%03d] ..s1.  %s: kfree_skb: skbaddr=0000000043ca7194 "
            + "rx_sk=0000000000000000 protocol=2048 location=%s reason: %s\n";
    private static final String ST = "          dg-syn-15099   [%03d] ..s1.  %s: <stack trace>\n";

    private static String ev(int cpu, String time, String location, String reason) {
        return String.format(EV, cpu, time, location, reason);
    }

    private static String st(int cpu, String time, String... frames) {
        StringBuilder sb = new StringBuilder(String.format(ST, cpu, time));
        for (String f : frames) {
            sb.append(" => ").append(f).append('\n');
        }
        return sb.toString();
    }

    @Test
    void plainSampleCountsEveryEvent() {
        TracefsParser p = new TracefsParser();
        Snapshot s = parse(p, sample("tracefs_sample_plain.txt")).snapshot();
        assertEquals(40, s.total());
        assertEquals(40, p.drops());
        assertEquals(1, s.rows().size());
        DropKey k = s.rows().get(0).key();
        assertEquals("tcp_v4_rcv", k.symbol());
        assertEquals(0x99, k.offset());
        assertEquals("NO_SOCKET", k.reason());
        assertEquals(2048, k.protocol());
        assertEquals(StackTable.NO_STACK, s.rows().get(0).stacks().get(0).stackId());
        assertEquals(9126_521454_000L, s.startNanos());
        assertEquals(9126_521605_000L, s.endNanos());
        assertTrue(p.warnings().isEmpty(), p.warnings().counts().toString());
    }

    @Test
    void triggerSampleAttachesStacksStartingAtTheLocation() {
        for (String file : List.of("tracefs_sample_trigger.txt", "tracefs_sample_option.txt")) {
            TracefsParser p = new TracefsParser();
            Snapshot s = parse(p, sample(file)).snapshot();
            assertEquals(2, s.total(), file);
            Snapshot.Row r = row(s, "tcp_v4_rcv");
            assertEquals(2, r.stacks().size(), file); // the second stack is cut short in the sample
            for (Snapshot.StackCount sc : r.stacks()) {
                String[] names = s.stacks().frameNames(sc.stackId());
                assertEquals("tcp_v4_rcv", names[0]);
                assertEquals("ip_protocol_deliver_rcu", names[1]);
            }
            int[] lengths = r.stacks().stream().mapToInt(sc -> s.stacks().frames(sc.stackId()).length)
                    .sorted().toArray();
            assertEquals(12, lengths[0]);
            assertEquals(20, lengths[1]);
            assertTrue(p.warnings().isEmpty(), p.warnings().counts().toString());
        }
    }

    @Test
    void interleavedCpusKeepTheirOwnPendingEvent() {
        String in = ev(0, "100.000001", "tcp_v4_rcv+0x99/0x1400", "NO_SOCKET")
                + ev(1, "100.000002", "nf_hook_slow+0x43/0x100", "NETFILTER_DROP")
                + st(1, "100.000003", "trace_event_raw_event_kfree_skb", "sk_skb_reason_drop", "nf_hook_slow",
                        "ip_local_deliver")
                + st(0, "100.000004", "trace_event_raw_event_kfree_skb", "sk_skb_reason_drop", "tcp_v4_rcv",
                        "ip_protocol_deliver_rcu");
        TracefsParser p = new TracefsParser();
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(2, s.total());
        assertEquals(List.of("tcp_v4_rcv", "ip_protocol_deliver_rcu"), topStack(s, row(s, "tcp_v4_rcv")));
        Snapshot.Row nf = row(s, "nf_hook_slow");
        assertEquals(List.of("nf_hook_slow", "ip_local_deliver"), topStack(s, nf));
        assertEquals(0x43, nf.key().offset());
        assertEquals("NETFILTER_DROP", nf.key().reason());
        assertTrue(p.warnings().isEmpty(), p.warnings().counts().toString());
    }

    @Test
    void symOffsetFramesAndNextEventOnSameCpuWithoutStack() {
        String in = ev(2, "5.000000", "tcp_v4_rcv+0x99/0x1400", "NO_SOCKET")
                + ev(2, "5.000010", "tcp_v4_rcv+0x99/0x1400", "NO_SOCKET")
                + st(2, "5.000011", "trace_event_raw_event_kfree_skb+0x1f/0x30", "sk_skb_reason_drop+0x90/0x120",
                        "tcp_v4_rcv+0x99/0x1400", "ip_protocol_deliver_rcu+0x37/0x90");
        Snapshot s = parse(new TracefsParser(), text(in)).snapshot();
        Snapshot.Row r = row(s, "tcp_v4_rcv");
        assertEquals(2, r.total());
        assertEquals(2, r.stacks().size());
        assertEquals(1, r.stacks().stream().filter(sc -> sc.stackId() == StackTable.NO_STACK).count());
        int withStack = r.stacks().stream().filter(sc -> sc.stackId() != StackTable.NO_STACK).findFirst()
                .orElseThrow().stackId();
        assertEquals(List.of("tcp_v4_rcv", "ip_protocol_deliver_rcu"), List.of(s.stacks().frameNames(withStack)));
    }

    @Test
    void hexLocationResolvesAndCommVariantsParse() {
        String in = "           <...>-14983   [000] ..s1.  9126.521454: kfree_skb: skbaddr=0000000037dbf5f7 "
                + "rx_sk=0000000000000000 protocol=2048 location=0xffffffff82094309 reason: NO_SOCKET\n"
                + "  my worker-thread-7-123 [003] d..2. 9126.521500: kfree_skb: skbaddr=0000000037dbf5f7 "
                + "protocol=34525 location=0xffffffffc0001234 reason: NOT_SPECIFIED\n"
                + "  esc\u001b[31mred\u001b[0m-99 [001] ..s1. 9126.521600: kfree_skb: skbaddr=00000000 "
                + "protocol=2048 location=tcp_v4_rcv+0x99/0x1400 reason: NO_SOCKET\n"
                + "  old-kernel-1 [001] 9126.521700: kfree_skb: skbaddr=00000000 protocol=2048 "
                + "location=tcp_v4_rcv+0x99\n";
        TracefsParser p = new TracefsParser(RESOLVER);
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(4, s.total());
        assertEquals(3L, s.symbols().get("tcp_v4_rcv")); // resolved hex, ESC comm, old kernel without reason
        Snapshot.Row unresolved = row(s, "0xffffffffc0001234");
        assertEquals(DropKey.NO_OFFSET, unresolved.key().offset());
        assertEquals(34525, unresolved.key().protocol());
        assertEquals(1, p.warnings().count(LocationReader.UNRESOLVED));
        assertEquals(1, s.rows().stream().filter(r -> r.key().reason().equals(DropKey.NO_REASON)).count());
        assertEquals(1, p.warnings().total());
    }

    @Test
    void lostEventsCommentsAndOtherEvents() {
        String in = "# tracer: nop\n#\n# entries-in-buffer/entries-written: 3/3   #P:2\n"
                + ev(0, "7.000000", "tcp_v4_rcv+0x99/0x1400", "NO_SOCKET")
                + "CPU:1 [LOST 123 EVENTS]\n"
                + "          sshd-812     [001] ..s1.     7.000100: net_dev_xmit: dev=eth0 skbaddr=0000 len=66 rc=0\n"
                + " => dev_hard_start_xmit\n"
                + "garbage that is no trace line\n"
                + ev(1, "7.000200", "tcp_v4_rcv+0x99/0x1400", "NO_SOCKET");
        TracefsParser p = new TracefsParser();
        DropAggregator agg = parse(p, text(in));
        Snapshot s = agg.snapshot();
        assertEquals(2, s.total());
        assertEquals(123, s.lost());
        assertEquals(1, p.warnings().count("event of another kind skipped"));
        assertEquals(1, p.warnings().count("unrecognised line"));
        assertEquals(2, p.warnings().total());
    }

    @Test
    void tornLastLineIsCountedOnceAndEarlierEventsKept() {
        String in = ev(0, "1.000000", "tcp_v4_rcv+0x99/0x1400", "NO_SOCKET")
                + "          dg-syn-15099   [000] ..s1.  1.000100: kfree_skb: skbaddr=0000000043ca7194 "
                + "rx_sk=00 protocol=20";
        TracefsParser p = new TracefsParser();
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(1, s.total());
        assertEquals(1, p.warnings().count("torn last line skipped"));
        assertEquals(1, p.warnings().total());
    }

    @Test
    void malformedLineCountedOnceAndParsingGoesOn() {
        String in = ev(0, "1.000000", "tcp_v4_rcv+0x99/0x1400", "NO_SOCKET")
                + "          dg-syn-15099   [0x0] ..s1.  1.000100: kfree_skb: skbaddr=00 protocol=2048\n"
                + ev(0, "1.000200", "tcp_v4_rcv+0x99/0x1400", "NO_SOCKET");
        TracefsParser p = new TracefsParser();
        assertEquals(2, parse(p, text(in)).snapshot().total());
        assertEquals(1, p.warnings().count("malformed kfree_skb line"));
        assertEquals(1, p.warnings().total());
    }

    @Test
    void quietCpuIsNotHeldBackOnALiveStream() {
        String in = ev(0, "1.000000", "tcp_v4_rcv+0x99/0x1400", "NO_SOCKET")
                + ev(1, "3.000000", "nf_hook_slow+0x43/0x100", "NETFILTER_DROP");
        DropAggregator agg = new DropAggregator(Fixtures.SECOND);
        TracefsParser p = new TracefsParser();
        RecordingSink sink = new RecordingSink(agg);
        try {
            p.parse(text(in), sink);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        // CPU 0's event is recorded when CPU 1's later event shows it is stale, before the end of stream
        assertEquals(List.of("tcp_v4_rcv", "nf_hook_slow"), sink.symbols);
    }

    @Test
    void emptyInputGivesNothing() {
        TracefsParser p = new TracefsParser();
        Snapshot s = parse(p, text("")).snapshot();
        assertEquals(0, s.total());
        assertEquals(0, s.windows());
        assertTrue(p.warnings().isEmpty());
    }

    @Test
    void applicability() {
        byte[] plain = Fixtures.sampleBytes("tracefs_sample_plain.txt");
        assertEquals(Applicable.YES, TracefsParser.isApplicable(plain, plain.length));
        byte[] perf = Fixtures.sampleBytes("perfscript_file_mode_sample.txt");
        assertEquals(Applicable.UNSURE, TracefsParser.isApplicable(perf, perf.length));
    }

    /** Notes the order in which drops reach the sink. */
    private static final class RecordingSink implements dev.droptop.model.DropSink {
        final DropAggregator agg;
        final List<String> symbols = new java.util.ArrayList<>();

        RecordingSink(DropAggregator agg) {
            this.agg = agg;
        }

        @Override
        public dev.droptop.model.SymbolTable symbols() {
            return agg.symbols();
        }

        @Override
        public StackTable stacks() {
            return agg.stacks();
        }

        @Override
        public void record(DropKey key, int stackId, long count, long timeNanos) {
            symbols.add(key.symbol());
            agg.record(key, stackId, count, timeNanos);
        }

        @Override
        public void lost(long count, long timeNanos) {
            agg.lost(count, timeNanos);
        }

        @Override
        public void intervalEnd(long timeNanos) {
            agg.intervalEnd(timeNanos);
        }
    }
}
