package dev.droptop.run;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.Warnings;
import dev.droptop.source.Availability;
import dev.droptop.source.Backend;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test double of an aggregating backend: each start delivers {@code perRun} drops of one key in
 * one interval (as bpftrace does), then runs until closed or until the test makes it {@link #die}.
 */
final class FakeBackend implements Backend {
    final AtomicInteger starts = new AtomicInteger();
    /** What its runs answer to {@link Running#counting()} (false: a perf record that has not enabled its events). */
    final java.util.concurrent.atomic.AtomicBoolean counting = new java.util.concurrent.atomic.AtomicBoolean(true);
    /** How often a run was asked whether it counts. */
    final AtomicInteger askedCounting = new AtomicInteger();
    private final AtomicReference<Run> current = new AtomicReference<>();
    private final DropKey key;
    private final long perRun;

    FakeBackend(DropKey key, long perRun) {
        this.key = key;
        this.perRun = perRun;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Availability check() {
        return Availability.works("test double");
    }

    @Override
    public Running start(Options options, DropSink sink, Object lock) {
        starts.incrementAndGet();
        Run r = new Run(this);
        synchronized (lock) {
            sink.record(key, 0, perRun, 1);
            sink.intervalEnd(2);
        }
        current.set(r);
        return r;
    }

    /** The running instance ends by itself with a failure, as a killed bpftrace does. */
    void die(String why) {
        Run r = current.get();
        r.failure.set(why);
        r.end.countDown();
    }

    static final class Run implements Running {
        final AtomicReference<String> failure = new AtomicReference<>();
        final CountDownLatch end = new CountDownLatch(1);
        private final FakeBackend backend;

        Run(FakeBackend backend) {
            this.backend = backend;
        }

        @Override
        public boolean counting() {
            backend.askedCounting.incrementAndGet();
            return backend.counting.get();
        }

        @Override
        public List<String> command() {
            return List.of("fake");
        }

        @Override
        public boolean aggregates() {
            return true;
        }

        @Override
        public void awaitEnd() throws InterruptedException {
            end.await();
        }

        @Override
        public String failure() {
            return failure.get();
        }

        @Override
        public Warnings warnings() {
            return new Warnings();
        }

        @Override
        public void close() {
            end.countDown();
        }
    }
}
