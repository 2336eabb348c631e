package dev.droptop.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyType;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Flow;
import dev.droptop.model.Timeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flows pane: Tab cycles table, call graph, flows when the snapshot has flows; arrows keep moving the table. */
class FlowsPaneTest {
    @Test
    void tabReachesTheFlowsOfTheSelectedRow() throws Exception {
        DropAggregator agg = TuiFixtures.aggregator();
        DropKey nat = new DropKey("nf_hook_slow", 0x7d, "NETFILTER_DROP", 0x0800, 4026532387L, "n0");
        for (int i = 1; i <= 12; i++) {
            agg.flow(nat, new Flow("198.18.128." + i, "198.18.0.2", 40000 + i, 8081, 6), 13 - i, 3 * TuiFixtures.SECOND);
        }
        agg.flow(DropKey.of("tcp_v4_rcv", 0x91, "NO_SOCKET", 0x0800), new Flow("198.18.0.1", "198.18.0.2", 5, 9, 6), 50,
                3 * TuiFixtures.SECOND);
        TuiFixtures.Rig rig = new TuiFixtures.Rig(new TuiFixtures.TestFeed(agg.snapshot()), 80, 16)
                .keys(KeyType.ArrowDown, KeyType.Tab, KeyType.Tab);
        assertEquals(ViewState.Pane.FLOWS, rig.ui.state().pane());
        List<String> l = List.of(rig.screen().split("\n", -1));
        assertEquals("FLOWS nf_hook_slow+0x7d  NETFILTER_DROP  (Tab: findings)", l.get(6));
        assertTrue(l.get(7).startsWith(" SOURCE > DESTINATION  PROTO") && l.get(7).endsWith("DROPS  SHARE"), l.get(7));
        assertTrue(l.get(8).startsWith(" 198.18.128.1:40001 > 198.18.0.2:8081 tcp") && l.get(8).endsWith("12  15.4%"), l.get(8));
        assertTrue(l.get(9).contains("198.18.128.2:40002") && l.get(9).endsWith("11  14.1%"), l.get(9));
        // what does not fit is summed on the last line of the pane
        String last = l.stream().filter(s -> s.contains("more flows")).findFirst().orElseThrow();
        assertTrue(last.matches(" \\(\\d+ more flows\\)\\s+\\d+\\s+[\\d.]+%"), last);
        // arrows move the table selection, and the pane follows the row
        rig.keys(KeyType.ArrowDown);
        l = List.of(rig.screen().split("\n", -1));
        assertEquals("FLOWS tcp_v4_rcv+0x91  NO_SOCKET  (Tab: findings)", l.get(6));
        assertTrue(l.get(8).startsWith(" 198.18.0.1:5 > 198.18.0.2:9 tcp") && l.get(8).endsWith("50 100.0%"), l.get(8));
        rig.keys(KeyType.Tab);
        assertEquals(ViewState.Pane.FINDINGS, rig.ui.state().pane());
        rig.keys(KeyType.Tab);
        assertEquals(ViewState.Pane.TABLE, rig.ui.state().pane());
    }

    @Test
    void replaysTimelineCarriesTheFlowsUpToEachInterval() {
        DropAggregator agg = new DropAggregator(TuiFixtures.SECOND);
        List<dev.droptop.model.Interval> intervals = new java.util.ArrayList<>();
        agg.addListener(intervals::add);
        Flow f = new Flow("198.18.0.1", "198.18.0.2", 5, 9, 17);
        for (int w = 1; w <= 3; w++) {
            agg.record(TuiFixtures.PORT, 0, 10, w * TuiFixtures.SECOND);
            agg.flow(TuiFixtures.PORT, f, 10, w * TuiFixtures.SECOND);
            agg.intervalEnd(w * TuiFixtures.SECOND);
        }
        Timeline t = new Timeline(intervals, agg.stacks(), TuiFixtures.SECOND);
        assertEquals(30, t.at(2).flows().get(0).count());
        assertEquals(10, t.at(0).flows().get(0).count(), "stepping back rebuilds");
    }

    @Test
    void withoutFlowsTabSkipsTheFlowsPane() throws Exception {
        TuiFixtures.Rig rig = new TuiFixtures.Rig(new TuiFixtures.TestFeed(TuiFixtures.snapshot()), 80, 24)
                .keys(KeyType.Tab, KeyType.Tab);
        assertEquals(ViewState.Pane.FINDINGS, rig.ui.state().pane(), "table, call graph, findings: no flows pane");
        rig.keys(KeyType.Tab);
        assertEquals(ViewState.Pane.TABLE, rig.ui.state().pane());
    }
}
