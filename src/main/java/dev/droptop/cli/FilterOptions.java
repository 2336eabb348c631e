package dev.droptop.cli;

import dev.droptop.model.DropFilter;
import dev.droptop.run.Inputs;
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

    /** The filter, checked now. */
    DropFilter filter() {
        return Inputs.checked(given());
    }

    /** The filter as given, for a run that checks it where the command always has ({@code Inputs.checked}). */
    DropFilter given() {
        return new DropFilter(netns, container, dev, reason, location, proto);
    }
}
