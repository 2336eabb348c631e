package dev.droptop.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.droptop.source.Availability;
import dev.droptop.system.HostFacts;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoctorTest {
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
                Doctor.text(host, checks));
        assertEquals("{\"schema\":\"droptop-doctor/1\",\"kernel\":\"6.1.0-13-amd64\",\"user\":\"not root (euid 1000): tracing needs root\","
                + "\"tracefs\":\"not mounted (mount -t tracefs nodev /sys/kernel/tracing)\","
                + "\"btf\":\"missing (no /sys/kernel/btf/vmlinux)\",\"tracepoint\":\"skb:kfree_skb not visible (tracefs)\","
                + "\"modules\":\"loadable\",\"backends\":[{\"name\":\"bpftrace\",\"works\":false,"
                + "\"reason\":\"bpftrace is not installed\",\"fix\":\"apt-get install bpftrace\",\"detail\":null},"
                + "{\"name\":\"tracefs\",\"works\":true,\"reason\":null,\"fix\":null,\"detail\":null}],"
                + "\"packets\":\"--flows and --pcap need bpftrace, which does not work here; perf, perf-native, tracefs"
                + " and stap cannot: the skb:kfree_skb tracepoint's fields hold no packet bytes\"}",
                Doctor.json(host, checks));
    }
}
