package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.testing.KernelTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DoctorCommandTest {
    /** Here (root, bpftrace installed, no loadable modules): bpftrace works, stap does not, and why. */
    @Tag("root")
    @Test
    void onThisMachine() throws Exception {
        KernelTest.assumeRootAndNetns();
        KernelTest.assumeTool("bpftrace", "bpftrace");
        assumeTrue(!Files.exists(Path.of("/proc/modules")), "this machine can load modules");
        StringWriter text = new StringWriter();
        int rc = new CommandLine(new DoctorCommand()).setOut(new PrintWriter(text)).execute();
        System.out.print(text);
        assertEquals(0, rc);
        String out = text.toString();
        String release = dev.droptop.system.ProcFs.text(Path.of("/proc/sys/kernel/osrelease")).trim();
        assertTrue(out.startsWith("kernel      " + release + "\nuser        root (euid 0)\n"), out);
        assertTrue(out.contains("\nbpftrace    works (bpftrace v"), out);
        assertTrue(out.contains("\npackets     --flows and --pcap work with bpftrace"), out);
        assertTrue(out.contains("\nstap        does not work: this kernel cannot load kernel modules (no /proc/modules),"
                + " which SystemTap needs (fix: "), out);
        StringWriter json = new StringWriter();
        new CommandLine(new DoctorCommand()).setOut(new PrintWriter(json)).execute("--format", "json");
        assertTrue(json.toString().contains("{\"name\":\"bpftrace\",\"works\":true,"), json.toString());
    }
}
