package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.TestNetns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** perf against the real kernel; same scenario and tolerance as {@link TracefsBackendTest}. */
@Tag("root")
class PerfBackendTest {
    @BeforeEach
    void assumeKernel() {
        KernelTest.assumeTracefs();
        KernelTest.assumeTool("perf", "linux-perf");
    }

    @Test
    void checkWorksHere() {
        Availability a = new PerfBackend().check();
        assertTrue(a.works(), a.reason());
    }

    @Test
    void dropsWithoutStacks() throws Exception {
        LiveScenario.Result r = LiveScenario.run(new PerfBackend(), false, 500, 5000);
        TracefsBackendTest.assertCounts(r);
        LiveScenario.assertNothingLeft(r.netns());
    }

    @Test
    void dropsWithStacks() throws Exception {
        LiveScenario.Result r = LiveScenario.run(new PerfBackend(), true, 500, 5000);
        TracefsBackendTest.assertCounts(r);
        List<String> nft = r.topStack("nft_do_chain", "NETFILTER_DROP", 0x86DD);
        assertEquals("nft_do_chain", nft.get(0));
        assertTrue(nft.contains("ip6_input"), nft.toString());
        List<String> tcp = r.topStack("tcp_v4_rcv", "NO_SOCKET", 0x0800);
        assertEquals("tcp_v4_rcv", tcp.get(0));
        assertTrue(tcp.contains("ip_protocol_deliver_rcu"), tcp.toString());
        LiveScenario.assertNothingLeft(r.netns());
    }

    /**
     * The perf script pipeline (taken where the format file gives no layout) counts once perf record has
     * enabled its events too: a burst of 500 drops started when awaitCounting returns is all in the
     * session once it is closed (closing reads both processes' output to its end).
     */
    @Test
    void thePerfScriptPipelineLosesNoDropToTheAttachTime() throws Exception {
        try (TestNetns ns = TestNetns.create("perfscript")) {
            DropAggregator agg = new DropAggregator(1_000_000_000L);
            LiveSession s = new LiveSession(new PerfBackend(PerfBackend.MMAP_PAGES, true),
                    new Backend.Options(false, 1_000_000_000L), agg);
            try {
                s.start();
                assertTrue(s.running().command().contains("script"), s.running().command().toString());
                assertTrue(s.awaitCounting(30_000_000_000L), "perf record never said it counts");
                String out = ns.exec("bash", "-c", "for ((i = 0; i < 500; i++)); do : 2>/dev/null </dev/tcp/::1/9; done; "
                        + "echo sent=$i");
                assertTrue(out.contains("sent=500"), out);
            } finally {
                s.close();
            }
            assertEquals(null, s.running().failure());
            long counted = s.snapshot().rows().stream()
                    .filter(r -> r.key().symbol().equals("tcp_v6_rcv") && r.key().reason().equals("NO_SOCKET"))
                    .mapToLong(dev.droptop.model.Snapshot.Row::total).sum();
            assertTrue(counted >= 500, counted + " of the burst's 500 drops counted");
        }
        LiveScenario.assertNothingLeft("none");
    }

    /** A perf record killed before it has enabled its events: awaitCounting says why instead of waiting. */
    @Test
    void perfDyingBeforeItCountsIsReportedByAwaitCounting() throws Exception {
        LiveSession s = new LiveSession(new PerfBackend(), new Backend.Options(false, 1_000_000_000L),
                new DropAggregator(1_000_000_000L));
        try {
            s.start();
            PerfRun run = (PerfRun) s.running();
            ProcessHandle.of(run.pids().get(0)).ifPresent(ProcessHandle::destroyForcibly);
            boolean counted;
            try {
                counted = s.awaitCounting(30_000_000_000L);
            } catch (java.io.IOException e) {
                assertTrue(e.getMessage().startsWith("backend perf failed: perf record exited"), e.getMessage());
                return;
            }
            // it enables its events 0.15-0.3 s after its start: only a test thread held up that long sees this
            org.junit.jupiter.api.Assumptions.assumeFalse(counted, "perf record counted before the kill landed");
            throw new AssertionError("awaitCounting timed out instead of reporting the dead perf record");
        } finally {
            s.close();
        }
    }

    /** Between perf record and perf script sits droptop's tap: perf script dying is still named. */
    @Test
    void perfScriptDyingIsAFailureNamingIt() throws Exception {
        LiveSession s = new LiveSession(new PerfBackend(PerfBackend.MMAP_PAGES, true),
                new Backend.Options(false, 1_000_000_000L), new DropAggregator(1_000_000_000L));
        try {
            s.start();
            PerfRun run = (PerfRun) s.running();
            ProcessHandle.of(run.pids().get(1)).ifPresent(ProcessHandle::destroyForcibly);
            dev.droptop.testing.Await.until("a failure", 10_000, () -> run.failure() != null);
            assertTrue(run.failure().startsWith("perf script exited"), run.failure());
        } finally {
            s.close();
        }
        LiveScenario.assertNothingLeft("none");
    }

    @Test
    void perfDyingIsAFailureWithItsMessage() throws Exception {
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        LiveSession s = new LiveSession(new PerfBackend(), new Backend.Options(false, 1_000_000_000L), agg);
        s.start();
        PerfRun run = (PerfRun) s.running();
        // killed at any point (before or after it wrote its header), the failure names perf record
        ProcessHandle.of(run.pids().get(0)).ifPresent(ProcessHandle::destroyForcibly);
        Thread t = new Thread(() -> {
            try {
                run.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.join(5000);
        assertFalse(t.isAlive(), "awaitEnd did not return after perf record died");
        assertNotNull(run.failure());
        assertTrue(run.failure().startsWith("perf record exited"), run.failure());
        s.close();
        LiveScenario.assertNothingLeft("none");
    }

    @Test
    void killNineOfDroptopLeavesNoPerf() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String cp = KernelTest.projectDir().resolve("target/classes") + ":" + LiveScenario.testClasses();
        Process p = new ProcessBuilder(java.toString(), "-cp", cp, PerfChildMain.class.getName())
                .redirectErrorStream(true).start();
        String line;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            line = r.readLine();
            assertNotNull(line);
            assertTrue(line.startsWith("pids="), line);
            long[] pids = Arrays.stream(line.substring(5).split(",")).mapToLong(Long::parseLong).toArray();
            for (long pid : pids) {
                assertTrue(alive(pid), "perf " + pid + " not running before the kill");
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(p.waitFor(5, TimeUnit.SECONDS));
            // PR_SET_PDEATHSIG kills perf at once, but its exit can wait on its probes' detach in the
            // kernel (seconds at times on this VM): the bound is for a perf that outlives the JVM
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && anyAlive(pids)) {
                Thread.sleep(20);
            }
            assertFalse(anyAlive(pids), "perf outlived the killed JVM: " + line);
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean anyAlive(long[] pids) throws Exception {
        for (long pid : pids) {
            if (alive(pid)) {
                return true;
            }
        }
        return false;
    }

    /** Running, not a zombie waiting for init to reap it. */
    private static boolean alive(long pid) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        try {
            String s = Files.readString(stat);
            return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
