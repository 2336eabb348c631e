package dev.droptop.diagnose;

/** Reverse-path filter drops (IP_RPFILTER): the reply route to the source uses another interface. */
final class RpFilterRule extends SimpleRule {
    RpFilterRule() {
        super("rp-filter", Severity.CRITICAL, DropFacts.reason("IP_RPFILTER"));
    }

    @Override
    String summary() {
        return "reverse-path filter: packets whose source is not routed back through the interface they came in on";
    }

    @Override
    String advice(DropFacts facts, long drops) {
        return "check `sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.IFACE.rp_filter` (the maximum of all and "
                + "IFACE applies); with asymmetric routing use loose mode "
                + "`sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.IFACE.rp_filter=2`, or fix the route "
                + "back to the source (`ip route get SRC`)";
    }
}
