package dev.droptop.source;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.FlowCount;
import dev.droptop.model.Snapshot;
import dev.droptop.system.HostFacts;
import dev.droptop.testing.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A measurement, not a test: like {@link BpftraceFloodBench}, nft-dropped UDP floods in a test netns at
 * increasing rates, with the bpftrace backend in {@code --flows} mode and in {@code --pcap} mode (rate
 * limit 10,000/s). Prints sent/s, seen/s (drop counts), flow-counted/s (flows at nft_do_chain in the
 * netns, cap folds included), lost, the pcap file's packets per second and skipped count, this JVM's
 * CPU and bpftrace's CPU (% of one core).
 * <pre>
 * mvn -q -o test-compile
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.droptop.source.PacketFloodBench [SECONDS] [RATE...]
 * </pre>
 * As root; {@code cp.txt} from {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class PacketFloodBench {
    private static final long INTERVAL = 1_000_000_000L;

    private PacketFloodBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("user.dir"));
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        List<Long> rates = args.length > 1 ? List.of(args).subList(1, args.length).stream().map(Long::parseLong).toList()
                : List.of(100_000L, 500_000L);
        Path gen = dir.resolve("target/dropflood-bpf");
        TestNetns.run("gcc", "-O2", "-pthread", "-o", gen.toString(),
                dir.resolve("src/test/resources/bench/dropflood-bpf.c").toString());
        System.out.println("| mode | target/s | sent/s | seen/s | in flows/s | lost | pcap pkts/s | skipped | pkt lines lost | droptop JVM CPU | bpftrace CPU |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        try (TestNetns ns = TestNetns.create("pbench")) {
            ns.nft(LiveDrops.NFT_DROP_UDP_9999);
            long inode = LiveDrops.inode(ns);
            for (String mode : new String[] {"flows", "pcap"}) {
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
        Snapshot s;
        long sent;
        double secs;
        double jvmCpu;
        double bpfCpu;
        Backend.PacketStats stats;
        try (LiveSession session = new LiveSession(backend, new Backend.Options(false, INTERVAL, packets),
                new DropAggregator(INTERVAL))) {
            session.start();
            LiveDrops.awaitWindows(session, 1, 60_000);
            Optional<ProcessHandle> bpf = ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("bpftrace")).orElse(false)).findFirst();
            long bpfPid = bpf.map(ProcessHandle::pid).orElse(-1L);
            long jvm0 = BpftraceFloodBench.cpuTicks(Path.of("/proc/self/stat"));
            long bpf0 = BpftraceFloodBench.cpuTicks(Path.of("/proc/" + bpfPid + "/stat"));
            long t0 = System.nanoTime();
            String out = ns.exec(gen.toString(), "9999", Long.toString(rate), Integer.toString(seconds), "2");
            double wall = (System.nanoTime() - t0) / 1e9;
            jvmCpu = (BpftraceFloodBench.cpuTicks(Path.of("/proc/self/stat")) - jvm0) / 100.0 / wall * 100;
            bpfCpu = (BpftraceFloodBench.cpuTicks(Path.of("/proc/" + bpfPid + "/stat")) - bpf0) / 100.0 / wall * 100;
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
        System.out.printf("| %s | %s | %,.0f | %,.0f | %,.0f | %d | %s | %s | %s | %.1f%% | %.1f%% |%n", mode,
                rate == 0 ? "max" : String.format("%,d", rate), sent / secs, seen / secs, inFlows / secs, sent - seen,
                stats == null ? "-" : String.format("%,.0f", stats.written() / secs),
                stats == null ? "-" : String.format("%,d", stats.skipped()),
                stats == null ? "-" : String.format("%,d", stats.lost()), jvmCpu, bpfCpu);
        if (pcap != null) {
            Files.deleteIfExists(pcap);
        }
    }
}
