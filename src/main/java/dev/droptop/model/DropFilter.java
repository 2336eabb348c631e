package dev.droptop.model;

import java.util.Locale;

/**
 * Which drops a command keeps: every given criterion must match (null = any). {@code netns} is an
 * inode or a name ({@link NetnsInfo#label()} or the {@code ip netns} name); {@code container} a
 * container id prefix, a pod UID or a pod name ({@code namespace/name} or just the name); {@code proto}
 * {@code ipv4}, {@code ipv6}, {@code arp}, ... or an ethertype number ({@code 0x800}); {@code location}
 * a function name (with or without {@code +0x..}); {@code reason} a drop reason name, any case.
 */
public record DropFilter(String netns, String container, String device, String reason, String location, String proto) {
    public static final DropFilter ALL = new DropFilter(null, null, null, null, null, null);

    public boolean isAll() {
        return netns == null && container == null && device == null && reason == null && location == null && proto == null;
    }

    /** Whether {@code k} passes; {@code names} resolves its netns for the netns and container criteria. */
    public boolean matches(DropKey k, NetnsNames names) {
        if (device != null && !device.equals(k.device())) {
            return false;
        }
        if (reason != null && !reason.equalsIgnoreCase(k.reason())) {
            return false;
        }
        if (location != null && !(location.equals(k.symbol()) || location.equals(k.location()))) {
            return false;
        }
        if (proto != null && !protoMatches(k.protocol())) {
            return false;
        }
        if (netns != null || container != null) {
            if (k.netns() == 0) {
                return false;
            }
            NetnsInfo i = names.describe(k.netns());
            if (netns != null && !(netns.equals(Long.toString(k.netns())) || netns.equals(i.label())
                    || netns.equals(i.name()))) {
                return false;
            }
            if (container != null && !containerMatches(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean containerMatches(NetnsInfo i) {
        if (i.container() != null && container.length() >= 4 && i.container().startsWith(container)) {
            return true;
        }
        if (container.equals(i.pod())) {
            return true;
        }
        String pod = i.podName();
        return pod != null && (container.equals(pod) || container.equals(pod.substring(pod.indexOf('/') + 1)));
    }

    private boolean protoMatches(int ethertype) {
        String p = proto.toLowerCase(Locale.ROOT);
        if (p.startsWith("0x")) {
            try {
                return Integer.parseInt(p.substring(2), 16) == ethertype;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return Protocols.name(ethertype).toLowerCase(Locale.ROOT).equals(p);
    }

    /** A sink that hands only matching drops to {@code target} (lost events and intervals pass through). */
    public DropSink wrap(DropSink target, NetnsNames names) {
        if (isAll()) {
            return target;
        }
        DropFilter f = this;
        return new ForwardingSink(target) {
            @Override
            public void record(DropKey key, int stackId, long count, long timeNanos) {
                if (f.matches(key, names)) {
                    target.record(key, stackId, count, timeNanos);
                }
            }

            @Override
            public void flow(DropKey key, Flow flow, long count, long timeNanos) {
                if (f.matches(key, names)) {
                    target.flow(key, flow, count, timeNanos);
                }
            }
        };
    }
}
