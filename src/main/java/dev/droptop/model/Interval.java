package dev.droptop.model;

import java.util.List;

/**
 * One closed aggregation window: counts per (key, stack) and the events lost in it. Handed to
 * {@link IntervalListener}s (the capture writer) as each window closes.
 *
 * @param index 0-based window number since the start
 * @param startNanos window start, trace clock
 * @param endNanos window end, trace clock
 * @param flows drops per flow in this window, for sources that read packet headers (else empty)
 */
public record Interval(long index, long startNanos, long endNanos, List<Cell> cells, long lost, List<FlowCount> flows) {
    public Interval(long index, long startNanos, long endNanos, List<Cell> cells, long lost) {
        this(index, startNanos, endNanos, cells, lost, List.of());
    }

    /** {@code count} drops under {@code key} with stack {@code stackId} in this window. */
    public record Cell(DropKey key, int stackId, long count) {
    }

    public long total() {
        long t = 0;
        for (Cell c : cells) {
            t += c.count();
        }
        return t;
    }
}
