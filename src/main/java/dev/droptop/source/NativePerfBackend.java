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
 * <p>Auto puts it right after bpftrace, before tracefs and perf. Measured on a 2-CPU VM (kernel 6.18)
 * with dropflood-bpf, 2 threads, 5 s per rate, nft-dropped UDP in a test netns (PerfFloodBench):
 * <pre>
 * backend, stacks          asked/s   sent/s    seen/s    lost    JVM CPU  perf CPU
 * perf record -g -m 1024   150,000    55,634    55,634       0     36%      27%
 * perf record -g -m 1024   250,000    63,629    63,629       0     32%      29%
 * perf record -g -m 4096   250,000    63,386    63,386       0     28%      29%
 * perf record -m 1024      250,000    64,115    64,115       0     37%      35%
 * native -g, 1024 pages    500,000   499,968   494,745  26,116     17%       -
 * native -g, 4096 pages    500,000   499,955   499,955       0     17%       -
 * native, 1024 pages       500,000   500,006   500,006       0      8%       -
 * </pre>
 * perf record loses nothing but its {@code --no-buffering} wakeup per event holds the senders to
 * ~60k drops/s (the cost lands in the dropping context); this backend's watermark wakeups let them
 * run at full rate. bpftrace still goes first: it counts in the kernel (~490k drops/s seen with the
 * JVM at 2-8%, no ring to overrun), while this backend's reader stalls now and then (~0.1 s) and a
 * 4 MiB ring overran at 500k/s with stacks; losses come back as PERF_RECORD_LOST, counted as lost.
 * Tracefs keeps up to ~100-125k drops/s, below what this one showed. Rings are {@link #ringPages(int)}
 * data pages per CPU, within {@value #RING_BUDGET_MIB} MiB over all CPUs (16 MiB each on 2 CPUs).
 */
public final class NativePerfBackend implements Backend {
    /** Most data pages per CPU ring (a power of two): 16 MiB of 4 KiB pages. */
    static final int RING_PAGES = 4096;
    /** Ring memory over all CPUs (locked kernel memory): per-CPU rings shrink to stay within it. */
    static final int RING_BUDGET_MIB = 256;
    private static final int MIN_RING_PAGES = 64;
    private static final int POLL_MILLIS = 50;
    private final int ringPages;

    public NativePerfBackend() {
        this(0);
    }

    /** For measurements: data pages per CPU ring, a power of two; 0 for {@link #ringPages}. */
    NativePerfBackend(int ringPages) {
        this.ringPages = ringPages;
    }

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
        String refused = PerfEventOpen.probe(layout.id());
        if (refused != null) {
            return Availability.no(refused, "use --backend tracefs or perf, or allow perf_event_open (seccomp, "
                    + "kernel.perf_event_paranoid)");
        }
        return Availability.works("perf_event_open on tracepoint id " + layout.id());
    }

    /**
     * Data pages per CPU ring for {@code cpus} CPUs: {@value #RING_PAGES}, halved until all rings fit in
     * {@value #RING_BUDGET_MIB} MiB (4 KiB pages), at least {@value #MIN_RING_PAGES}.
     */
    static int ringPages(int cpus) {
        int pages = RING_PAGES;
        while (pages > MIN_RING_PAGES && (long) pages * 4096 * Math.max(1, cpus) > (long) RING_BUDGET_MIB << 20) {
            pages /= 2;
        }
        return pages;
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
        PerfEventOpen events = PerfEventOpen.open(layout.id(), type, true,
                ringPages > 0 ? ringPages : ringPages(PerfEventOpen.onlineCpus().size()));
        NativeRun run = new NativeRun(events, new PerfRingDecoder(Kallsyms.lazy(), layout, type),
                SessionSink.batched(sink, lock, true), layout.id(), options.stacks());
        run.start();
        return run;
    }

    /** A started native backend: one reader thread polls the rings and decodes what they hold. */
    static final class NativeRun extends ReaderRun {
        private final PerfEventOpen events;
        private final PerfRingDecoder decoder;
        private final SessionSink sink;
        private final List<String> command;

        NativeRun(PerfEventOpen events, PerfRingDecoder decoder, SessionSink sink, long id, boolean stacks) {
            super("droptop-perf-native");
            this.events = events;
            this.decoder = decoder;
            this.sink = sink;
            this.command = List.of("perf_event_open", "tracepoint=" + id, "cpus=" + events.rings(),
                    "callchain=" + stacks);
        }

        void start() {
            reader.start();
        }

        @Override
        protected void read() {
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
            // unmapping under a reader still copying would crash the JVM: a stuck reader keeps the rings
            if (!reader.isAlive()) {
                events.close();
            }
        }
    }
}
