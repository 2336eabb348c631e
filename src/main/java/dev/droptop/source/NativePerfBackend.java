package dev.droptop.source;

import dev.droptop.model.DropSink;
import dev.droptop.model.TracepointLayout;
import dev.droptop.model.Warnings;
import dev.droptop.parse.PerfRingDecoder;
import dev.droptop.system.Kallsyms;
import dev.droptop.system.PerfEventOpen;
import dev.droptop.system.Privileges;
import dev.droptop.system.TracepointFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The native perf backend: {@code skb:kfree_skb} opened with perf_event_open(2) on every online CPU
 * ({@link PerfEventOpen}, through JNA), the rings read in this JVM and decoded by {@link
 * PerfRingDecoder}, no perf binary. Wakeups come by watermark (a quarter of each ring) plus a 50 ms
 * poll timeout, instead of perf record's {@code --no-buffering} wakeup per event.
 *
 * <p>Auto puts it after bpftrace and tracefs, before perf: measured on a 2-CPU VM with
 * dropflood-bpf (PerfFloodBench, stacks), perf record --no-buffering held senders to ~55-65k drops/s
 * (seen = sent, no loss, JVM ~30% + perf ~30% of a core) against 150k-250k asked; bpftrace counts in
 * the kernel (~490k drops/s seen, JVM 2-8%). This backend streams every event with its stack like
 * perf but is new and has only the measurement in the report of issue #9; it moves up when it has
 * been measured against tracefs.
 */
public final class NativePerfBackend implements Backend {
    /** Data pages per CPU ring (a power of two): 4 MiB. */
    static final int RING_PAGES = 1024;
    private static final int POLL_MILLIS = 50;

    @Override
    public String name() {
        return "perf-native";
    }

    @Override
    public Availability check() {
        if (!Privileges.isRoot()) {
            return Availability.no("perf_event_open on skb:kfree_skb for all CPUs needs root",
                    "run droptop as root");
        }
        if (PerfEventOpen.syscallNumber() < 0) {
            return Availability.no("perf_event_open is not wired for " + System.getProperty("os.arch"),
                    "use --backend perf");
        }
        TracepointLayout layout = layout();
        if (layout == null || layout.id() == TracepointLayout.ANY_ID || layout.locationOffset() < 0) {
            return Availability.no("the skb:kfree_skb format (its id and location field) is not readable in tracefs",
                    "mount -t tracefs nodev /sys/kernel/tracing");
        }
        return Availability.works("perf_event_open on tracepoint id " + layout.id());
    }

    private static TracepointLayout layout() {
        for (Path p : List.of(TracepointFormat.DEFAULT,
                Path.of("/sys/kernel/debug/tracing/events/skb/kfree_skb/format"))) {
            if (Files.isReadable(p)) {
                try {
                    return TracepointFormat.read(p).layout();
                } catch (IOException e) {
                    // try the next mount point
                }
            }
        }
        return null;
    }

    @Override
    public Running start(Options options, DropSink sink, Object lock) throws IOException {
        Availability a = check();
        if (!a.works()) {
            throw new IOException(a.reason() + " (fix: " + a.fix() + ")");
        }
        TracepointLayout layout = layout();
        long type = PerfEventOpen.SAMPLE_TIME | PerfEventOpen.SAMPLE_CPU | PerfEventOpen.SAMPLE_RAW
                | (options.stacks() ? PerfEventOpen.SAMPLE_CALLCHAIN : 0);
        PerfEventOpen events = PerfEventOpen.open(layout.id(), type, true, RING_PAGES);
        NativeRun run = new NativeRun(events, new PerfRingDecoder(Kallsyms.lazy(), layout, type),
                new LockingSink(sink, lock, LockingSink.BATCH, true), layout.id(), options.stacks());
        run.start();
        return run;
    }

    /** A started native backend: one reader thread polls the rings and decodes what they hold. */
    static final class NativeRun implements Running {
        private final PerfEventOpen events;
        private final PerfRingDecoder decoder;
        private final LockingSink sink;
        private final Thread reader;
        private final List<String> command;
        private volatile boolean closed;
        private volatile String failure;

        NativeRun(PerfEventOpen events, PerfRingDecoder decoder, LockingSink sink, long id, boolean stacks) {
            this.events = events;
            this.decoder = decoder;
            this.sink = sink;
            this.command = List.of("perf_event_open", "tracepoint=" + id, "cpus=" + events.rings(),
                    "callchain=" + stacks);
            this.reader = new Thread(this::read, "droptop-perf-native");
            reader.setDaemon(true);
        }

        void start() {
            reader.start();
        }

        private void read() {
            byte[] buf = new byte[events.ringBytes()];
            try {
                while (!closed) {
                    events.await(POLL_MILLIS);
                    drainAll(buf);
                }
                drainAll(buf);
            } catch (RuntimeException e) {
                failure = "reading the perf rings failed: " + e;
            } finally {
                sink.flush();
            }
        }

        private void drainAll(byte[] buf) {
            for (int i = 0; i < events.rings(); i++) {
                int n = events.drain(i, buf);
                if (n > 0) {
                    decoder.decode(buf, n, sink);
                }
            }
            sink.flush();
        }

        @Override
        public List<String> command() {
            return command;
        }

        @Override
        public boolean aggregates() {
            return false;
        }

        @Override
        public void awaitEnd() throws InterruptedException {
            reader.join();
        }

        @Override
        public String failure() {
            return failure;
        }

        @Override
        public Warnings warnings() {
            return decoder.warnings();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!reader.isAlive()) {
                events.close();
            }
        }
    }
}
