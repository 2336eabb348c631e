package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import dev.droptop.testing.Tmux;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replay of a capture with drops in two named namespaces: {@code g} to the netns grouping shows them apart. */
class NetnsTuiTest {
    @TempDir
    Path dir;

    @Test
    void replayGroupsByNetns() throws Exception {
        Assumptions.assumeTrue(Tmux.installed(), "tmux is not installed");
        Path capture = NetnsReportTest.twoNamespaces(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "cd '" + KernelTest.projectDir() + "' && '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' dev.droptop.cli.Main replay --speed max '" + capture + "'; echo DROPTOP_EXIT=$?; sleep 60";
        try (Tmux tmux = new Tmux("dtt")) {
            tmux.run("new-session", "-d", "-x", "120", "-y", "30", "-e", "LANG=C.UTF-8", cmd);
            tmux.waitFor(20_000, "__udp4_lib_rcv", "interval 2/2", "sort total");
            // group cycles both -> location -> reason -> netns
            tmux.run("send-keys", "g", "g", "g");
            String screen = tmux.waitFor(5_000, "group netns", "[blue] __udp4_lib_rcv+0x2a1", "[red] __udp4_lib_rcv+0x2a1",
                    "[web/nginx-7f9] __udp4_lib_rcv+0x2a1", "[-] ip_finish_output2+0x10");
            assertTrue(screen.contains("300") && screen.contains("200"), screen);
            tmux.run("send-keys", "q");
            screen = tmux.waitFor(5_000, "DROPTOP_EXIT=");
            assertTrue(screen.contains("DROPTOP_EXIT=0"), screen);
        }
    }
}
