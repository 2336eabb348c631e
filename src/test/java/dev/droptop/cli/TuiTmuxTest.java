package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * End to end in a real terminal: tmux (own socket, killed afterwards) runs {@code replay} on the NAT
 * sample with this test's classpath; keys go in with send-keys, the screen comes out of capture-pane.
 */
class TuiTmuxTest {
    private final String socket = "dtt-" + ProcessHandle.current().pid();

    @Test
    void replayShowsTheNatDropAndItsCallersAndQuitsCleanly() throws Exception {
        Assumptions.assumeTrue(hasTmux(), "tmux is not installed");
        Path dir = KernelTest.projectDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "cd '" + dir + "' && before=$(stty -g); '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' dev.droptop.cli.Main replay --speed max samples/perf/nat-conntrack-full.perf.txt; rc=$?;"
                + " [ \"$(stty -g)\" = \"$before\" ] && echo TTY_RESTORED; echo DROPTOP_EXIT=$rc; sleep 60";
        try {
            tmux("new-session", "-d", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", cmd);
            String screen = waitFor(20_000, "nf_hook_slow", " 0.1%", "p pause");
            assertTrue(screen.contains("interval 6/6"), screen);
            tmux("send-keys", "s");
            screen = waitFor(5_000, "sort total", "← ip_rcv", " 0.1%", "p pause");
            assertTrue(screen.contains(">nf_hook_slow+0x7d") && screen.contains("NETFILTER_DROP"), screen);
            assertTrue(screen.contains("← ip_rcv") && screen.contains("← __netif_receive_skb_one_core"), screen);
            tmux("resize-window", "-x", "80", "-y", "24");
            screen = waitFor(5_000, "nf_hook_slow", "NETFILTER_DROP", "? help");
            assertTrue(screen.lines().allMatch(l -> l.length() <= 80) && screen.lines().count() <= 24,
                    "redrawn for 80x24:\n" + screen);
            long t0 = System.nanoTime();
            tmux("send-keys", "q");
            screen = waitFor(2_000, "DROPTOP_EXIT=");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(screen.contains("DROPTOP_EXIT=0") && screen.contains("TTY_RESTORED"), screen);
            assertTrue(ms < 2000, "quit took " + ms + " ms");
        } finally {
            tmux("kill-server");
            removeSocket();
        }
    }

    /** Live, default backend, real drops: TCP connects to a closed port in a netns made here. */
    @Test
    @org.junit.jupiter.api.Tag("root")
    void liveShowsRealDropsWithTheDefaultBackend() throws Exception {
        Assumptions.assumeTrue(hasTmux(), "tmux is not installed");
        KernelTest.assumeTracefs();
        Path dir = KernelTest.projectDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String cmd = "cd '" + dir + "' && before=$(stty -g); '" + java + "' -Ddroptop.home='" + dir + "' -cp '" + cp
                + "' dev.droptop.cli.Main live; rc=$?;"
                + " [ \"$(stty -g)\" = \"$before\" ] && echo TTY_RESTORED; echo DROPTOP_EXIT=$rc; sleep 60";
        try (dev.droptop.testing.TestNetns ns = dev.droptop.testing.TestNetns.create("live")) {
            tmux("new-session", "-d", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", cmd);
            waitFor(20_000, "droptop", "p pause");
            String screen = "";
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && !(screen.contains("tcp_v4_rcv") && screen.contains("NO_SOCKET"))) {
                ns.exec(java, "-cp", cp, "dev.droptop.testing.DropGen", "tcp", "127.0.0.1", "1", "200", "5");
                Thread.sleep(1200);
                screen = tmux("capture-pane", "-p");
            }
            assertTrue(screen.contains("tcp_v4_rcv") && screen.contains("NO_SOCKET"), screen);
            tmux("send-keys", "q");
            screen = waitFor(5_000, "DROPTOP_EXIT=");
            assertTrue(screen.contains("DROPTOP_EXIT=0") && screen.contains("TTY_RESTORED"), screen);
        } finally {
            tmux("kill-server");
            removeSocket();
        }
        try (var dirs = Files.list(Path.of("/sys/kernel/tracing/instances"))) {
            assertTrue(dirs.noneMatch(d -> d.getFileName().toString().startsWith("droptop-")), "tracefs instance left");
        }
    }

    /** lab --tui: the live screens over a conntrack-full NAT run, then the table after q. */
    @Test
    @org.junit.jupiter.api.Tag("root")
    void labTuiShowsConntrackDropsAndThenTheTable() throws Exception {
        Assumptions.assumeTrue(hasTmux(), "tmux is not installed");
        KernelTest.assumeTracefs();
        Path dir = KernelTest.projectDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "cd '" + dir + "' && '" + java + "' -Ddroptop.home='" + dir + "' -cp '"
                + System.getProperty("java.class.path") + "' dev.droptop.cli.Main lab nat --tui --conntrack-max 1000"
                + " --hosts 32 --ports-per-host 63 --duration 5s; echo DROPTOP_EXIT=$?; sleep 60";
        String before = Files.readString(Path.of("/proc/sys/net/netfilter/nf_conntrack_max")).trim();
        try {
            tmux("new-session", "-d", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", cmd);
            String screen = waitFor(40_000, "lab finished", "nf_hook_slow", "NETFILTER_DROP");
            assertTrue(screen.contains("conntrack table full"), screen);
            tmux("send-keys", "q");
            screen = waitFor(10_000, "DROPTOP_EXIT=0");
            assertTrue(screen.contains("CRITICAL conntrack table full"), screen);
        } finally {
            tmux("kill-server");
            removeSocket();
        }
        assertTrue(before.equals(Files.readString(Path.of("/proc/sys/net/netfilter/nf_conntrack_max")).trim()),
                "nf_conntrack_max restored");
    }

    /** The screen once it shows all of {@code texts} (frames may arrive in pieces). */
    private String waitFor(long millis, String... texts) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        String screen = "";
        while (System.currentTimeMillis() < deadline) {
            screen = tmux("capture-pane", "-p");
            String shown = screen;
            if (java.util.Arrays.stream(texts).allMatch(shown::contains)) {
                return screen;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(List.of(texts) + " not on screen within " + millis + " ms:\n" + screen);
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static boolean hasTmux() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "tmux"))) {
                return true;
            }
        }
        return false;
    }

    /** kill-server leaves the socket file behind: remove ours, so nothing of the test stays in /tmp. */
    private void removeSocket() {
        String dir = System.getenv().getOrDefault("TMUX_TMPDIR", "/tmp");
        try {
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(dir, "tmux-" + uid(), socket));
        } catch (java.io.IOException e) {
            // not ours to worry about: tmux may keep it elsewhere
        }
    }

    private static String uid() {
        try {
            return new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim();
        } catch (java.io.IOException e) {
            return "0";
        }
    }
}
