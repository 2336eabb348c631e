package dev.droptop.source;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolTable;

/**
 * Delivers a parser's drops to a shared sink under the session lock, a batch at a time: records are
 * buffered and handed over in one {@code synchronized (lock)} block when {@value #BATCH} are waiting
 * or when the reader is about to block ({@link #flush()}, called by the input stream before each
 * read of the pipe). Symbols and stacks are interned straight into the target's tables: they are
 * written by this one reader thread only, as {@link SymbolTable} allows.
 *
 * <p>Not yet measured against one lock per event (construct with {@code batch = 1} to compare); the
 * batch bounds lock traffic to one acquisition per read chunk or {@value #BATCH} drops.
 */
final class LockingSink implements DropSink {
    static final int BATCH = 256;
    private final DropSink target;
    private final Object lock;
    private final int batch;
    private final boolean keepLost;
    private final DropKey[] keys;
    private final int[] stacks;
    private final long[] counts;
    private final long[] times;
    private int size;
    private long lost;
    private long lostTime;
    private long ignoredLost;

    /** {@code keepLost=false} drops the parser's own lost counts (the backend counts losses itself). */
    LockingSink(DropSink target, Object lock, int batch, boolean keepLost) {
        this.target = target;
        this.lock = lock;
        this.batch = Math.max(1, batch);
        this.keepLost = keepLost;
        this.keys = new DropKey[this.batch];
        this.stacks = new int[this.batch];
        this.counts = new long[this.batch];
        this.times = new long[this.batch];
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
        times[size] = timeNanos;
        if (++size == batch) {
            flush();
        }
    }

    @Override
    public void lost(long count, long timeNanos) {
        if (!keepLost) {
            ignoredLost += count;
            return;
        }
        lost += count;
        lostTime = timeNanos;
        flush();
    }

    @Override
    public void intervalEnd(long timeNanos) {
        flush();
        synchronized (lock) {
            target.intervalEnd(timeNanos);
        }
    }

    @Override
    public void sourceInterval(long nanos) {
        synchronized (lock) {
            target.sourceInterval(nanos);
        }
    }

    /** Lost counts the parser reported and this sink dropped (for comparison with the backend's own). */
    long ignoredLost() {
        return ignoredLost;
    }

    /** Hands the buffered drops to the target under the lock. */
    void flush() {
        if (size == 0 && lost == 0) {
            return;
        }
        synchronized (lock) {
            for (int i = 0; i < size; i++) {
                target.record(keys[i], stacks[i], counts[i], times[i]);
                keys[i] = null;
            }
            if (lost > 0) {
                target.lost(lost, lostTime);
            }
        }
        size = 0;
        lost = 0;
    }
}
