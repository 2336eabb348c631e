package dev.droptop.lab;

import java.util.Arrays;

/**
 * What one load did: sessions attempted and succeeded, failures split into refused/reset (an error
 * from the socket) and timeouts, the time from the first attempt to the last answer, and the latency
 * of succeeded sessions (connect to established for TCP, request to reply for UDP).
 */
public record LoadResult(long attempted, long succeeded, long errors, long timeouts, long elapsedNanos,
        long p50Nanos, long p99Nanos, boolean timeBound, long intended) {

    public LoadResult(long attempted, long succeeded, long errors, long timeouts, long elapsedNanos, long p50Nanos,
                      long p99Nanos, boolean timeBound) {
        this(attempted, succeeded, errors, timeouts, elapsedNanos, p50Nanos, p99Nanos, timeBound, attempted);
    }

    /** Sessions meant but never started (a paced load that fell behind); they count as failed in a search. */
    public long unattempted() {
        return Math.max(0, intended - attempted);
    }

    /** The loss ratio as CSIT's search counts it: unattempted and failed sessions over intended ones. */
    public double lossRatio() {
        return intended <= 0 ? 0 : Math.max(0, (double) (intended - succeeded) / intended);
    }

    public long failed() {
        return errors + timeouts;
    }

    /** Succeeded sessions per second. */
    public double cps() {
        return elapsedNanos <= 0 ? 0 : succeeded * 1e9 / elapsedNanos;
    }

    public double failurePercent() {
        return attempted == 0 ? 0 : 100.0 * failed() / attempted;
    }

    /** Collects latencies and counts while a load runs (one thread). */
    static final class Counter {
        private final long[] latencies;
        private int n;
        long attempted;
        long errors;
        long timeouts;

        Counter(long capacity) {
            latencies = new long[(int) Math.min(capacity, Integer.MAX_VALUE - 8)];
        }

        long succeeded() {
            return n;
        }

        void ok(long nanos) {
            if (n < latencies.length) {
                latencies[n++] = nanos;
            }
        }

        LoadResult result(long elapsedNanos, boolean timeBound) {
            return result(elapsedNanos, timeBound, attempted);
        }

        LoadResult result(long elapsedNanos, boolean timeBound, long intended) {
            long[] l = Arrays.copyOf(latencies, n);
            Arrays.sort(l);
            return new LoadResult(attempted, n, errors, timeouts, elapsedNanos, percentile(l, 0.50),
                    percentile(l, 0.99), timeBound, Math.max(intended, attempted));
        }

        static long percentile(long[] sorted, double q) {
            if (sorted.length == 0) {
                return 0;
            }
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }
}
