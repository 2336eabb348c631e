package dev.droptop.diagnose;

/** Packets dropped by a queueing discipline on transmit (QDISC_DROP, FQ_*, CAKE_FLOOD...). */
final class QdiscDropRule extends SimpleRule {
    QdiscDropRule() {
        super("qdisc-drop", Severity.WARNING,
                DropFacts.reasonStarts("QDISC_", "FQ_", "CAKE_", "DUALPI2_", "TC_EGRESS"));
    }

    @Override
    String summary() {
        return "qdisc drops: a transmit queue is full or shaping drops packets";
    }

    @Override
    String advice(DropFacts facts, long drops) {
        return "find the queue with `tc -s qdisc show` (dropped/overlimits per device); raise the queue length "
                + "(`ip link set dev DEV txqueuelen 10000`, or the qdisc's `limit`), or lower the sending rate; "
                + "for fq flow limits raise `flow_limit`";
    }
}
