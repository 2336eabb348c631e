package dev.droptop.diagnose;

/** TCP segments whose timestamps are older than the last seen on the connection (PAWS, RFC 7323). */
final class TcpPawsRule extends StateRule {
    TcpPawsRule() {
        super("tcp-paws", Severity.WARNING, DropFacts.reasonStarts("TCP_RFC7323_"));
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return "TCP PAWS: segments with timestamps older than the connection's latest were rejected";
    }

    @Override
    String stateEvidence(DropFacts facts, NetState net) {
        return net.rises("TcpExt.PAWSEstab", "TcpExt.PAWSActive", "TcpExt.TSECRRejected");
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        long ts = net.sysctl("net.ipv4.tcp_timestamps");
        return "old duplicates, or several clients behind one NAT address whose TCP timestamp clocks differ (a "
                + "load balancer or NAT gateway in front of the clients; the peers' clocks reset after a reboot): "
                + "`nstat -az TcpExtPAWSEstab TcpExtPAWSActive` in the namespace of the listener counts them, "
                + "`ss -tni` shows the connections' ts option; keep net.ipv4.tcp_timestamps"
                + (ts >= 0 ? " (" + ts + " here)" : "") + " at 1 (random per-connection offsets) on the clients, "
                + "and give a NAT that hides many clients more source addresses";
    }
}
