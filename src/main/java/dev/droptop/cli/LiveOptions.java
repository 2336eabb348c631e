package dev.droptop.cli;

import dev.droptop.run.Durations;
import dev.droptop.run.LiveSettings;
import dev.droptop.run.UserError;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options live and capture share (DESIGN.md CLI contract). */
final class LiveOptions {
    @picocli.CommandLine.Mixin
    FilterOptions filters = new FilterOptions();

    @Option(names = "--backend", paramLabel = "B",
            description = "auto, perf, perf-native, bpftrace, tracefs or stap (default: ${DEFAULT-VALUE}: the best one that works here)")
    String backend = "auto";

    @Option(names = "--interval", paramLabel = "D", description = "Aggregation window, e.g. 1s, 500ms (default: ${DEFAULT-VALUE})")
    String interval = "1s";

    @Option(names = "--stacks", description = "Record the call chain of every drop (more overhead)")
    boolean stacks;

    @Option(names = "--duration", paramLabel = "D", description = "Stop after D (e.g. 30s, 5m); default: until Ctrl-C or CMD ends")
    String duration;

    @Parameters(paramLabel = "CMD", arity = "0..*",
            description = "After --: a load command to run while capturing; the capture stops when it exits")
    List<String> command = new ArrayList<>();

    /** The options parsed; a bad duration is a {@code UserError}. */
    LiveSettings settings() {
        return new LiveSettings(backend, intervalNanos(), stacks, durationNanos(), command, filters.filter());
    }

    long intervalNanos() {
        return Durations.parse(interval, "--interval");
    }

    long durationNanos() {
        return duration == null ? 0 : Durations.parse(duration, "--duration");
    }
}
