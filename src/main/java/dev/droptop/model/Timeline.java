package dev.droptop.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshots of a recorded trace as of any interval k: the totals of intervals 0..k and the history
 * of the last {@link DropAggregator#HISTORY} of them. Totals are kept incrementally going forwards and
 * rebuilt from the start going back, so memory grows with distinct (key, stack) pairs, not with steps.
 */
public final class Timeline {
    private final List<Interval> intervals;
    private final StackTable stacks;
    private final long intervalNanos;
    private final Map<DropKey, Totals> totals = new HashMap<>();
    /** Flow totals up to the applied interval, per (drop key, flow). */
    private final Map<dev.droptop.model.FlowCount, long[]> flows = new java.util.LinkedHashMap<>();
    private int applied = -1;
    private long total;
    private long lost;

    public Timeline(List<Interval> intervals, StackTable stacks, long intervalNanos) {
        this.intervals = List.copyOf(intervals);
        this.stacks = stacks;
        this.intervalNanos = intervalNanos;
    }

    public long intervalNanos() {
        return intervalNanos;
    }

    public int size() {
        return intervals.size();
    }

    public Interval interval(int k) {
        return intervals.get(k);
    }

    /** The snapshot after interval {@code k} (0-based) closed. */
    public Snapshot at(int k) {
        if (intervals.isEmpty()) {
            return Snapshot.empty(intervalNanos);
        }
        k = Math.max(0, Math.min(k, intervals.size() - 1));
        if (k < applied) {
            totals.clear();
            flows.clear();
            applied = -1;
            total = 0;
            lost = 0;
        }
        while (applied < k) {
            apply(intervals.get(++applied));
        }
        return build(k);
    }

    private void apply(Interval in) {
        for (Interval.Cell c : in.cells()) {
            Totals t = totals.computeIfAbsent(c.key(), x -> new Totals());
            t.total += c.count();
            t.stacks.add(c.stackId(), c.count());
            total += c.count();
        }
        lost += in.lost();
        for (dev.droptop.model.FlowCount f : in.flows()) {
            // keyed without the count: one entry per (drop key, flow)
            flows.computeIfAbsent(new dev.droptop.model.FlowCount(f.key(), f.flow(), 0), x -> new long[1])[0] += f.count();
        }
    }

    private Snapshot build(int k) {
        int n = Math.min(k + 1, DropAggregator.HISTORY);
        int from = k + 1 - n;
        long[] recentTotals = new long[n];
        long[] recentLost = new long[n];
        Map<DropKey, long[]> recent = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Interval in = intervals.get(from + i);
            recentLost[i] = in.lost();
            for (Interval.Cell c : in.cells()) {
                recent.computeIfAbsent(c.key(), x -> new long[n])[i] += c.count();
                recentTotals[i] += c.count();
            }
        }
        List<Snapshot.Row> rows = new ArrayList<>(totals.size());
        totals.forEach((key, t) -> rows.add(new Snapshot.Row(key, t.total, recent.getOrDefault(key, new long[n]),
                t.stackList())));
        rows.sort(Comparator.comparingLong(Snapshot.Row::total).reversed()
                .thenComparing(r -> r.key().symbol()).thenComparing(r -> r.key().reason()));
        List<dev.droptop.model.FlowCount> flowList = new ArrayList<>(flows.size());
        flows.forEach((f, c) -> flowList.add(new dev.droptop.model.FlowCount(f.key(), f.flow(), c[0])));
        flowList.sort(Comparator.comparingLong(dev.droptop.model.FlowCount::count).reversed());
        return new Snapshot(intervalNanos, intervals.get(0).startNanos(), intervals.get(k).endNanos(), k + 1, total,
                lost, recentTotals, recentLost, List.copyOf(rows), stacks, List.copyOf(flowList));
    }

    /** Totals of one key up to the applied interval. */
    private static final class Totals {
        final IntLongMap stacks = new IntLongMap();
        long total;

        List<Snapshot.StackCount> stackList() {
            List<Snapshot.StackCount> list = new ArrayList<>(stacks.size());
            stacks.forEach((id, c) -> list.add(new Snapshot.StackCount(id, c)));
            list.sort(Comparator.comparingLong(Snapshot.StackCount::count).reversed()
                    .thenComparingInt(Snapshot.StackCount::stackId));
            return List.copyOf(list);
        }
    }
}
