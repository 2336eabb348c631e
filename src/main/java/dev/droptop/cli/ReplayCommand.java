package dev.droptop.cli;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.ForwardingSink;
import dev.droptop.model.Interval;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import dev.droptop.run.Durations;
import dev.droptop.run.UserError;
import dev.droptop.source.StdinInput;
import dev.droptop.source.TraceInput;
import dev.droptop.system.HostInfo;
import dev.droptop.model.Sanitize;
import dev.droptop.tui.DropTopUi;
import dev.droptop.tui.Frame;
import dev.droptop.tui.ReplayPlayer;
import dev.droptop.tui.Terminals;
import dev.droptop.model.Timeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code droptop replay FILE}: the live screens over a saved capture or any trace report reads. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Play a saved capture (or any trace 'report' reads) in the droptop screens.",
                "Interval by interval: space pauses, left/right step, Home/End jump, +/- change the speed, ? lists all keys."},
        footer = {"", "Examples:",
                "  droptop replay drops.jsonl",
                "  droptop replay --speed max samples/perf/nat-conntrack-full.perf.txt"})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Capture or trace file; - for standard input (keys then come from the terminal)")
    Path file;

    @picocli.CommandLine.Mixin
    FilterOptions filters = new FilterOptions();

    @Option(names = "--speed", paramLabel = "S", description = "1, 2, 10 or max (default: ${DEFAULT-VALUE})")
    String speed = "1";

    @Option(names = "--interval", paramLabel = "D",
            description = "Window length for traces without their own, e.g. 1s, 500ms (default: ${DEFAULT-VALUE})")
    String interval = "1s";

    @Mixin
    SymbolOptions symbols = new SymbolOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        int sp = speed();
        if (!HostInfo.isTerminal(1)) {
            System.err.println("droptop: replay needs a terminal; for a text summary use: droptop report " + file);
            return Main.USAGE;
        }
        ReplayPlayer player;
        Terminals.Opening terminal;
        if (StdinInput.isDash(file)) {
            // the trace comes on standard input: read it to its end, then take the keys from the terminal
            player = load(sp);
            try {
                System.setIn(new java.io.FileInputStream("/dev/tty"));
            } catch (IOException e) {
                throw new UserError("replay -: no terminal to read keys from (/dev/tty: " + e.getMessage() + ")");
            }
            terminal = Terminals.openAsync(Terminals.Style.of(System.getenv()));
        } else {
            terminal = Terminals.openAsync(Terminals.Style.of(System.getenv()));
            try {
                player = load(sp);
            } catch (IOException | RuntimeException e) {
                terminal.discard();
                throw e;
            }
        }
        DropTopUi.runOnTerminal(terminal, player, ui -> { });
        if (warning != null) {
            System.err.println("droptop: warning: " + Sanitize.text(warning));
        }
        return Main.OK;
    }

    /** The symbol warning of the loaded trace, printed after the screen closes (null when none). */
    String warning;

    ReplayPlayer load(int sp) throws IOException {
        DropAggregator agg = new DropAggregator(Durations.parse(interval, "--interval"));
        List<Interval> intervals = new ArrayList<>();
        agg.addListener(intervals::add);
        TraceInput.Tables tables = symbols.tables(null);
        dev.droptop.model.DropFilter filter = filters.filter();
        dev.droptop.model.NetnsNames filterNames = dev.droptop.model.NetnsNames.NONE;
        if (filter.netns() != null || filter.container() != null) {
            // the names a capture carries, read first so that the filter can match them
            filterNames = dev.droptop.model.NetnsNames.of(TraceInput.read(file, new DropAggregator(agg.intervalNanos()),
                    tables).namespaces());
        }
        GaugeSink sink = new GaugeSink(agg);
        TraceInput.Loaded loaded = TraceInput.read(file, filter.wrap(sink, filterNames), tables);
        if (loaded.symbols() != null && loaded.symbols().warning() != null) {
            warning = loaded.symbols().warning();
        }
        agg.finish();
        Timeline timeline = new Timeline(intervals, agg.stacks(), agg.effectiveIntervalNanos());
        SystemState system = loaded.system().state();
        return new ReplayPlayer(timeline, loaded.backend(), sp, System::nanoTime, s -> findings(s, system),
                sink::gaugeAt).names(dev.droptop.model.NetnsNames.of(loaded.namespaces()));
    }

    /** The findings of the TUI, most important first. */
    static List<Finding> findings(Snapshot s, SystemState system) {
        return Diagnoser.diagnose(s, system);
    }

    /**
     * Passes drops to the aggregator and keeps, per interval end, the conntrack count/max a capture
     * sampled then: the replay header shows the gauge as it stood at the position played.
     */
    static final class GaugeSink extends ForwardingSink {
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

    private int speed() {
        try {
            int s = "max".equals(speed) ? 0 : Integer.parseInt(speed);
            ReplayPlayer.speedIndex(s);
            return s;
        } catch (IllegalArgumentException e) {
            throw new UserError("--speed must be 1, 2, 10 or max, not " + speed);
        }
    }
}
