package dev.droptop.model;

import java.util.List;

/**
 * Sorts kernel frame names into the kernel network stack and everything else, by name prefix: the
 * flame graph colours them apart and {@code profile} lists the top network symbols.
 */
public enum FrameKind {
    NETWORK, OTHER;

    private static final List<String> PREFIXES = List.of(
            "nf_", "nft_", "nfnl", "ipt_", "iptable_", "ip6t_", "ip6table_", "ipv4_", "ipv6_", "ip_", "ip6_",
            "__ip", "tcp_", "__tcp", "udp_", "__udp", "udpv6", "icmp", "inet", "__inet", "raw_", "sk_", "__sk_",
            "skb_", "__skb", "kfree_skb", "consume_skb", "sock_", "__sock", "__sys_send", "__sys_recv",
            "__sys_connect", "__sys_accept", "__sys_bind", "__sys_listen", "netif_", "__netif", "net_", "napi_",
            "__napi", "dev_", "__dev_", "dst_", "neigh_", "__neigh", "br_", "veth_", "fib_", "rt_", "xfrm",
            "conntrack", "__nf_", "ct_", "masq", "packet_", "process_backlog", "loopback_", "validate_xmit",
            "sch_", "qdisc_", "__qdisc", "tc_", "bpf_skb", "gro_", "__gro", "tun_", "lock_sock", "release_sock");

    /** The kind of one frame name (a symbol without offset). */
    public static FrameKind of(String frame) {
        for (String p : PREFIXES) {
            if (frame.startsWith(p)) {
                return NETWORK;
            }
        }
        return OTHER;
    }

    public static boolean isNetwork(String frame) {
        return of(frame) == NETWORK;
    }
}
