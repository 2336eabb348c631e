package dev.droptop.diagnose;

/** A listening socket's accept queue is full (TCP_LISTEN_OVERFLOW). */
final class ListenOverflowRule extends SimpleRule {
    ListenOverflowRule() {
        super("listen-overflow", Severity.CRITICAL, DropFacts.reason("TCP_LISTEN_OVERFLOW"));
    }

    @Override
    String summary() {
        return "listen queue overflow: the server does not accept() connections fast enough";
    }

    @Override
    String advice(DropFacts facts, long drops) {
        return "raise the backlog the server passes to listen() and its cap `sysctl -w net.core.somaxconn=4096` "
                + "(and net.ipv4.tcp_max_syn_backlog), or accept faster; `ss -lnt` shows Recv-Q (queued) against "
                + "Send-Q (backlog); `nstat -az TcpExtListenOverflows TcpExtListenDrops` counts them";
    }
}
