package dev.droptop.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts drops per key and stack, in fixed windows and in total. Two ways to close windows:
 * <ul>
 *   <li>event sources: a drop whose time lies past the current window closes it (and any empty
 *       windows in between); {@link #advanceTo} closes windows on a timer tick with no drops;</li>
 *   <li>aggregating sources: {@link #intervalEnd} closes the current window at the given time; after
 *       the first such call, times no longer close windows.</li>
 * </ul>
 * Memory grows with distinct (key, stack) pairs and {@link #HISTORY} windows per key, not with
 * events. One writer thread; {@link #snapshot()} builds an immutable copy for readers.
 */
public final class DropAggregator implements DropSink {
    /** Windows of history kept per key, for sparklines and trends. */
    public static final int HISTORY = 120;
    /** Longest run of empty windows emitted for a gap in the trace; longer gaps are skipped over. */
    private static final int MAX_GAP_WINDOWS = 3600;
    /** Distinct (drop key, flow) totals kept; later flows are counted under {@link Flow#OTHER}. */
    public static final int MAX_FLOWS = 10_000;

    private final SymbolTable symbols;
    private final StackTable stacks;
    private final long intervalNanos;
    private final Map<DropKey, KeyStats> keys = new HashMap<>();
    private final List<KeyStats> touched = new ArrayList<>();
    private final List<IntervalListener> listeners = new ArrayList<>();
    private final long[] totalsRing = new long[HISTORY];
    private final long[] lostRing = new long[HISTORY];
    private final Map<FlowKey, long[]> flowTotals = new HashMap<>();
    private final Map<FlowKey, long[]> windowFlows = new java.util.LinkedHashMap<>();

    private boolean started;
    private boolean explicitIntervals;
    private long windowStart;
    private long windowIndex;
    private long windowTotal;
    private long windowLost;
    private long firstTime = Long.MAX_VALUE;
    private long lastTime = Long.MIN_VALUE;
    private long total;
    private long lost;
    /** Window length an aggregating source announced, or 0. */
    private long sourceIntervalNanos;
    /** Length of the last explicit window, inferred from consecutive interval ends, or 0. */
    private long observedIntervalNanos;
    private long lastExplicitEnd;
    private boolean firstStartGuessed;
    /** A count was cut so that the totals stay within 64 bits (hostile or corrupt input). */
    private boolean saturated;

    public DropAggregator(long intervalNanos) {
        this(new SymbolTable(), intervalNanos);
    }

    public DropAggregator(SymbolTable symbols, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.symbols = symbols;
        this.stacks = new StackTable(symbols);
        this.intervalNanos = intervalNanos;
    }

    public void addListener(IntervalListener listener) {
        listeners.add(listener);
    }

    @Override
    public SymbolTable symbols() {
        return symbols;
    }

    @Override
    public StackTable stacks() {
        return stacks;
    }

    public long intervalNanos() {
        return intervalNanos;
    }

    /** Starts the first window at {@code timeNanos} (otherwise the first drop starts it). */
    public void begin(long timeNanos) {
        if (!started) {
            started = true;
            windowStart = timeNanos;
        }
    }

    @Override
    public void record(DropKey key, int stackId, long count, long timeNanos) {
        if (count > Long.MAX_VALUE - total) {
            // every counter here is at most the total: clamping keeps them all exact sums, none overflows
            count = Long.MAX_VALUE - total;
            saturated = true;
        }
        if (count <= 0) {
            return;
        }
        see(timeNanos);
        KeyStats ks = keys.get(key);
        if (ks == null) {
            ks = new KeyStats(key);
            keys.put(key, ks);
        }
        if (ks.windowCount == 0) {
            touched.add(ks);
        }
        ks.windowCount += count;
        ks.windowStacks.add(stackId, count);
        ks.total += count;
        ks.stackTotals.add(stackId, count);
        windowTotal += count;
        total += count;
    }

    /** Flows go beside the counts of {@link #record}; beyond {@link #MAX_FLOWS} they fold into OTHER. */
    @Override
    public void flow(DropKey key, Flow flow, long count, long timeNanos) {
        if (count <= 0) {
            return;
        }
        FlowKey k = new FlowKey(key, flow);
        long[] t = flowTotals.get(k);
        if (t == null) {
            if (flowTotals.size() >= MAX_FLOWS) {
                k = new FlowKey(key.withoutNamespace(), Flow.OTHER);
                t = flowTotals.get(k);
            }
            if (t == null) {
                t = new long[1];
                flowTotals.put(k, t);
            }
        }
        t[0] = t[0] > Long.MAX_VALUE - count ? Long.MAX_VALUE : t[0] + count;
        long[] w = windowFlows.computeIfAbsent(k, x -> new long[1]);
        w[0] = w[0] > Long.MAX_VALUE - count ? Long.MAX_VALUE : w[0] + count;
    }

    @Override
    public void lost(long count, long timeNanos) {
        if (count > Long.MAX_VALUE - lost) {
            count = Long.MAX_VALUE - lost;
            saturated = true;
        }
        if (count <= 0) {
            return;
        }
        see(timeNanos);
        windowLost += count;
        lost += count;
    }

    @Override
    public void sourceInterval(long nanos) {
        if (nanos > 0) {
            sourceIntervalNanos = nanos;
        }
    }

    @Override
    public void intervalEnd(long timeNanos) {
        if (!started || windowIndex == 0 && windowStart >= timeNanos) {
            // the first block of an aggregating source covers the interval before its time stamp
            started = true;
            firstStartGuessed = sourceIntervalNanos == 0;
            windowStart = timeNanos - (sourceIntervalNanos > 0 ? sourceIntervalNanos : intervalNanos);
            firstTime = Math.min(firstTime, windowStart);
        } else if (explicitIntervals && timeNanos > lastExplicitEnd) {
            observedIntervalNanos = timeNanos - lastExplicitEnd;
            if (windowIndex == 1 && firstStartGuessed) {
                firstTime = lastExplicitEnd - observedIntervalNanos;
            }
        }
        explicitIntervals = true;
        lastExplicitEnd = timeNanos;
        lastTime = Math.max(lastTime, timeNanos);
        closeWindow(timeNanos);
    }

    /** The window length views should use for rates: the source's own when it aggregates. */
    public long effectiveIntervalNanos() {
        if (explicitIntervals && sourceIntervalNanos > 0) {
            return sourceIntervalNanos;
        }
        return explicitIntervals && observedIntervalNanos > 0 ? observedIntervalNanos : intervalNanos;
    }

    /** Closes every window that ends at or before {@code timeNanos} (event sources, timer ticks). */
    public void advanceTo(long timeNanos) {
        if (!started || explicitIntervals) {
            return;
        }
        if (!reached(timeNanos, windowStart, intervalNanos)) {
            return;
        }
        long span = timeNanos - windowStart;
        if (span < 0 || span / intervalNanos > MAX_GAP_WINDOWS) {
            // a long pause, or a timestamp from another epoch (span < 0: the gap passes 2^63 ns):
            // one window for what was open, then start again at the new time instead of looping
            // over every empty window in between
            closeWindow(windowStart + intervalNanos);
            windowStart = span < 0 ? timeNanos : timeNanos - span % intervalNanos;
            return;
        }
        while (timeNanos - windowStart >= intervalNanos) {
            closeWindow(windowStart + intervalNanos);
        }
    }

    /**
     * True when {@code time} is at least {@code interval} after {@code start}, without the overflow of
     * {@code time >= start + interval}: timestamps come from traces and may be anywhere in 64 bits.
     */
    private static boolean reached(long time, long start, long interval) {
        if (time <= start) {
            return false;
        }
        long span = time - start;
        return span < 0 || span >= interval; // span < 0: the true difference passed Long.MAX_VALUE
    }

    /** Closes the open window if anything was recorded in it; call once at the end of a source. */
    public void finish() {
        if (started && (!touched.isEmpty() || windowLost > 0 || !windowFlows.isEmpty())) {
            closeWindow(Math.max(lastTime, windowStart));
        }
    }

    public long total() {
        return total;
    }

    public long lost() {
        return lost;
    }

    /** True when counts were cut to keep the 64-bit totals from overflowing (only corrupt input gets there). */
    public boolean saturated() {
        return saturated;
    }

    /** An immutable copy for readers on other threads. */
    public Snapshot snapshot() {
        int n = (int) Math.min(windowIndex, HISTORY);
        List<Snapshot.Row> rows = new ArrayList<>(keys.size());
        for (KeyStats ks : keys.values()) {
            rows.add(new Snapshot.Row(ks.key, ks.total, ks.recent(windowIndex, n), ks.stackList()));
        }
        rows.sort(Comparator.comparingLong(Snapshot.Row::total).reversed()
                .thenComparing(r -> r.key().symbol()).thenComparing(r -> r.key().reason()));
        long start = firstTime == Long.MAX_VALUE ? 0 : firstTime;
        long end = lastTime == Long.MIN_VALUE ? start : lastTime;
        List<FlowCount> flows = new ArrayList<>(flowTotals.size());
        flowTotals.forEach((k, t) -> flows.add(new FlowCount(k.key(), k.flow(), t[0])));
        flows.sort(Comparator.comparingLong(FlowCount::count).reversed());
        return new Snapshot(effectiveIntervalNanos(), start, end, windowIndex, total, lost,
                ring(totalsRing, windowIndex, n), ring(lostRing, windowIndex, n), List.copyOf(rows), stacks,
                List.copyOf(flows));
    }

    private void see(long timeNanos) {
        if (!started) {
            started = true;
            windowStart = timeNanos;
        } else if (!explicitIntervals && reached(timeNanos, windowStart, intervalNanos)) {
            advanceTo(timeNanos);
        }
        firstTime = Math.min(firstTime, timeNanos);
        lastTime = Math.max(lastTime, timeNanos);
    }

    private void closeWindow(long end) {
        int slot = (int) (windowIndex % HISTORY);
        totalsRing[slot] = windowTotal;
        lostRing[slot] = windowLost;
        List<Interval.Cell> cells = listeners.isEmpty() ? List.of() : new ArrayList<>();
        for (KeyStats ks : touched) {
            ks.history[slot] = ks.windowCount;
            ks.historyIndex[slot] = windowIndex;
            if (!listeners.isEmpty()) {
                ks.windowStacks.forEach((stack, count) -> cells.add(new Interval.Cell(ks.key, stack, count)));
            }
            ks.windowCount = 0;
            ks.windowStacks.clear();
        }
        if (!listeners.isEmpty()) {
            List<FlowCount> flows = new ArrayList<>(windowFlows.size());
            windowFlows.forEach((k, c) -> flows.add(new FlowCount(k.key(), k.flow(), c[0])));
            Interval interval = new Interval(windowIndex, windowStart, end, cells, windowLost, flows);
            for (IntervalListener l : listeners) {
                l.onInterval(interval);
            }
        }
        touched.clear();
        windowFlows.clear();
        windowTotal = 0;
        windowLost = 0;
        windowIndex++;
        windowStart = end;
    }

    private static long[] ring(long[] ring, long windows, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = ring[(int) ((windows - n + i) % HISTORY)];
        }
        return out;
    }

    private record FlowKey(DropKey key, Flow flow) {
    }

    /** Counters of one key. */
    private static final class KeyStats {
        final DropKey key;
        final IntLongMap stackTotals = new IntLongMap();
        final IntLongMap windowStacks = new IntLongMap();
        final long[] history = new long[HISTORY];
        final long[] historyIndex = new long[HISTORY];
        long total;
        long windowCount;

        KeyStats(DropKey key) {
            this.key = key;
            java.util.Arrays.fill(historyIndex, -1);
        }

        long[] recent(long windows, int n) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                long w = windows - n + i;
                int slot = (int) (w % HISTORY);
                out[i] = historyIndex[slot] == w ? history[slot] : 0;
            }
            return out;
        }

        List<Snapshot.StackCount> stackList() {
            List<Snapshot.StackCount> list = new ArrayList<>(stackTotals.size());
            stackTotals.forEach((id, c) -> list.add(new Snapshot.StackCount(id, c)));
            list.sort(Comparator.comparingLong(Snapshot.StackCount::count).reversed()
                    .thenComparingInt(Snapshot.StackCount::stackId));
            return List.copyOf(list);
        }
    }
}
