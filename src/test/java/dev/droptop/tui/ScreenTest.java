package dev.droptop.tui;

import static dev.droptop.tui.TuiFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyType;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Screen contents for a known snapshot on Lanterna's virtual terminal (80×24 and 120×40). */
class ScreenTest {
    static TuiFixtures.Rig rig(int cols, int rows) throws Exception {
        return new TuiFixtures.Rig(new TuiFixtures.TestFeed(snapshot()), cols, rows);
    }

    private static List<String> lines(String screen) {
        return List.of(screen.split("\n", -1));
    }

    @Test
    void mainScreenAt80x24() throws Exception {
        TuiFixtures.Rig rig = rig(80, 24).keys(KeyType.ArrowDown);
        List<String> l = lines(rig.screen());
        assertEquals("droptop  perf  interval 1s  elapsed 3s  drops 150  rate 80/s  lost 0", l.get(0));
        assertEquals("sort rate  group both", l.get(1));
        assertEquals(" LOCATION                REASON             DROPS/S      TOTAL  SHARE TREND", l.get(2));
        assertEquals(" sk_stream_kill_queues+… QUEUE_PURGE             40         40  26.7%          █", l.get(3));
        assertEquals(">nf_hook_slow+0x7d       NETFILTER_DROP          30         60  40.0%        ▃▆█", l.get(4));
        assertEquals(" tcp_v4_rcv+0x91         NO_SOCKET               10         50  33.3%        █ ▂", l.get(5));
        assertEquals("CALL GRAPH nf_hook_slow+0x7d  NETFILTER_DROP  (callers, Enter folds)", l.get(6));
        assertEquals("▾ nf_hook_slow+0x7d                                                   60  100.0%", l.get(7));
        assertEquals("▾ ← ip_rcv                                                            60  100.0%", l.get(8));
        assertEquals("  ▾ __netif_receive_skb_one_core                                      45   75.0%", l.get(9));
        assertEquals("    ← process_backlog                                                 45   75.0%", l.get(10));
        assertEquals("    ip_sublist_rcv                                                    15   25.0%", l.get(11));
        assertEquals("? help q quit ↑↓ select Enter fold Tab pane f findings s sort g group / filter", l.get(23));
        assertEquals(25, l.size());
        // the last free line of the call-graph area explains the selected row's reason (reason catalogue)
        assertEquals("? NETFILTER_DROP: netfilter dropped the packet: a rule verdict or a hook such a…", l.get(22));
    }

    @Test
    void largerTerminalWidensColumnsAndTrend() throws Exception {
        List<String> l = lines(rig(120, 40).screen());
        assertTrue(l.get(3).startsWith(">sk_stream_kill_queues+0x57 "), l.get(3));
        assertTrue(l.get(4).endsWith("40.0%             ▃▆█"), l.get(4));
        assertTrue(l.get(39).contains("p pause"), l.get(39));
        assertEquals(120, l.get(2).length() + (120 - l.get(2).length()));
    }

    @Test
    void enterCollapsesTheTreeAndTabMovesIntoIt() throws Exception {
        TuiFixtures.Rig rig = rig(80, 24).keys(KeyType.ArrowDown, KeyType.Enter);
        List<String> l = lines(rig.screen());
        assertEquals("▸ nf_hook_slow+0x7d                                                   60  100.0%", l.get(7));
        assertEquals("", l.get(8));
        rig.keys(KeyType.Enter, KeyType.Tab, KeyType.ArrowDown, KeyType.ArrowDown, KeyType.Enter);
        l = lines(rig.screen());
        assertEquals("  ▸ __netif_receive_skb_one_core                                      45   75.0%", l.get(9));
        assertEquals("    ip_sublist_rcv                                                    15   25.0%", l.get(10));
        assertEquals(ViewState.Pane.TREE, rig.ui.state().pane());
    }

