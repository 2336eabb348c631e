package dev.droptop.tui;

import static dev.droptop.tui.TuiFixtures.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Interval;
import dev.droptop.model.Snapshot;
import dev.droptop.model.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The replay timeline and player: snapshots per interval, stepping both ways, speeds, the end. */
class ReplayPlayerTest {
    private final AtomicLong clock = new AtomicLong();

    private static Timeline timeline() {
        List<Interval> intervals = new ArrayList<>();
        DropAggregator agg = TuiFixtures.aggregator(intervals::add);
        return new Timeline(intervals, agg.stacks(), SECOND);
    }

    @Test
    void snapshotsPerIntervalMatchForwardAndBack() {
        Timeline t = timeline();
        assertEquals(3, t.size());
        assertEquals(150, t.at(2).total());
        assertEquals(50, t.at(0).total());
        assertEquals(70, t.at(1).total());
        assertEquals(150, t.at(2).total());
        Snapshot s = t.at(2);
        assertArrayEquals(new long[] {50, 20, 80}, s.recentTotals());
        assertEquals(3, s.windows());
        assertEquals(TuiFixtures.NAT, s.rows().get(0).key());
        assertArrayEquals(new long[] {10, 20, 30}, s.rows().get(0).recent());
    }

    @Test
    void playsOneIntervalPerSecondAndStopsAtTheEnd() {
        ReplayPlayer p = new ReplayPlayer(timeline(), "perf", 1, clock::get, Diagnosis.NONE);
        Frame f = p.current();
        assertSame(f, p.current());
        assertEquals("interval 1/3  t=1s of 3s  playing  speed 1x", f.timeline());
        assertFalse(f.ended());
        clock.addAndGet(SECOND);
        assertEquals(1, position(p));
        clock.addAndGet(5 * SECOND);
        assertEquals(2, position(p));
        assertFalse(p.isPlaying());
        assertTrue(p.current().timeline().contains("t=3s of 3s  end  speed 1x"), p.current().timeline());
        assertTrue(p.current().ended());
    }

    @Test
    void keysStepJumpPauseAndChangeSpeed() {
        ReplayPlayer p = new ReplayPlayer(timeline(), "perf", 2, clock::get, s -> List.of(TuiFixtures.finding("finding " + s.total())));
        p.control(Keys.Action.PLAY);
        assertFalse(p.isPlaying());
        p.control(Keys.Action.STEP_FORWARD);
        assertEquals(1, position(p));
        p.control(Keys.Action.STEP_BACK);
        p.control(Keys.Action.STEP_BACK);
        assertEquals(0, position(p));
        p.control(Keys.Action.LAST);
        assertEquals(2, position(p));
        assertEquals("finding 150", p.current().findings().get(0).summary());
        p.control(Keys.Action.FIRST);
        p.control(Keys.Action.FASTER);
        p.control(Keys.Action.PLAY);
        clock.addAndGet(SECOND / 10);
        assertEquals(1, position(p));
        assertTrue(p.current().timeline().contains("playing  speed 10x"), p.current().timeline());
    }

    @Test
    void maxSpeedStartsAtTheEnd() {
        ReplayPlayer p = new ReplayPlayer(timeline(), "perf", 0, clock::get, Diagnosis.NONE);
        assertEquals(2, position(p));
        assertEquals(150, p.current().snapshot().total());
    }

    private static int position(ReplayPlayer p) {
        p.current();
        return p.position();
    }
}
