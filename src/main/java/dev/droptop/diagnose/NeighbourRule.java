package dev.droptop.diagnose;

import dev.droptop.model.Decimals;
import dev.droptop.model.NetKeys;

/**
 * The next hop's link-layer address could not be resolved (NEIGH_FAILED: ARP/NDP gave up; the
 * packets queued meanwhile are freed by neigh_invalidate), its wait queue overflowed
 * (NEIGH_QUEUEFULL), or no entry could be made (NEIGH_CREATEFAIL: table full).
 */
final class NeighbourRule extends StateRule {
    NeighbourRule() {
        super("neighbour-unresolved", Severity.CRITICAL, DropFacts.reason("NEIGH_FAILED", "NEIGH_QUEUEFULL",
                "NEIGH_CREATEFAIL", "NEIGH_DEAD", "NEIGH_HH_FILLFAIL"));
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return "next hop unreachable: ARP/NDP got no answer, packets waiting for it were dropped";
    }

    @Override
    String stateEvidence(DropFacts facts, NetState net) {
        long entries = net.latest(NetKeys.NEIGH_ENTRIES);
        if (entries < 0) {
            return "";
        }
        return "IPv4 neighbour table: " + entries + " entries, " + net.latest(NetKeys.NEIGH_UNRESOLVED)
                + " unresolved (FAILED/INCOMPLETE)";
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        StringBuilder sb = new StringBuilder("list the unanswered addresses with `ip neigh show nud failed` and "
                + "`ip neigh show nud incomplete`; `ip route get DST` shows which next hop (gateway or on-link host) "
                + "a destination uses: check that host is up, on this subnet and answers ARP (`arping -I DEV ADDR`) "
                + "or NDP (`ndisc6 ADDR DEV`)");
        String dev = facts.devices(match(net)).stream().findFirst().orElse(null);
        long solicit = net.neigh(dev, "mcast_solicit");
        long retrans = net.neigh(dev, "retrans_time_ms");
        if (solicit > 0 && retrans > 0) {
            sb.append("; resolution gives up after mcast_solicit ").append(solicit).append(" x retrans_time_ms ")
                    .append(retrans).append(" = ").append(Decimals.oneDecimal(solicit * retrans / 1000.0))
                    .append(" s, dropping what waited");
        }
        if (facts.count(DropFacts.reason("NEIGH_QUEUEFULL")) > 0) {
            long q = net.neigh(dev, "unres_qlen_bytes");
            sb.append("; NEIGH_QUEUEFULL: at most net.ipv4.neigh.DEV.unres_qlen_bytes")
                    .append(q > 0 ? " (" + Sizes.bytes(q) + ")" : "").append(" wait per unresolved neighbour");
        }
        sb.append(tableAdvice(facts, net));
        return sb.toString();
    }

    /** When the table is full (CREATEFAIL, or entries near gc_thresh3), the sysctls to raise, with values. */
    private static String tableAdvice(DropFacts facts, NetState net) {
        long thresh3 = net.sysctl("net.ipv4.neigh.default.gc_thresh3");
        long entries = net.latest(NetKeys.NEIGH_ENTRIES);
        boolean createFail = facts.count(DropFacts.reason("NEIGH_CREATEFAIL")) > 0;
        if (thresh3 <= 0) {
            return createFail ? "; NEIGH_CREATEFAIL means the table is full: compare `ip -4 neigh | wc -l` with "
                    + "`sysctl net.ipv4.neigh.default.gc_thresh3` and raise gc_thresh1/2/3" : "";
        }
        if (!createFail && entries < thresh3 * 0.9) {
            return "; the table is not the problem (" + Math.max(entries, 0) + " entries, gc_thresh3 " + thresh3 + ")";
        }
        long t3 = Sizes.nextPowerOfTwo(Math.max(2 * Math.max(entries, thresh3), 1024));
        return "; the table is full (" + entries + " entries, gc_thresh3 " + thresh3 + "): `sysctl -w "
                + "net.ipv4.neigh.default.gc_thresh3=" + t3 + " net.ipv4.neigh.default.gc_thresh2=" + t3 / 2
                + " net.ipv4.neigh.default.gc_thresh1=" + t3 / 8 + "` (and the net.ipv6.neigh.default ones)";
    }
}
