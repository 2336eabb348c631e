package dev.droptop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * sysctl files answer EOF to a read at a non-zero offset: a reader that starts with one byte (as
 * {@code Files.readString} does for size-0 files) got "2" of 262144, and capture headers recorded that.
 * Checked against sysctl(8) on the running kernel.
 */
class ProcFsTest {
    @Test
    void sysctlsReadWholeAsSysctlPrintsThem() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/sys/net/core")), "no /proc/sys here");
        Map<String, String> read = HostInfo.sysctls();
        assertTrue(read.containsKey("net.core.somaxconn"), read.toString());
        for (Map.Entry<String, String> e : read.entrySet()) {
            assertEquals(sysctl(e.getKey()), e.getValue(), e.getKey());
        }
        assertEquals(sysctl("kernel.osrelease"), ProcFs.text(Path.of("/proc/sys/kernel/osrelease")).trim());
        assertEquals(Integer.parseInt(sysctl("kernel.perf_event_paranoid")), Privileges.perfEventParanoid());
        assertTrue(HostInfo.sysctl("net.core.somaxconn").length() > 1, "somaxconn is 4096 or so, not one digit");
    }

    private static String sysctl(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sysctl", "-n", name).start();
        String out = new String(p.getInputStream().readAllBytes()).trim().replace('\t', ' ');
        assertEquals(0, p.waitFor(), "sysctl -n " + name);
        return out;
    }
}
