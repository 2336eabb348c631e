package dev.droptop.run;

import dev.droptop.capture.CaptureEnd;
import dev.droptop.capture.CaptureHeader;
import dev.droptop.capture.CaptureWriter;
import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.Counters;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import dev.droptop.source.Backend;
import dev.droptop.source.LiveSession;
import dev.droptop.system.HostInfo;
import dev.droptop.system.ProcFs;
import dev.droptop.system.SystemSampler;
import dev.droptop.system.RunningKernel;
import dev.droptop.system.TracepointFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One live run shared by {@code capture} and {@code live}: picks the backend, writes the capture
 * file, runs the optional load command, and stops on Ctrl-C/SIGTERM, at the duration, when the load
 * command exits, or when the backend dies (keeping everything captured so far).
 */
public final class LiveRun implements AutoCloseable {
    /** How a run ended. */
    public enum End { COMPLETED, INTERRUPTED, BACKEND_FAILED }

    private static final long ATTACH_NANOS = 30_000_000_000L;

    private final LiveSettings options;
    private final PrintStream err;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean interrupted;
    private Backend backend;
    private DropAggregator aggregator;
    private LiveSession session;
    private CaptureWriter writer;
    private SystemSampler sampler;
    /** The system samples so far, reduced to what the diagnosis asks (bounded however long the run). */
    private final Counters systemHistory = new Counters();
    private Map<String, Long> lastAdded;
    private Map<String, Long> lastSample;
    private long lastSampleNanos;
    private Process load;
    private long startNanos;

    public LiveRun(LiveSettings options, PrintStream err) {
        this.options = options;
        this.err = err;
    }

    /** Picks and checks the backend; says which and why on stderr. */
    public Backend chooseBackend() {
        backend = BackendChoice.choose(options.backend(), err);
        return backend;
    }

    /** Starts the backend (and the capture file when {@code output} is not null; {@code -} is standard output). */
    public void start(Path output) throws IOException {
        aggregator = new DropAggregator(options.intervalNanos());
        Path file = output == null ? null : checkOutput(output);
        Backend.Packets packets = checkPackets(options.packets());
        session = new LiveSession(backend, new Backend.Options(options.stacks(), options.intervalNanos(), packets),
                aggregator);
        dev.droptop.model.DropFilter filter = options.filter();
        if (!filter.isAll()) {
            dev.droptop.system.NetnsResolver names = dev.droptop.system.NetnsResolver.live();
            session.wrapSink(s -> filter.wrap(s, names));
        }
        sampler = SystemSampler.start(ProcFs.live());
        installSignals();
        startNanos = System.nanoTime();
        session.start();
        if (file != null) {
            // the header names the backend's real command, so the file is opened once it runs
            synchronized (session.lock()) {
                writer = "-".equals(file.toString())
                        ? new CaptureWriter(new java.io.FileOutputStream(java.io.FileDescriptor.out),
                                header(session.running().command()), aggregator.stacks())
                        : CaptureWriter.open(file, header(session.running().command()), aggregator.stacks());
                writer.setSystemCounters(this::sampleSystem);
                aggregator.addListener(sampler::follow); // before the writer samples for the interval
                writer.setNetnsNames(dev.droptop.system.NetnsResolver.live());
                aggregator.addListener(writer);
            }
        }
        if (!options.command().isEmpty()) {
            awaitCounting();
            startLoad();
        }
    }

