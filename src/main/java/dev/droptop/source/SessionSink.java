package dev.droptop.source;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.Flow;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolTable;

/**
 * The one way a backend's parser hands drops to a live session's sink, under the session lock (the
 * {@link Backend#start} contract). Drops are buffered and handed over in one {@code synchronized
 * (lock)} block when {@code batch} are waiting or when the reader is about to block ({@link
 * #flush()}, called by the input stream before each read of the pipe); a batch of 1 hands each call
 * over at once (line-oriented aggregating backends: bpftrace, stap). Symbols and stacks are interned
 * straight into the target's tables: they are written by this one reader thread only, as {@link
 * SymbolTable} allows.
 *
 * <p><b>Clock.</b> Drops and lost counts are stamped with the JVM's monotonic clock when they reach
 * the session (the sources' own clocks differ: perf's and bpftrace's are CLOCK_MONOTONIC, stap's
 * {@code ctime} is wall-clock). Interval ends keep the source's stamp, or are stamped on arrival
 * with {@link Intervals#ARRIVAL} for sources whose stamps are wall-clock.
 */
final class SessionSink implements DropSink {
    /** Buffered drops per lock acquisition for event backends (perf, tracefs, perf-native). */
    static final int BATCH = 256;

    /** Which clock stamps interval ends. */
    enum Intervals { SOURCE, ARRIVAL }

    private final DropSink target;
    private final Object lock;
    private final int batch;
    private final boolean keepLost;
    private final Intervals intervals;
    private final DropKey[] keys;
    private final int[] stacks;
    private final long[] counts;
    private int size;
    private long lost;

    /** {@code keepLost=false} drops the parser's own lost counts (the backend counts losses itself). */
    SessionSink(DropSink target, Object lock, int batch, boolean keepLost, Intervals intervals) {
        this.target = target;
        this.lock = lock;
        this.batch = Math.max(1, batch);
        this.keepLost = keepLost;
        this.intervals = intervals;
        this.keys = new DropKey[this.batch];
        this.stacks = new int[this.batch];
        this.counts = new long[this.batch];
    }

    /** Event backends: {@link #BATCH} drops a lock, interval ends as the source stamps them. */
    static SessionSink batched(DropSink target, Object lock, boolean keepLost) {
        return new SessionSink(target, lock, BATCH, keepLost, Intervals.SOURCE);
    }

    /** Aggregating backends: every call handed over at once. */
    static SessionSink perCall(DropSink target, Object lock, Intervals intervals) {
        return new SessionSink(target, lock, 1, true, intervals);
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
        keys[size] = key;
        stacks[size] = stackId;
        counts[size] = count;
        if (++size == batch) {
            flush();
        }
    }

    /** A flow count: the drops buffered before it go first, so the sink sees the calls in order. */
    @Override
    public void flow(DropKey key, Flow flow, long count, long timeNanos) {
        flush();
        synchronized (lock) {
            target.flow(key, flow, count, System.nanoTime());
        }
    }

    @Override
    public void lost(long count, long timeNanos) {
        if (keepLost) {
            lost += count;
            flush();
        }
    }

    @Override
    public void intervalEnd(long timeNanos) {
        flush();
        synchronized (lock) {
            target.intervalEnd(intervals == Intervals.ARRIVAL ? System.nanoTime() : timeNanos);
        }
    }

    @Override
    public void sourceInterval(long nanos) {
        synchronized (lock) {
            target.sourceInterval(nanos);
        }
    }

    /** Hands the buffered drops to the target under the lock, stamped with the time they arrive. */
    void flush() {
        if (size == 0 && lost == 0) {
            return;
        }
        synchronized (lock) {
            long now = System.nanoTime();
            for (int i = 0; i < size; i++) {
                target.record(keys[i], stacks[i], counts[i], now);
                keys[i] = null;
            }
            if (lost > 0) {
                target.lost(lost, now);
            }
        }
        size = 0;
        lost = 0;
    }
}