    @Test
    void sortCyclesRateTotalName() throws Exception {
        TuiFixtures.Rig rig = rig(80, 24);
        assertEquals(List.of("sk_stream", "nf_hook_s", "tcp_v4_rc"), firstColumn(rig.screen()));
        rig.keys('s');
        String s = rig.screen();
        assertEquals(List.of("nf_hook_s", "tcp_v4_rc", "sk_stream"), firstColumn(s));
        assertTrue(s.contains("sort total"));
        rig.keys('s');
        assertEquals(List.of("nf_hook_s", "sk_stream", "tcp_v4_rc"), firstColumn(rig.screen()));
        rig.keys('s');
        assertEquals(ViewState.Sort.RATE, rig.ui.state().sort());
    }

    @Test
    void anEndedFeedSortsByTotalOnceAndSStillCycles() throws Exception {
        TuiFixtures.TestFeed feed = new TuiFixtures.TestFeed(TuiFixtures.snapshot());
        TuiFixtures.Rig rig = new TuiFixtures.Rig(feed, 80, 24);
        assertEquals(List.of("sk_stream", "nf_hook_s", "tcp_v4_rc"), firstColumn(rig.screen()));
        Frame f = feed.frame.get();
        feed.frame.set(new Frame(f.snapshot(), f.backend(), f.elapsedNanos(), "", null, List.of(), "capture ended", true));
        String s = rig.screen();
        assertEquals(List.of("nf_hook_s", "tcp_v4_rc", "sk_stream"), firstColumn(s));
        assertTrue(s.contains("sort total"), s);
        rig.keys('s');
        assertEquals(ViewState.Sort.NAME, rig.ui.state().sort());
        assertTrue(rig.screen().contains("sort name"));
    }

    @Test
    void findingsPaneShowsEveryFindingWithEvidenceAndAdvice() throws Exception {
        TuiFixtures.TestFeed feed = new TuiFixtures.TestFeed(TuiFixtures.snapshot());
        Frame f = feed.frame.get();
        feed.frame.set(new Frame(f.snapshot(), f.backend(), f.elapsedNanos(), "", null,
                List.of(TuiFixtures.finding("first"), TuiFixtures.finding("second")), "", false));
        TuiFixtures.Rig rig = new TuiFixtures.Rig(feed, 80, 24);
        String s = rig.screen();
        assertTrue(s.contains("! first") && s.contains("(+1 more, f shows all)"), s);
        s = rig.keys('f').screen();
        assertTrue(s.contains("FINDINGS (2)") && s.contains("1. [critical] first  (1 drops)")
                && s.contains("2. [critical] second") && s.contains("evidence: fixture evidence")
                && s.contains("advice:   fixture advice"), s);
        assertEquals(ViewState.Pane.FINDINGS, rig.ui.state().pane());
        rig.keys('f');
        assertEquals(ViewState.Pane.TABLE, rig.ui.state().pane());
    }

    @Test
    void groupByLocationReasonBoth() throws Exception {
        DropAggregator agg = TuiFixtures.aggregator();
        agg.record(DropKey.of("nf_hook_slow", 0x7d, "NO_SOCKET", 0x0800), 0, 5, 3 * TuiFixtures.SECOND + 1);
        agg.advanceTo(4 * TuiFixtures.SECOND);
        TuiFixtures.Rig rig = new TuiFixtures.Rig(new TuiFixtures.TestFeed(agg.snapshot()), 80, 24);
        rig.keys('s', 'g');
        List<String> l = lines(rig.screen());
        assertTrue(l.get(1).contains("group location"), l.get(1));
        assertTrue(l.get(3).startsWith(">nf_hook_slow+0x7d       (2 reasons)"), l.get(3));
        assertTrue(l.get(3).contains(" 65  41.9%"), l.get(3));
        rig.keys('g');
        l = lines(rig.screen());
        assertTrue(l.get(3).startsWith(">nf_hook_slow+0x7d       NETFILTER_DROP"), l.get(3));
        assertTrue(l.get(4).startsWith(" (2 locations)           NO_SOCKET"), l.get(4));
        assertTrue(l.get(4).contains(" 55  35.5%"), l.get(4));
        rig.keys('g');
        assertEquals(ViewState.Group.NETNS, rig.ui.state().group());
        l = lines(rig.screen());
        assertTrue(l.get(3).startsWith(">[-] nf_hook_slow+0x7d"), "no netns in this trace: " + l.get(3));
        rig.keys('g');
        assertEquals(ViewState.Group.BOTH, rig.ui.state().group());
    }

