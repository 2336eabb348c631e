package dev.droptop.source;

import dev.droptop.model.DropSink;
import dev.droptop.parse.BpftraceParser;
import dev.droptop.system.HostFacts;
import dev.droptop.system.Kallsyms;
import dev.droptop.system.TracepointFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * bpftrace: {@code probes/drops.bt} (or {@code drops-stacks.bt} with stacks) counts drops in the
 * kernel per interval, keyed by location, reason, protocol, the skb device's netns inode and name
 * (read through BTF), and optionally kstack. Runs as
 * <pre>
 * setpriv --pdeathsig KILL -- bpftrace /opt/droptop/probes/drops.bt 1000
 * </pre>
 * and streams through {@link BpftraceParser} with the running kernel's reason table and
 * {@code /proc/kallsyms} (the probe prints raw location addresses).
 *
 * <p>RLIMIT_MEMLOCK: bpftrace 0.17 raises it to infinity itself and, without CAP_SYS_RESOURCE (as in
 * this container), prints {@code ERROR: Unknown error -1: couldn't set RLIMIT_MEMLOCK for bpftrace.
 * If your program is not loading, you can try "ulimit -l 8192" to fix the problem} and goes on.
 * Raising it for the child ({@code prlimit --memlock=unlimited}) needs the same capability, so it
 * would fail the same way. Since Linux 5.11 BPF memory is charged to the memory cgroup, not to
 * RLIMIT_MEMLOCK: measured here, {@code drops-stacks.bt} loads and counts with the limit lowered to
 * 64 KiB. That line is therefore noise, not a failure; every other {@code ERROR:} line ends the run.
 */
public final class BpftraceBackend implements Backend {
    public static final String SCRIPT = "probes/drops.bt";
    public static final String STACKS_SCRIPT = "probes/drops-stacks.bt";
    private static final long MIN_INTERVAL_MS = 100;

    private final Scripts scripts;
    private final Supplier<HostFacts> facts;

    public BpftraceBackend() {
        this(Scripts.defaults(), HostFacts::read);
    }

    public BpftraceBackend(Scripts scripts, Supplier<HostFacts> facts) {
        this.scripts = scripts;
        this.facts = facts;
    }

    @Override
    public String name() {
        return "bpftrace";
    }

    /** Root, bpftrace, tracefs with kfree_skb and its reason field, BTF, our scripts. */
    @Override
    public Availability check() {
        HostFacts host = facts.get();
        if (!Tools.onPath("bpftrace")) {
            return Availability.no("bpftrace is not installed", "apt-get install bpftrace");
        }
        if (!host.canTraceBpf()) {
            return Availability.no("needs root with CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)", "run droptop as root (sudo)");
        }
        if (host.tracefs() == null) {
            return Availability.no("tracefs is not mounted or has no skb:kfree_skb tracepoint",
                    "mount -t tracefs nodev /sys/kernel/tracing");
        }
        if (!host.reasonField()) {
            return Availability.no("the kfree_skb tracepoint has no reason field (kernel older than 5.17)",
                    "use --backend perf or tracefs");
        }
        if (!host.btf()) {
            return Availability.no("kernel BTF (/sys/kernel/btf/vmlinux) is missing; the probe reads netns and device"
                    + " through it", "a kernel built with CONFIG_DEBUG_INFO_BTF=y");
        }
        for (String s : List.of(SCRIPT, STACKS_SCRIPT)) {
            if (scripts.find(s) == null) {
                return Availability.no(scripts.missing(s), "reinstall droptop");
            }
        }
        return Availability.works(Tools.version("bpftrace", "--version") + ", BTF, reasons from "
                + host.tracefs() + (Tools.onPath("setpriv") ? "" : "; setpriv missing: bpftrace may outlive droptop"));
    }

    @Override
    public Running start(Options options, DropSink sink, Object lock) throws IOException {
        List<String> command = command(options);
        long intervalNanos = intervalMillis(options) * 1_000_000L;
        BpftraceParser parser = new BpftraceParser(Kallsyms.lazy(), TracepointFormat.runningKernelReasons(),
                intervalNanos);
        return ChildRun.start(name(), command, parser, true, BpftraceBackend::isNoise,
                SessionSink.perCall(sink, lock, SessionSink.Intervals.SOURCE));
    }

    /** {@code [setpriv --pdeathsig KILL --] bpftrace SCRIPT INTERVAL_MS}. */
    List<String> command(Options options) throws IOException {
        Path script = scripts.resolve(options.stacks() ? STACKS_SCRIPT : SCRIPT);
        List<String> cmd = new ArrayList<>(List.of("bpftrace", script.toString(),
                Long.toString(intervalMillis(options))));
        return ChildRun.withParentDeathSignal(cmd, Tools.onPath("setpriv"));
    }

    /** The interval in ms, at least 100 (the probe counts 100 ms ticks). */
    static long intervalMillis(Options options) {
        long ms = options.intervalNanos() / 1_000_000L;
        return Math.max(MIN_INTERVAL_MS, ms - ms % MIN_INTERVAL_MS);
    }

    /** bpftrace's RLIMIT_MEMLOCK complaint, harmless on memcg-accounted kernels (see class comment). */
    static boolean isNoise(String stderrLine) {
        return stderrLine.contains("RLIMIT_MEMLOCK");
    }
}
