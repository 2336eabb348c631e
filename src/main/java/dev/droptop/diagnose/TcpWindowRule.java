package dev.droptop.diagnose;

import dev.droptop.model.DropKey;
import java.util.function.Predicate;

/** TCP segments outside the receive window, with a zero window, or acknowledging what was never sent. */
final class TcpWindowRule extends StateRule {
    private static final Predicate<DropKey> ZERO = DropFacts.reason("TCP_ZEROWINDOW");

    TcpWindowRule() {
        super("tcp-out-of-window", Severity.WARNING, DropFacts.reason("TCP_INVALID_SEQUENCE", "TCP_OLD_SEQUENCE",
                "TCP_INVALID_END_SEQUENCE", "TCP_OVERWINDOW", "TCP_INVALID_ACK_SEQUENCE", "TCP_ACK_UNSENT_DATA",
                "TCP_TOO_OLD_ACK", "TCP_ZEROWINDOW"));
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return "TCP segments outside the receive window (sequence or ACK not acceptable, or a zero window)";
    }

    @Override
    String stateEvidence(DropFacts facts, NetState net) {
        return net.rises("TcpExt.TCPZeroWindowDrop", "TcpExt.TCPACKSkippedSeq", "TcpExt.TCPChallengeACK",
                "TcpExt.TCPOFODrop");
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        StringBuilder sb = new StringBuilder();
        if (n > facts.count(ZERO)) {
            sb.append("the peer is out of step with the connection: stale segments of an older connection with the "
                    + "same ports, a NAT or conntrack entry that expired mid-connection (compare "
                    + "`sysctl net.netfilter.nf_conntrack_tcp_timeout_established` on middleboxes with the "
                    + "connection's idle time), a failover, or spoofing; `ss -tni` shows the connections and "
                    + "`nstat -az TcpExtTCPACKSkippedSeq TcpExtTCPChallengeACK` counts the answers sent");
        }
        if (facts.count(ZERO) > 0) {
            sb.append(sb.length() == 0 ? "" : "; ").append("TCP_ZEROWINDOW: the receiving application does not "
                    + "read, so its window is 0: `ss -tmi` (rb, rcv_space) finds it, `nstat -az TcpExtTCPZeroWindowDrop` "
                    + "counts the drops; read faster or raise net.ipv4.tcp_rmem");
        }
        return sb.toString();
    }
}
