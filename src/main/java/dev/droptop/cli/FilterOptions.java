package dev.droptop.cli;

import dev.droptop.model.DropFilter;
import dev.droptop.run.UserError;
import picocli.CommandLine.Option;

/** The drop filters report, replay, diff, live, capture and export share. */
final class FilterOptions {
    @Option(names = "--netns", paramLabel = "NAME|INODE", description = "Only drops in this network namespace (ip netns name, label or inode)")
    String netns;

    @Option(names = "--container", paramLabel = "ID|NAME", description = "Only drops in this container's namespace (id prefix, pod UID or pod name)")
    String container;

    @Option(names = "--dev", paramLabel = "IFACE", description = "Only drops on this device")
    String dev;

    @Option(names = "--reason", paramLabel = "R", description = "Only drops with this reason (e.g. NO_SOCKET)")
    String reason;

    @Option(names = "--location", paramLabel = "SYM", description = "Only drops at this function (e.g. nf_hook_slow)")
    String location;

    @Option(names = "--proto", paramLabel = "P", description = "Only this L3 protocol: ipv4, ipv6, arp, ... or 0xNNNN")
    String proto;

    DropFilter filter() {
        if (container != null && container.length() < 4) {
            throw new UserError("--container " + container + ": give at least 4 characters of the id, or a pod name");
        }
        return new DropFilter(netns, container, dev, reason, location, proto);
    }
}
