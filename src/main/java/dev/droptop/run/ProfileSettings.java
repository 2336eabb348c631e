package dev.droptop.run;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code droptop profile} was asked for, as given: {@link ProfileRun} checks it (in the order the
 * command always has, so the first bad option is the one named).
 *
 * @param symbol the kernel function to look at (null: the top network symbols)
 * @param duration the {@code --duration} text, parsed only when recording (an --input run ignores it)
 * @param frequency samples per second per CPU
 * @param output {@code -o}: the report when its extension names a format (or it is -, or format is html),
 *               else where the recorded perf.data is kept; null: neither
 * @param input a perf.data or perf script text to read instead of recording (- is standard input)
 * @param event with input: the event to profile (null: the first)
 * @param format text, json or html (null: from the output's extension, else the screen or text)
 * @param top symbols listed without a symbol
 * @param command the load command to profile (empty: none)
 * @param kallsyms a copy of the recording host's /proc/kallsyms (null: none)
 * @param archive a perf archive bundle of the recording host (null: none)
 */
public record ProfileSettings(String symbol, String duration, int frequency, Path output, Path input, String event,
                              String format, int top, List<String> command, Path kallsyms, Path archive) {
    public ProfileSettings {
        command = List.copyOf(command);
    }
}
