package dev.droptop.model;

import java.util.Map;

/**
 * A sink that hands every call on to {@code target}: wrappers (a filter, a gauge reader, a flush
 * before each interval end) extend it and override only what they change, so a call added to
 * {@link DropSink} later reaches the target through every wrapper without touching them.
 */
public abstract class ForwardingSink implements DropSink {
    protected final DropSink target;

    protected ForwardingSink(DropSink target) {
        this.target = target;
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
        target.record(key, stackId, count, timeNanos);
    }

    @Override
    public void flow(DropKey key, Flow flow, long count, long timeNanos) {
        target.flow(key, flow, count, timeNanos);
    }

    @Override
    public void lost(long count, long timeNanos) {
        target.lost(count, timeNanos);
    }

    @Override
    public void intervalEnd(long timeNanos) {
        target.intervalEnd(timeNanos);
    }

    @Override
    public void sourceInterval(long nanos) {
        target.sourceInterval(nanos);
    }

    @Override
    public void system(Map<String, Long> counters, long timeNanos) {
        target.system(counters, timeNanos);
    }
}
