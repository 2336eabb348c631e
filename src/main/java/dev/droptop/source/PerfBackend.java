package dev.droptop.source;

import dev.droptop.model.DropSink;
import dev.droptop.model.TracepointLayout;
import dev.droptop.parse.PerfDataReader;
import dev.droptop.parse.PerfScriptParser;
import dev.droptop.system.Kallsyms;
import dev.droptop.system.Privileges;
import dev.droptop.system.TracepointFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The perf backend: {@code perf record -e skb:kfree_skb -a [-g] -o -}, its pipe-mode output decoded
 * by {@link PerfDataReader} with the running kernel's tracepoint layout (no perf script child; about
 * 7x faster, see PerfDataBench). When the format file gives no layout it falls back to
 * {@code perf record ... -o - | perf script -i - --show-lost-events}, both started from argument lists by {@link ChildLauncher} (so they die with
 * droptop, even on SIGKILL), perf record's output copied into perf script by droptop ({@link PerfTap},
 * which sees when perf record counts), and parsed as perf script prints. Pipe mode prints hex locations and
 * frames without offsets, resolved through {@link Kallsyms#lazy()} (perf 6.1, kernel 6.18):
 * <pre>
 *             java 23840 [000]  3263.399101: skb:kfree_skb: skbaddr=0xffff88814e09f200 rx_sk=(nil) protocol=2048 location=0xffffffff82046f4c reason: NO_SOCKET
 *             java 23840 [000]  3263.404915: PERF_RECORD_LOST lost 1
 * </pre>
 * The second line is how perf script reports a {@code PERF_RECORD_LOST} (the kernel's ring buffer
 * was full): its count goes to {@link DropSink#lost}.
 *
 * <p>Streaming needs two things, found on perf 6.1: {@code --no-buffering} (wake perf record on every
 * event; by default it waits until half its ring buffer is full, so a few drops a second would show
 * up minutes late) and {@code stdbuf -oL} on perf script (it block-buffers stdout into a pipe).
 *
 * <p>Supervision: when perf ends on its own (bad event, killed, out of memory), {@link
 * Backend.Running#failure()} gives its last stderr line and {@code awaitEnd()} returns; what was
 * parsed stays in the sink.
 */
public final class PerfBackend implements Backend {
    /** perf record's ring buffer in pages per CPU (-m); 4 MiB absorbs ~0.1 s at 150k events/s. */
    static final int MMAP_PAGES = 1024;
    private final int mmapPages;
    private final boolean perfScript;

    public PerfBackend() {
        this(MMAP_PAGES);
    }

    /** For measurements and loss tests: perf record's {@code -m} pages. */
    PerfBackend(int mmapPages) {
        this(mmapPages, false);
    }

    /** For tests: {@code perfScript} takes the perf script pipeline even where the layout is known. */
    PerfBackend(int mmapPages, boolean perfScript) {
        this.mmapPages = mmapPages;
        this.perfScript = perfScript;
    }

    @Override
    public String name() {
        return "perf";
    }

    @Override
    public Availability check() {
        int paranoid = Privileges.perfEventParanoid();
        if (!Privileges.isRoot() && paranoid > -1) {
            return Availability.no("perf needs root to trace skb:kfree_skb on all CPUs (perf_event_paranoid is "
                    + paranoid + ")", "run droptop as root, or sysctl kernel.perf_event_paranoid=-1");
        }
        if (findPerf() == null) {
            return Availability.no("perf is not installed", "apt-get install linux-perf");
        }
        Path root = TracefsInstance.findRoot();
        if (root == null) {
            return Availability.no("perf finds tracepoints through tracefs, which is not mounted",
                    "mount -t tracefs nodev /sys/kernel/tracing");
        }
        if (!Files.exists(root.resolve(TracefsInstance.EVENT).resolve("format"))) {
            return Availability.no("this kernel has no skb:kfree_skb tracepoint",
                    "use a kernel built with CONFIG_TRACEPOINTS and networking");
        }
        String warn = ChildLauncher.warning();
        return Availability.works("perf at " + findPerf() + (warn.isEmpty() ? "" : "; warning: " + warn));
    }

    @Override
    public Running start(Options options, DropSink sink, Object lock) throws IOException {
        Availability a = check();
        if (!a.works()) {
            throw new IOException(a.reason() + " (fix: " + a.fix() + ")");
        }
        PerfRun run;
        SessionSink batched = SessionSink.batched(sink, lock, true);
        TracepointLayout layout = TracepointFormat.runningKernelLayout();
        if (!perfScript && layout != null && layout.locationOffset() >= 0) {
            List<List<String>> cmds = List.of(recordCommand(options.stacks()));
            List<Process> ps = ChildLauncher.startPipeline(cmds);
            ChildProcess record = ChildProcess.adopt(cmds.get(0), ps.get(0));
            PerfDataReader reader = new PerfDataReader(Kallsyms.lazy(), layout);
            run = new PerfRun(record, null, reader, batched, reader);
        } else {
            run = scriptPipeline(options, batched);
        }
        run.start();
        return run;
    }

    /**
     * perf record into perf script through droptop ({@link PerfTap}), which so sees perf record's
     * records pass and knows when its events are enabled; perf script's text goes to the parser.
     */
    private PerfRun scriptPipeline(Options options, SessionSink batched) throws IOException {
        List<String> recordCmd = recordCommand(options.stacks());
        List<String> scriptCmd = scriptCommand();
        ChildProcess record = ChildProcess.adopt(recordCmd, ChildLauncher.startPipeline(List.of(recordCmd)).get(0));
        ChildProcess script;
        try {
            script = ChildProcess.adopt(scriptCmd, ChildLauncher.startFed(scriptCmd));
        } catch (IOException e) {
            record.close();
            throw e;
        }
        PerfDataReader framing = PerfDataReader.framing();
        PerfTap.start(record.stdout(), script.stdin(), framing);
        return new PerfRun(record, script, new PerfScriptParser(Kallsyms.lazy()), batched, framing);
    }

    List<String> recordCommand(boolean stacks) {
        List<String> c = new ArrayList<>(List.of("perf", "record", "--no-buffering", "-e", "skb:kfree_skb", "-a"));
        if (noBpfEvent(Tools.version("perf", "version"))) {
            c.add("--no-bpf-event");
        }
        if (stacks) {
            c.add("-g");
        }
        c.addAll(List.of("-m", Integer.toString(mmapPages), "-o", "-"));
        return c;
    }

    /**
     * Whether perf of this {@code perf version} line takes {@code --no-bpf-event} ({@link
     * PerfVersion#takesNoBpfEvent}): without it a capture's end waited 0.7-1 s for perf after SIGINT,
     * with it perf exits in ~30 ms (perf 6.1 on this VM). An unreadable line keeps perf's defaults.
     */
    static boolean noBpfEvent(String versionLine) {
        PerfVersion v = PerfVersion.parse(versionLine);
        return v != null && v.takesNoBpfEvent();
    }

    /** perf script, line-buffered through stdbuf when there is one (it block-buffers a pipe otherwise). */
    static List<String> scriptCommand() {
        List<String> c = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/stdbuf"))) {
            c.addAll(List.of("/usr/bin/stdbuf", "-oL"));
        }
        c.addAll(List.of("perf", "script", "-i", "-", "--show-lost-events"));
        return c;
    }

    private static Path findPerf() {
        return Tools.find("perf");
    }
}
