package dev.droptop.run;

import java.util.List;

/**
 * What a live or capture run needs, already parsed: backend name ({@code auto} or one of
 * {@code Backends.names()}), aggregation window, call chains on or off, duration (0: until stopped),
 * and the load command to run meanwhile (empty: none).
 */
public record LiveSettings(String backend, long intervalNanos, boolean stacks, long durationNanos, List<String> command) {
    public LiveSettings {
        command = List.copyOf(command);
    }
}
