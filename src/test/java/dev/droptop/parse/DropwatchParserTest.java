package dev.droptop.parse;

import static dev.droptop.parse.Fixtures.REASONS;
import static dev.droptop.parse.Fixtures.RESOLVER;
import static dev.droptop.parse.Fixtures.SECOND;
import static dev.droptop.parse.Fixtures.parse;
import static dev.droptop.parse.Fixtures.row;
import static dev.droptop.parse.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropKey;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.Snapshot;
import dev.droptop.model.StackTable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DropwatchParserTest {
    private static final long NOV_17_2020_002651 = 1_605_572_811L * SECOND;

    private static DropwatchParser parser() {
        return new DropwatchParser(RESOLVER, REASONS);
    }

    @Test
    void variant2009RawAddressesAfterLocationWord() {
        String in = "Monitoring for dropped packets\n\n"
                + "5 packets dropped at location 0xffffffff8103ce3b\n"
                + "2 packets dropped at location 0xffffffffc0001234\n\n"
                + "Stopping dropped packet monitor\n";
        DropwatchParser p = parser();
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(7, s.total());
        assertEquals(1, s.windows());
        Snapshot.Row nf = row(s, "nf_hook_slow");
        assertEquals(5, nf.total());
        assertEquals(0x96, nf.key().offset());
        assertEquals(DropKey.NO_REASON, nf.key().reason());
        assertEquals(DropKey.NO_PROTOCOL, nf.key().protocol());
        assertEquals(StackTable.NO_STACK, nf.stacks().get(0).stackId());
        assertEquals(2, row(s, "0xffffffffc0001234").total());
        assertEquals(1, p.warnings().count(LocationReader.UNRESOLVED));
        assertEquals(1, p.warnings().total());
    }

    @Test
    void variant2010SymnameCaseStudy() {
        String in = "10031 packets dropped at nf_hook_slow\n"
                + "676 packets dropped at tcp_v4_rcv\n"
                + "\n"
                + "7284 packets dropped at nf_hook_slow\n"
                + "268 packets dropped at tcp_v4_rcv\n";
        DropwatchParser p = new DropwatchParser();
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(17315, row(s, "nf_hook_slow").total());
        assertEquals(944, row(s, "tcp_v4_rcv").total());
        assertEquals(DropKey.NO_OFFSET, row(s, "tcp_v4_rcv").key().offset());
        assertEquals(2, s.windows());
        assertArrayEquals(new long[] {10707, 7552}, s.recentTotals());
        assertArrayEquals(new long[] {10031, 7284}, row(s, "nf_hook_slow").recent());
        assertEquals(10 * SECOND, s.endNanos()); // synthetic block times 5 s and 10 s
        assertEquals(18259, p.drops());
        assertTrue(p.warnings().isEmpty());
    }

    @Test
    void variant2020CtimeHeadersGiveEpochTimes() {
        String in = "Monitoring for dropped packets\n\n"
                + "Tue Nov 17 00:26:51 2020\n"
                + "1762 packets dropped at unix_stream_recvmsg\n"
                + "4 packets dropped at tun_do_read\n"
                + "2 packets dropped at nf_hook_slow\n\n"
                + "Tue Nov 17 00:26:56 2020\n\n"
                + "Tue Nov 17 00:27:01 2020\n"
                + "3 packets dropped at nf_hook_slow\n"
                + "Stopping dropped packet monitor\n";
        Snapshot s = parse(parser(), text(in)).snapshot();
        assertEquals(1771, s.total());
        assertEquals(3, s.windows()); // the middle tick had no drops
        assertArrayEquals(new long[] {1768, 0, 3}, s.recentTotals());
        assertEquals(NOV_17_2020_002651 + 10 * SECOND, s.endNanos());
        assertEquals(5, row(s, "nf_hook_slow").total());
    }

    @Test
    void variant2023SymdataWithModules() {
        String in = "Tue Nov 17 00:26:51 2020\n"
                + "40 packets dropped at nf_hook_slow+0x96/0x100 [kernel]\n"
                + "7 packets dropped at tcp_v4_rcv+0x99/0x1400\n"
                + "3 packets dropped at 0xffffffffc0a1b2c3 [nf_conntrack+0x1234/0x5000]\n"
                + "1 packets dropped at 0xffffffff82094309 [kernel+0x2094309/0x3000000]\n";
        DropwatchParser p = parser();
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(0x96, row(s, "nf_hook_slow").key().offset());
        Snapshot.Row tcp = row(s, "tcp_v4_rcv");
        assertEquals(8, tcp.total()); // symdata and resolved address give the same key
        assertEquals(0x99, tcp.key().offset());
        Snapshot.Row mod = row(s, "[nf_conntrack]");
        assertEquals(3, mod.total());
        assertEquals("[nf_conntrack]+0x1234", mod.key().location());
        assertEquals(1, p.warnings().count(LocationReader.UNRESOLVED));
        assertEquals(NOV_17_2020_002651, s.endNanos());
        assertEquals(1, s.windows());
    }

    @Test
    void variant2025NumericReasons() {
        String in = "Monitoring for dropped packets\n\n"
                + "Tue Nov 17 00:26:51 2020\n"
                + "9 packets dropped at nf_hook_slow+0x96/0x100 [kernel] for reason: 12\n"
                + "5 packets dropped at tcp_v4_rcv+0x99/0x1400 [kernel] for reason: 999\n"
                + "4 packets dropped at tcp_v4_rcv+0x99/0x1400 [kernel] for reason: 3\n"
                + "1 packets dropped at unix_stream_recvmsg+0x2c5/0x8a0 [kernel] for reason: 0\n\n"
                + "Tue Nov 17 00:26:56 2020\n"
                + "6 packets dropped at tcp_v4_rcv+0x99/0x1400 [kernel] for reason: 999\n";
        DropwatchParser p = parser();
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(9, s.reasons().get("NETFILTER_DROP"));
        assertEquals(11, s.reasons().get("999"));
        assertEquals(4, s.reasons().get("NO_SOCKET"));
        assertEquals(1, s.reasons().get(DropKey.NO_REASON));
        assertEquals(1, p.warnings().count(ReasonNumbers.UNKNOWN));
        assertEquals(1, p.warnings().total());
        assertEquals(2, s.windows());
    }

    @Test
    void reasonsWithoutTableStayNumericWithOneWarning() {
        String in = "9 packets dropped at nf_hook_slow+0x96/0x100 [kernel] for reason: 12\n"
                + "5 packets dropped at tcp_v4_rcv+0x99/0x1400 [kernel] for reason: 3\n";
        DropwatchParser p = new DropwatchParser(RESOLVER, ReasonNames.none());
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals("12", row(s, "nf_hook_slow").key().reason());
        assertEquals("3", row(s, "tcp_v4_rcv").key().reason());
        assertEquals(1, p.warnings().count(ReasonNumbers.NO_TABLE));
        assertEquals(1, p.warnings().total());
    }

    @Test
    void garbageAndTornLinesAreCountedAndParsingGoesOn() {
        String in = "10 packets dropped at nf_hook_slow\n"
                + "WARNING: Number of errors: 0, skipped probes: 3\n"
                + "x packets dropped at nowhere\n"
                + "\u001b[1mbold\u001b[0m\n"
                + "5 packets dropped at tcp_v4_rcv\n"
                + "7 packets dropped at tcp_v4";
        DropwatchParser p = new DropwatchParser();
        Snapshot s = parse(p, text(in)).snapshot();
        assertEquals(15, s.total());
        assertEquals(3, p.warnings().count("unrecognised line"));
        assertEquals(1, p.warnings().count("torn last line skipped"));
        assertEquals(4, p.warnings().total());
    }

    @Test
    void emptyInputGivesNothing() {
        DropwatchParser p = new DropwatchParser();
        Snapshot s = parse(p, text("")).snapshot();
        assertEquals(0, s.total());
        assertEquals(0, s.windows());
        assertTrue(p.warnings().isEmpty());
    }

    @Test
    void ctimeLayouts() {
        assertEquals(NOV_17_2020_002651, ctime("Tue Nov 17 00:26:51 2020"));
        assertEquals(1_706_778_307L * SECOND, ctime("Thu Feb  1 09:05:07 2024"));
        assertEquals(Ascii.INVALID, ctime("Thu Foo  1 09:05:07 2024"));
        assertEquals(Ascii.INVALID, ctime("Thu Feb 31 09:05:07 2024"));
        assertEquals(Ascii.INVALID, ctime("Stopping dropped packet"));
    }

    @Test
    void applicability() {
        byte[] b = "Monitoring for dropped packets\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Applicable.YES, DropwatchParser.isApplicable(b, b.length));
        assertEquals(Applicable.UNSURE, DropwatchParser.isApplicable(b, 10));
    }

    private static long ctime(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return DropwatchParser.parseCtime(b, 0, b.length);
    }
}
