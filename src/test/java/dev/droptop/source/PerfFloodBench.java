package dev.droptop.source;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Snapshot;
import dev.droptop.testing.TestNetns;
import java.nio.file.Path;
import java.util.List;

/**
 * A measurement, not a test: like {@link BpftraceFloodBench}, for the perf backend (perf record's
 * pipe-mode output decoded in this JVM by PerfDataReader) with stacks. Floods nft-dropped UDP in a test
 * netns with {@code dropflood-bpf} (2 threads) and prints (perf rows carry no netns, so seen is every nft_do_chain drop on the host) sent/s, seen/s, lost (kernel PERF_RECORD_LOST
 * count, and sent minus seen), this JVM's CPU and perf record's CPU (% of one core).
 * <pre>
 * mvn -q -o test-compile
 * java -cp target/classes:target/test-classes:$(cat cp.txt) (mvn dependency:build-classpath -Dmdep.outputFile=cp.txt) dev.droptop.source.PerfFloodBench [SECONDS] [PAGES] [RATE...]
 * </pre>
 * Env BENCH_NATIVE=1 runs {@link NativePerfBackend} instead (no perf process: perf CPU 0),
 * BENCH_NOSTACKS=1 runs without stacks, BENCH_ROWS=1 prints the top rows. As root. PAGES is perf record's {@code -m} or the native ring's data pages (default {@link PerfBackend#MMAP_PAGES}).
 */
public final class PerfFloodBench {
    private static final long INTERVAL = 1_000_000_000L;
    private static final double CLK_TCK = 100.0;

    private PerfFloodBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("user.dir"));
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int pages = args.length > 1 ? Integer.parseInt(args[1]) : PerfBackend.MMAP_PAGES;
        List<Long> rates = args.length > 2 ? List.of(args).subList(2, args.length).stream().map(Long::parseLong).toList()
                : List.of(150_000L, 250_000L);
        Path gen = dir.resolve("target/dropflood-bpf");
        TestNetns.run("gcc", "-O2", "-pthread", "-o", gen.toString(),
                dir.resolve("src/test/resources/bench/dropflood-bpf.c").toString());
        System.out.println("| -m pages | target/s | sent/s | seen/s | PERF_RECORD_LOST | sent-seen | JVM CPU | perf CPU |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        try (TestNetns ns = TestNetns.create("pbench")) {
            ns.nft(LiveDrops.NFT_DROP_UDP_9999);
            long inode = LiveDrops.inode(ns);
            for (long rate : rates) {
                run(ns, inode, gen, pages, rate, seconds);
            }
        }
    }

    private static void run(TestNetns ns, long inode, Path gen, int pages, long rate, int seconds) throws Exception {
        Snapshot s;
        long sent;
        double secs;
        double jvmCpu;
        double perfCpu;
        boolean nativeRing = System.getenv("BENCH_NATIVE") != null;
        Backend backend = nativeRing ? new NativePerfBackend(pages) : new PerfBackend(pages);
        try (LiveSession session = new LiveSession(backend, new Backend.Options(System.getenv("BENCH_NOSTACKS") == null, INTERVAL),
                new DropAggregator(INTERVAL))) {
            session.start();
            Thread.sleep(1500);
            Path perfStat = nativeRing ? Path.of("/proc/self/stat")
                    : Path.of("/proc/" + ((PerfRun) session.running()).pids().get(0) + "/stat");
            long jvm0 = BpftraceFloodBench.cpuTicks(Path.of("/proc/self/stat"));
            long perf0 = BpftraceFloodBench.cpuTicks(perfStat);
            long t0 = System.nanoTime();
            String out = ns.exec(gen.toString(), "9999", Long.toString(rate), Integer.toString(seconds), "2");
            double wall = (System.nanoTime() - t0) / 1e9;
            jvmCpu = (BpftraceFloodBench.cpuTicks(Path.of("/proc/self/stat")) - jvm0) / CLK_TCK / wall * 100;
            perfCpu = nativeRing ? 0 : (BpftraceFloodBench.cpuTicks(perfStat) - perf0) / CLK_TCK / wall * 100;
            sent = Long.parseLong(out.substring(out.indexOf("sent=") + 5).split("\\s")[0]);
            secs = Double.parseDouble(out.substring(out.indexOf("secs=") + 5).trim());
            Thread.sleep(1500);
            session.close();
            s = session.snapshot();
        }
        long seen = LiveDrops.count(s, r -> r.key().symbol().equals("nft_do_chain"));
        if (System.getenv("BENCH_ROWS") != null) {
            s.rows().stream().limit(5).forEach(r -> System.out.println("  " + r.key() + " " + r.total()));
        }
        System.out.printf("| %s | %,d | %,.0f | %,.0f | %,d | %,d | %.1f%% | %.1f%% |%n", (nativeRing ? "native " : "") + pages, rate, sent / secs,
                seen / secs, s.lost(), sent - seen, jvmCpu, perfCpu);
    }
}
