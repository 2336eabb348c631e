package dev.droptop.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One real-kernel scenario per reason rule, in network namespaces this test creates (198.18.0.0/15
 * only): the drops are recorded by bpftrace for these namespaces only (other tests on the machine stay
 * out, so the top row is the scenario's), the network counters and sysctls read before and after in the
 * namespace of the drops, and the top location, its reason, the finding and the key words of its
 * advice asserted. Every load is bounded (count, and 8 s in drops.py, 20 s by timeout); every netns,
 * background process and temp file is removed by Lab.close.
 */
@Tag("root")
class ReasonScenariosTest {
    private static final Path DROPS = Path.of("src/test/resources/lab/drops.py").toAbsolutePath();
    private static final Path LOAD = Path.of("src/test/resources/lab/load.py").toAbsolutePath();
    private static final String LO_IP = "198.18.0.1";

    @BeforeEach
    void needsBpftrace() {
        assumeTrue(Lab.onPath("bpftrace"), "no bpftrace: reason scenarios skipped");
    }

    /** What one scenario produced. */
    private record Result(Snapshot drops, SystemState system, List<Finding> findings) {
        /** The row with the most drops: {@code "neigh_invalidate NEIGH_FAILED"} and its count. */
        Snapshot.Row top() {
            return drops.rows().stream().max(Comparator.comparingLong(Snapshot.Row::total)).orElseThrow(
                    () -> new AssertionError("no drops recorded"));
        }

        Finding finding(String id) {
            return findings.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(
                    "no " + id + " in " + findings.stream().map(Finding::id).collect(Collectors.toList())));
        }

        /** Asserts the top row and the finding, and prints the row of the reason table. */
        Finding assertTop(String scenario, String symbol, String reason, long count, String findingId) {
            Snapshot.Row t = top();
            assertEquals(symbol + " " + reason, t.key().symbol() + " " + t.key().reason(), drops.rows().toString());
            assertEquals(count, t.total(), t.toString());
            Finding f = finding(findingId);
            System.out.printf("REASON-TABLE | %s | %s | %s | %s (%s, %d drops) | %s%n", reason, scenario,
                    t.key().location(), f.id(), f.severity().label(), f.drops(), f.evidence());
            return f;
        }
    }

    private static Result run(Lab lab, List<String> watched, String factsNs, String loadNs, Path script,
                              String... args) throws IOException {
        Map<String, Long> before = Lab.facts(factsNs);
        Snapshot drops = lab.captureIn(watched, loadNs, script, args);
        Map<String, Long> after = Lab.facts(factsNs);
        SystemState system = SystemState.fromCounters(List.of(before, after));
        return new Result(drops, system, Diagnoser.diagnose(drops, system));
    }

    /**
     * Global udp_mem lowered to 512 pages above what UDP holds machine-wide, only while the load runs
     * (GlobalSysctl restores it on close and from a shutdown hook); the facts are read inside the window.
     */
    @Test
    void udpProtocolMemoryLimit() throws IOException {
        try (Lab lab = new Lab()) {
            String ns = loopbackNetns(lab, "pm");
            Map<String, Long> before = Lab.facts(ns);
            List<Map<String, Long>> inside = new java.util.ArrayList<>();
            long[] limit = new long[1];
            Lab.During tight = () -> {
                limit[0] = NetFactsProbe.udpPages() + 512;
                GlobalSysctl g = GlobalSysctl.set("net.ipv4.udp_mem", limit[0] + " " + limit[0] + " " + limit[0]);
                return () -> {
                    try {
                        inside.add(Lab.facts(ns));
                    } finally {
                        g.close();
                    }
                };
            };
            Snapshot drops = lab.captureIn(List.of(ns), ns, tight, DROPS, "bigrcv", LO_IP, "9100", "4000");
            SystemState system = SystemState.fromCounters(List.of(before, inside.get(0)));
            Result r = new Result(drops, system, Diagnoser.diagnose(drops, system));
            Finding f = r.assertTop("UDP into a never-read 8 MiB receive buffer, udp_mem lowered to use + 512 "
                    + "pages", "__udp_enqueue_schedule_skb", "PROTO_MEM", r.top().total(), "protocol-memory");
            assertTrue(r.top().total() > 1000, r.top().toString());
            assertHas(f.evidence(), "UDP uses", "pages of udp_mem max " + limit[0]);
            assertHas(f.advice(), "ss -tumn", "sysctl -w net.ipv4.udp_mem=\"" + 2 * limit[0]);
        }
    }

    /** UDP's machine-wide memory in pages, from droptop's own /proc/net/sockstat. */
    private static final class NetFactsProbe {
        static long udpPages() {
            Long v = dev.droptop.system.NetFacts.read(dev.droptop.system.ProcFs.live()).get("sockstat.UDP.mem");
            return v == null ? 0 : v;
        }
    }

    private static void assertHas(String text, String... words) {
        for (String w : words) {
            assertTrue(text.contains(w), "no '" + w + "' in: " + text);
        }
    }

    private static String loopbackNetns(Lab lab, String tag) throws IOException {
        String ns = lab.netns(tag);
        Lab.run("ip", "-n", ns, "addr", "add", LO_IP + "/32", "dev", "lo");
        return ns;
    }

    /** a (198.18.1.1) -- r (198.18.1.2 | 198.18.2.1) -- c (198.18.2.2); a and c route via r; forwarding as given. */
    private static String[] router(Lab lab, String tag, boolean forwarding) throws IOException {
        String a = lab.netns(tag + "a");
        String r = lab.netns(tag + "r");
        String c = lab.netns(tag + "c");
        Lab.run("ip", "link", "add", "va", "netns", a, "type", "veth", "peer", "name", "ra", "netns", r);
        Lab.run("ip", "link", "add", "rc", "netns", r, "type", "veth", "peer", "name", "vc", "netns", c);
        Lab.run("ip", "-n", a, "addr", "add", "198.18.1.1/24", "dev", "va");
        Lab.run("ip", "-n", r, "addr", "add", "198.18.1.2/24", "dev", "ra");
        Lab.run("ip", "-n", r, "addr", "add", "198.18.2.1/24", "dev", "rc");
        Lab.run("ip", "-n", c, "addr", "add", "198.18.2.2/24", "dev", "vc");
        for (String[] nd : new String[][] {{a, "va"}, {r, "ra"}, {r, "rc"}, {c, "vc"}}) {
            Lab.run("ip", "-n", nd[0], "link", "set", nd[1], "up");
        }
        Lab.run("ip", "-n", a, "route", "add", "default", "via", "198.18.1.2");
        Lab.run("ip", "-n", c, "route", "add", "default", "via", "198.18.2.1");
        // a static neighbour: no ARP exchange in the capture, and none to fail
        Lab.run("ip", "-n", a, "neigh", "replace", "198.18.1.2", "lladdr", Lab.in(r, "cat",
                "/sys/class/net/ra/address").trim(), "dev", "va", "nud", "permanent");
        Lab.in(r, "sysctl", "-qw", "net.ipv4.ip_forward=" + (forwarding ? 1 : 0));
        return new String[] {a, r, c};
    }

    @Test
    void neighbourUnresolved() throws IOException {
        try (Lab lab = new Lab()) {
            String[] ab = lab.vethPair("na", "nb");
            Lab.in(ab[0], "sysctl", "-qw", "net.ipv4.neigh.va.retrans_time_ms=100");
            // 198.18.1.9 is on va's subnet but nobody has it: ARP gives up after 3 x 100 ms
            Result r = run(lab, List.of(ab[0]), ab[0], ab[0], DROPS, "udp", "198.18.1.9", "9000", "50", "1.0");
            Finding f = r.assertTop("UDP to an on-link address nobody has (ARP unanswered)", "neigh_invalidate",
                    "NEIGH_FAILED", 50, "neighbour-unresolved");
            assertEquals(50, f.drops());
            assertHas(f.evidence(), "1 unresolved");
            assertHas(f.advice(), "ip neigh show nud failed", "mcast_solicit 3 x retrans_time_ms 100 = 0.3 s",
                    "the table is not the problem");
        }
    }

    @Test
    void forwardingDisabled() throws IOException {
        try (Lab lab = new Lab()) {
            String[] arc = router(lab, "f", false);
            List<String> all = List.of(arc);
            Result r = run(lab, all, arc[1], arc[0], DROPS, "udp", "198.18.2.2", "9000", "50");
            Finding f = r.assertTop("UDP through a router with net.ipv4.ip_forward=0", "ip_error", "IP_INADDRERRORS",
                    50, "forwarding-disabled");
            assertHas(f.evidence(), "net.ipv4.ip_forward = 0", "IpInAddrErrors +50", "(netns " + Lab.inode(arc[1]));
            assertHas(f.advice(), "sysctl -w net.ipv4.ip_forward=1");
            assertHas(Diagnoser.diagnose(r.drops(), SystemState.none()).get(0).summary(), "(likely)");

            // routing on, but not on the input device
            Lab.in(arc[1], "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.ra.forwarding=0");
            Result dev = run(lab, all, arc[1], arc[0], DROPS, "udp", "198.18.2.2", "9000", "50");
            Finding g = dev.assertTop("the same with only net.ipv4.conf.ra.forwarding=0", "ip_error",
                    "IP_INADDRERRORS", 50, "forwarding-disabled");
            assertHas(g.evidence(), "net.ipv4.ip_forward = 1, forwarding = 0 on ra");
            assertHas(g.advice(), "sysctl -w net.ipv4.conf.ra.forwarding=1");
        }
    }

    @Test
    void ttlExpiredInTransit() throws IOException {
        try (Lab lab = new Lab()) {
            String[] arc = router(lab, "t", true);
            Result r = run(lab, List.of(arc), arc[1], arc[0], DROPS, "ttl1", "198.18.2.2", "9000", "50");
            Finding f = r.assertTop("UDP with TTL 1 through a router", "ip_forward", "IP_INHDR", 50, "ttl-expired");
            assertHas(f.evidence(), "IpInHdrErrors +50");
            assertHas(f.advice(), "traceroute -n DST", "routing loop", "net.ipv4.ip_default_ttl, 64 here");
        }
    }

    @Test
    void noRouteAndUnreachableRoute() throws IOException {
        try (Lab lab = new Lab()) {
            String[] arc = router(lab, "n", true);
            Result r = run(lab, List.of(arc), arc[1], arc[0], DROPS, "udp", "198.18.9.9", "9000", "50");
            Finding f = r.assertTop("UDP through a router that has no route to the destination", "ip_error",
                    "IP_INNOROUTES", 50, "no-route");
            assertHas(f.evidence(), "IpExtInNoRoutes +50", "no IPv4 default route");
            assertHas(f.advice(), "ip route get DST iif DEV from SRC", "ip route add default via GATEWAY");

            Lab.run("ip", "-n", arc[1], "route", "add", "unreachable", "198.18.8.0/24");
            Result u = run(lab, List.of(arc), arc[1], arc[0], DROPS, "udp", "198.18.8.8", "9000", "50");
            Finding g = u.assertTop("the same to an 'unreachable' route", "ip_error", "NOT_SPECIFIED", 50, "no-route");
            assertHas(g.advice(), "type unreachable");
            assertTrue(u.findings().stream().noneMatch(x -> x.id().equals("probably-benign")), u.findings().toString());
        }
    }

    @Test
    void badUdpChecksums() throws IOException {
        try (Lab lab = new Lab()) {
            String[] ab = lab.vethPair("ca", "cb");
            Result r = run(lab, List.of(ab[1]), ab[1], ab[0], DROPS, "badsum", "198.18.1.2", "9002", "50");
            Finding f = r.assertTop("UDP with a wrong checksum from a raw socket", "__udp4_lib_rcv", "UDP_CSUM", 50,
                    "bad-checksum");
            assertHas(f.evidence(), "UdpInCsumErrors +50", "received on vb");
            assertHas(f.advice(), "ethtool -k vb | grep -i checksum", "raw sockets");
        }
    }

    @Test
    void socketFilterRejectsEverything() throws IOException {
        try (Lab lab = new Lab()) {
            String ns = loopbackNetns(lab, "sf");
            Result r = run(lab, List.of(ns), ns, ns, DROPS, "filter", LO_IP, "9001", "50");
            Finding f = r.assertTop("UDP to a socket with a classic BPF filter 'ret #0' (SO_ATTACH_FILTER)",
                    "udp_queue_rcv_one_skb", "SOCKET_FILTER", 50, "socket-filter");
            assertHas(f.advice(), "a UDP socket", "ss -uapn", "SO_ATTACH_FILTER", "bpftool cgroup tree");
        }
    }

    @Test
    void fragmentReassemblyTimesOut() throws IOException {
        try (Lab lab = new Lab()) {
            String[] ab = lab.vethPair("ga", "gb");
            Lab.in(ab[1], "sysctl", "-qw", "net.ipv4.ipfrag_time=1");
            Result r = run(lab, List.of(ab[1]), ab[1], ab[0], DROPS, "frag", "198.18.1.2", "9003", "20", "2.5");
            Finding f = r.assertTop("first fragments only (the rest never sent), ipfrag_time 1 s", "ip_expire",
                    "FRAG_REASM_TIMEOUT", 20, "fragment-reassembly");
            assertHas(f.evidence(), "IpReasmTimeout +20", "net.ipv4.ipfrag_time = 1 s");
            assertHas(f.advice(), "tracepath DST", "ipfrag_high_thresh");
        }
    }

    @Test
    void tcpPawsRejectsOldTimestamps() throws IOException {
        try (Lab lab = new Lab()) {
            String ns = loopbackNetns(lab, "tp");
            Result r = run(lab, List.of(ns), ns, ns, DROPS, "paws", LO_IP, "7400", "50");
            Finding f = r.assertTop("forged segments with an old timestamp into an established connection",
                    "tcp_validate_incoming", "TCP_RFC7323_PAWS", 50, "tcp-paws");
            assertHas(f.evidence(), "TcpExtPAWSEstab +50");
            assertHas(f.advice(), "NAT", "nstat -az TcpExtPAWSEstab", "net.ipv4.tcp_timestamps (1 here)");
        }
    }

    @Test
    void tcpSegmentsOutsideTheWindow() throws IOException {
        try (Lab lab = new Lab()) {
            String ns = loopbackNetns(lab, "tw");
            Result r = run(lab, List.of(ns), ns, ns, DROPS, "oow", LO_IP, "7401", "50");
            Finding f = r.assertTop("forged segments 1 GiB right of the window into an established connection",
                    "tcp_validate_incoming", "TCP_INVALID_SEQUENCE", 50, "tcp-out-of-window");
            assertHas(f.advice(), "nf_conntrack_tcp_timeout_established", "ss -tni");
        }
    }

    /**
     * An inbound block policy. Loopback skips policy checks (net.ipv4.conf.lo.disable_policy=1 by
     * default), so the netns turns that off and sends to itself.
     */
    @Test
    void xfrmPolicyBlocks() throws IOException {
        try (Lab lab = new Lab()) {
            String ns = loopbackNetns(lab, "xf");
            Lab.in(ns, "sysctl", "-qw", "net.ipv4.conf.lo.disable_policy=0");
            Lab.run("ip", "-n", ns, "xfrm", "policy", "add", "src", LO_IP + "/32", "dst", LO_IP + "/32", "dir", "in",
                    "action", "block");
            // nothing listens: UDP frees them without a reason; only xfrm_stat tells
            Result un = run(lab, List.of(ns), ns, ns, DROPS, "udp", LO_IP, "9000", "50");
            Finding f = un.assertTop("UDP under an inbound xfrm block policy, nothing listening", "__udp4_lib_rcv",
                    "NOT_SPECIFIED", 50, "xfrm-policy");
            assertHas(f.evidence(), "XfrmInPolBlock +50");
            assertHas(f.advice(), "ip xfrm policy list dir in", "action block");

            Result bound = run(lab, List.of(ns), ns, ns, DROPS, "bound", LO_IP, "9000", "50");
            Finding g = bound.assertTop("the same to a bound UDP socket", "udp_queue_rcv_one_skb", "XFRM_POLICY", 50,
                    "xfrm-policy");
            assertHas(g.evidence(), "XfrmInPolBlock +50");
        }
    }

    @Test
    void socketsClosingWithDataAreBenign() throws IOException {
        try (Lab lab = new Lab()) {
            String ns = loopbackNetns(lab, "bn");
            Result r = run(lab, List.of(ns), ns, ns, LOAD, "close-unread", LO_IP, "7300", "20");
            long purged = r.top().total();
            Finding f = r.assertTop("a packet sniffer and UDP receivers closing with data unread (load.py)",
                    "skb_queue_purge_reason", "QUEUE_PURGE", purged, "probably-benign");
            assertTrue(purged >= 190, "QUEUE_PURGE " + purged); // 20 rounds x 10 packets seen on lo, less a few
            assertEquals(Severity.INFO, f.severity());
            assertHas(f.advice(), "nothing to do", "QUEUE_PURGE: bulk freeing");
            assertTrue(r.findings().stream().allMatch(x -> x.severity() == Severity.INFO), r.findings().toString());
        }
    }
}
