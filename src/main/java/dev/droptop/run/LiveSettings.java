package dev.droptop.run;

import dev.droptop.model.DropFilter;
import java.util.List;

/**
 * What a live or capture run needs, already parsed: backend name ({@code auto} or one of
 * {@code Backends.names()}), aggregation window, call chains on or off, duration (0: until stopped),
 * the load command to run meanwhile (empty: none), and which drops to keep ({@code DropFilter.ALL}: all).
 */
public record LiveSettings(String backend, long intervalNanos, boolean stacks, long durationNanos, List<String> command,
                           DropFilter filter) {
    public LiveSettings {
        command = List.copyOf(command);
    }
}
