package dev.droptop.diagnose;

/** Drops that are normal housekeeping: sockets closing with data queued, unspecified frees. */
final class BenignRule extends SimpleRule {
    BenignRule() {
        super("probably-benign", Severity.INFO,
                DropFacts.reason("NOT_SPECIFIED", "QUEUE_PURGE", "SOCKET_CLOSE", "TCP_CLOSE", "UNIX_DISCONNECT"));
    }

    @Override
    String summary() {
        return "probably benign: NOT_SPECIFIED/QUEUE_PURGE/close drops are the kernel freeing packets as "
                + "sockets close, not lost traffic";
    }

    @Override
    String advice(DropFacts facts, long drops) {
        return "usually nothing to do; look closer only if they grow with errors users see (look at the callers "
                + "in the report's caller tree)";
    }
}
