package dev.droptop.source;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.FlowCount;
import dev.droptop.model.Snapshot;
import dev.droptop.system.HostFacts;
import dev.droptop.testing.TestNetns;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * A measurement, not a test: like {@link BpftraceFloodBench}, nft-dropped UDP floods in a test netns at
 * increasing rates, with the bpftrace backend in {@code --flows} mode and in {@code --pcap} mode (rate
 * limit 10,000/s). Prints sent/s, seen/s (drop counts), flow-counted/s (flows at nft_do_chain in the
 * netns, cap folds included), lost, the pcap file's packets per kernel second and skipped count, this
 * JVM's CPU (and how it splits: the backend's reader thread, the JIT compilers, the GC, the rest) and
 * bpftrace's CPU, all in % of one core over the flood's seconds.
 *
 * <p>The rate limit counts per second of the probe's clock ({@code nsecs / 1e9}), so a run of S seconds
 * touches S + 1 of its windows, each allowed 10,000 packets: the pcap columns count the file's packets
 * per such window (timestamps back to CLOCK_MONOTONIC through this JVM's own wall-to-monotonic offset,
 * which the writer's differs from by microseconds): the fullest window, the median of the windows
 * between the first and the last (whole seconds of flood), and the total over the windows touched.
 * <pre>
 * mvn -q -o test-compile
 * java [-Ddroptop.bench.modes=pcap] -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     dev.droptop.source.PacketFloodBench [SECONDS] [RATE...]
 * </pre>
 * As root; {@code cp.txt} from {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 * SECONDS defaults to 10 (the generator's most), the rates to 100,000 and 500,000.
 */
public final class PacketFloodBench {
    private static final long INTERVAL = 1_000_000_000L;

    private PacketFloodBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("user.dir"));
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Long> rates = args.length > 1 ? List.of(args).subList(1, args.length).stream().map(Long::parseLong).toList()
                : List.of(100_000L, 500_000L);
        Path gen = dir.resolve("target/dropflood-bpf");
        TestNetns.run("gcc", "-O2", "-pthread", "-o", gen.toString(),
                dir.resolve("src/test/resources/bench/dropflood-bpf.c").toString());
        String[] modes = System.getProperty("droptop.bench.modes", "flows,pcap").split(",");
        System.out.println("| mode | target/s | sent/s | seen/s | in flows/s | lost | pcap pkts per kernel s: max"
                + " / median of whole s | pcap total / kernel s touched | skipped | pkt lines lost | droptop JVM CPU"
                + " | of it: reader / JIT / GC / other | bpftrace CPU |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        try (TestNetns ns = TestNetns.create("pbench")) {
            ns.nft(LiveDrops.NFT_DROP_UDP_9999);
            long inode = LiveDrops.inode(ns);
            for (String mode : modes) {
                for (long rate : rates) {
                    run(dir, ns, inode, gen, mode, rate, seconds);
                }
            }
        }
    }

    private static void run(Path dir, TestNetns ns, long inode, Path gen, String mode, long rate, int seconds)
            throws Exception {
        BpftraceBackend backend = new BpftraceBackend(Scripts.in(dir), HostFacts::read);
        Path pcap = "pcap".equals(mode) ? Files.createTempFile("droptop-bench", ".pcapng") : null;
        Backend.Packets packets = new Backend.Packets("flows".equals(mode), pcap, 128, 10_000, null, 9999, 4096);
        long monoToEpoch = epochMinusMonotonic();
        Snapshot s;
        long sent;
        double secs;
        double jvmCpu;
        double bpfCpu;
        String threadCpu;
        Backend.PacketStats stats;
        try (LiveSession session = new LiveSession(backend, new Backend.Options(false, INTERVAL, packets),
                new DropAggregator(INTERVAL))) {
            session.start();
            LiveDrops.awaitWindows(session, 1, 60_000);
            Optional<ProcessHandle> bpf = ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("bpftrace")).orElse(false)).findFirst();
            long bpfPid = bpf.map(ProcessHandle::pid).orElse(-1L);
            Map<String, Long> threads0 = threadTicks();
            long jvm0 = BpftraceFloodBench.cpuTicks(Path.of("/proc/self/stat"));
            long bpf0 = BpftraceFloodBench.cpuTicks(Path.of("/proc/" + bpfPid + "/stat"));
            long t0 = System.nanoTime();
            String out = ns.exec(gen.toString(), "9999", Long.toString(rate), Integer.toString(seconds), "2");
            double wall = (System.nanoTime() - t0) / 1e9;
            jvmCpu = (BpftraceFloodBench.cpuTicks(Path.of("/proc/self/stat")) - jvm0) / 100.0 / wall * 100;
            bpfCpu = (BpftraceFloodBench.cpuTicks(Path.of("/proc/" + bpfPid + "/stat")) - bpf0) / 100.0 / wall * 100;
            Map<String, Long> threads1 = threadTicks();
            StringBuilder split = new StringBuilder();
            for (String group : THREAD_GROUPS) {
                long d = threads1.getOrDefault(group, 0L) - threads0.getOrDefault(group, 0L);
                split.append(split.length() == 0 ? "" : " / ").append(String.format("%.1f", d / 100.0 / wall * 100));
            }
            threadCpu = split.toString();
            sent = Long.parseLong(out.substring(out.indexOf("sent=") + 5).split("\\s")[0]);
            secs = Double.parseDouble(out.substring(out.indexOf("secs=") + 5).trim());
            Thread.sleep(2500); // two more intervals: the last running totals arrive
            stats = session.running().packetStats();
            session.close();
            s = session.snapshot();
        }
        long seen = LiveDrops.count(s, r -> r.key().netns() == inode && r.key().symbol().equals("nft_do_chain"));
        long inFlows = 0;
        for (FlowCount f : s.flows()) {
            if (f.key().symbol().equals("nft_do_chain") && (f.key().netns() == inode || f.flow().isOther())) {
                inFlows += f.count();
            }
        }
        String perSecond = "-";
        String total = "-";
        if (pcap != null) {
            long[] windows = kernelSeconds(pcap, monoToEpoch);
            long sum = LongStream.of(windows).sum();
            perSecond = String.format("%,d / %,d", LongStream.of(windows).max().orElse(0), medianOfWhole(windows));
            total = String.format("%,d / %d s = %,.0f", sum, windows.length, windows.length == 0 ? 0.0
                    : sum / (double) windows.length);
            if (sum != stats.written()) {
                total += String.format(" (writer counted %,d)", stats.written());
            }
        }
        System.out.printf("| %s | %s | %,.0f | %,.0f | %,.0f | %d | %s | %s | %s | %s | %.1f%% | %s | %.1f%% |%n", mode,
                rate == 0 ? "max" : String.format("%,d", rate), sent / secs, seen / secs, inFlows / secs, sent - seen,
                perSecond, total, stats == null ? "-" : String.format("%,d", stats.skipped()),
                stats == null ? "-" : String.format("%,d", stats.lost()), jvmCpu, threadCpu, bpfCpu);
        if (pcap != null) {
            Files.deleteIfExists(pcap);
        }
    }

    /** Thread groups of the JVM CPU split: the backend's reader thread, the JIT compilers, the GC, the rest. */
    private static final List<String> THREAD_GROUPS = List.of("reader", "jit", "gc", "other");

    /** utime + stime per thread group of this JVM, from /proc/self/task/TID/stat (threads alive now). */
    private static Map<String, Long> threadTicks() throws IOException {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long t = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
                String group = comm.startsWith("droptop-bpftra") ? "reader"
                        : comm.contains("CompilerThre") ? "jit"
                        : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "gc" : "other";
                ticks.merge(group, t, Long::sum);
            }
        }
        return ticks;
    }

    /** Wall-clock minus CLOCK_MONOTONIC in ns, measured as {@link PcapSink} measures it. */
    private static long epochMinusMonotonic() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    /**
     * Packets of the pcapng file per second of the probe's clock, from the first window with a packet
     * to the last (empty windows between them count as 0).
     */
    private static long[] kernelSeconds(Path pcap, long monoToEpoch) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        TreeMap<Long, Long> perSecond = new TreeMap<>();
        for (int pos = 0; pos + 12 <= b.limit();) {
            int type = b.getInt(pos);
            int len = b.getInt(pos + 4);
            if (len < 12 || pos + len > b.limit()) {
                break;
            }
            if (type == 6) { // enhanced packet block: interface, timestamp high, timestamp low (ns: if_tsresol 9)
                long epoch = (b.getInt(pos + 12) & 0xffffffffL) << 32 | b.getInt(pos + 16) & 0xffffffffL;
                perSecond.merge(Math.floorDiv(epoch - monoToEpoch, 1_000_000_000L), 1L, Long::sum);
            }
            pos += len;
        }
        if (perSecond.isEmpty()) {
            return new long[0];
        }
        long first = perSecond.firstKey();
        long[] windows = new long[(int) (perSecond.lastKey() - first + 1)];
        perSecond.forEach((sec, n) -> windows[(int) (sec - first)] = n);
        return windows;
    }

    /** The median of the windows without the first and the last (which the flood covers only in part). */
    private static long medianOfWhole(long[] windows) {
        if (windows.length < 3) {
            return LongStream.of(windows).max().orElse(0);
        }
        long[] whole = Arrays.copyOfRange(windows, 1, windows.length - 1);
        Arrays.sort(whole);
        return whole[whole.length / 2];
    }
}
