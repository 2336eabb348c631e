package dev.droptop.source;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Snapshot;
import dev.droptop.system.HostFacts;
import dev.droptop.testing.TestNetns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A measurement, not a test: floods nft-dropped UDP in a test netns at increasing rates while the
 * bpftrace backend runs in this JVM, and prints per run drops/s sent, drops/s seen, lost (sent minus
 * seen), this JVM's CPU and bpftrace's CPU (% of one core, from /proc/.../stat over the flood).
 * <pre>
 * mvn -q -o test-compile
 * java -cp target/classes:target/test-classes dev.droptop.source.BpftraceFloodBench [SECONDS] [RATE...]
 * </pre>
 * As root. The generator is {@code src/test/resources/bench/dropflood-bpf.c}, compiled with gcc into
 * {@code target/}. Each run lasts about SECONDS (default 4) plus ~2.5 s of bpftrace start and stop.
 */
public final class BpftraceFloodBench {
    private static final long INTERVAL = 1_000_000_000L;
    private static final double CLK_TCK = 100.0;

    private BpftraceFloodBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("user.dir"));
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        List<Long> rates = args.length > 1 ? List.of(args).subList(1, args.length).stream().map(Long::parseLong).toList()
                : List.of(100_000L, 250_000L, 500_000L, 0L);
        Path gen = dir.resolve("target/dropflood-bpf");
        TestNetns.run("gcc", "-O2", "-pthread", "-o", gen.toString(),
                dir.resolve("src/test/resources/bench/dropflood-bpf.c").toString());
        System.out.println("| kstack | target/s | sent/s | seen/s | lost | droptop JVM CPU | bpftrace CPU |");
        System.out.println("|---|---|---|---|---|---|---|");
        try (TestNetns ns = TestNetns.create("bench")) {
            ns.nft(LiveDrops.NFT_DROP_UDP_9999);
            long inode = LiveDrops.inode(ns);
            for (boolean stacks : new boolean[] {false, true}) {
                for (long rate : rates) {
                    run(dir, ns, inode, gen, stacks, rate, seconds);
                }
            }
        }
    }

    private static void run(Path dir, TestNetns ns, long inode, Path gen, boolean stacks, long rate, int seconds)
            throws Exception {
        BpftraceBackend backend = new BpftraceBackend(Scripts.in(dir), HostFacts::read);
        Snapshot s;
        long sent;
        double secs;
        double jvmCpu;
        double bpfCpu;
        try (LiveSession session = new LiveSession(backend, new Backend.Options(stacks, INTERVAL),
                new DropAggregator(INTERVAL))) {
            session.start();
            LiveDrops.awaitWindows(session, 1, 20_000);
            long bpfPid = ((ChildRun) session.running()).pid();
            long jvm0 = cpuTicks(Path.of("/proc/self/stat"));
            long bpf0 = cpuTicks(Path.of("/proc/" + bpfPid + "/stat"));
            long t0 = System.nanoTime();
            String out = ns.exec(gen.toString(), "9999", Long.toString(rate), Integer.toString(seconds), "2");
            double wall = (System.nanoTime() - t0) / 1e9;
            jvmCpu = (cpuTicks(Path.of("/proc/self/stat")) - jvm0) / CLK_TCK / wall * 100;
            bpfCpu = (cpuTicks(Path.of("/proc/" + bpfPid + "/stat")) - bpf0) / CLK_TCK / wall * 100;
            sent = Long.parseLong(out.substring(out.indexOf("sent=") + 5).split("\\s")[0]);
            secs = Double.parseDouble(out.substring(out.indexOf("secs=") + 5).trim());
            Thread.sleep(1200);
            session.close();
            s = session.snapshot();
        }
        long seen = LiveDrops.count(s, r -> r.key().netns() == inode && r.key().symbol().equals("nft_do_chain"));
        System.out.printf("| %s | %s | %,.0f | %,.0f | %d | %.1f%% | %.1f%% |%n", stacks ? "yes" : "no",
                rate == 0 ? "max" : String.format("%,d", rate), sent / secs, seen / secs, sent - seen, jvmCpu, bpfCpu);
    }

    /** utime + stime (fields 14 and 15) of a /proc/PID/stat file, in clock ticks. */
    static long cpuTicks(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
