package dev.droptop.tui;

import static dev.droptop.tui.TuiFixtures.SECOND;
import static dev.droptop.tui.TuiFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.testing.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key handling: selection follows the row key, pause, quit, replay keys, sanitising. */
class KeysTest {
    @Test
    void selectionFollowsTheRowKeyAcrossRefreshes() throws Exception {
        TuiFixtures.TestFeed feed = new TuiFixtures.TestFeed(snapshot());
        TuiFixtures.Rig rig = new TuiFixtures.Rig(feed, 80, 24).keys(KeyType.ArrowDown);
        assertTrue(rig.screen().contains(">nf_hook_slow+0x7d"));
        DropAggregator agg = TuiFixtures.aggregator();
        agg.record(TuiFixtures.PORT, 0, 500, 3 * SECOND + 5);
        agg.record(TuiFixtures.PURGE, 0, 400, 3 * SECOND + 5);
        agg.advanceTo(4 * SECOND);
        feed.set(agg.snapshot());
        List<String> l = List.of(rig.screen().split("\n"));
        assertTrue(l.get(5).startsWith(">nf_hook_slow+0x7d"), String.join("\n", l));
        assertEquals(TuiFixtures.NAT.location(), l.get(7).substring(2, 19));
    }

    @Test
    void pauseHoldsTheDisplayWhileTheFeedMovesOn() throws Exception {
        TuiFixtures.TestFeed feed = new TuiFixtures.TestFeed(snapshot());
        TuiFixtures.Rig rig = new TuiFixtures.Rig(feed, 80, 24).keys('p');
        DropAggregator agg = TuiFixtures.aggregator();
        agg.record(TuiFixtures.PORT, 0, 500, 3 * SECOND + 5);
        agg.advanceTo(4 * SECOND);
        feed.set(agg.snapshot());
        String s = rig.screen();
        assertTrue(s.contains("drops 150 ") && s.contains("DISPLAY PAUSED"), s);
        rig.keys('p');
        assertTrue(rig.screen().contains("drops 650 "));
    }

    @Test
    void quitEndsTheLoopAndReplayKeysGoToTheFeed() throws Exception {
        TuiFixtures.TestFeed feed = new TuiFixtures.TestFeed(snapshot());
        TuiFixtures.Rig rig = new TuiFixtures.Rig(feed, 80, 24);
        rig.ui.offer(new KeyStroke(' ', false, false));
        rig.ui.offer(new KeyStroke(KeyType.ArrowLeft));
        rig.ui.offer(new KeyStroke(KeyType.End));
        rig.ui.offer(new KeyStroke('+', false, false));
        rig.ui.offer(new KeyStroke('q', false, false));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> rig.ui.run(false));
        assertTrue(rig.ui.state().isQuit());
        assertEquals(List.of(Keys.Action.PLAY, Keys.Action.STEP_BACK, Keys.Action.LAST, Keys.Action.FASTER),
                feed.controls);
    }

    @Test
    void ctrlCQuitsAndQuitWorksFromHelp() throws Exception {
        assertEquals(Keys.Action.QUIT, Keys.of(new KeyStroke('c', true, false)));
        TuiFixtures.Rig rig = new TuiFixtures.Rig(new TuiFixtures.TestFeed(snapshot()), 80, 24).keys('?', 'q');
        assertTrue(rig.ui.state().isQuit());
    }

    @Test
    void idleLoopRedrawsOnlyForNewFrames() throws Exception {
        TuiFixtures.TestFeed feed = new TuiFixtures.TestFeed(snapshot());
        TuiFixtures.Rig rig = new TuiFixtures.Rig(feed, 80, 24);
        Thread t = new Thread(() -> {
            try {
                rig.ui.run(false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        idleTurns(feed, 3);
        assertEquals(1, rig.ui.redraws(), "three idle turns of the loop drew nothing new");
        feed.set(snapshot());
        Await.until("the new frame drawn", 10_000, () -> rig.ui.redraws() == 2);
        idleTurns(feed, 3);
        rig.ui.requestQuit();
        t.join(2000);
        assertFalse(t.isAlive());
        assertEquals(2, rig.ui.redraws());
    }

    /** Waits until the UI loop has asked the feed for its frame {@code turns} more times. */
    private static void idleTurns(TuiFixtures.TestFeed feed, int turns) throws InterruptedException {
        long target = feed.polls.get() + turns;
        Await.until(turns + " turns of the UI loop", 10_000, () -> feed.polls.get() >= target);
    }

    @Test
    void controlBytesFromTracesNeverReachTheTerminal() throws Exception {
        DropAggregator agg = new DropAggregator(SECOND);
        DropKey evil = DropKey.of("evil\u001b]0;pwned\u0007sym", 1, "R\u009b31m", 0x0800);
        int stack = TuiFixtures.stack(agg, "evil\u001b]0;pwned\u0007sym", "caller\u001b[2J");
        agg.record(evil, stack, 3, 10);
        agg.advanceTo(SECOND + 10);
        TuiFixtures.Rig rig = new TuiFixtures.Rig(new TuiFixtures.TestFeed(agg.snapshot()), 80, 24);
        String s = rig.screen();
        assertTrue(s.contains("evil?]0;pwned?sym+0x1"), s);
        assertTrue(s.contains("R?31m"), s);
        assertTrue(s.contains("caller?[2J"), s);
        assertTrue(s.chars().noneMatch(c -> c != '\n' && (c < 0x20 || c >= 0x7f && c < 0xa0)), s);
    }
}
