package dev.droptop.diagnose;

/** A filter attached to the receiving socket rejected packets (SOCKET_FILTER). */
final class SocketFilterRule extends StateRule {
    SocketFilterRule() {
        super("socket-filter", Severity.WARNING, DropFacts.reason("SOCKET_FILTER"));
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return "socket filter: a BPF filter on the receiving socket (or its cgroup) rejects these packets";
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        String kind = kind(facts);
        return "the packets reached " + kind + " whose filter said no: find the owner of the port with "
                + "`ss -uapn` / `ss -tapn` (`ss -0 -p -b` lists packet sockets with their classic filters), and "
                + "the filter it attached with SO_ATTACH_FILTER/SO_ATTACH_BPF (`bpftool prog show` lists eBPF "
                + "socket filters); cgroup BPF ingress programs drop the same way: `bpftool cgroup tree`; if the "
                + "filter is meant to take only some packets (a sniffer, a DHCP client), nothing to do";
    }

    private static String kind(DropFacts facts) {
        if (facts.count(k -> k.symbol().startsWith("udp")) > 0) {
            return "a UDP socket";
        }
        if (facts.count(k -> k.symbol().startsWith("tcp")) > 0) {
            return "a TCP socket";
        }
        if (facts.count(k -> k.symbol().startsWith("packet") || k.symbol().startsWith("tpacket")) > 0) {
            return "a packet socket (a sniffer)";
        }
        return "a socket";
    }
}
