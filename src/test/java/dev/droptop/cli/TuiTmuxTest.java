package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import dev.droptop.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end in a real terminal: tmux (own socket, killed afterwards) runs {@code replay} on the NAT
 * sample with this test's classpath; keys go in with send-keys, the screen comes out of capture-pane.
 */
class TuiTmuxTest {

    @Test
    void replayShowsTheNatDropAndItsCallersAndQuitsCleanly() throws Exception {
        Assumptions.assumeTrue(Tmux.installed(), "tmux is not installed");
        Path dir = KernelTest.projectDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "cd '" + dir + "' && before=$(stty -g); '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' dev.droptop.cli.Main replay --speed max samples/perf/nat-conntrack-full.perf.txt; rc=$?;"
                + " [ \"$(stty -g)\" = \"$before\" ] && echo TTY_RESTORED; echo DROPTOP_EXIT=$rc; sleep 60";
        try (Tmux tmux = new Tmux("dtt")) {
            tmux.run("new-session", "-d", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", cmd);
            String screen = tmux.waitFor(20_000, "nf_hook_slow", " 0.1%", "w write");
            assertTrue(screen.contains("interval 6/6"), screen);
            screen = tmux.waitFor(5_000, "sort total", "← ip_rcv", " 0.1%", "w write");
            assertTrue(screen.contains(">nf_hook_slow+0x7d") && screen.contains("NETFILTER_DROP"), screen);
            assertTrue(screen.contains("← ip_rcv ← __netif_receive_skb_one_core"), screen);
            tmux.run("resize-window", "-x", "80", "-y", "24");
            screen = tmux.waitFor(5_000, "nf_hook_slow", "NETFILTER_DROP", "? help");
            assertTrue(screen.lines().allMatch(l -> l.length() <= 80) && screen.lines().count() <= 24,
                    "redrawn for 80x24:\n" + screen);
            long t0 = System.nanoTime();
            tmux.run("send-keys", "q");
            screen = tmux.waitFor(2_000, "DROPTOP_EXIT=");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(screen.contains("DROPTOP_EXIT=0") && screen.contains("TTY_RESTORED"), screen);
            assertTrue(ms < 2000, "quit took " + ms + " ms");
        }
    }

    /** Live, default backend, real drops: TCP connects to a closed port in a netns made here. */
    @Tag("root")
    @Test
    @org.junit.jupiter.api.Tag("root")
    void liveShowsRealDropsWithTheDefaultBackend() throws Exception {
        Assumptions.assumeTrue(Tmux.installed(), "tmux is not installed");
        KernelTest.assumeTracefs();
        Path dir = KernelTest.projectDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String cmd = "cd '" + dir + "' && before=$(stty -g); '" + java + "' -Ddroptop.home='" + dir + "' -cp '" + cp
                + "' dev.droptop.cli.Main live; rc=$?;"
                + " [ \"$(stty -g)\" = \"$before\" ] && echo TTY_RESTORED; echo DROPTOP_EXIT=$rc; sleep 60";
        try (Tmux tmux = new Tmux("dtt"); dev.droptop.testing.TestNetns ns = dev.droptop.testing.TestNetns.create("live")) {
            tmux.run("new-session", "-d", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", cmd);
            tmux.waitFor(20_000, "droptop", "p pause");
            String screen = "";
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && !(screen.contains("tcp_v4_rcv") && screen.contains("NO_SOCKET"))) {
                ns.exec(java, "-cp", cp, "dev.droptop.testing.DropGen", "tcp", "127.0.0.1", "1", "200", "5");
                Thread.sleep(1200);
                screen = tmux.screen();
            }
            assertTrue(screen.contains("tcp_v4_rcv") && screen.contains("NO_SOCKET"), screen);
            tmux.run("send-keys", "q");
            screen = tmux.waitFor(5_000, "DROPTOP_EXIT=");
            assertTrue(screen.contains("DROPTOP_EXIT=0") && screen.contains("TTY_RESTORED"), screen);
        }
        try (var dirs = Files.list(Path.of("/sys/kernel/tracing/instances"))) {
            assertTrue(dirs.noneMatch(d -> d.getFileName().toString().startsWith("droptop-")), "tracefs instance left");
        }
    }

    /**
     * lab --tui: the live screens over a conntrack-full NAT run, then the table after q. With bpftrace the
     * run also counts flows (--flows): Tab twice from the table reaches the flows of the nf_hook_slow row
     * (inside hosts to the DNAT address), and the table printed after q lists them under "dropped flows".
     */
    @Tag("root")
    @Test
    @org.junit.jupiter.api.Tag("root")
    void labTuiShowsConntrackDropsAndThenTheTable() throws Exception {
        Assumptions.assumeTrue(Tmux.installed(), "tmux is not installed");
        KernelTest.assumeTracefs();
        boolean flows = dev.droptop.source.Backends.named("bpftrace").check().works();
        Path dir = KernelTest.projectDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "cd '" + dir + "' && '" + java + "' -Ddroptop.home='" + dir + "' -cp '"
                + System.getProperty("java.class.path") + "' dev.droptop.cli.Main lab nat --tui --conntrack-max 1000"
                + " --hosts 32 --ports-per-host 63 --duration 5s" + (flows ? " --flows" : "")
                + "; echo DROPTOP_EXIT=$?; sleep 60";
        String before = dev.droptop.system.ProcFs.text(Path.of("/proc/sys/net/netfilter/nf_conntrack_max")).trim();
        try (Tmux tmux = new Tmux("dtt")) {
            tmux.run("new-session", "-d", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", cmd);
            String screen = tmux.waitFor(40_000, "lab finished", "nf_hook_slow", "NETFILTER_DROP", "sort total");
            assertTrue(screen.contains("conntrack table full"), screen);
            if (flows) {
                assertTrue(screen.contains(">nf_hook_slow+"), "the top row is selected: " + screen);
                tmux.run("send-keys", "Tab");
                tmux.run("send-keys", "Tab");
                screen = tmux.waitFor(10_000, "FLOWS nf_hook_slow+", "(Tab: findings)");
                assertTrue(screen.contains(" > 198.18.0.1:8080 tcp") && screen.contains(" 198.18.128."), screen);
            }
            tmux.run("send-keys", "q");
            screen = tmux.waitFor(10_000, "DROPTOP_EXIT=0");
            assertTrue(screen.contains("CRITICAL conntrack table full"), screen);
            if (flows) {
                String all = tmux.run("capture-pane", "-p", "-J", "-S", "-");
                assertTrue(all.contains("  dropped flows:") && all.contains("    FLOWS AT nf_hook_slow+")
                        && all.contains("to 198.18.0.1:8080 tcp: "), all);
                assertTrue(all.contains(" sources to 198.18.0.1:8080 tcp"), "the finding's evidence: " + all);
            }
        }
        assertTrue(before.equals(dev.droptop.system.ProcFs.text(Path.of("/proc/sys/net/netfilter/nf_conntrack_max")).trim()),
                "nf_conntrack_max restored");
    }
}
