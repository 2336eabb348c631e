package dev.droptop.run;

import dev.droptop.model.DropFilter;
import java.nio.file.Path;

/**
 * What {@code droptop replay} plays, already parsed.
 *
 * @param file capture or trace file; - for standard input (keys then come from the terminal)
 * @param speed 1, 2 or 10, or 0 for as fast as possible ({@link ReplayRun#speed})
 * @param intervalNanos window length for traces without their own
 * @param filter the drops kept ({@code DropFilter.ALL}: all), checked when the trace is read
 * @param kallsyms a copy of the recording host's /proc/kallsyms (null: none)
 * @param archive a perf archive bundle of the recording host (null: none)
 */
public record ReplaySettings(Path file, int speed, long intervalNanos, DropFilter filter, Path kallsyms, Path archive) {
}
