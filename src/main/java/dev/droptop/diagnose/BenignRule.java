package dev.droptop.diagnose;

import dev.droptop.model.DropKey;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Frees that are not lost traffic: the reasons the catalogue marks benign (QUEUE_PURGE, SOCKET_CLOSE,
 * TCP_CLOSE, UNIX_DISCONNECT ...: queues emptied as sockets close or devices reset), and NOT_SPECIFIED
 * only where a socket is being torn down (its receive queue freed). NOT_SPECIFIED elsewhere is
 * unknown, not benign: it is left to the other rules and the catalogue.
 */
final class BenignRule extends SimpleRule {
    /** Socket teardown functions that free queued packets without naming a reason (6.18). */
    static final Set<String> TEARDOWN = Set.of("udp_destruct_common", "inet_sock_destruct", "sk_stream_kill_queues",
            "__sk_destruct", "unix_release_sock", "packet_release", "udp_lib_close");
    private static final ReasonCatalogue CATALOGUE = ReasonCatalogue.builtIn();
    private static final Predicate<DropKey> MATCH = k -> CATALOGUE.isBenign(k.reason())
            || k.reason().equals("NOT_SPECIFIED") && TEARDOWN.contains(k.symbol());

    BenignRule() {
        super("probably-benign", Severity.INFO, MATCH);
    }

    @Override
    String summary() {
        return "probably benign: packets freed as sockets close or queues are purged, not lost traffic";
    }

    @Override
    String advice(DropFacts facts, long drops) {
        Set<String> why = new TreeSet<>();
        for (String reason : facts.reasons(MATCH)) {
            CATALOGUE.entry(reason).filter(ReasonCatalogue.Entry::isBenign)
                    .ifPresent(e -> why.add(e.name() + ": " + e.benign()));
        }
        if (facts.count(k -> k.reason().equals("NOT_SPECIFIED") && TEARDOWN.contains(k.symbol())) > 0) {
            why.add("NOT_SPECIFIED at a socket destructor: the unread receive queue of a closing socket");
        }
        return "usually nothing to do (" + String.join("; ", why) + "); look closer only if they grow with errors "
                + "users see (the caller tree shows who closes)";
    }
}
