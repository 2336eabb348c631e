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
 * <p>Only what the rules ask is kept, per key: the first and latest value, the peak and the number
 * of samples ({@link Counters}), so a capture running for days holds the same few hundred bytes per
 * counter as one running for a minute (a list of every interval's map grew ~3 KB a second).
 *
 * @param counters per counter key, its summary over the samples, oldest first
 * @param conntrack the latest detailed state, or null
 */
public record SystemState(Map<String, Counters.Summary> counters, ConntrackState conntrack) {
    public static final String CT_COUNT = "conntrack.count";
    public static final String CT_MAX = "conntrack.max";
    public static final String CT_BUCKETS = "conntrack.buckets";
    public static final String CT_ENTRY_BYTES = "conntrack.entry_bytes";
    public static final String CT_STAT = "conntrack.stat.";
    public static final String KMSG_TABLE_FULL = "kmsg.table_full";
    public static final String KMSG_SUPPRESSED = "kmsg.suppressed";
    public static final String TCP_LISTEN_OVERFLOWS = "tcp.listen_overflows";
    public static final String TCP_LISTEN_DROPS = "tcp.listen_drops";

    private static final SystemState NONE = new SystemState(Map.of(), null);

    public SystemState {
        counters = Map.copyOf(counters);
    }

    /** No system information (a foreign trace replayed offline). */
    public static SystemState none() {
        return NONE;
    }

    /** From a capture's per-interval {@code system} maps (empty maps are intervals without counters). */
    public static SystemState fromCounters(List<Map<String, Long>> perInterval) {
        Counters c = new Counters();
        perInterval.forEach(c::add);
        return c.state();
    }

    /** A single look at the system now. */
    public static SystemState of(ConntrackState state) {
        Counters c = new Counters();
        c.add(state.toCounters());
        return new SystemState(c.summaries(), state);
    }

    public boolean has(String key) {
        return counters.containsKey(key);
    }

    /** The largest value of {@code key} over all samples, or -1 when absent. */
    public long peak(String key) {
        Counters.Summary c = counters.get(key);
        return c == null ? -1 : c.peak();
    }

    /** The latest value of {@code key}, or -1 when absent. */
    public long latest(String key) {
        Counters.Summary c = counters.get(key);
        return c == null ? -1 : c.last();
    }

    /**
     * How much a cumulative counter rose between the first and the last sample that have it; with
     * a single sample, its value (a rise since the counter was created). 0 when absent.
     */
    public long rise(String key) {
        Counters.Summary c = counters.get(key);
        if (c == null) {
            return 0;
        }
        return c.samples() == 1 ? c.last() : Math.max(0, c.last() - c.first());
    }

    /** Number of samples that carry {@code key}. */
    public int sampleCount(String key) {
        Counters.Summary c = counters.get(key);
        return c == null ? 0 : (int) Math.min(Integer.MAX_VALUE, c.samples());
    }
}
