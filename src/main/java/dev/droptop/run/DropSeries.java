package dev.droptop.run;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.NetnsNames;
import dev.droptop.model.Protocols;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The exporter's drop counters: one monotonic counter per label set
 * {@code (location, reason, protocol, netns, device)}, where location is the function without its
 * offset and netns the namespace's label ({@link dev.droptop.model.NetnsInfo#label()}). Labels not in
 * the allowlist are left empty, so their series merge. At most {@code maxSeries} series: drops of a new
 * label set beyond the cap are counted in {@link #seriesDropped()} only. A series without drops for
 * {@code idleNanos} is removed ({@link #expire}); if its drops come back it starts again from 0, which
 * Prometheus' rate() reads as a counter reset.
 *
 * <p>Counters only grow: a restarted backend feeds the same instance, and backends deliver deltas (the
 * bpftrace parser differences the running totals of each run). Not thread-safe by itself: the backend
 * records while holding this object's monitor ({@code backend.start(options, series, series)}); readers
 * synchronize on it too.
 */
public final class DropSeries implements DropSink {
    /** The label names of {@code droptop_drops_total}, in order. */
    public static final List<String> LABELS = List.of("location", "reason", "protocol", "netns", "device");

    /** One counter. */
    public static final class Series {
        final String[] labels;
        long count;
        long lastNanos;

        Series(String[] labels, long now) {
            this.labels = labels;
            this.lastNanos = now;
        }

        public List<String> labels() {
            return List.of(labels);
        }

        public long count() {
            return count;
        }
    }

    private final SymbolTable symbols = new SymbolTable();
    private final StackTable stacks = new StackTable(symbols);
    private final NetnsNames names;
    private final boolean[] keep = new boolean[LABELS.size()];
    private final int maxSeries;
    private final long idleNanos;
    private final LongSupplier clock;
    /** Keys as the backend delivers them, to their series; null value = over the cap. */
    private final Map<DropKey, Series> byKey = new HashMap<>();
    private final Map<LabelSet, Series> byLabels = new HashMap<>();
    private long seriesDropped;
    private long lost;
    private long drops;
    private DropSink tee;

    public DropSeries(NetnsNames names, Set<String> allowlist, int maxSeries, long idleNanos, LongSupplier clock) {
        this.names = names;
        for (int i = 0; i < LABELS.size(); i++) {
            keep[i] = allowlist.contains(LABELS.get(i));
        }
        this.maxSeries = maxSeries;
        this.idleNanos = idleNanos;
        this.clock = clock;
    }

    /** Also hands every drop to {@code sink} (the diagnosis window); it must share {@link #symbols()}. */
    public void tee(DropSink sink) {
        this.tee = sink;
    }

    @Override
    public SymbolTable symbols() {
        return symbols;
    }

    @Override
    public StackTable stacks() {
        return stacks;
    }

    @Override
    public void record(DropKey key, int stackId, long count, long timeNanos) {
        if (count <= 0) {
            return;
        }
        if (tee != null) {
            tee.record(key, StackTable.NO_STACK, count, timeNanos);
        }
        drops += count;
        Series s = byKey.get(key);
        long now = clock.getAsLong();
        if (s == null) {
            s = seriesFor(key, now);
            if (s == null) {
                seriesDropped += count;
                return;
            }
        }
        s.count += count;
        s.lastNanos = now;
    }

    private Series seriesFor(DropKey key, long now) {
        String[] l = new String[LABELS.size()];
        l[0] = key.symbol();
        l[1] = key.reason();
        l[2] = key.protocol() < 0 ? "" : Protocols.name(key.protocol());
        l[3] = key.netns() == 0 ? "" : names.describe(key.netns()).label();
        l[4] = key.device();
        for (int i = 0; i < l.length; i++) {
            if (!keep[i]) {
                l[i] = "";
            }
        }
        LabelSet ls = new LabelSet(l);
        Series s = byLabels.get(ls);
        if (s == null) {
            if (byLabels.size() >= maxSeries) {
                return null;
            }
            s = new Series(l, now);
            byLabels.put(ls, s);
        }
        byKey.put(key, s);
        return s;
    }

    @Override
    public void lost(long count, long timeNanos) {
        if (count > 0) {
            lost += count;
            if (tee != null) {
                tee.lost(count, timeNanos);
            }
        }
    }

    @Override
    public void intervalEnd(long timeNanos) {
        if (tee != null) {
            tee.intervalEnd(timeNanos);
        }
    }

    @Override
    public void sourceInterval(long nanos) {
        if (tee != null) {
            tee.sourceInterval(nanos);
        }
    }

    /** Removes series idle for longer than the idle time; returns how many. */
    public int expire() {
        long now = clock.getAsLong();
        int removed = 0;
        for (Iterator<Series> it = byLabels.values().iterator(); it.hasNext(); ) {
            Series s = it.next();
            if (now - s.lastNanos > idleNanos) {
                it.remove();
                removed++;
            }
        }
        if (removed > 0) {
            byKey.values().removeIf(s -> !byLabels.containsKey(new LabelSet(s.labels)));
        }
        return removed;
    }

    /** A copy of the live series (label values in {@link #LABELS} order, count). */
    public List<Series> series() {
        List<Series> out = new ArrayList<>(byLabels.size());
        for (Series s : byLabels.values()) {
            Series c = new Series(s.labels, s.lastNanos);
            c.count = s.count;
            out.add(c);
        }
        return out;
    }

    public long seriesDropped() {
        return seriesDropped;
    }

    public long lost() {
        return lost;
    }

    /** All drops recorded (also those beyond the cap). */
    public long drops() {
        return drops;
    }

    /** Label values as a hash key. */
    private record LabelSet(String[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof LabelSet other && java.util.Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(values);
        }
    }
}
