package dev.droptop.parse;

import static dev.droptop.parse.Fixtures.RESOLVER;
import static dev.droptop.parse.Fixtures.parse;
import static dev.droptop.parse.Fixtures.row;
import static dev.droptop.parse.Fixtures.sample;
import static dev.droptop.parse.Fixtures.text;
import static dev.droptop.parse.Fixtures.topStack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import dev.droptop.model.StackTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerfScriptParserTest {
    @Test
    void fileModeSample() {
        PerfScriptParser p = new PerfScriptParser(RESOLVER);
        Snapshot s = parse(p, sample("perfscript_file_mode_sample.txt")).snapshot();
        assertEquals(1, s.total());
        Snapshot.Row r = row(s, "nft_do_chain");
        assertEquals(DropKey.of("nft_do_chain", 0x46f, "NETFILTER_DROP", 2048), r.key());
        List<String> stack = topStack(s, r);
        assertEquals(List.of("nft_do_chain", "nft_do_chain_inet", "nf_hook_slow"), stack.subList(0, 3));
        assertEquals("__sendmmsg", stack.get(stack.size() - 1));
        assertEquals(24, stack.size());
        assertEquals(7944_776241_000L, s.startNanos());
        assertTrue(p.warnings().isEmpty(), p.warnings().counts().toString());
    }

    @Test
    void pipeModeSampleResolvesTheHexLocation() {
        PerfScriptParser p = new PerfScriptParser(RESOLVER);
        Snapshot s = parse(p, sample("perfscript_pipe_mode_sample.txt")).snapshot();
        assertEquals(1, s.total());
        Snapshot.Row r = row(s, "tcp_v4_rcv");
        assertEquals(DropKey.of("tcp_v4_rcv", 0x99, "NO_SOCKET", 2048), r.key());
        List<String> stack = topStack(s, r);
        assertEquals(List.of("tcp_v4_rcv", "ip_protocol_deliver_rcu"), stack.subList(0, 2));
        assertEquals(21, stack.size());
        assertTrue(p.warnings().isEmpty(), p.warnings().counts().toString());
    }

    @Test
    void pipeModeWithoutResolverTakesTheNameOfItsOwnFrame() {
        // the call chain's frame at the location's address names it (without an offset: pipe frames have none)
        PerfScriptParser p = new PerfScriptParser();
        Snapshot s = parse(p, sample("perfscript_pipe_mode_sample.txt")).snapshot();
        Snapshot.Row r = row(s, "tcp_v4_rcv");
        assertEquals(DropKey.NO_OFFSET, r.key().offset());
        assertEquals("tcp_v4_rcv", topStack(s, r).get(0));
        assertTrue(p.warnings().isEmpty(), p.warnings().counts().toString());
    }

    @Test
    void pipeModeHexLocationWithoutAFrameStaysHex() {
        // a resolver that would name it otherwise is not asked for the name the frame gives, only the offset
        String in = "x 1 [000] 1.000000: skb:kfree_skb: skbaddr=0xffff888104517200 protocol=2048"
                + " location=0xffffffff82094309 reason: NO_SOCKET\n";
        PerfScriptParser p = new PerfScriptParser();
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(DropKey.NO_OFFSET, row(s, "0xffffffff82094309").key().offset());
        assertEquals(1, p.warnings().count("unresolved location address"));
        // a frame naming another function than the symbols: the trace's name, no offset borrowed
        String framed = "x 1 [000] 1.000000: skb:kfree_skb: skbaddr=0xffff888104517200 protocol=2048"
                + " location=0xffffffff82094309 reason: NO_SOCKET\n\tffffffff82094309 tcp_v4_rcv\n\n";
        PerfScriptParser q = new PerfScriptParser(a -> new dev.droptop.model.SymbolResolver.Resolved("other_fn", 9));
        Snapshot t = parse(q, text(framed)).snapshot();
        assertEquals(DropKey.NO_OFFSET, row(t, "tcp_v4_rcv").key().offset());
    }

    @Test
    void headerAndKernelMapSayWhichKernelRecorded() {
        String in = "# ========\n# os release : 6.18.44-fc-v657\n# arch : x86_64\n# ========\n#\n"
                + "swapper     0 [000]     0.000000: PERF_RECORD_MMAP -1/0: [0xffffffff81000000(0x1209988)"
                + " @ 0xffffffff81000000]: x [kernel.kallsyms]_text\n"
                + "bash 1 [000] 0.000000: PERF_RECORD_MMAP2 1/1: [0x7f39(0x2000) @ 0 00:00 0 0]: r-xp [vdso]\n"
                + "x 1 [000] 1.000000: skb:kfree_skb: skbaddr=0xffff888104517200 protocol=2048"
                + " location=tcp_v4_rcv+0x91 reason: NO_SOCKET\n";
        java.util.List<dev.droptop.model.TraceKernel> seen = new java.util.ArrayList<>();
        PerfScriptParser p = new PerfScriptParser(new dev.droptop.model.SymbolResolver() {
            @Override
            public Resolved resolve(long address) {
                return null;
            }

            @Override
            public void traceKernel(dev.droptop.model.TraceKernel k) {
                seen.add(k);
            }
        });
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(1, s.total());
        assertTrue(p.warnings().isEmpty(), p.warnings().counts().toString());
        dev.droptop.model.TraceKernel k = dev.droptop.model.TraceKernel.UNKNOWN;
        for (dev.droptop.model.TraceKernel x : seen) {
            k = k.merge(x);
        }
        assertEquals(new dev.droptop.model.TraceKernel("6.18.44-fc-v657", null, 0xffffffff81000000L, 0x1209988), k);
    }

    @Test
    void headerOfTheEventIsRecognisedBeforeAnySample() throws java.io.IOException {
        // perf script --header --show-mmap-events: hundreds of header and map lines before the first sample
        StringBuilder in = new StringBuilder("# ========\n# captured on    : Tue Dec  1 10:31:12 2026\n"
                + "# os release : 6.18.44-fc-v657\n# event : name = skb:kfree_skb, , id = { 248, 249 }, type = 2\n");
        for (int i = 0; i < 300; i++) {
            in.append("bash 1 [000] 0.000000: PERF_RECORD_MMAP2 1/1: [0x7f39(0x2000) @ 0 00:00 0 0]: r-xp /usr/lib/x").append(i)
                    .append(".so\n");
        }
        in.append("x 1 [000] 1.000000: skb:kfree_skb: skbaddr=0xffff888104517200 protocol=2048"
                + " location=tcp_v4_rcv+0x91 reason: NO_SOCKET\n");
        FormatGuess.Guess g = FormatGuess.guess(text(in.toString()));
        assertEquals(TraceFormat.PERF_SCRIPT, g.format());
        PerfScriptParser p = new PerfScriptParser();
        assertEquals(1, parse(p, g.replay()).snapshot().total());
        assertTrue(p.warnings().isEmpty(), p.warnings().counts().toString());
    }

    /** Without call chains perf pads the comm to 16 columns (builtin-script.c {@code "%16s "}). */
    @Test
    void paddedHeadersWithoutCallChains() {
        String in = "          dg-udp 10198 [001]  7944.776241: skb:kfree_skb: skbaddr=0xffff888104517200 rx_sk=(nil) "
                + "protocol=2048 location=nft_do_chain+0x46f reason: NETFILTER_DROP\n"
                + "         swapper     0 [000]  7944.776300: skb:kfree_skb: skbaddr=0xffff888104517300 rx_sk=(nil) "
                + "protocol=34525 location=tcp_v6_rcv+0x2a reason: NO_SOCKET\n"
                + "  a long comm name 10199 [001]  7944.776400: skb:kfree_skb: skbaddr=0xffff888104517200 "
                + "protocol=2048 location=nft_do_chain+0x46f reason: NETFILTER_DROP\n";
        PerfScriptParser p = new PerfScriptParser();
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(3, s.total());
        assertEquals(2, row(s, "nft_do_chain").total());
        assertEquals(34525, row(s, "tcp_v6_rcv").key().protocol());
        assertEquals(StackTable.NO_STACK, row(s, "tcp_v6_rcv").stacks().get(0).stackId());
        assertTrue(p.warnings().isEmpty(), p.warnings().counts().toString());
    }

    @Test
    void weirdStackLineCountedOnceAndParsingGoesOn() {
        String in = "dg 1 [000] 1.000000: skb:kfree_skb: "
                + "skbaddr=0x1 protocol=2048 location=tcp_v4_rcv+0x99 reason: NO_SOCKET\n"
                + "\tffffffff82094309 tcp_v4_rcv+0x99 ([kernel.kallsyms])\n"
                + "\tnot-an-address ???\n"
                + "\tffffffff820553b8 ip_protocol_deliver_rcu+0x38 ([kernel.kallsyms])\n"
                + "\n"
                + "dg 1 [000] 1.000100: skb:kfree_skb: "
                + "skbaddr=0x1 protocol=2048 location=tcp_v4_rcv+0x99 reason: NO_SOCKET\n";
        PerfScriptParser p = new PerfScriptParser();
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(2, s.total());
        assertEquals(1, p.warnings().count("weird stack line"));
        assertEquals(1, p.warnings().total());
    }

    @Test
    void malformedOffsetIsNoOffset() {
        String in = "dg 1 [000] 1.000000: skb:kfree_skb: "
                + "skbaddr=0x1 protocol=2048 location=tcp_v4_rcv+0x reason: NO_SOCKET\n";
        Snapshot s = parse(new PerfScriptParser(), text(in)).snapshot();
        assertEquals(DropKey.NO_OFFSET, row(s, "tcp_v4_rcv").key().offset());
    }

    @Test
    void emptyInputGivesNothing() {
        PerfScriptParser p = new PerfScriptParser();
        assertEquals(0, parse(p, text("")).snapshot().total());
        assertTrue(p.warnings().isEmpty());
    }

    /** Real lines of perf 6.1 ({@code perf record -m 1 -o - | perf script -i - --show-lost-events}, kernel 6.18). */
    @Test
    void pipeModeLostRecordsAsPerf61PrintsThem() {
        PerfScriptParser p = new PerfScriptParser(RESOLVER);
        String in = "            java 23840 [000]  3263.399101: skb:kfree_skb: skbaddr=0xffff88814e09f200 rx_sk=(nil)"
                + " protocol=2048 location=0xffffffff82046f4c reason: NO_SOCKET\n"
                + "            java 23840 [000]  3263.404915: PERF_RECORD_LOST lost 1\n"
                + "            java 23840 [000]  3263.419990: PERF_RECORD_LOST lost 114\n";
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(1, s.total());
        assertEquals(115, s.lost());
        assertEquals(0, p.warnings().count("weird stack line"), p.warnings().counts().toString());
    }
}
