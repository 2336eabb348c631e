package dev.droptop.diagnose;

import dev.droptop.model.DropKey;
import java.util.List;
import java.util.function.Predicate;

/**
 * A host asked to route packets with forwarding off: ip_route_input refuses (host unreachable) and
 * ip_error frees them as IP_INADDRERRORS. Confirmed by net.ipv4.ip_forward or a device's
 * forwarding sysctl being 0 in the namespace of the drops; without system state, named as likely.
 * With forwarding on, the same reason means an unreachable route: {@link NoRouteRule}.
 */
final class ForwardingRule extends StateRule {
    static final Predicate<DropKey> MATCH = DropFacts.reason("IP_INADDRERRORS");

    ForwardingRule() {
        super("forwarding-disabled", Severity.CRITICAL, MATCH);
    }

    static boolean forwardingOn(NetState net) {
        return net.sysctl("net.ipv4.ip_forward") == 1 && net.devicesNotForwarding().isEmpty();
    }

    @Override
    boolean fires(DropFacts facts, NetState net, long n) {
        return n > 0 && !(net.hasSysctl("net.ipv4.ip_forward") && forwardingOn(net));
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return net.hasSysctl("net.ipv4.ip_forward") ? "forwarding disabled: this host drops packets it should route"
                : "forwarding disabled or destination unreachable (likely)";
    }

    @Override
    String stateEvidence(DropFacts facts, NetState net) {
        if (!net.hasSysctl("net.ipv4.ip_forward")) {
            return "";
        }
        String rises = net.rises("Ip.InAddrErrors");
        List<String> off = net.devicesNotForwarding();
        return "net.ipv4.ip_forward = " + net.sysctl("net.ipv4.ip_forward")
                + (off.isEmpty() ? "" : ", forwarding = 0 on " + String.join(", ", off))
                + (rises.isEmpty() ? "" : "; " + rises);
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        String tail = "; if this host is not meant to route, the senders use it as their gateway by mistake: fix their "
                + "routes (`ip route get DST` on the sender)";
        if (!net.hasSysctl("net.ipv4.ip_forward")) {
            return "check `sysctl net.ipv4.ip_forward net.ipv4.conf.all.forwarding` and the input device's "
                    + "`net.ipv4.conf.DEV.forwarding` in the namespace of the drops: 0 means routing is off "
                    + "(`sysctl -w net.ipv4.ip_forward=1`); if they are 1, `ip route get DST iif DEV from SRC` shows the "
                    + "unreachable route" + tail;
        }
        if (net.sysctl("net.ipv4.ip_forward") != 1) {
            return "turn routing on where the drops happen" + net.where() + ": `sysctl -w net.ipv4.ip_forward=1` "
                    + "(persist in /etc/sysctl.d/; for IPv6 net.ipv6.conf.all.forwarding=1)" + tail;
        }
        List<String> off = net.devicesNotForwarding();
        StringBuilder sb = new StringBuilder("net.ipv4.ip_forward is 1 but forwarding is off on the input device: ");
        for (int i = 0; i < off.size(); i++) {
            sb.append(i == 0 ? "" : " ").append("`sysctl -w net.ipv4.conf.").append(off.get(i)).append(".forwarding=1`");
        }
        return sb.append(" for the device the packets come in on").append(tail).toString();
    }
}
