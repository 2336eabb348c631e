package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.source.Availability;
import dev.droptop.system.HostFacts;
import dev.droptop.testing.KernelTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DoctorCommandTest {
    @Test
    void linesForMadeUpFacts() {
        HostFacts host = new HostFacts(Path.of("/"), "6.1.0-13-amd64", 1000, 0, null, false, false, 0, true, false);
        Map<String, Availability> checks = new LinkedHashMap<>();
        checks.put("bpftrace", Availability.no("bpftrace is not installed", "apt-get install bpftrace"));
        checks.put("tracefs", Availability.works(""));
        assertEquals(List.of(
                "kernel      6.1.0-13-amd64",
                "user        not root (euid 1000): tracing needs root",
                "tracefs     not mounted (mount -t tracefs nodev /sys/kernel/tracing)",
                "BTF         missing (no /sys/kernel/btf/vmlinux)",
                "tracepoint  skb:kfree_skb not visible (tracefs)",
                "modules     loadable",
                "",
                "bpftrace    does not work: bpftrace is not installed (fix: apt-get install bpftrace)",
                "tracefs     works",
                "",
                "packets     --flows and --pcap need bpftrace, which does not work here; perf, perf-native, tracefs"
                        + " and stap cannot: the skb:kfree_skb tracepoint's fields hold no packet bytes"),
                DoctorCommand.text(host, checks));
        assertEquals("{\"schema\":\"droptop-doctor/1\",\"kernel\":\"6.1.0-13-amd64\",\"user\":\"not root (euid 1000): tracing needs root\","
                + "\"tracefs\":\"not mounted (mount -t tracefs nodev /sys/kernel/tracing)\","
                + "\"btf\":\"missing (no /sys/kernel/btf/vmlinux)\",\"tracepoint\":\"skb:kfree_skb not visible (tracefs)\","
                + "\"modules\":\"loadable\",\"backends\":[{\"name\":\"bpftrace\",\"works\":false,"
                + "\"reason\":\"bpftrace is not installed\",\"fix\":\"apt-get install bpftrace\",\"detail\":null},"
                + "{\"name\":\"tracefs\",\"works\":true,\"reason\":null,\"fix\":null,\"detail\":null}],"
                + "\"packets\":\"--flows and --pcap need bpftrace, which does not work here; perf, perf-native, tracefs"
                + " and stap cannot: the skb:kfree_skb tracepoint's fields hold no packet bytes\"}",
                DoctorCommand.json(host, checks));
    }

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
