package dev.droptop.run;

import dev.droptop.model.DropFilter;
import dev.droptop.source.Backend;
import java.util.List;

/**
 * What a live or capture run needs, already parsed: backend name ({@code auto} or one of
 * {@code Backends.names()}), aggregation window, call chains on or off, duration (0: until stopped),
 * the load command to run meanwhile (empty: none), which drops to keep ({@code DropFilter.ALL}: all), and
 * what to take of the dropped packets ({@code Backend.Packets.NONE}: nothing; flows and pcap otherwise).
 */
public record LiveSettings(String backend, long intervalNanos, boolean stacks, long durationNanos, List<String> command,
                           DropFilter filter, Backend.Packets packets) {
    public LiveSettings {
        command = List.copyOf(command);
    }
}
