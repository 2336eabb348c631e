package dev.droptop.diagnose;

import dev.droptop.model.DropKey;
import dev.droptop.model.NetKeys;
import java.util.function.Predicate;

/**
 * No route, or a route that refuses: IP_INNOROUTES (network unreachable on input, IPv6's
 * ip6_pkt_discard), IP_OUTNOROUTES (output lookup failed), NOT_SPECIFIED at ip_error (an
 * unreachable/prohibit/blackhole route) and IP_INADDRERRORS when forwarding is on.
 */
final class NoRouteRule extends StateRule {
    private static final Predicate<DropKey> ROUTE_REASONS = DropFacts.reason("IP_INNOROUTES", "IP_OUTNOROUTES");
    private static final Predicate<DropKey> AT_IP_ERROR = k -> k.symbol().equals("ip_error")
            && k.reason().equals("NOT_SPECIFIED");

    NoRouteRule() {
        super("no-route", Severity.WARNING, ROUTE_REASONS.or(AT_IP_ERROR).or(ForwardingRule.MATCH));
    }

    /** IP_INADDRERRORS belongs to the forwarding rule unless forwarding is known to be on. */
    @Override
    Predicate<DropKey> match(NetState net) {
        return ForwardingRule.forwardingOn(net) ? super.match(net) : ROUTE_REASONS.or(AT_IP_ERROR);
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return "no route: packets to destinations with no route, or an unreachable/prohibit/blackhole route";
    }

    @Override
    String stateEvidence(DropFacts facts, NetState net) {
        String rises = net.rises("IpExt.InNoRoutes", "Ip.OutNoRoutes", "Ip.InAddrErrors");
        long defaults = net.latest(NetKeys.DEFAULT_ROUTES);
        String def = defaults == 0 ? "no IPv4 default route" : defaults > 0 ? defaults + " IPv4 default route(s)" : "";
        return rises.isEmpty() ? def : def.isEmpty() ? rises : rises + "; " + def;
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        StringBuilder sb = new StringBuilder("`ip route get DST iif DEV from SRC` (forwarded) or `ip route get DST` "
                + "(local) for a destination the senders use shows the missing or refusing route; "
                + "`ip route show table all type unreachable`, `... type prohibit`, `... type blackhole` and `ip rule` "
                + "list routes that drop on purpose; `ip -6 route` for IPv6 (ip6_pkt_discard)");
        if (net.latest(NetKeys.DEFAULT_ROUTES) == 0) {
            sb.append("; this namespace has no default route: add one (`ip route add default via GATEWAY`) if "
                    + "destinations outside the local subnets should be reachable");
        }
        return sb.toString();
    }
}
