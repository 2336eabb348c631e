package dev.droptop.cli;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.DropAggregator;
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
import dev.droptop.tui.ReplayPlayer;
import dev.droptop.tui.Terminals;
import dev.droptop.model.Timeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        TraceInput.Loaded loaded = TraceInput.read(file, filter.wrap(agg, filterNames), tables);
        if (loaded.symbols() != null && loaded.symbols().warning() != null) {
            warning = loaded.symbols().warning();
        }
        agg.finish();
        Timeline timeline = new Timeline(intervals, agg.stacks(), agg.effectiveIntervalNanos());
        SystemState system = loaded.system().state();
        return new ReplayPlayer(timeline, loaded.backend(), sp, System::nanoTime, s -> summaries(s, system))
                .names(dev.droptop.model.NetnsNames.of(loaded.namespaces()));
    }

    /** The diagnosis line(s) of the TUI: each finding's summary, most important first. */
    static List<String> summaries(Snapshot s, SystemState system) {
        List<String> out = new ArrayList<>();
        for (Finding f : Diagnoser.diagnose(s, system)) {
            out.add(f.summary());
        }
        return out;
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
