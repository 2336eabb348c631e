package dev.droptop.diagnose;

/**
 * TTL (IPv4) or hop limit (IPv6) ran out while forwarding: ip_forward/ip6_forward free the packet
 * as IP_INHDR and send ICMP time exceeded. Many of them mean a routing loop or senders with a tiny TTL.
 */
final class TtlExpiredRule extends StateRule {
    TtlExpiredRule() {
        super("ttl-expired", Severity.CRITICAL, k -> k.reason().equals("IP_INHDR")
                && (k.symbol().equals("ip_forward") || k.symbol().equals("ip6_forward")));
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return "TTL/hop limit expired in transit: a routing loop, or senders with a TTL too small for the path";
    }

    @Override
    String stateEvidence(DropFacts facts, NetState net) {
        return net.rises("Ip.InHdrErrors");
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        long ttl = net.sysctl("net.ipv4.ip_default_ttl");
        return "`traceroute -n DST` (or `mtr DST`) from a sender: hops that repeat are a routing loop, then "
                + "`ip route get DST` here and on the next hop shows who sends it back; otherwise the senders set a "
                + "small TTL (IP_TTL/IPV6_UNICAST_HOPS in the application, or net.ipv4.ip_default_ttl"
                + (ttl > 0 ? ", " + ttl + " here" : "") + "); traceroute and mtr cause a few of these on purpose; "
                + "`nstat -az IpInHdrErrors` counts them";
    }
}
