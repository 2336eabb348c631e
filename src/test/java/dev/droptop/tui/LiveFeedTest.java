package dev.droptop.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.Snapshot;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The live feed over an injected snapshot supplier: new frames only for new snapshots or status. */
class LiveFeedTest {
    @Test
    void newFrameOnlyWhenTheSnapshotOrStatusChanges() throws Exception {
        AtomicReference<Snapshot> latest = new AtomicReference<>();
        LiveFeed feed = new LiveFeed(latest::get, "tracefs", TuiFixtures.SECOND, () -> 7 * TuiFixtures.SECOND,
                () -> new Frame.Gauge(262000, 262144), s -> s.total() > 100 ? List.of(TuiFixtures.finding("conntrack table full")) : List.of());
        Frame first = feed.current();
        assertSame(first, feed.current());
        assertEquals("waiting for the first interval...", first.status());
        latest.set(TuiFixtures.snapshot());
        Frame second = feed.current();
        assertNotSame(first, second);
        assertSame(second, feed.current());
        feed.end("capture ended (q quits)");
        assertNotSame(second, feed.current());
        assertTrue(feed.current().ended());
        String s = new TuiFixtures.Rig(feed, 80, 24).screen();
        assertTrue(s.contains("droptop  tracefs  interval 1s  elapsed 7s  drops 150"), s);
        assertTrue(s.contains("conntrack 262000/262144 (100%)"), s);
        assertTrue(s.contains("! conntrack table full"), s);
        assertTrue(s.contains("capture ended (q quits)"), s);
    }
}
