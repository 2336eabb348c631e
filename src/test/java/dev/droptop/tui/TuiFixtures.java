package dev.droptop.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Known snapshots and a virtual-terminal UI to render them, for the TUI tests. */
final class TuiFixtures {
    static final long SECOND = 1_000_000_000L;
    static final DropKey NAT = DropKey.of("nf_hook_slow", 0x7d, "NETFILTER_DROP", 0x0800);
    static final DropKey PORT = DropKey.of("tcp_v4_rcv", 0x91, "NO_SOCKET", 0x0800);
    static final DropKey PURGE = DropKey.of("sk_stream_kill_queues", 0x57, "QUEUE_PURGE", 0x0800);
    static final Terminals.Style UTF8_COLOR = new Terminals.Style(true, true);

    private TuiFixtures() {
    }

    /**
     * Three 1 s windows. NAT: 10, 20, 30 (60 total; 45 via ip_rcv ← __netif_receive_skb_one_core, 15 via
     * ip_rcv ← ip_sublist_rcv); PORT: 40, 0, 10 (50); PURGE: 0, 0, 40 (40).
     */
    static DropAggregator aggregator(dev.droptop.model.IntervalListener... listeners) {
        DropAggregator agg = new DropAggregator(SECOND);
        for (dev.droptop.model.IntervalListener l : listeners) {
            agg.addListener(l);
        }
        agg.begin(0);
        int core = stack(agg, "nf_hook_slow", "ip_rcv", "__netif_receive_skb_one_core", "process_backlog");
        int list = stack(agg, "nf_hook_slow", "ip_rcv", "ip_sublist_rcv");
        int port = stack(agg, "tcp_v4_rcv", "ip_local_deliver_finish");
        long[][] nat = {{5, 5}, {15, 5}, {25, 5}};
        long[] ports = {40, 0, 10};
        long[] purge = {0, 0, 40};
        for (int w = 0; w < 3; w++) {
            long t = w * SECOND + 1000;
            agg.record(NAT, core, nat[w][0], t);
            agg.record(NAT, list, nat[w][1], t);
            agg.record(PORT, port, ports[w], t);
            agg.record(PURGE, StackTable.NO_STACK, purge[w], t);
        }
        agg.advanceTo(3 * SECOND);
        return agg;
    }

    static Snapshot snapshot() {
        return aggregator().snapshot();
    }

    static int stack(DropAggregator agg, String... frames) {
        SymbolTable symbols = agg.symbols();
        int[] ids = new int[frames.length];
        for (int i = 0; i < frames.length; i++) {
            ids[i] = symbols.intern(frames[i]);
        }
        return agg.stacks().intern(ids, 0, ids.length);
    }

    /** A feed that returns whatever frame the test sets. */
    static class TestFeed implements Feed {
        final AtomicReference<Frame> frame = new AtomicReference<>();
        final List<Keys.Action> controls = new ArrayList<>();
        /** How often the UI asked for the current frame: one per turn of its loop, at least. */
        final java.util.concurrent.atomic.AtomicLong polls = new java.util.concurrent.atomic.AtomicLong();

        TestFeed(Snapshot s) {
            set(s);
        }

        void set(Snapshot s) {
            frame.set(Frame.of(s, "perf", 3 * SECOND));
        }

        @Override
        public Frame current() {
            polls.incrementAndGet();
            return frame.get();
        }

        @Override
        public void control(Keys.Action a) {
            controls.add(a);
        }
    }

    /** A UI on a virtual terminal of the given size. */
    static final class Rig {
        final DefaultVirtualTerminal terminal;
        final DropTopUi ui;

        Rig(Feed feed, int cols, int rows, Terminals.Style style) throws IOException {
            terminal = new DefaultVirtualTerminal(new TerminalSize(cols, rows));
            ui = new DropTopUi(terminal, feed, style);
        }

        Rig(Feed feed, int cols, int rows) throws IOException {
            this(feed, cols, rows, UTF8_COLOR);
        }

        /** Draws and returns the screen, trailing blanks of each line cut. */
        String screen() throws IOException {
            ui.draw();
            StringBuilder sb = new StringBuilder();
            TerminalSize size = terminal.getTerminalSize();
            for (int y = 0; y < size.getRows(); y++) {
                StringBuilder line = new StringBuilder();
                for (int x = 0; x < size.getColumns(); x++) {
                    line.append(terminal.getCharacter(x, y).getCharacterString());
                }
                sb.append(line.toString().stripTrailing()).append('\n');
            }
            return sb.toString();
        }

        Rig keys(Object... keys) {
            for (Object k : keys) {
                ui.press(k instanceof KeyType ? new KeyStroke((KeyType) k) : new KeyStroke((Character) k, false, false));
            }
            return this;
        }
    }

    static Map<String, String> env(String... kv) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A finding with only a summary (evidence and advice say they are made up). */
    static dev.droptop.diagnose.Finding finding(String summary) {
        return new dev.droptop.diagnose.Finding("test", dev.droptop.diagnose.Severity.CRITICAL, summary,
                "fixture evidence", "fixture advice", 1);
    }
}
