package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * End to end in a real terminal: tmux (own socket, killed afterwards) runs {@code profile --input}
 * on the recorded NAT profile with this test's classpath; keys go in with send-keys, the screen
 * comes out of capture-pane (also written to target/profile-tui.txt).
 */
class ProfileTmuxTest {
    private static final String SAMPLE = "samples/perf/nat-load-cpu.profile";
    private final String socket = "dtp-" + ProcessHandle.current().pid();

    @Test
    void profileShowsNfHookSlowCallersAndCalleesAndQuits() throws Exception {
        Assumptions.assumeTrue(hasTmux(), "tmux is not installed: profile TUI end-to-end test skipped");
        Path dir = KernelTest.projectDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "cd '" + dir + "' && before=$(stty -g); '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' dev.droptop.cli.Main profile --input " + SAMPLE + " --symbol nf_hook_slow; rc=$?;"
                + " [ \"$(stty -g)\" = \"$before\" ] && echo TTY_RESTORED; echo DROPTOP_EXIT=$rc; sleep 60";
        try {
            tmux("new-session", "-d", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", cmd);
            String screen = waitFor(20_000, "CALLERS OF nf_hook_slow", "CALLEES OF nf_hook_slow", "Esc back");
            assertTrue(screen.contains("nf_hook_slow  150 samples on the stack, 9.51% of all samples"), screen);
            assertTrue(screen.contains("← __ip_queue_xmit") && screen.contains("nf_nat_ipv4_local_fn"), screen);
            assertTrue(screen.contains("150  100.0%"), screen);
            Files.writeString(dir.resolve("target/profile-tui.txt"), screen);
            tmux("send-keys", "Tab", "Down", "Enter");
            screen = waitFor(5_000, "▸ nf_nat_ipv4_local_fn", "nf_conntrack_in");
            long t0 = System.nanoTime();
            tmux("send-keys", "q");
            screen = waitFor(3_000, "DROPTOP_EXIT=");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(screen.contains("DROPTOP_EXIT=0") && screen.contains("TTY_RESTORED"), screen);
            assertTrue(ms < 3000, "quit took " + ms + " ms");
        } finally {
            tmux("kill-server");
            removeSocket();
        }
    }

    /** The screen once it shows all of {@code texts}. */
    private String waitFor(long millis, String... texts) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        String screen = "";
        while (System.currentTimeMillis() < deadline) {
            screen = tmux("capture-pane", "-p");
            String shown = screen;
            if (Arrays.stream(texts).allMatch(shown::contains)) {
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
