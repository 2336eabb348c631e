package dev.droptop.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CPU profile: distinct call stacks (innermost frame first, symbols without offsets) with their
 * sample counts, and the views {@code profile} shows: a symbol's callers and callees, and the top
 * symbols by total and self samples.
 */
public final class Profile {
    private final StackTable stacks = new StackTable(new SymbolTable());
    private final IntLongMap counts = new IntLongMap();
    private long total;
    private double firstSeconds = Double.NaN;
    private double lastSeconds = Double.NaN;

    /** What one symbol does in the profile: samples with it on the stack, with it innermost, and its trees. */
    public record Focus(String symbol, long total, long self, long allSamples, CallTree callers, CallTree callees) {
        public double share() {
            return allSamples == 0 ? 0 : (double) total / allSamples;
        }
    }

    /** A symbol's samples: {@code total} with it anywhere on the stack, {@code self} with it innermost. */
    public record SymbolCount(String symbol, long total, long self) {
    }

    public StackTable stacks() {
        return stacks;
    }

    public void add(int stackId, long count) {
        counts.add(stackId, count);
        total += count;
    }

    public long total() {
        return total;
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

    public Focus focus(String symbol) {
        CallTree callers = new CallTree(symbol);
        CallTree callees = new CallTree(symbol);
        long[] self = new long[1];
        counts.forEach((id, n) -> {
            String[] f = stacks.frameNames(id);
            int outer = lastIndexOf(f, symbol);
            if (outer < 0) {
                return;
            }
            callers.add(f, outer + 1, f.length, 1, n);
            callees.add(f, outer - 1, -1, -1, n);
            self[0] += f[0].equals(symbol) ? n : 0;
        });
        return new Focus(symbol, callers.count(), self[0], total, callers, callees);
    }

    /** Symbols that pass {@code filter}, by total samples, descending. */
    public List<SymbolCount> top(java.util.function.Predicate<String> filter, int limit) {
        Map<String, long[]> sums = new HashMap<>();
        counts.forEach((id, n) -> {
            String[] f = stacks.frameNames(id);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < f.length; i++) {
                if (filter.test(f[i]) && seen.add(f[i])) {
                    long[] s = sums.computeIfAbsent(f[i], k -> new long[2]);
                    s[0] += n;
                    s[1] += i == 0 ? n : 0;
                }
            }
        });
        List<SymbolCount> out = new ArrayList<>();
        sums.forEach((k, v) -> out.add(new SymbolCount(k, v[0], v[1])));
        out.sort(Comparator.comparingLong(SymbolCount::total).reversed().thenComparing(SymbolCount::symbol));
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
