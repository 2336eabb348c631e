package dev.droptop.run;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropFilter;
import dev.droptop.model.ForwardingSink;
import dev.droptop.model.Interval;
import dev.droptop.model.NetnsNames;
import dev.droptop.model.Sanitize;
import dev.droptop.model.SystemState;
import dev.droptop.model.Timeline;
import dev.droptop.source.StdinInput;
import dev.droptop.source.TraceInput;
import dev.droptop.tui.DropTopUi;
import dev.droptop.tui.Frame;
import dev.droptop.tui.ReplayPlayer;
import dev.droptop.tui.Terminals;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code droptop replay}: reads the whole trace (through the same sink as live data) into a
 * timeline while the terminal opens, then plays it in the droptop screens. A trace on standard input
 * is read to its end first; the keys then come from the terminal.
 */
public final class ReplayRun {
    private final ReplaySettings s;
    private final PrintStream err;
    /** The symbol warning of the loaded trace, printed after the screen closes (null when none). */
    private String warning;

    public ReplayRun(ReplaySettings settings, PrintStream err) {
        this.s = settings;
        this.err = err;
    }

    /** {@code --speed}: 1, 2, 10, or max (0). */
    public static int speed(String text) {
        try {
            int sp = "max".equals(text) ? 0 : Integer.parseInt(text);
            ReplayPlayer.speedIndex(sp);
            return sp;
        } catch (IllegalArgumentException e) {
            throw new UserError("--speed must be 1, 2, 10 or max, not " + text);
        }
    }

    /** Loads the trace and plays it until the user quits; needs a terminal on standard output. */
    public void play() throws IOException, InterruptedException {
        ReplayPlayer player;
        Terminals.Opening terminal;
        if (StdinInput.isDash(s.file())) {
            // the trace comes on standard input: read it to its end, then take the keys from the terminal
            player = load();
            try {
                System.setIn(new FileInputStream("/dev/tty"));
            } catch (IOException e) {
                throw new UserError("replay -: no terminal to read keys from (/dev/tty: " + e.getMessage() + ")");
            }
            terminal = Terminals.openAsync(Terminals.Style.of(System.getenv()));
        } else {
            terminal = Terminals.openAsync(Terminals.Style.of(System.getenv()));
            try {
                player = load();
            } catch (IOException | RuntimeException e) {
                terminal.discard();
                throw e;
            }
        }
        DropTopUi.runOnTerminal(terminal, player, ui -> { });
        if (warning != null) {
            err.println("droptop: warning: " + Sanitize.text(warning));
        }
    }

    /** What replay does before it opens the screens: the trace read into a player. */
    public ReplayPlayer load() throws IOException {
        DropAggregator agg = new DropAggregator(s.intervalNanos());
        List<Interval> intervals = new ArrayList<>();
        agg.addListener(intervals::add);
        TraceInput.Tables tables = Inputs.tables(s.kallsyms(), s.archive(), null);
        DropFilter filter = Inputs.checked(s.filter());
        NetnsNames filterNames = NetnsNames.NONE;
        if (filter.netns() != null || filter.container() != null) {
            // the names a capture carries, read first so that the filter can match them
            filterNames = NetnsNames.of(TraceInput.read(s.file(), new DropAggregator(agg.intervalNanos()),
                    tables).namespaces());
        }
        GaugeSink sink = new GaugeSink(agg);
        TraceInput.Loaded loaded = TraceInput.read(s.file(), filter.wrap(sink, filterNames), tables);
        if (loaded.symbols() != null && loaded.symbols().warning() != null) {
            warning = loaded.symbols().warning();
        }
        agg.finish();
        Timeline timeline = new Timeline(intervals, agg.stacks(), agg.effectiveIntervalNanos());
        SystemState system = loaded.system().state();
        return new ReplayPlayer(timeline, loaded.backend(), s.speed(), System::nanoTime,
                snapshot -> Diagnoser.diagnose(snapshot, system), sink::gaugeAt)
                .names(NetnsNames.of(loaded.namespaces()));
    }

    /** The symbol warning of the trace {@link #load} read (null when none). */
    public String warning() {
        return warning;
    }

    /**
     * Passes drops to the aggregator and keeps, per interval end, the conntrack count/max a capture
     * sampled then: the replay header shows the gauge as it stood at the position played.
     */
    private static final class GaugeSink extends ForwardingSink {
        private final TreeMap<Long, Frame.Gauge> gauges = new TreeMap<>();

        GaugeSink(DropAggregator agg) {
            super(agg);
        }

        /** The gauge of the latest sample at or before {@code timeNanos}, or null. */
        Frame.Gauge gaugeAt(long timeNanos) {
            Map.Entry<Long, Frame.Gauge> e = gauges.floorEntry(timeNanos);
            return e == null ? null : e.getValue();
        }

        @Override
        public void system(Map<String, Long> counters, long timeNanos) {
            Long count = counters.get(SystemState.CT_COUNT);
            Long max = counters.get(SystemState.CT_MAX);
            if (count != null && max != null && max > 0) {
                gauges.put(timeNanos, new Frame.Gauge(count, max));
            }
            target.system(counters, timeNanos);
        }
    }
}
