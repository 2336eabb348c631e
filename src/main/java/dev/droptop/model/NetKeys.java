package dev.droptop.model;

import java.util.List;

/**
 * Names of the per-namespace network counters and sysctls in a {@link SystemState} that the reason
 * rules read: {@code snmp.<Group>.<Name>} from /proc/net/snmp and /proc/net/netstat (cumulative),
 * {@code xfrm.<Name>} from /proc/net/xfrm_stat (cumulative), {@code sockstat.<PROTO>.<field>} (pages
 * or bytes now), {@code neigh.ipv4.*} (entries now), {@code sysctl.<dotted.name>} (value now; sysctls
 * holding three numbers get {@code .min}, {@code .pressure}, {@code .max}) and {@code netns.inode}
 * (the namespace they were read in).
 */
public final class NetKeys {
    public static final String NETNS = "netns.inode";
    public static final String SNMP = "snmp.";
    public static final String XFRM = "xfrm.";
    public static final String SYSCTL = "sysctl.";
    public static final String NEIGH_ENTRIES = "neigh.ipv4.entries";
    public static final String NEIGH_UNRESOLVED = "neigh.ipv4.unresolved";
    public static final String SOCKSTAT = "sockstat.";
    /** IPv4 default routes in the main table ({@code /proc/net/route} lines with destination and mask 0). */
    public static final String DEFAULT_ROUTES = "route.ipv4.default";

    /** The /proc/net/snmp and /proc/net/netstat counters kept, as {@code Group.Name}. */
    public static final List<String> SNMP_COUNTERS = List.of("Ip.Forwarding", "Ip.DefaultTTL", "Ip.InHdrErrors",
            "Ip.InAddrErrors", "Ip.ForwDatagrams", "Ip.OutNoRoutes", "Ip.ReasmTimeout", "Ip.ReasmReqds",
            "Ip.ReasmFails", "Icmp.InCsumErrors", "Tcp.InCsumErrors", "Udp.InCsumErrors", "Udp.InErrors",
            "Udp.RcvbufErrors", "Udp.MemErrors", "IpExt.InNoRoutes", "IpExt.InCsumErrors", "TcpExt.PAWSEstab",
            "TcpExt.PAWSActive", "TcpExt.TSECRRejected", "TcpExt.TCPZeroWindowDrop", "TcpExt.TCPBacklogDrop",
            "TcpExt.TCPRcvQDrop", "TcpExt.TCPMemoryPressures", "TcpExt.TCPAbortOnMemory", "TcpExt.TCPOFODrop",
            "TcpExt.TCPChallengeACK", "TcpExt.TCPACKSkippedSeq", "TcpExt.OfoPruned");
    /** The /proc/net/xfrm_stat counters kept. */
    public static final List<String> XFRM_COUNTERS = List.of("XfrmInError", "XfrmInNoStates", "XfrmInTmplMismatch",
            "XfrmInStateMismatch", "XfrmInNoPols", "XfrmInPolBlock", "XfrmInPolError", "XfrmFwdHdrError",
            "XfrmOutPolBlock");
    /** Single-number sysctls kept (per device forwarding comes on top, for every device). */
    public static final List<String> SYSCTLS = List.of("net.ipv4.ip_forward", "net.ipv4.ip_default_ttl",
            "net.ipv6.conf.all.forwarding", "net.ipv4.neigh.default.gc_thresh1", "net.ipv4.neigh.default.gc_thresh2",
            "net.ipv4.neigh.default.gc_thresh3", "net.ipv4.ipfrag_time", "net.ipv4.ipfrag_high_thresh", "net.ipv4.ipfrag_low_thresh",
            "net.ipv4.ipfrag_max_dist", "net.ipv4.tcp_timestamps", "net.core.rmem_max");
    /** Neighbour parameters kept per device ({@code net.ipv4.neigh.DEV.NAME}; {@code default} only in the initial netns). */
    public static final List<String> NEIGH_PARAMS = List.of("mcast_solicit", "retrans_time_ms", "unres_qlen_bytes");
    /** Sysctls of three numbers (min, pressure, max; in pages). */
    public static final List<String> TRIPLE_SYSCTLS = List.of("net.ipv4.tcp_mem", "net.ipv4.udp_mem");
    public static final List<String> TRIPLE_PARTS = List.of("min", "pressure", "max");

    private NetKeys() {
    }

    public static String snmp(String groupDotName) {
        return SNMP + groupDotName;
    }

    public static String sysctl(String dotted) {
        return SYSCTL + dotted;
    }

    /** {@code sysctl.net.ipv4.conf.DEV.forwarding}. */
    public static String forwarding(String dev) {
        return SYSCTL + "net.ipv4.conf." + dev + ".forwarding";
    }
}
