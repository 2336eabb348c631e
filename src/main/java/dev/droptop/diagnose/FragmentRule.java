package dev.droptop.diagnose;


/** IP fragments that could not be reassembled: timeout, too far out of order, duplicates. */
final class FragmentRule extends StateRule {
    FragmentRule() {
        super("fragment-reassembly", Severity.WARNING, DropFacts.reason("FRAG_REASM_TIMEOUT", "FRAG_TOO_FAR",
                "DUP_FRAG"));
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return "fragment reassembly failed: parts of fragmented datagrams never arrived (or too late)";
    }

    @Override
    String stateEvidence(DropFacts facts, NetState net) {
        String rises = net.rises("Ip.ReasmTimeout", "Ip.ReasmFails");
        long time = net.sysctl("net.ipv4.ipfrag_time");
        return rises + (time > 0 ? (rises.isEmpty() ? "" : "; ") + "net.ipv4.ipfrag_time = " + time + " s" : "");
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        StringBuilder sb = new StringBuilder("fragments of these datagrams were lost on the way, or a firewall passes "
                + "only first fragments (no ports in later ones): capture with `tcpdump -n 'ip[6:2] & 0x3fff != 0'`; "
                + "better avoid fragmentation: smaller datagrams or a consistent MTU (`tracepath DST`, `ip link` MTUs); "
                + "`nstat -az IpReasmTimeout IpReasmFails` counts them");
        long time = net.sysctl("net.ipv4.ipfrag_time");
        if (time > 0) {
            sb.append("; reassembly waits net.ipv4.ipfrag_time = ").append(time).append(" s");
        }
        long high = net.sysctl("net.ipv4.ipfrag_high_thresh");
        long mem = net.latest(dev.droptop.model.NetKeys.SOCKSTAT + "FRAG.memory");
        if (high > 0 && mem >= 0) {
            sb.append("; fragment memory ").append(Sizes.bytes(mem)).append(" of ipfrag_high_thresh ")
                    .append(Sizes.bytes(high));
            if (mem >= high * 0.8) {
                sb.append(": near the limit, raise `sysctl -w net.ipv4.ipfrag_high_thresh=")
                        .append(Sizes.nextPowerOfTwo(2 * high)).append('`');
            }
        }
        if (facts.count(DropFacts.reason("FRAG_TOO_FAR")) > 0) {
            long dist = net.sysctl("net.ipv4.ipfrag_max_dist");
            sb.append("; FRAG_TOO_FAR: fragments reordered beyond net.ipv4.ipfrag_max_dist")
                    .append(dist >= 0 ? " = " + dist : "").append(" (`sysctl -w net.ipv4.ipfrag_max_dist=0` disables "
                    + "the check)");
        }
        return sb.toString();
    }
}
