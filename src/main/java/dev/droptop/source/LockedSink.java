package dev.droptop.source;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.Flow;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolTable;

/**
 * Forwards a parser's calls to the session's sink, each one under the session's lock (the
 * {@link Backend#start} contract). With {@code arrivalIntervals}, interval ends are stamped with the
 * JVM's monotonic clock on arrival: for sources whose interval stamps are wall-clock (stap's
 * {@code ctime}) rather than CLOCK_MONOTONIC (bpftrace's {@code nsecs}).
 */
final class LockedSink implements DropSink {
    private final DropSink target;
    private final Object lock;
    private final boolean arrivalIntervals;

    LockedSink(DropSink target, Object lock, boolean arrivalIntervals) {
        this.target = target;
        this.lock = lock;
        this.arrivalIntervals = arrivalIntervals;
    }

    @Override
    public SymbolTable symbols() {
        return target.symbols();
    }

    @Override
    public StackTable stacks() {
        return target.stacks();
    }

    @Override
    public void record(DropKey key, int stackId, long count, long timeNanos) {
        synchronized (lock) {
            target.record(key, stackId, count, timeNanos);
        }
    }

    @Override
    public void flow(DropKey key, Flow flow, long count, long timeNanos) {
        synchronized (lock) {
            target.flow(key, flow, count, timeNanos);
        }
    }

    @Override
    public void lost(long count, long timeNanos) {
        synchronized (lock) {
            target.lost(count, timeNanos);
        }
    }

    @Override
    public void intervalEnd(long timeNanos) {
        synchronized (lock) {
            target.intervalEnd(arrivalIntervals ? System.nanoTime() : timeNanos);
        }
    }

    @Override
    public void sourceInterval(long nanos) {
        synchronized (lock) {
            target.sourceInterval(nanos);
        }
    }
}
