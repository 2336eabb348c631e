package dev.droptop.diagnose;

import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A listening socket's accept queue is full. Two ways in: the handshake's final ACK dropped with
 * TCP_LISTEN_OVERFLOW (tcp_v4_rcv, when SYNs were queued before the accept queue filled), and SYNs
 * refused outright on a full accept queue, which the kernel frees with consume_skb (6.18:
 * tcp_rcv_state_process) so that kfree_skb never sees them: only the TcpExt ListenOverflows and
 * ListenDrops counters rise. The rule fires on either; from the counters alone it explains no traced
 * drops.
 */
final class ListenOverflowRule implements Rule {
    private static final Predicate<DropKey> MATCH = DropFacts.reason("TCP_LISTEN_OVERFLOW");

    @Override
    public Optional<Finding> apply(Snapshot drops, SystemState system) {
        DropFacts facts = new DropFacts(drops);
        long n = facts.count(MATCH);
        long overflows = system.rise(SystemState.TCP_LISTEN_OVERFLOWS);
        long listenDrops = system.rise(SystemState.TCP_LISTEN_DROPS);
        if (n == 0 && overflows == 0) {
            return Optional.empty();
        }
        StringBuilder evidence = new StringBuilder();
        if (n > 0) {
            evidence.append(n).append(" drops (").append(facts.share(n)).append(" of all) at ")
                    .append(facts.where(MATCH, 3));
        } else {
            evidence.append("no TCP_LISTEN_OVERFLOW drops traced (SYNs refused on a full accept queue are freed "
                    + "without kfree_skb)");
        }
        if (system.has(SystemState.TCP_LISTEN_OVERFLOWS)) {
            evidence.append("; TcpExt ListenOverflows +").append(overflows).append(", ListenDrops +")
                    .append(listenDrops);
        }
        return Optional.of(new Finding("listen-overflow", Severity.CRITICAL,
                "listen queue overflow: the server does not accept() connections fast enough", evidence.toString(),
                "raise the backlog the server passes to listen() and its cap `sysctl -w net.core.somaxconn=4096` "
                        + "(and net.ipv4.tcp_max_syn_backlog), or accept faster; `ss -lnt` shows Recv-Q (queued) "
                        + "against Send-Q (backlog); `nstat -az TcpExtListenOverflows TcpExtListenDrops` counts them, "
                        + "including refused SYNs the drop trace does not show",
                n));
    }
}
