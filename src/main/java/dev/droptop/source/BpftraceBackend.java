package dev.droptop.source;

import dev.droptop.model.DropSink;
import dev.droptop.model.Flow;
import dev.droptop.model.PacketHeaders;
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
    /** Counts plus flows and/or packet bytes (--flows, --pcap). */
    public static final String PACKETS_SCRIPT = "probes/drops-packets.bt";
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
        for (String s : List.of(SCRIPT, STACKS_SCRIPT, PACKETS_SCRIPT)) {
            if (scripts.find(s) == null) {
                return Availability.no(scripts.missing(s), "reinstall droptop");
            }
        }
        return Availability.works(Tools.version("bpftrace", "--version") + ", BTF, reasons from "
                + host.tracefs() + (Tools.onPath("setpriv") ? "" : "; setpriv missing: bpftrace may outlive droptop"));
    }

    @Override
    public boolean readsPackets() {
        return true;
    }

    @Override
    public Running start(Options options, DropSink sink, Object lock) throws IOException {
        if (options.packets().any()) {
            return startPackets(options, sink, lock);
        }
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

    /**
     * {@code probes/drops-packets.bt}: counts like drops.bt plus flows and/or packet lines; packets go to
     * a pcapng file, flushed at every interval end.
     */
    private Running startPackets(Options options, DropSink sink, Object lock) throws IOException {
        Packets p = options.packets();
        if (options.stacks()) {
            throw new IOException("--flows and --pcap use " + PACKETS_SCRIPT + ", which records no stacks: leave out --stacks");
        }
        long intervalNanos = intervalMillis(options) * 1_000_000L;
        BpftraceParser parser = new BpftraceParser(Kallsyms.lazy(), TracepointFormat.runningKernelReasons(),
                intervalNanos);
        PcapSink pcap = p.pcap() == null ? null : new PcapSink(p.pcap(), p.snaplen(), dev.droptop.system.NetnsResolver.live());
        parser.withPackets(pcap, hostFilter(p));
        DropSink target = SessionSink.perCall(sink, lock, SessionSink.Intervals.SOURCE);
        DropSink flushing = pcap == null ? target : new FlushingSink(target, pcap);
        // packet lines come one write each: let them gather in the pipe (see PacedInput)
        Running run = ChildRun.start(name(), packetsCommand(options), pcap == null ? parser : PacedInput.pacing(parser),
                true, BpftraceBackend::isNoise, flushing);
        return new PacketRun(run, parser, pcap);
    }

    /** {@code [setpriv ...] env BPFTRACE_MAP_KEYS_MAX=CAP bpftrace drops-packets.bt MS MODE SNAPLEN RATE HOST4 PORT V6ONLY}. */
    List<String> packetsCommand(Options options) throws IOException {
        Packets p = options.packets();
        Path script = scripts.resolve(PACKETS_SCRIPT);
        int mode = (p.flows() ? 1 : 0) | (p.pcap() != null ? 2 : 0);
        long host4 = 0;
        int v6only = 0;
        if (p.host() instanceof java.net.Inet4Address) {
            byte[] a = p.host().getAddress();
            // the u32 the kernel holds for a.b.c.d, read on a little-endian machine
            host4 = (a[0] & 0xffL) | (a[1] & 0xffL) << 8 | (a[2] & 0xffL) << 16 | (a[3] & 0xffL) << 24;
            if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
                host4 = (a[0] & 0xffL) << 24 | (a[1] & 0xffL) << 16 | (a[2] & 0xffL) << 8 | (a[3] & 0xffL);
            }
        } else if (p.host() != null) {
            v6only = 1;
        }
        // packet lines go through bpftrace's perf buffer: 64 pages per CPU (its default) overflowed at
        // 10,000 lines/s on the busy 2-vCPU VM; 1024 pages (4 MiB per CPU) for --pcap
        List<String> cmd = new ArrayList<>(List.of("env", "BPFTRACE_MAP_KEYS_MAX=" + Math.max(64, p.flowCap()),
                "BPFTRACE_PERF_RB_PAGES=" + (p.pcap() != null ? 1024 : 64),
                "bpftrace", script.toString(), Long.toString(intervalMillis(options)), Integer.toString(mode),
                Integer.toString(p.snaplen()), Integer.toString(Math.max(0, p.rate())), Long.toString(host4),
                Integer.toString(p.port()), Integer.toString(v6only)));
        return ChildRun.withParentDeathSignal(cmd, Tools.onPath("setpriv"));
    }

    /**
     * The IPv6 host filter the kernel side leaves to droptop (IPv4 hosts and ports are filtered there);
     * null when there is none, so packets are not decoded for it.
     */
    static java.util.function.Predicate<Flow> hostFilter(Packets p) {
        if (!(p.host() instanceof java.net.Inet6Address)) {
            return null;
        }
        String want = PacketHeaders.ipv6(p.host().getAddress(), 0);
        return f -> f.src().equals(want) || f.dst().equals(want);
    }

    /** Flushes the pcap file whenever an interval ends, so the file trails the counts by one interval at most. */
    static final class FlushingSink extends dev.droptop.model.ForwardingSink {
        private final PcapSink pcap;

        FlushingSink(DropSink target, PcapSink pcap) {
            super(target);
            this.pcap = pcap;
        }

        @Override
        public void intervalEnd(long timeNanos) {
            pcap.flush();
            target.intervalEnd(timeNanos);
        }
    }

    /** The child run plus the packet counters; closing it also closes the pcap file. */
    private static final class PacketRun implements Running {
        private final Running run;
        private final BpftraceParser parser;
        private final PcapSink pcap;

        PacketRun(Running run, BpftraceParser parser, PcapSink pcap) {
            this.run = run;
            this.parser = parser;
            this.pcap = pcap;
        }

        @Override
        public List<String> command() {
            return run.command();
        }

        @Override
        public boolean aggregates() {
            return run.aggregates();
        }

        @Override
        public boolean counting() {
            return run.counting();
        }

        @Override
        public void awaitEnd() throws InterruptedException {
            run.awaitEnd();
        }

        @Override
        public String failure() {
            String f = run.failure();
            return f != null || pcap == null ? f : pcap.failure();
        }

        @Override
        public dev.droptop.model.Warnings warnings() {
            return run.warnings();
        }

        @Override
        public PacketStats packetStats() {
            if (pcap == null) {
                return null;
            }
            return new PacketStats(pcap.written(), parser.packetsSkipped(), parser.packetsLost());
        }

        @Override
        public void close() {
            run.close();
            if (pcap != null) {
                pcap.close();
            }
        }
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
