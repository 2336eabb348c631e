package dev.droptop.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable view of the aggregator at one moment: per-key totals, the counts of the last
 * closed windows (oldest first), and the stacks under each key. Views (TUI, report, diagnosis)
 * read only snapshots.
 *
 * @param intervalNanos window length
 * @param startNanos trace time of the first window's start (or of the first drop)
 * @param endNanos trace time of the last drop or window end seen
 * @param windows number of closed windows
 * @param recentTotals all drops per recent closed window, oldest first
 * @param recentLost lost events per recent closed window, oldest first
 * @param rows one row per key, sorted by total, descending
 * @param flows totals per (drop key, flow), largest first; empty unless the source read packet headers
 */
public record Snapshot(long intervalNanos, long startNanos, long endNanos, long windows, long total, long lost,
                       long[] recentTotals, long[] recentLost, List<Row> rows, StackTable stacks,
                       List<FlowCount> flows) {

    public Snapshot(long intervalNanos, long startNanos, long endNanos, long windows, long total, long lost,
            long[] recentTotals, long[] recentLost, List<Row> rows, StackTable stacks) {
        this(intervalNanos, startNanos, endNanos, windows, total, lost, recentTotals, recentLost, rows, stacks, List.of());
    }

    /** The flows of the drops at {@code key}'s location and reason (any netns/device), largest first. */
    public List<FlowCount> flowsOf(DropKey key) {
        List<FlowCount> out = new ArrayList<>();
        for (FlowCount f : flows) {
            if (f.key().symbol().equals(key.symbol()) && f.key().offset() == key.offset()
                    && f.key().reason().equals(key.reason())
                    && (key.netns() == 0 || f.key().netns() == key.netns())
                    && (key.device().isEmpty() || f.key().device().equals(key.device()))) {
                out.add(f);
            }
        }
        return out;
    }

    /** One key: total, recent window counts (oldest first, last = latest closed window), stacks. */
    public record Row(DropKey key, long total, long[] recent, List<StackCount> stacks) {
    }

    /** How often one stack occurred under a key. */
    public record StackCount(int stackId, long count) {
    }

    public static Snapshot empty(long intervalNanos) {
        return new Snapshot(intervalNanos, 0, 0, 0, 0, 0, new long[0], new long[0], List.of(),
                new StackTable(new SymbolTable()));
    }

    public double durationSeconds() {
        if (endNanos <= startNanos) {
            return 0;
        }
        long span = endNanos - startNanos;
        return span > 0 ? span / 1e9 : ((double) endNanos - (double) startNanos) / 1e9; // span <= 0: overflowed
    }

    public double intervalSeconds() {
        return intervalNanos / 1e9;
    }

    /** Drops per second in the latest closed window. */
    public double currentRate() {
        return recentTotals.length == 0 ? 0 : recentTotals[recentTotals.length - 1] / intervalSeconds();
    }

    /** Totals per reason, descending. */
    public Map<String, Long> reasons() {
        return sumBy(r -> r.key().reason());
    }

    /** Totals per location symbol, descending. */
    public Map<String, Long> symbols() {
        return sumBy(r -> r.key().symbol());
    }

    /** Totals per arbitrary grouping of keys, descending by count (ties keep first-seen order). */
    public Map<String, Long> sumBy(java.util.function.Function<Row, String> group) {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (Row r : rows) {
            sums.merge(group.apply(r), r.total(), Long::sum);
        }
        List<Map.Entry<String, Long>> list = new ArrayList<>(sums.entrySet());
        list.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
        Map<String, Long> out = new LinkedHashMap<>();
        list.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
