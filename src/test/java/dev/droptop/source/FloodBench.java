package dev.droptop.source;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Snapshot;
import dev.droptop.testing.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A measurement, not a test: floods UDP drops (IPv6 to port 9999, dropped by nft in a test netns)
 * from 1 then 2 DropGen processes for {@value #SECONDS} s each, and prints per backend: drops/s sent,
 * drops/s seen, lost, droptop CPU % of one core (utime+stime of this JVM from /proc/self/stat).
 * Run as root: {@code java -cp target/classes:target/test-classes dev.droptop.source.FloodBench}.
 */
public final class FloodBench {
    private static final int SECONDS = 3;

    private FloodBench() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| backend | generators | sent/s | seen/s | lost | droptop CPU % |");
        System.out.println("|---|---|---|---|---|---|");
        List<Backend> backends = List.of(new TracefsBackend(), new PerfBackend());
        for (Backend b : backends) {
            for (boolean stacks : new boolean[] {false, true}) {
                for (int gens = 1; gens <= 2; gens++) {
                    run(b, stacks, gens);
                }
            }
        }
    }

    private static void run(Backend backend, boolean stacks, int gens) throws Exception {
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        try (TestNetns ns = TestNetns.create("bench")) {
            ns.nft(LiveScenario.NFT);
            LiveSession s = new LiveSession(backend, new Backend.Options(stacks, 1_000_000_000L), agg);
            s.start();
            Thread.sleep(1500);
            long cpu0 = cpuTicks();
            long t0 = System.nanoTime();
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < gens; i++) {
                ps.add(new ProcessBuilder("ip", "netns", "exec", ns.name(), "java", "-cp", LiveScenario.testClasses(),
                        "dev.droptop.testing.DropGen", "udp", "::1", "9999", "5000000", Integer.toString(SECONDS))
                        .redirectErrorStream(true).start());
            }
            long sent = 0;
            for (Process p : ps) {
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor();
                sent += Long.parseLong(out.trim().replaceAll("(?s).*sent=(\\d+).*", "$1"));
            }
            Thread.sleep(500);
            double secs = (System.nanoTime() - t0) / 1e9;
            long cpu = cpuTicks() - cpu0;
            s.close();
            Snapshot snap = s.snapshot();
            long seen = snap.rows().stream().filter(r -> r.key().symbol().equals("nft_do_chain")
                    && r.key().protocol() == 0x86DD).mapToLong(Snapshot.Row::total).sum();
            double floodSecs = secs - 0.5;
            System.out.printf("| %s%s | %d | %.0f | %.0f | %d | %.0f |%n", backend.name(), stacks ? " -g" : "", gens,
                    sent / floodSecs, seen / floodSecs, snap.lost(), 100.0 * cpu / 100.0 / secs);
        }
    }

    /** utime + stime of this JVM in clock ticks (USER_HZ = 100). */
    private static long cpuTicks() throws Exception {
        String st = Files.readString(Path.of("/proc/self/stat"));
        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
