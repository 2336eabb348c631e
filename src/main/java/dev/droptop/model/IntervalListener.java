package dev.droptop.model;

/** Told of every window the aggregator closes, on the aggregator's thread. */
@FunctionalInterface
public interface IntervalListener {
    void onInterval(Interval interval);
}
