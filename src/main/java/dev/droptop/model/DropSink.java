package dev.droptop.model;

/**
 * Where parsers, backends and the capture reader deliver drops. Event sources call
 * {@link #record} once per drop with count 1; aggregating sources (bpftrace, SystemTap, captures)
 * call it with the count of an interval and close the interval with {@link #intervalEnd}.
 *
 * <p>Not thread-safe: one thread feeds a sink. Symbol and stack ids must come from this sink's
 * {@link #symbols()} and {@link #stacks()}.
 */
public interface DropSink {
    SymbolTable symbols();

    StackTable stacks();

    /** {@code count} drops under {@code key} with call stack {@code stackId} at trace time {@code timeNanos}. */
    void record(DropKey key, int stackId, long count, long timeNanos);

    /** Events the kernel or the backend lost (ring-buffer overruns, perf LOST records). */
    void lost(long count, long timeNanos);

    /** An aggregating source finished the interval that ends at {@code timeNanos}. */
    void intervalEnd(long timeNanos);

    /**
     * {@code count} of the drops under {@code key} belonged to {@code flow} (sources that read packet
     * headers: bpftrace with flows). Flows come in addition to {@link #record}, never instead.
     */
    default void flow(DropKey key, Flow flow, long count, long timeNanos) {
    }

    /** An aggregating source announces the length of its intervals (stap's timer, bpftrace's interval). */
    default void sourceInterval(long nanos) {
    }

    /**
     * The system counters (see {@link SystemState}) a capture sampled for the interval ending at
     * {@code timeNanos}, before its {@link #intervalEnd}; sinks that do not need them ignore them.
     */
    default void system(java.util.Map<String, Long> counters, long timeNanos) {
    }
}
