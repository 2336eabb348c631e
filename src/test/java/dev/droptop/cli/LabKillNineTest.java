package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.lab.ConntrackMax;
import dev.droptop.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a lab run that lowered nf_conntrack_max leaves it lowered (no hook runs), and
 * {@code lab cleanup} puts it back from the state file and removes the run's namespaces.
 */
@Tag("root")
class LabKillNineTest {
    @Test
    void labCleanupRestoresWhatAKilledRunLeft() throws Exception {
        KernelTest.assumeRootAndNetns();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(ConntrackMax.MAX), "nf_conntrack not loaded");
        long before = ConntrackMax.read();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.droptop.cli.Main", "lab",
                "nat", "--no-capture", "--conntrack-max", "1000", "--duration", "30s").redirectErrorStream(true).start();
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (!(Files.exists(ConntrackMax.STATE) && ConntrackMax.read() == 1000 && labNetns() > 0)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(ConntrackMax.STATE), "the run wrote its state file");
            p.destroyForcibly();
            assertTrue(p.waitFor(5, TimeUnit.SECONDS));
            assertEquals(1000, ConntrackMax.read(), "kill -9 runs no restore");
            CliRunner.Result r = CliRunner.run("lab", "cleanup");
            assertEquals(0, r.code(), r.stderr() + r.stdout());
            assertEquals(before, ConntrackMax.read(), "lab cleanup restored nf_conntrack_max");
            assertFalse(Files.exists(ConntrackMax.STATE));
            assertEquals(0, labNetns(), "lab cleanup removed the namespaces");
        } finally {
            p.destroyForcibly();
            if (ConntrackMax.read() != before) {
                Files.writeString(ConntrackMax.MAX, Long.toString(before));
            }
        }
    }

    private static long labNetns() throws Exception {
        Process ip = new ProcessBuilder("ip", "netns", "list").start();
        String out = new String(ip.getInputStream().readAllBytes());
        ip.waitFor();
        return out.lines().filter(l -> l.startsWith("droptop-lab-")).count();
    }
}
