package dev.droptop.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.ConntrackState;
import dev.droptop.model.ConntrackState.ConntrackEntries;
import dev.droptop.model.ConntrackState.KmsgCounts;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every rule on synthetic drops built with DropAggregator, and conntrack on recorded state. */
class RulesTest {
    private static final long S = 1_000_000_000L;

    static Snapshot drops(Object... keyCountFrames) {
        DropAggregator agg = new DropAggregator(S);
        for (int i = 0; i < keyCountFrames.length; i += 3) {
            DropKey k = (DropKey) keyCountFrames[i];
            String[] frames = (String[]) keyCountFrames[i + 2];
            int stack = frames.length == 0 ? 0 : agg.stacks().intern(frames);
            agg.record(k, stack, (Long) keyCountFrames[i + 1], S);
        }
        agg.finish();
        return agg.snapshot();
    }

    static DropKey key(String symbol, String reason) {
        return DropKey.of(symbol, 0x10, reason, 0x800);
    }

    static String[] f(String... frames) {
        return frames;
    }

    static Finding only(Snapshot s, SystemState sys, String id) {
        List<Finding> all = Diagnoser.diagnose(s, sys);
        return all.stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + all));
    }

    static final Snapshot HOOK_FROM_IP_RCV = drops(key("nf_hook_slow", "NETFILTER_DROP"), 900L,
            f("nf_hook_slow", "ip_rcv", "__netif_receive_skb_one_core"));

    static ConntrackState natFull(long count, long drop, long tableFull, Map<String, Long> states) {
        ConntrackEntries e = states == null ? null
                : new ConntrackEntries(states.values().stream().mapToLong(Long::longValue).sum(), states, List.of(), 1);
        return new ConntrackState(count, 500, 262144, Map.of("time_wait", 120L), Map.of("drop", drop, "early_drop", 0L),
                new KmsgCounts(tableFull, 0, "last 10 min of the kernel log"), 256, "/proc/slabinfo", e);
    }

    @Test
    void conntrackLikelyFromDropsAlone() {
        Finding c = Diagnoser.diagnose(HOOK_FROM_IP_RCV, SystemState.none()).get(0);
        assertEquals("conntrack table full (likely)", c.summary());
        assertTrue(c.evidence().contains("called from ip_rcv"), c.evidence());
        assertTrue(c.advice().contains("droptop conntrack"), c.advice());
    }

    @Test
    void conntrackConfirmedWithSizedAdvice() {
        SystemState sys = SystemState.of(natFull(500, 1800, 20, Map.of("TIME_WAIT", 500L)));
        Finding c = Diagnoser.diagnose(HOOK_FROM_IP_RCV, sys).get(0);
        assertEquals("conntrack table full", c.summary());
        assertTrue(c.evidence().contains("nf_conntrack_count 500 of nf_conntrack_max 500 (100.0% full)"), c.evidence());
        assertTrue(c.evidence().contains("drop rose by 1800"), c.evidence());
        assertTrue(c.evidence().contains("20 'nf_conntrack: table full"), c.evidence());
        // 2 x 500 -> 1024 (power of two); 1024 x 256 B + 262144 x 16 B = 4.25 MiB, printed 4.3
        assertTrue(c.advice().contains("nf_conntrack_max=1024"), c.advice());
        assertTrue(c.advice().contains("memory 4.3 MiB instead of 4.1 MiB"), c.advice());
        assertTrue(c.advice().contains("nf_conntrack_tcp_timeout_time_wait=30"), c.advice());
    }

    @Test
    void conntrackFromCaptureCountersWithoutDrops() {
        SystemState sys = SystemState.fromCounters(List.of(
                Map.of(SystemState.CT_COUNT, 300L, SystemState.CT_MAX, 500L, SystemState.CT_STAT + "drop", 0L),
                Map.of(),
                Map.of(SystemState.CT_COUNT, 500L, SystemState.CT_MAX, 500L, SystemState.CT_STAT + "drop", 40L)));
        Finding c = only(Snapshot.empty(S), sys, "conntrack-table-full");
        assertTrue(c.evidence().contains("peak nf_conntrack_count 500"), c.evidence());
        assertTrue(c.evidence().contains("rose by 40 during the capture"), c.evidence());
        assertTrue(c.advice().contains("case study default"), c.advice());
    }

    @Test
    void healthyConntrackIsNotBlamedForAHookDrop() {
        SystemState healthy = SystemState.of(natFull(10, 0, 0, null));
        assertFalse(Diagnoser.diagnose(HOOK_FROM_IP_RCV, healthy).stream().anyMatch(x -> x.id().startsWith("conntrack")));
    }

    @Test
    void nearlyFullIsAWarning() {
        Finding c = only(Snapshot.empty(S), SystemState.of(natFull(420, 0, 0, null)), "conntrack-nearly-full");
        assertEquals(Severity.WARNING, c.severity());
    }

    @Test
    void firewallRuleDropIsNotConntrack() {
        Snapshot s = drops(key("nft_do_chain", "NETFILTER_DROP"), 1000L,
                f("nft_do_chain", "nft_do_chain_inet", "nf_hook_slow", "ip_local_deliver"));
        List<Finding> all = Diagnoser.diagnose(s, SystemState.none());
        assertEquals("firewall-rule-drop", all.get(0).id());
        assertTrue(all.get(0).advice().contains("nft list ruleset"));
        assertFalse(all.stream().anyMatch(x -> x.id().startsWith("conntrack")));
    }

    @Test
    void iptablesLegacyDropOnInputIsAFirewallRule() {
        Snapshot s = drops(key("nf_hook_slow", "NETFILTER_DROP"), 70L, f("nf_hook_slow", "ip_local_deliver", "ip_rcv"));
        List<Finding> all = Diagnoser.diagnose(s, SystemState.none());
        assertEquals(List.of("firewall-rule-drop"), all.stream().map(Finding::id).toList());
    }

    @Test
    void simpleRules() {
        assertRule("tcp_v4_rcv", "NO_SOCKET", "no-socket", "ss -lntup");
        assertRule("__udp4_lib_rcv", "NO_SOCKET", "no-socket", "tcp_v4_rcv/tcp_v6_rcv");
        assertRule("__udp_enqueue_schedule_skb", "SOCKET_RCVBUFF", "socket-rcvbuf-full", "net.core.rmem_max");
        assertRule("__dev_queue_xmit", "QDISC_DROP", "qdisc-drop", "tc -s qdisc");
        assertRule("fq_enqueue", "FQ_FLOW_LIMIT", "qdisc-drop", "txqueuelen");
        assertRule("ip_rcv_finish_core", "IP_RPFILTER", "rp-filter", "rp_filter=2");
        assertRule("tcp_v4_rcv", "TCP_LISTEN_OVERFLOW", "listen-overflow", "net.core.somaxconn");
        assertRule("enqueue_to_backlog", "CPU_BACKLOG", "cpu-backlog", "net.core.netdev_max_backlog");
        assertRule("enqueue_to_backlog", "", "cpu-backlog", "softnet_stat");
        assertRule("sk_stream_kill_queues", "QUEUE_PURGE", "probably-benign", "usually nothing to do");
        assertRule("skb_queue_purge_reason", "QUEUE_PURGE", "probably-benign", "usually nothing to do");
        assertRule("udp_destruct_common", "NOT_SPECIFIED", "probably-benign", "socket destructor");
        assertRule("neigh_invalidate", "NEIGH_FAILED", "neighbour-unresolved", "ip neigh show nud failed");
        assertRule("ip_forward", "IP_INHDR", "ttl-expired", "traceroute -n DST");
        assertRule("__udp4_lib_rcv", "UDP_CSUM", "bad-checksum", "ethtool -k DEV");
        assertRule("udp_queue_rcv_one_skb", "SOCKET_FILTER", "socket-filter", "bpftool cgroup tree");
        assertRule("ip_expire", "FRAG_REASM_TIMEOUT", "fragment-reassembly", "tracepath DST");
        assertRule("tcp_validate_incoming", "TCP_RFC7323_PAWS", "tcp-paws", "TcpExtPAWSEstab");
        assertRule("tcp_validate_incoming", "TCP_INVALID_SEQUENCE", "tcp-out-of-window", "ss -tni");
        assertRule("ip_error", "IP_INNOROUTES", "no-route", "ip route get");
        assertRule("udp_queue_rcv_one_skb", "XFRM_POLICY", "xfrm-policy", "ip xfrm policy list dir in");
        assertRule("__udp_enqueue_schedule_skb", "PROTO_MEM", "protocol-memory", "ss -tumn");
    }

    /** Counters read in two different namespaces (the sampler switched) give no rise. */
    @Test
    void countersFromTwoNamespacesGiveNoRise() {
        Snapshot s = drops(key("ip_error", "IP_INADDRERRORS"), 50L, f());
        java.util.Map<String, Long> a = java.util.Map.of("netns.inode", 1L, "snmp.Ip.InAddrErrors", 0L,
                "sysctl.net.ipv4.ip_forward", 0L);
        java.util.Map<String, Long> b = java.util.Map.of("netns.inode", 2L, "snmp.Ip.InAddrErrors", 50L,
                "sysctl.net.ipv4.ip_forward", 0L);
        assertFalse(only(s, SystemState.fromCounters(List.of(a, b)), "forwarding-disabled").evidence()
                .contains("IpInAddrErrors"));
        java.util.Map<String, Long> c = new java.util.HashMap<>(b);
        c.put("netns.inode", 1L);
        assertTrue(only(s, SystemState.fromCounters(List.of(a, c)), "forwarding-disabled").evidence()
                .contains("IpInAddrErrors +50 (netns 1)"));
    }

    /** Counters of another namespace than the drops' are not used to judge them. */
    @Test
    void countersOfAnotherNamespaceAreNotUsed() {
        DropKey k = new DropKey("ip_error", 0x94, "IP_INADDRERRORS", 0x800, 7L, "ra");
        Snapshot s = drops(k, 50L, f());
        java.util.Map<String, Long> other = java.util.Map.of("netns.inode", 9L, "sysctl.net.ipv4.ip_forward", 0L);
        Finding f = only(s, SystemState.fromCounters(List.of(other)), "forwarding-disabled");
        assertTrue(f.summary().contains("(likely)"), f.summary());
        assertTrue(f.evidence().contains("drops in netns 7, counters read in netns 9 (not used)"), f.evidence());
        java.util.Map<String, Long> same = java.util.Map.of("netns.inode", 7L, "sysctl.net.ipv4.ip_forward", 0L);
        assertTrue(only(s, SystemState.fromCounters(List.of(same)), "forwarding-disabled").evidence()
                .contains("net.ipv4.ip_forward = 0"));
    }

    /** NOT_SPECIFIED outside a socket destructor is unknown, not benign: no finding claims it. */
    @Test
    void notSpecifiedElsewhereIsNotCalledBenign() {
        Snapshot s = drops(key("skb_release_data", "NOT_SPECIFIED"), 50L, f(), key("ip6_mc_input", "NOT_SPECIFIED"),
                5L, f());
        assertEquals(List.of(), Diagnoser.diagnose(s, SystemState.none()));
    }

    /** IP_INADDRERRORS is forwarding off while the state says so, an unreachable route once forwarding is on. */
    @Test
    void forwardingStateDecidesBetweenForwardingAndRoute() {
        Snapshot s = drops(key("ip_error", "IP_INADDRERRORS"), 50L, f());
        Finding off = only(s, SystemState.fromCounters(List.of(java.util.Map.of("sysctl.net.ipv4.ip_forward", 0L))),
                "forwarding-disabled");
        assertTrue(off.advice().contains("sysctl -w net.ipv4.ip_forward=1"), off.advice());
        SystemState on = SystemState.fromCounters(List.of(java.util.Map.of("sysctl.net.ipv4.ip_forward", 1L,
                "sysctl.net.ipv4.conf.eth1.forwarding", 1L)));
        List<Finding> all = Diagnoser.diagnose(s, on);
        assertEquals(List.of("no-route"), all.stream().map(Finding::id).toList());
        assertTrue(Diagnoser.diagnose(s, SystemState.none()).get(0).summary().contains("(likely)"));
    }

    @Test
    void listenOverflowFromCountersAlone() {
        Snapshot none = drops();
        SystemState rising = SystemState.fromCounters(List.of(
                Map.of(SystemState.TCP_LISTEN_OVERFLOWS, 10L, SystemState.TCP_LISTEN_DROPS, 10L),
                Map.of(SystemState.TCP_LISTEN_OVERFLOWS, 44L, SystemState.TCP_LISTEN_DROPS, 45L)));
        Finding x = only(none, rising, "listen-overflow");
        assertEquals(0, x.drops());
        assertEquals(Severity.CRITICAL, x.severity());
        assertTrue(x.evidence().startsWith("no TCP_LISTEN_OVERFLOW drops traced"), x.evidence());
        assertTrue(x.evidence().endsWith("TcpExt ListenOverflows +34, ListenDrops +35"), x.evidence());
        assertTrue(x.advice().contains("net.core.somaxconn"), x.advice());
        SystemState flat = SystemState.fromCounters(List.of(Map.of(SystemState.TCP_LISTEN_OVERFLOWS, 7L),
                Map.of(SystemState.TCP_LISTEN_OVERFLOWS, 7L)));
        assertTrue(Diagnoser.diagnose(none, flat).isEmpty());
        Finding both = only(drops(key("tcp_v4_rcv", "TCP_LISTEN_OVERFLOW"), 5L, f()), rising, "listen-overflow");
        assertEquals(5, both.drops());
        assertTrue(both.evidence().startsWith("5 drops (100.0% of all) at tcp_v4_rcv"), both.evidence());
        assertTrue(both.evidence().contains("ListenOverflows +34"), both.evidence());
    }

    private static void assertRule(String symbol, String reason, String id, String adviceFragment) {
        Finding x = only(drops(key(symbol, reason), 5L, f()), SystemState.none(), id);
        assertEquals(5, x.drops());
        assertTrue(x.evidence().startsWith("5 drops (100.0% of all) at " + symbol), x.evidence());
        assertTrue(x.advice().contains(adviceFragment), x.advice());
    }

    @Test
    void findingsSortBySeverityThenDrops() {
        Snapshot s = drops(key("udp_destruct_common", "NOT_SPECIFIED"), 5000L, f(),
                key("tcp_v4_rcv", "NO_SOCKET"), 10L, f(),
                key("udp_queue_rcv_one_skb", "SOCKET_RCVBUFF"), 3L, f(),
                key("enqueue_to_backlog", "CPU_BACKLOG"), 30L, f());
        assertEquals(List.of("cpu-backlog", "socket-rcvbuf-full", "no-socket", "probably-benign"),
                Diagnoser.diagnose(s, SystemState.none()).stream().map(Finding::id).toList());
        assertEquals(List.of(), Diagnoser.diagnose(Snapshot.empty(S), SystemState.none()));
    }
}
