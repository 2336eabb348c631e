package dev.droptop.model;

import java.util.List;
import java.util.Map;

/**
 * What diagnosis knows about the system besides the drops: per-interval counters (as captures
 * store them, oldest first) and, for a live one-shot look, the detailed conntrack state.
 *
 * <p>Counter keys: {@code conntrack.count}, {@code conntrack.max}, {@code conntrack.buckets},
 * {@code conntrack.entry_bytes}, {@code conntrack.stat.<column>} (cumulative, summed over CPUs),
 * {@code kmsg.table_full} and {@code kmsg.suppressed} (cumulative since droptop started),
 * {@code tcp.listen_overflows} and {@code tcp.listen_drops} (TcpExt ListenOverflows/ListenDrops of
 * /proc/net/netstat, cumulative).
 *
 * @param samples counters per interval, oldest first; empty when nothing was sampled
 * @param conntrack the latest detailed state, or null
 */
public record SystemState(List<Map<String, Long>> samples, ConntrackState conntrack) {
    public static final String CT_COUNT = "conntrack.count";
    public static final String CT_MAX = "conntrack.max";
    public static final String CT_BUCKETS = "conntrack.buckets";
    public static final String CT_ENTRY_BYTES = "conntrack.entry_bytes";
    public static final String CT_STAT = "conntrack.stat.";
    public static final String KMSG_TABLE_FULL = "kmsg.table_full";
    public static final String KMSG_SUPPRESSED = "kmsg.suppressed";
    public static final String TCP_LISTEN_OVERFLOWS = "tcp.listen_overflows";
    public static final String TCP_LISTEN_DROPS = "tcp.listen_drops";

    private static final SystemState NONE = new SystemState(List.of(), null);

    public SystemState {
        samples = List.copyOf(samples);
    }

    /** No system information (a foreign trace replayed offline). */
    public static SystemState none() {
        return NONE;
    }

    /** From a capture's per-interval {@code system} maps (empty maps are intervals without counters). */
    public static SystemState fromCounters(List<Map<String, Long>> perInterval) {
        return new SystemState(perInterval.stream().filter(m -> m != null && !m.isEmpty()).toList(), null);
    }

    /** A single look at the system now. */
    public static SystemState of(ConntrackState state) {
        return new SystemState(List.of(state.toCounters()), state);
    }

    public boolean has(String key) {
        return samples.stream().anyMatch(m -> m.containsKey(key));
    }

    /** The largest value of {@code key} over all samples, or -1 when absent. */
    public long peak(String key) {
        return samples.stream().filter(m -> m.containsKey(key)).mapToLong(m -> m.get(key)).max().orElse(-1);
    }

    /** The latest value of {@code key}, or -1 when absent. */
    public long latest(String key) {
        for (int i = samples.size() - 1; i >= 0; i--) {
            Long v = samples.get(i).get(key);
            if (v != null) {
                return v;
            }
        }
        return -1;
    }

    /**
     * How much a cumulative counter rose between the first and the last sample that have it; with
     * a single sample, its value (a rise since the counter was created). 0 when absent.
     */
    public long rise(String key) {
        long first = -1;
        long last = -1;
        int n = 0;
        for (Map<String, Long> m : samples) {
            Long v = m.get(key);
            if (v != null) {
                first = n++ == 0 ? v : first;
                last = v;
            }
        }
        if (n == 0) {
            return 0;
        }
        return n == 1 ? last : Math.max(0, last - first);
    }

    /** Number of samples that carry {@code key}. */
    public int sampleCount(String key) {
        return (int) samples.stream().filter(m -> m.containsKey(key)).count();
    }
}
