package dev.droptop.diagnose;

import dev.droptop.model.DropKey;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An IPsec (xfrm) policy refused packets: XFRM_POLICY, or, where the kernel names no reason (UDP to a
 * port nothing listens on frees them as NOT_SPECIFIED in __udp4_lib_rcv), the xfrm_stat input
 * counters of the namespace rising alongside NOT_SPECIFIED drops in the receive functions.
 */
final class XfrmRule extends StateRule {
    private static final String[] COUNTERS = {"XfrmInPolBlock", "XfrmInNoPols", "XfrmInNoStates",
        "XfrmInTmplMismatch", "XfrmInStateMismatch", "XfrmInPolError", "XfrmFwdHdrError"};
    private static final Set<String> RECEIVE = Set.of("__udp4_lib_rcv", "__udp6_lib_rcv", "tcp_v4_rcv", "tcp_v6_rcv",
            "ip_local_deliver_finish", "ip_protocol_deliver_rcu", "ip6_protocol_deliver_rcu", "ip_forward",
            "ip6_forward", "raw_rcv", "icmp_rcv");
    private static final Predicate<DropKey> REASON = DropFacts.reason("XFRM_POLICY");
    private static final Predicate<DropKey> UNNAMED = k -> k.reason().equals("NOT_SPECIFIED")
            && RECEIVE.contains(k.symbol());

    XfrmRule() {
        super("xfrm-policy", Severity.CRITICAL, REASON);
    }

    private static long counterRise(NetState net) {
        long sum = 0;
        for (String c : COUNTERS) {
            sum += net.xfrmRise(c);
        }
        return sum;
    }

    @Override
    Predicate<DropKey> match(NetState net) {
        return counterRise(net) > 0 ? REASON.or(UNNAMED) : REASON;
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return "IPsec (xfrm) policy refused packets: blocked, or not protected as a policy requires";
    }

    @Override
    String stateEvidence(DropFacts facts, NetState net) {
        String r = net.rises(COUNTERS);
        return r.isEmpty() ? "" : "/proc/net/xfrm_stat: " + r;
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        StringBuilder sb = new StringBuilder("`ip xfrm policy list dir in` (and `dir fwd`) shows the policies: one "
                + "with `action block` drops on purpose, one with a `tmpl` requires IPsec the packets do not have; "
                + "`ip xfrm state` lists the SAs; `cat /proc/net/xfrm_stat` counts each cause");
        if (net.xfrmRise("XfrmInPolBlock") > 0) {
            sb.append("; XfrmInPolBlock +").append(net.xfrmRise("XfrmInPolBlock"))
                    .append(": a block policy matched: delete it (`ip xfrm policy delete dir in src S dst D`) if the "
                    + "traffic is wanted");
        }
        if (net.xfrmRise("XfrmInNoStates") + net.xfrmRise("XfrmInTmplMismatch") > 0) {
            sb.append("; XfrmInNoStates/XfrmInTmplMismatch: no matching SA: is the IKE daemon up, did the SA expire?");
        }
        return sb.toString();
    }
}
