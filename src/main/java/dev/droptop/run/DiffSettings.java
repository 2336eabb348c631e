package dev.droptop.run;

import dev.droptop.model.DropFilter;
import java.nio.file.Path;

/**
 * What {@code droptop diff} compares, already parsed and checked.
 *
 * @param before the run before the change; - for standard input
 * @param after the run after the change; - for standard input (not both)
 * @param format text or json
 * @param output where the comparison goes (null or -: standard output)
 * @param intervalNanos window length
 * @param kallsyms a copy of the recording host's /proc/kallsyms (null: none)
 * @param archive a perf archive bundle of the recording host (null: none)
 * @param filter the drops kept ({@code DropFilter.ALL}: all), checked when the inputs are read
 */
public record DiffSettings(Path before, Path after, String format, Path output, long intervalNanos, Path kallsyms,
                           Path archive, DropFilter filter) {
}
