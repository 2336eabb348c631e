package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Snapshot;
import dev.droptop.system.HostFacts;
import dev.droptop.testing.KernelTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stap backend's launch / stream / stop path with a stand-in executable
 * ({@code src/test/resources/stap/fake-stap.fixture.sh}) that prints the documented
 * dropwatch-reason format every 0.2 s; its check() on this machine and on made-up hosts; and the
 * bundled scripts' parse check ({@code stap/check.sh}, stap -p1 with a minimal build dir).
 */
class StapBackendTest {
    private static final long INTERVAL = 1_000_000_000L;
    private static final Path FAKE = KernelTest.projectDir().resolve("src/test/resources/stap/fake-stap.fixture.sh");

    @TempDir
    Path home;

    @Test
    void streamsIntervalsIntoTheSessionAndStopsOnSigint() throws Exception {
        StapBackend backend = fake("#fake INTERVALS=3");
        Snapshot s;
        try (LiveSession session = new LiveSession(backend, new Backend.Options(false, INTERVAL),
                new DropAggregator(INTERVAL))) {
            session.start();
            long pid = ((ChildRun) session.running()).pid();
            awaitTotal(session, 321);
            session.close();
            assertNull(session.running().failure());
            assertTrue(LiveDrops.gone(pid), "fake stap still running");
            s = session.snapshot();
        }
        assertEquals(300, LiveDrops.count(s, r -> r.key().symbol().equals("nf_hook_slow")
                && r.key().reason().equals("NETFILTER_DROP")));
        assertEquals(21, LiveDrops.count(s, r -> r.key().symbol().equals("tcp_v4_rcv")
                && r.key().reason().equals("NO_SOCKET")));
        assertTrue(backend.command().containsAll(java.util.List.of("--all-modules",
                home.resolve(StapBackend.SCRIPT).toString())), backend.command().toString());
    }

    @Test
    void aStapThatDiesEndsTheRunWithItsLastLineAndKeepsWhatWasParsed() throws Exception {
        DropAggregator agg = new DropAggregator(INTERVAL);
        try (Backend.Running run = fake("#fake INTERVALS=2\n#fake EXIT=1\n#fake ERROR=semantic error: no match")
                .start(new Backend.Options(false, INTERVAL), agg, new Object())) {
            run.awaitEnd();
            assertEquals("stap exited (code 1): semantic error: no match", run.failure());
            assertEquals(214, agg.total());
        }
    }

    @Test
    void anErrorLineEndsARunThatKeepsGoing() throws Exception {
        DropAggregator agg = new DropAggregator(INTERVAL);
        try (Backend.Running run = fake("#fake INTERVALS=2\n#fake ERROR=ERROR: Couldn't insert module")
                .start(new Backend.Options(false, INTERVAL), agg, new Object())) {
            run.awaitEnd();
            assertEquals("ERROR: Couldn't insert module", run.failure());
        }
    }

    /** PR_SET_PDEATHSIG follows the forking thread: ours lives as long as the child, not the caller. */
    @Test
    void theChildOutlivesTheThreadThatCalledStart() throws Exception {
        assumeTrue(Tools.onPath("setpriv"), "needs setpriv (util-linux)");
        AtomicReference<Backend.Running> started = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                started.set(fake("#fake INTERVALS=1").start(new Backend.Options(false, INTERVAL),
                        new DropAggregator(INTERVAL), new Object()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        caller.start();
        caller.join();
        Thread.sleep(500);
        try (Backend.Running run = started.get()) {
            assertEquals("setpriv", run.command().get(0));
            assertFalse(LiveDrops.gone(((ChildRun) run).pid()), "child died with the thread that called start()");
            assertNull(run.failure());
        }
    }

    @Test
    void stacksAreRefusedInOneLine() {
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () ->
                fake("").start(new Backend.Options(true, INTERVAL), new DropAggregator(INTERVAL), new Object()));
        assertEquals("the stap backend records no stacks; use --backend bpftrace or perf with --stacks", e.getMessage());
    }

    @Test
    void checkExplainsWhyStapCannotRun() {
        Path root = home;
        HostFacts noModules = facts(root, false, false, 0);
        HostFacts disabled = facts(root, true, true, 0);
        HostFacts noTree = facts(root, true, false, 0);
        HostFacts notRoot = facts(root, true, false, 1000);
        assertEquals("this kernel cannot load kernel modules (no /proc/modules), which SystemTap needs",
                check(noModules).reason());
        assertTrue(check(disabled).reason().startsWith("kernel module loading is disabled"));
        assertEquals("no kernel build tree at " + root + "/lib/modules/6.18.0/build, which SystemTap compiles against",
                check(noTree).reason());
        assertEquals("apt-get install linux-headers-6.18.0 (or run stap-prep)", check(noTree).fix());
        assertEquals("needs root (or membership in the stapdev group)", check(notRoot).reason());
        assertEquals("stap (SystemTap) is not installed",
                new StapBackend("/nonexistent/stap", Scripts.in(home), () -> noTree).check().reason());
    }

    @Test
    void onThisMachineStapFailsFastWithOneLine() {
        HostFacts here = HostFacts.read();
        assumeTrue(!here.modulesLoadable(), "this machine can load modules");
        long t0 = System.nanoTime();
        Availability a = new StapBackend().check();
        assertFalse(a.works());
        assertFalse(a.reason().contains("\n"));
        assertTrue((System.nanoTime() - t0) < 1_000_000_000L, "check took more than 1 s");
    }

    @Test
    void bundledScriptsPassStapParseCheck() throws Exception {
        KernelTest.assumeTool("stap", "systemtap");
        Process p = new ProcessBuilder("bash", KernelTest.projectDir().resolve("stap/check.sh").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("ok   dropwatch-reason.stp") && out.contains("ok   dropwatch.stp"), out);
    }

    private StapBackend fake(String directives) throws IOException {
        Files.createDirectories(home.resolve("stap"));
        Files.writeString(home.resolve(StapBackend.SCRIPT), directives + "\n");
        Files.writeString(home.resolve(StapBackend.PLAIN_SCRIPT), directives + "\n");
        return new StapBackend(FAKE.toString(), Scripts.in(home), HostFacts::read);
    }

    private Availability check(HostFacts facts) {
        return new StapBackend(FAKE.toString(), Scripts.in(home), () -> facts).check();
    }

    private static HostFacts facts(Path root, boolean modules, boolean disabled, int euid) {
        return new HostFacts(root, "6.18.0", euid, 0, root, true, true, 10, modules, disabled);
    }

    private static void awaitTotal(LiveSession session, long total) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (session.snapshot().total() < total && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }
}