    /**
     * The load command starts once the backend counts: bpftrace takes seconds to attach, and a load
     * started at once would lose its first drops (a 5 s flood lost 2 s of them); perf record enables
     * its events 0.15-0.3 s after it starts (a burst of 500 drops started at once: 1 counted). A backend
     * that died meanwhile is reported by the run's end as any other; one that is slow is waited for 30 s
     * at most.
     */
    private void awaitCounting() {
        try {
            if (!session.awaitCounting(ATTACH_NANOS)) {
                System.err.println("droptop: backend " + backend.name() + " not counting after 30 s; starting "
                        + Sanitize.text(options.command().get(0)) + " anyway");
            }
        } catch (IOException e) {
            // the run's end reports the backend's failure
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** --flows / --pcap need a backend that reads packets (bpftrace); the pcap path is checked like -o. */
    private Backend.Packets checkPackets(Backend.Packets packets) throws IOException {
        if (!packets.any()) {
            return packets;
        }
        if (!backend.readsPackets()) {
            throw new UserError("--flows and --pcap need --backend bpftrace: " + backend.name()
                    + " reads the skb:kfree_skb tracepoint, whose fields hold no packet bytes");
        }
        if (packets.pcap() != null) {
            checkOutput(packets.pcap());
        }
        if (options.stacks()) {
            throw new UserError("--flows and --pcap cannot be combined with --stacks (probes/drops-packets.bt records no stacks)");
        }
        return packets;
    }

    /** Packets written / skipped / lost, or null when the run writes no pcap. */
    public Backend.PacketStats packetStats() {
        return session == null ? null : session.running().packetStats();
    }

    /** Waits for the first stop condition and returns how the run ended. */
    public End await() throws InterruptedException {
        long deadline = options.durationNanos() == 0 ? Long.MAX_VALUE : startNanos + options.durationNanos();
        while (true) {
            if (stop.await(100, TimeUnit.MILLISECONDS) || interrupted) {
                return End.INTERRUPTED;
            }
            if (session.running().failure() != null) {
                return End.BACKEND_FAILED;
            }
            if (System.nanoTime() >= deadline || load != null && !load.isAlive()) {
                return End.COMPLETED;
            }
        }
    }

    public Snapshot snapshot() {
        return session == null ? null : session.snapshot();
    }

    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    public String failure() {
        return session == null ? null : session.running().failure();
    }

    /** Asks the run to stop (from the UI thread or a signal). */
    public void requestStop() {
        interrupted = true;
        stop.countDown();
    }

    /** Stops everything and writes the end record; returns the final snapshot. */
    public Snapshot finish(End end) throws IOException {
        if (load != null && load.isAlive()) {
            load.destroy();
        }
        session.close();
        Snapshot s = session.snapshot();
        if (writer != null) {
            writer.setFindings(findings(s));
            String status = end == End.BACKEND_FAILED ? CaptureEnd.FAILED
                    : end == End.INTERRUPTED ? CaptureEnd.INTERRUPTED : CaptureEnd.COMPLETED;
            writer.close(status, end == End.BACKEND_FAILED ? failure() : "", session.running().warnings());
        }
        return s;
    }

    /** One sample of the system counters, kept for the diagnosis (one per interval when writing a file). */
    public synchronized Map<String, Long> sampleSystem() {
        Map<String, Long> m = sampler.get();
        systemHistory.add(m);
        lastAdded = m;
        return m;
    }

    /** The latest system sample, taken at most once a second (the TUI asks on every frame). */
    public synchronized Map<String, Long> systemNow() {
        if (sampler == null) {
            return Map.of();
        }
        long now = System.nanoTime();
        if (lastSample == null || now - lastSampleNanos >= 1_000_000_000L) {
            lastSample = writer == null ? sampleSystem() : sampler.get();
            lastSampleNanos = now;
        }
        return lastSample;
    }

    /** The diagnosis of a snapshot with the system counters seen so far plus a recent sample. */
    public List<Finding> diagnose(Snapshot s) {
        SystemState system;
        synchronized (this) {
            if (sampler != null && s != null) {
                sampler.follow(s); // network counters come from the namespace where most drops happen
            }
            Map<String, Long> now = systemNow();
            if (now == lastAdded) {
                system = systemHistory.state();
            } else {
                Counters withNow = systemHistory.copy();
                withNow.add(now);
                system = withNow.state();
            }
        }
        return Diagnoser.diagnose(s, system);
    }

    /** The TUI's diagnosis lines: each finding's summary. */
    public List<String> summaries(Snapshot s) {
        List<String> out = new ArrayList<>();
        if (s != null) {
            diagnose(s).forEach(f -> out.add(f.summary()));
        }
        return out;
    }

    private List<Map<String, String>> findings(Snapshot s) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Finding f : diagnose(s)) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("severity", f.severity().toString());
            m.put("summary", f.summary());
            m.put("evidence", f.evidence());
            m.put("advice", f.advice());
            out.add(m);
        }
        return out;
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
        if (sampler != null) {
            sampler.close();
        }
        if (load != null) {
            load.destroyForcibly();
        }
    }

    private CaptureHeader header(List<String> command) {
        return CaptureHeader.builder().droptop(Build.VERSION).host(HostInfo.hostName())
                .kernel(HostInfo.kernelRelease()).kernelBuildId(RunningKernel.read().buildId()).backend(backend.name())
                .command(command)
                .source(CaptureHeader.LIVE).startTime(Instant.now()).startNanos(startNanos)
                .intervalNanos(options.intervalNanos()).reasons(TracepointFormat.runningKernelReasons().table())
                .sysctl(HostInfo.sysctls()).flows(options.packets().flows()).build();
    }

    /** Refuses to write captures into /proc, /sys or /dev, whatever links the path goes through. */
    static Path checkOutput(Path output) throws IOException {
        return OutputPath.check(output);
    }

    private void startLoad() throws IOException {
        try {
            load = new ProcessBuilder(options.command()).inheritIO().redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UserError("cannot run " + options.command().get(0) + ": " + e.getMessage());
        }
    }

    private void installSignals() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> requestStop());
            } catch (IllegalArgumentException e) {
                // signal not available here: the shutdown hooks of the backend still clean up
            }
        }
    }
}
