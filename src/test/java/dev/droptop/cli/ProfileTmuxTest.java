package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import dev.droptop.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * End to end in a real terminal: tmux (own socket, killed afterwards) runs {@code profile --input}
 * on the recorded NAT profile with this test's classpath; keys go in with send-keys, the screen
 * comes out of capture-pane (also written to target/profile-tui.txt).
 */
class ProfileTmuxTest {
    private static final String SAMPLE = "samples/perf/nat-load-cpu.profile";

    @Test
    void profileShowsNfHookSlowCallersAndCalleesAndQuits() throws Exception {
        Assumptions.assumeTrue(Tmux.installed(), "tmux is not installed: profile TUI end-to-end test skipped");
        Path dir = KernelTest.projectDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "cd '" + dir + "' && before=$(stty -g); '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' dev.droptop.cli.Main profile --input " + SAMPLE + " --symbol nf_hook_slow; rc=$?;"
                + " [ \"$(stty -g)\" = \"$before\" ] && echo TTY_RESTORED; echo DROPTOP_EXIT=$rc; sleep 60";
        try (Tmux tmux = new Tmux("dtp")) {
            tmux.run("new-session", "-d", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", cmd);
            String screen = tmux.waitFor(20_000, "CALLERS OF nf_hook_slow", "CALLEES OF nf_hook_slow", "Esc back");
            assertTrue(screen.contains("nf_hook_slow  150 samples on the stack, 9.51% of all samples"), screen);
            assertTrue(screen.contains("← __ip_queue_xmit") && screen.contains("nf_nat_ipv4_local_fn"), screen);
            assertTrue(screen.contains("150  100.0%"), screen);
            Files.writeString(dir.resolve("target/profile-tui.txt"), screen);
            tmux.run("send-keys", "Tab", "Down", "Enter");
            screen = tmux.waitFor(5_000, "▸ nf_nat_ipv4_local_fn", "nf_conntrack_in");
            long t0 = System.nanoTime();
            tmux.run("send-keys", "q");
            screen = tmux.waitFor(3_000, "DROPTOP_EXIT=");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(screen.contains("DROPTOP_EXIT=0") && screen.contains("TTY_RESTORED"), screen);
            assertTrue(ms < 3000, "quit took " + ms + " ms");
        }
    }
}
