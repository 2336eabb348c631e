package dev.droptop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.NetKeys;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The reason rules' counters and sysctls, read inside a namespace this test makes, and found by its inode. */
@Tag("root")
class NetFactsTest {
    @Test
    void readsTheNamespaceOfTheCallingThreadAndFindsItByInode() throws Exception {
        KernelTest.assumeRootAndNetns();
        try (TestNetns ns = TestNetns.create("nf")) {
            ns.exec("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.ipfrag_time=7");
            long inode = ((Number) Files.getAttribute(Netns.RUN_NETNS.resolve(ns.name()), "unix:ino")).longValue();
            Map<String, Long> theirs = Netns.call(ns.name(), () -> NetFacts.read(ProcFs.live()));
            assertEquals(inode, theirs.get(NetKeys.NETNS));
            assertEquals(1L, theirs.get("sysctl.net.ipv4.ip_forward"));
            assertEquals(1L, theirs.get("sysctl.net.ipv4.conf.lo.forwarding"));
            assertEquals(7L, theirs.get("sysctl.net.ipv4.ipfrag_time"));
            assertEquals(0L, theirs.get(NetKeys.DEFAULT_ROUTES));
            assertTrue(theirs.containsKey("snmp.Ip.InAddrErrors") && theirs.containsKey("snmp.TcpExt.PAWSEstab"));
            assertEquals(Path.of("/run/netns", ns.name()), Netns.fileOf(inode).orElseThrow());

            Map<String, Long> ours = NetFacts.read(ProcFs.live());
            Map<String, Long> both = NetFacts.overlay(ours, theirs);
            assertEquals(inode, both.get(NetKeys.NETNS));
            // global sysctls (only in the initial namespace) come from ours; our devices do not
            assertEquals(ours.get("sysctl.net.ipv4.tcp_mem.max"), both.get("sysctl.net.ipv4.tcp_mem.max"));
            assertFalse(both.keySet().stream().anyMatch(k -> k.startsWith("sysctl.net.ipv4.conf.")
                    && !theirs.containsKey(k)), both.toString());
        }
    }

    @Test
    void samplerFollowsTheNamespaceWithTheMostDrops() throws Exception {
        KernelTest.assumeRootAndNetns();
        try (TestNetns ns = TestNetns.create("nf"); SystemSampler sampler = SystemSampler.start(ProcFs.live())) {
            ns.exec("sysctl", "-qw", "net.ipv4.ipfrag_time=9");
            long inode = ((Number) Files.getAttribute(Netns.RUN_NETNS.resolve(ns.name()), "unix:ino")).longValue();
            DropAggregator agg = new DropAggregator(1_000_000_000L);
            agg.record(new DropKey("ip_expire", 0x68, "FRAG_REASM_TIMEOUT", 0x800, inode, "vb"), 0, 20, 1);
            agg.record(new DropKey("tcp_v4_rcv", 0x91, "NO_SOCKET", 0x800, 0, ""), 0, 500, 1);
            agg.finish();
            sampler.follow(agg.snapshot());
            Map<String, Long> m = sampler.get();
            assertEquals(inode, m.get(NetKeys.NETNS));
            assertEquals(9L, m.get("sysctl.net.ipv4.ipfrag_time"));
        }
    }
}
