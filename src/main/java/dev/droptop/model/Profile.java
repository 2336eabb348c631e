package dev.droptop.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CPU profile of one event: distinct call stacks (innermost frame first, symbols without offsets)
 * with their sample counts and weights, and the views {@code profile} shows: a symbol's callers and
 * callees, and the top symbols by total and self samples. The weight of a sample is its period (as
 * perf report weights samples: a page-faults sample of period 33 stands for 33 faults, a cycles
 * sample for its period of cycles), 1 when the trace gives none. Samples without a call chain count
 * in the totals but belong to no stack.
 */
public final class Profile {
    private final StackTable stacks = new StackTable(new SymbolTable());
    private final IntLongMap counts = new IntLongMap();
    private final IntLongMap weights = new IntLongMap();
    private long total;
    private long totalWeight;
    private long unstacked;
    private String event = "";
    private boolean weighted;
    private final Map<String, Long> otherEvents = new java.util.LinkedHashMap<>();
    private double firstSeconds = Double.NaN;
    private double lastSeconds = Double.NaN;

    /**
     * What one symbol does in the profile: samples with it on the stack, with it innermost, and its
     * trees (in samples); the same in weight (sum of the samples' periods).
     */
    public record Focus(String symbol, long total, long self, long allSamples, CallTree callers, CallTree callees,
                        long weight, long selfWeight, long allWeight) {
        public double share() {
            return allSamples == 0 ? 0 : (double) total / allSamples;
        }

        /** The share of all weight (perf report's overhead). */
        public double weightShare() {
            return allWeight == 0 ? 0 : (double) weight / allWeight;
        }
    }

    /**
     * A symbol's samples: {@code total} with it anywhere on the stack, {@code self} with it innermost;
     * the same in weight.
     */
    public record SymbolCount(String symbol, long total, long self, long weight, long selfWeight) {
        /** Samples of weight 1 each. */
        public SymbolCount(String symbol, long total, long self) {
            this(symbol, total, self, total, self);
        }
    }

    public StackTable stacks() {
        return stacks;
    }

    /** Adds {@code count} samples of weight 1 each. */
    public void add(int stackId, long count) {
        add(stackId, count, count);
    }

    /** Adds {@code count} samples of {@code weight} in all to a stack. */
    public void add(int stackId, long count, long weight) {
        counts.add(stackId, count);
        weights.add(stackId, weight);
        total += count;
        totalWeight += weight;
    }

    /** Adds samples without a call chain: they count in the totals, on no stack. */
    public void addUnstacked(long count, long weight) {
        unstacked += count;
        total += count;
        totalWeight += weight;
    }

    /** All samples, with or without a call chain. */
    public long total() {
        return total;
    }

    /** The sum of the samples' weights (periods). */
    public long totalWeight() {
        return totalWeight;
    }

    /** Samples without a call chain (in {@link #total}, on no stack). */
    public long unstacked() {
        return unstacked;
    }

    /** The event of the samples ({@code cpu-clock}, {@code cycles:u}), empty when the trace names none. */
    public String event() {
        return event;
    }

    /** True when the trace gave the samples' periods (the weight is their sum, not the sample count). */
    public boolean weighted() {
        return weighted;
    }

    /** Events in the trace that are not in this profile, with their sample counts, in order of appearance. */
    public Map<String, Long> otherEvents() {
        return otherEvents;
    }

    /** Set by the parser: the profile's event, whether periods were given, the events left out. */
    public void describe(String eventName, boolean periods, Map<String, Long> others) {
        this.event = eventName == null ? "" : eventName;
        this.weighted = periods;
        otherEvents.clear();
        otherEvents.putAll(others);
    }

    /** Notes a sample's timestamp (seconds, any origin), for {@link #durationSeconds}. */
    public void time(double seconds) {
        if (Double.isNaN(firstSeconds) || seconds < firstSeconds) {
            firstSeconds = seconds;
        }
        if (Double.isNaN(lastSeconds) || seconds > lastSeconds) {
            lastSeconds = seconds;
        }
    }

    /** Time from the first to the last sample, or 0 when the samples had no timestamps. */
    public double durationSeconds() {
        return Double.isNaN(firstSeconds) ? 0 : lastSeconds - firstSeconds;
    }

    /** Each distinct stack (innermost frame first) with its sample count. */
    public void forEachStack(java.util.function.ObjLongConsumer<String[]> action) {
        counts.forEach((id, n) -> action.accept(stacks.frameNames(id), n));
    }

    /** Each distinct stack (innermost frame first) with its weight. */
    public void forEachStackWeight(java.util.function.ObjLongConsumer<String[]> action) {
        weights.forEach((id, w) -> action.accept(stacks.frameNames(id), w));
    }

    public Focus focus(String symbol) {
        CallTree callers = new CallTree(symbol);
        CallTree callees = new CallTree(symbol);
        long[] self = new long[3];
        counts.forEach((id, n) -> {
            String[] f = stacks.frameNames(id);
            int outer = lastIndexOf(f, symbol);
            if (outer < 0) {
                return;
            }
            long w = weights.get(id);
            callers.add(f, outer + 1, f.length, 1, n);
            callees.add(f, outer - 1, -1, -1, n);
            self[0] += f[0].equals(symbol) ? n : 0;
            self[1] += w;
            self[2] += f[0].equals(symbol) ? w : 0;
        });
        return new Focus(symbol, callers.count(), self[0], total, callers, callees, self[1], self[2], totalWeight);
    }

    /** Symbols that pass {@code filter}, by weight (the sample count when samples carry no period), descending. */
    public List<SymbolCount> top(java.util.function.Predicate<String> filter, int limit) {
        Map<String, long[]> sums = new HashMap<>();
        counts.forEach((id, n) -> {
            String[] f = stacks.frameNames(id);
            long w = weights.get(id);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < f.length; i++) {
                if (filter.test(f[i]) && seen.add(f[i])) {
                    long[] s = sums.computeIfAbsent(f[i], k -> new long[4]);
                    s[0] += n;
                    s[1] += i == 0 ? n : 0;
                    s[2] += w;
                    s[3] += i == 0 ? w : 0;
                }
            }
        });
        List<SymbolCount> out = new ArrayList<>();
        sums.forEach((k, v) -> out.add(new SymbolCount(k, v[0], v[1], v[2], v[3])));
        out.sort(Comparator.comparingLong(SymbolCount::weight).reversed()
                .thenComparing(Comparator.comparingLong(SymbolCount::total).reversed())
                .thenComparing(SymbolCount::symbol));
        return out.subList(0, Math.min(limit, out.size()));
    }

    private static int lastIndexOf(String[] frames, String symbol) {
        for (int i = frames.length - 1; i >= 0; i--) {
            if (frames[i].equals(symbol)) {
                return i;
            }
        }
        return -1;
    }
}
