package dev.droptop.diagnose;

/** Packets to a port nothing listens on: NO_SOCKET at tcp_v4_rcv / __udp4_lib_rcv (and v6). */
final class NoSocketRule extends SimpleRule {
    NoSocketRule() {
        super("no-socket", Severity.WARNING, DropFacts.reasonOr("NO_SOCKET"));
    }

    @Override
    String summary() {
        return "nothing listening: packets to closed ports (NO_SOCKET)";
    }

    @Override
    String advice(DropFacts facts, long drops) {
        return "the trace carries no ports: check which services should listen with `ss -lntup` (TCP drops at "
                + "tcp_v4_rcv/tcp_v6_rcv, UDP at __udp4_lib_rcv/__udp6_lib_rcv); a client or scanner hitting "
                + "closed ports, or a service that is down or bound to another address, causes these; "
                + "`nstat -az TcpExtTCPAbortOnData UdpNoPorts` counts them";
    }
}
