package dev.droptop.source;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropSink;
import dev.droptop.model.Snapshot;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one backend into an aggregator: the backend's reader thread records under {@link #lock()},
 * a ticker thread closes windows on time (event backends) and publishes an immutable
 * {@link Snapshot} a few times per interval for the TUI and the status line.
 *
 * <p>Event backends are windowed by arrival time ({@code System.nanoTime()}), because perf and
 * tracefs stamp events with the kernel's local clock, which is not the JVM's clock; in-kernel
 * aggregating backends (bpftrace) close their own windows with CLOCK_MONOTONIC stamps.
 */
public final class LiveSession implements AutoCloseable {
    private static final long MAX_TICK_NANOS = 200_000_000L;

    private final Backend backend;
    private final Backend.Options options;
    private final DropAggregator aggregator;
    private final Object lock = new Object();
    private final AtomicReference<Snapshot> latest;
    private Backend.Running running;
    private Thread ticker;
    private volatile boolean closed;
    private java.util.function.UnaryOperator<DropSink> wrap = s -> s;

    /** Wraps the sink the backend feeds (a drop filter); call before {@link #start()}. */
    public void wrapSink(java.util.function.UnaryOperator<DropSink> wrap) {
        this.wrap = wrap;
    }

    public LiveSession(Backend backend, Backend.Options options, DropAggregator aggregator) {
        this.backend = backend;
        this.options = options;
        this.aggregator = aggregator;
        this.latest = new AtomicReference<>(Snapshot.empty(aggregator.intervalNanos()));
    }

    public void start() throws IOException {
        long now = System.nanoTime();
        running = backend.start(options, wrap.apply(aggregator), lock);
        if (!running.aggregates()) {
            synchronized (lock) {
                aggregator.begin(now);
            }
        }
        ticker = new Thread(this::tick, "droptop-ticker");
        ticker.setDaemon(true);
        ticker.start();
    }

    public Backend.Running running() {
        return running;
    }

    /** The lock the backend records under; hold it to read the aggregator directly. */
    public Object lock() {
        return lock;
    }

    public Snapshot snapshot() {
        return latest.get();
    }

    /**
     * Waits until the backend counts ({@link Backend.Running#counting()}): bpftrace, which takes
     * seconds to read BTF and attach, once its first interval has arrived; perf record, which enables
     * its events 0.15-0.3 s after it starts, once its output says so; backends attached by {@link
     * #start()} at once. A load started after this loses none of its drops to the attach time.
     *
     * @return false when {@code timeoutNanos} passed first
     * @throws IOException when the backend ended with a failure meanwhile
     */
    public boolean awaitCounting(long timeoutNanos) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!running.counting()) {
            if (running.failure() != null) {
                throw new IOException("backend " + backend.name() + " failed: " + running.failure());
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Stops the backend, closes the last window and returns the final snapshot. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.interrupt();
        }
        if (running != null) {
            running.close();
        }
        synchronized (lock) {
            if (running != null && !running.aggregates()) {
                aggregator.advanceTo(System.nanoTime());
            }
            aggregator.finish();
            latest.set(aggregator.snapshot());
        }
    }

    private void tick() {
        long step = Math.min(MAX_TICK_NANOS, aggregator.intervalNanos() / 4);
        while (!closed) {
            try {
                Thread.sleep(Math.max(1, step / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                if (!running.aggregates()) {
                    aggregator.advanceTo(System.nanoTime());
                }
                latest.set(aggregator.snapshot());
            }
        }
    }
}