    @Test
    void filterKeepsMatchingRowsAndEscClears() throws Exception {
        TuiFixtures.Rig rig = rig(80, 24).keys('/', 'S', 'O', 'C');
        String s = rig.screen();
        assertTrue(s.contains("filter: SOC_"), s);
        rig.keys(KeyType.Enter);
        assertEquals(List.of("tcp_v4_rc"), firstColumn(s = rig.screen()));
        assertTrue(s.contains("filter 'SOC'"), s);
        rig.keys('/', KeyType.Escape);
        assertEquals(3, firstColumn(rig.screen()).size());
    }

    @Test
    void helpOverlayOpensAndAnyKeyClosesIt() throws Exception {
        TuiFixtures.Rig rig = rig(80, 24).keys('?');
        String s = rig.screen();
        assertTrue(s.contains("droptop keys"), s);
        assertTrue(s.contains("cycle sort: rate, total, name"), s);
        assertFalse(s.contains("replay: pause"), s);
        assertTrue(s.contains("findings: evidence and advice") && s.contains("write the current view to a text file")
                && s.contains("any key closes this help"), s);
        rig.keys('x');
        assertFalse(rig.screen().contains("droptop keys"));
        assertFalse(rig.ui.state().isQuit());
    }

    @Test
    void replayHelpGoesIntoTwoColumnsWhenTooTall() throws Exception {
        TuiFixtures.TestFeed feed = new TuiFixtures.TestFeed(TuiFixtures.snapshot()) {
            @Override
            public boolean isReplay() {
                return true;
            }
        };
        TuiFixtures.Rig rig = new TuiFixtures.Rig(feed, 100, 24).keys('?');
        String s = rig.screen();
        assertTrue(s.contains("droptop keys") && s.contains("replay: faster") && s.contains("any key closes this help"), s);
        assertTrue(s.lines().allMatch(l -> l.length() <= 100), s);
    }

    @Test
    void noColorLeavesEveryCellInDefaultColours() throws Exception {
        Terminals.Style style = Terminals.Style.of(TuiFixtures.env("NO_COLOR", "1", "LANG", "C.UTF-8"));
        assertFalse(style.color());
        TuiFixtures.Rig plain = new TuiFixtures.Rig(new TuiFixtures.TestFeed(snapshot()), 80, 24, style);
        plain.screen();
        assertEquals(0, coloured(plain));
        TuiFixtures.Rig colour = rig(80, 24);
        colour.screen();
        assertTrue(coloured(colour) > 0);
    }

    @Test
    void asciiTerminalGetsAsciiSparklineAndMarkers() throws Exception {
        TuiFixtures.Rig rig = new TuiFixtures.Rig(new TuiFixtures.TestFeed(snapshot()), 80, 24,
                Terminals.Style.of(TuiFixtures.env("LANG", "C")));
        List<String> l = lines(rig.keys(KeyType.ArrowDown).screen());
        assertTrue(l.get(4).endsWith("40.0%        -+#"), l.get(4));
        assertTrue(l.get(8).startsWith("- <- ip_rcv"), l.get(8));
        assertTrue(l.get(23).startsWith("? help q quit up/down select"), l.get(23));
    }

    private static int coloured(TuiFixtures.Rig rig) {
        int n = 0;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 80; x++) {
                var c = rig.terminal.getCharacter(x, y);
                n += c.getForegroundColor() != TextColor.ANSI.DEFAULT || c.getBackgroundColor() != TextColor.ANSI.DEFAULT
                        ? 1 : 0;
            }
        }
        return n;
    }

    static List<String> firstColumn(String screen) {
        List<String> l = lines(screen);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = 3; i < l.size() && !l.get(i).startsWith("CALL GRAPH") && !l.get(i).isEmpty(); i++) {
            out.add(l.get(i).substring(1, 10));
        }
        return out;
    }
}
