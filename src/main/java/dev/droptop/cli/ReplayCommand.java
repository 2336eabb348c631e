package dev.droptop.cli;

import dev.droptop.run.Durations;
import dev.droptop.run.ReplayRun;
import dev.droptop.run.ReplaySettings;
import dev.droptop.system.HostInfo;
import java.io.IOException;
import java.nio.file.Path;
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

    @Mixin
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
        int sp = ReplayRun.speed(speed);
        if (!HostInfo.isTerminal(1)) {
            System.err.println("droptop: replay needs a terminal; for a text summary use: droptop report " + file);
            return Main.USAGE;
        }
        new ReplayRun(new ReplaySettings(file, sp, Durations.parse(interval, "--interval"), filters.given(),
                symbols.kallsyms, symbols.archive), System.err).play();
        return Main.OK;
    }
}
