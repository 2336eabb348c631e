package dev.droptop.diagnose;

/** A socket whose receive buffer is full (SOCKET_RCVBUFF): the application reads too slowly. */
final class SocketRcvbufRule extends SimpleRule {
    SocketRcvbufRule() {
        super("socket-rcvbuf-full", Severity.CRITICAL, DropFacts.reason("SOCKET_RCVBUFF"));
    }

    @Override
    String summary() {
        return "socket receive buffer full (SOCKET_RCVBUFF): the receiving application does not keep up";
    }

    @Override
    String advice(DropFacts facts, long drops) {
        return "raise the receiver's SO_RCVBUF (capped by `sysctl -w net.core.rmem_max=16777216`; default "
                + "net.core.rmem_default) or read faster; `ss -lumn` shows each socket's buffer (rb) and "
                + "drops (d); `nstat -az UdpRcvbufErrors` counts them";
    }
}
