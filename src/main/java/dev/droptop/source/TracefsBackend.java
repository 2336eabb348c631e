package dev.droptop.source;

import dev.droptop.model.DropSink;
import dev.droptop.model.ReasonNames;
import dev.droptop.parse.TracefsParser;
import dev.droptop.system.Kallsyms;
import dev.droptop.system.Privileges;
import dev.droptop.system.TracepointFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tracefs backend: needs no tool, only root and a mounted tracefs. It makes a private instance
 * ({@link TracefsInstance}), sets its buffer to {@value #BUFFER_KB} KiB per CPU, enables
 * {@code skb/kfree_skb} (plus the {@code stacktrace} trigger with stacks), and streams
 * {@code trace_pipe} through {@link TracefsParser}. A line it reads (kernel 6.18):
 * <pre>
 *   dg-syn-15099   [000] ..s1.  9129.878286: kfree_skb: skbaddr=0000000043ca7194 rx_sk=0000000000000000 protocol=2048 location=tcp_v4_rcv+0x99/0x1400 reason: NO_SOCKET
 * </pre>
 * Lost events are the deltas of {@code overrun} + {@code dropped events} in the per-CPU
 * {@code stats} files, polled every {@value #STATS_MILLIS} ms and at the end (the in-band
 * {@code CPU:1 [LOST n EVENTS]} lines report the same overruns and are not counted twice).
 *
 * <p>Buffer size: the default 1410 KiB per CPU holds ~30k events (~48 bytes each), a fifth of a
 * second at 150k drops/s; with the stacktrace trigger a drop takes ~250 bytes. {@value #BUFFER_KB} KiB
 * per CPU absorbs a one-second burst without stacks at a cost of 8 MiB of kernel memory per CPU.
 */
public final class TracefsBackend implements Backend {
    static final int BUFFER_KB = 8192;
    static final int STATS_MILLIS = 250;
    private static final String FIX_MOUNT = "mount -t tracefs nodev /sys/kernel/tracing";
    private final int bufferKb;
    private final int batch;

    public TracefsBackend() {
        this(BUFFER_KB, SessionSink.BATCH);
    }

    /** For measurements: the per-CPU buffer size and the number of drops handed over per lock. */
    TracefsBackend(int bufferKb, int batch) {
        this.bufferKb = bufferKb;
        this.batch = batch;
    }

    @Override
    public String name() {
        return "tracefs";
    }

    @Override
    public Availability check() {
        if (!Privileges.isRoot()) {
            return Availability.no("tracefs needs root: only root may create tracing instances",
                    "run droptop as root (sudo droptop ...)");
        }
        Path root = TracefsInstance.findRoot();
        if (root == null) {
            return Availability.no("tracefs is not mounted at /sys/kernel/tracing", FIX_MOUNT);
        }
        Path format = root.resolve(TracefsInstance.EVENT).resolve("format");
        if (!Files.isReadable(format)) {
            return Availability.no("this kernel has no skb:kfree_skb tracepoint (" + format + " is missing)",
                    "use a kernel built with CONFIG_TRACEPOINTS and networking (any distribution kernel)");
        }
        try {
            if (!TracepointFormat.read(format).hasField("reason")) {
                return Availability.works("tracefs at " + root + "; warning: skb:kfree_skb has no reason field"
                        + " (kernel older than 5.17): drop locations only, no reasons");
            }
        } catch (IOException e) {
            return Availability.no("cannot read " + format + ": " + e.getMessage(), "run droptop as root");
        }
        return Availability.works("tracefs at " + root + "; skb:kfree_skb with drop reasons");
    }

    @Override
    public Running start(Options options, DropSink sink, Object lock) throws IOException {
        Availability a = check();
        if (!a.works()) {
            throw new IOException(a.reason() + " (fix: " + a.fix() + ")");
        }
        Path root = TracefsInstance.findRoot();
        TracefsInstance.removeStale(root);
        TracefsInstance instance = TracefsInstance.create(root, ProcessHandle.current().pid());
        try {
            configure(instance, options.stacks());
            ReasonNames reasons = TracepointFormat.read(root.resolve(TracefsInstance.EVENT).resolve("format")).reasons();
            TracefsParser parser = new TracefsParser(Kallsyms.lazy(), reasons);
            TracefsRun run = new TracefsRun(instance, options, parser, new SessionSink(sink, lock, batch, false, SessionSink.Intervals.SOURCE),
                    sink, lock);
            run.start();
            return run;
        } catch (IOException | RuntimeException e) {
            instance.remove();
            throw e;
        }
    }

    private void configure(TracefsInstance instance, boolean stacks) throws IOException {
        instance.write("buffer_size_kb", Integer.toString(bufferKb));
        if (stacks) {
            instance.write(TracefsInstance.EVENT + "/trigger", "stacktrace");
        }
        instance.write(TracefsInstance.EVENT + "/enable", "1");
    }

    /** What {@link #start} describes as its command. */
    static List<String> describe(TracefsInstance instance, boolean stacks) {
        return stacks
                ? List.of("tracefs", instance.dir().toString(), "skb/kfree_skb", "trigger=stacktrace")
                : List.of("tracefs", instance.dir().toString(), "skb/kfree_skb");
    }
}
