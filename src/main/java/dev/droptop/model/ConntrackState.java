package dev.droptop.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conntrack health of one network namespace at one moment, as the system readers found it.
 *
 * @param count entries now ({@code nf_conntrack_count})
 * @param max table limit ({@code nf_conntrack_max}, global: writable only in the initial netns)
 * @param buckets hash size ({@code nf_conntrack_buckets})
 * @param timeouts TCP timeouts in seconds by state name ({@code time_wait -> 120}), may be empty
 * @param stats {@code /proc/net/stat/nf_conntrack} columns summed over CPUs, by column name
 * @param kmsg table-full kernel log lines seen, or {@link KmsgCounts#NONE} when the log was not read
 * @param entryBytes size of one conntrack entry in bytes
 * @param entryBytesSource where {@code entryBytes} came from ("/proc/slabinfo" or "case study default")
 * @param entries entries by TCP state and source, or null when the table was not read
 */
public record ConntrackState(long count, long max, long buckets, Map<String, Long> timeouts,
                             Map<String, Long> stats, KmsgCounts kmsg, long entryBytes, String entryBytesSource,
                             ConntrackEntries entries) {
    /** Bytes per hash bucket (an hlist head with its nulls marker), from the case study. */
    public static final long BUCKET_BYTES = 16;
    /** Entry size used when /proc/slabinfo is not readable (the case study's value). */
    public static final long DEFAULT_ENTRY_BYTES = 376;

    /** Table-full lines in the kernel log over {@code window} ("since droptop started", "last 10 min"). */
    public record KmsgCounts(long tableFull, long suppressed, String window) {
        public static final KmsgCounts NONE = new KmsgCounts(0, 0, "");

        public boolean read() {
            return !window.isEmpty();
        }
    }

    /** Entries by TCP state (and "udp", "icmp", ... for the other protocols) and the top sources. */
    public record ConntrackEntries(long total, Map<String, Long> byState, List<SourceCount> topSources,
                                   long distinctSources) {
    }

    /** How many entries one original-direction source address has. */
    public record SourceCount(String source, long count) {
    }

    public double fill() {
        return max <= 0 ? 0 : (double) count / max;
    }

    public long stat(String column) {
        return stats.getOrDefault(column, 0L);
    }

    /** {@code max × entry size + buckets × 16 B}, the case study's estimate of the table's memory. */
    public long memoryBytes(long forMax) {
        return forMax * entryBytes + buckets * BUCKET_BYTES;
    }

    /** The counters a capture stores per interval (keys of {@link SystemState}). */
    public Map<String, Long> toCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(SystemState.CT_COUNT, count);
        m.put(SystemState.CT_MAX, max);
        m.put(SystemState.CT_BUCKETS, buckets);
        m.put(SystemState.CT_ENTRY_BYTES, entryBytes);
        stats.forEach((k, v) -> m.put(SystemState.CT_STAT + k, v));
        if (kmsg.read()) {
            m.put(SystemState.KMSG_TABLE_FULL, kmsg.tableFull());
            m.put(SystemState.KMSG_SUPPRESSED, kmsg.suppressed());
        }
        return m;
    }
}
