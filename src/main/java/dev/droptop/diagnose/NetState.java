package dev.droptop.diagnose;

import dev.droptop.model.Counters;
import dev.droptop.model.NetKeys;
import dev.droptop.model.SystemState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The network counters and sysctls of a {@link SystemState} ({@link NetKeys}), as the reason rules ask. */
final class NetState {
    private final SystemState system;

    NetState(SystemState system) {
        this.system = system;
    }

    boolean known() {
        return system.has(NetKeys.NETNS) || system.has(NetKeys.sysctl("net.ipv4.ip_forward"));
    }

    /** The namespace the counters were read in, or -1 when not recorded. */
    long netns() {
        return system.latest(NetKeys.NETNS);
    }

    /** {@code "in netns 4026532177"}, or {@code ""} when not recorded. */
    String where() {
        long ns = system.latest(NetKeys.NETNS);
        return ns > 0 ? " (netns " + ns + ")" : "";
    }

    /** A sysctl's latest value, or -1 when not recorded. */
    long sysctl(String dotted) {
        return system.latest(NetKeys.sysctl(dotted));
    }

    boolean hasSysctl(String dotted) {
        return system.has(NetKeys.sysctl(dotted));
    }

    /**
     * How much an snmp counter ({@code Ip.InAddrErrors}) rose; 0 when absent, or when the samples came
     * from different namespaces (the sampler started following the drops' namespace midway): a
     * difference between two namespaces' counters means nothing.
     */
    long rise(String groupDotName) {
        return oneNetns() ? system.rise(NetKeys.snmp(groupDotName)) : 0;
    }

    private boolean oneNetns() {
        Counters.Summary ns = system.counters().get(NetKeys.NETNS);
        return ns == null || ns.first() == ns.last() && ns.peak() == ns.last();
    }

    boolean hasCounter(String groupDotName) {
        return system.has(NetKeys.snmp(groupDotName));
    }

    long xfrmRise(String name) {
        return oneNetns() ? system.rise(NetKeys.XFRM + name) : 0;
    }

    long latest(String key) {
        return system.latest(key);
    }

    /**
     * A neighbour parameter ({@code retrans_time_ms}) of {@code dev}, else of the only device that has
     * it besides lo and default, else {@code default}; -1 when none is recorded.
     */
    long neigh(String dev, String param) {
        String prefix = NetKeys.SYSCTL + "net.ipv4.neigh.";
        if (dev != null && system.has(prefix + dev + "." + param)) {
            return system.latest(prefix + dev + "." + param);
        }
        String only = null;
        int found = 0;
        for (String k : system.counters().keySet()) {
            if (k.startsWith(prefix) && k.endsWith("." + param)) {
                String d = k.substring(prefix.length(), k.length() - param.length() - 1);
                if (!d.equals("lo") && !d.equals("default")) {
                    only = k;
                    found++;
                }
            }
        }
        return found == 1 ? system.latest(only) : system.latest(prefix + "default." + param);
    }

    /** Devices whose {@code net.ipv4.conf.DEV.forwarding} is 0 (not {@code all}/{@code default}). */
    List<String> devicesNotForwarding() {
        List<String> out = new ArrayList<>();
        String prefix = NetKeys.SYSCTL + "net.ipv4.conf.";
        for (Map.Entry<String, ?> e : system.counters().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(prefix) && k.endsWith(".forwarding")) {
                String dev = k.substring(prefix.length(), k.length() - ".forwarding".length());
                if (!dev.equals("all") && !dev.equals("default") && !dev.equals("lo")
                        && system.latest(k) == 0) {
                    out.add(dev);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** {@code "IpInAddrErrors +50"} (nstat names) for each counter that rose, joined; {@code ""} when none did. */
    String rises(String... counters) {
        List<String> parts = new ArrayList<>();
        for (String c : counters) {
            long r = c.startsWith("Xfrm") ? xfrmRise(c) : rise(c);
            if (r > 0) {
                parts.add(c.replace(".", "") + " +" + r);
            }
        }
        return String.join(", ", parts);
    }
}
