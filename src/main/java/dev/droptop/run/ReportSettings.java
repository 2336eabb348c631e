package dev.droptop.run;

import dev.droptop.model.DropFilter;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code droptop report} writes, already parsed and checked.
 *
 * @param files trace or capture files, added together; - for standard input
 * @param format text, json, csv, collapsed or html
 * @param top rows in the table and in JSON drops
 * @param output where the report goes (null or -: standard output)
 * @param intervalNanos window length for rates
 * @param kallsyms a copy of the recording host's /proc/kallsyms (null: none)
 * @param archive a perf archive bundle of the recording host (null: none)
 * @param tracepointFormat a copy of events/skb/kfree_skb/format for reason numbers (null: the running kernel's)
 * @param filter the drops kept ({@code DropFilter.ALL}: all), checked when the inputs are read
 */
public record ReportSettings(List<Path> files, String format, int top, Path output, long intervalNanos, Path kallsyms,
                             Path archive, Path tracepointFormat, DropFilter filter) {
    public ReportSettings {
        files = List.copyOf(files);
    }
}
