package dev.droptop.cli;

import dev.droptop.model.Sanitize;
import dev.droptop.run.Durations;
import dev.droptop.run.LiveSettings;
import dev.droptop.run.UserError;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options live and capture share (DESIGN.md CLI contract). */
final class LiveOptions {
    @picocli.CommandLine.Mixin
    FilterOptions filters = new FilterOptions();

    @Option(names = "--backend", paramLabel = "B",
            description = "auto, perf, perf-native, bpftrace, tracefs or stap (default: ${DEFAULT-VALUE}: the best one that works here)")
    String backend = "auto";

    @Option(names = "--interval", paramLabel = "D", description = "Aggregation window, e.g. 1s, 500ms (default: ${DEFAULT-VALUE})")
    String interval = "1s";

    @Option(names = "--stacks", description = "Record the call chain of every drop (more overhead)")
    boolean stacks;

    @Option(names = "--flows", description = "Count drops per flow (5-tuple) in the kernel (bpftrace backend)")
    boolean flows;

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "Write the first bytes of dropped packets to a pcapng FILE for Wireshark (bpftrace backend)")
    java.nio.file.Path pcap;

    @Option(names = "--snaplen", paramLabel = "N", description = "Bytes per packet from the IP header, 1-256 (default: ${DEFAULT-VALUE})")
    int snaplen = dev.droptop.source.Backend.Packets.DEFAULT_SNAPLEN;

    @Option(names = "--pcap-rate", paramLabel = "N",
            description = "Packets per second written at most, limited in the kernel; 0 = no limit (default: ${DEFAULT-VALUE})")
    int pcapRate = dev.droptop.source.Backend.Packets.DEFAULT_RATE;

    @Option(names = "--host", paramLabel = "ADDR", description = "Flows and packets only from or to this IPv4/IPv6 address")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "Flows and packets only from or to this TCP/UDP port")
    int port;

    @Option(names = "--flow-cap", paramLabel = "N",
            description = "Distinct flows counted in the kernel; later ones are counted as folded (default: ${DEFAULT-VALUE})")
    int flowCap = dev.droptop.source.Backend.Packets.DEFAULT_FLOW_CAP;

    @Option(names = "--duration", paramLabel = "D", description = "Stop after D (e.g. 30s, 5m); default: until Ctrl-C or CMD ends")
    String duration;

    @Parameters(paramLabel = "CMD", arity = "0..*",
            description = "After --: a load command to run while capturing, started once the backend counts; the capture stops when it exits")
    List<String> command = new ArrayList<>();

    /** The options parsed; a bad duration is a {@code UserError}. */
    LiveSettings settings() {
        return new LiveSettings(backend, intervalNanos(), stacks, durationNanos(), command, filters.filter(), packets());
    }

    long intervalNanos() {
        return Durations.parse(interval, "--interval");
    }

    /** The packet options, checked; {@link dev.droptop.source.Backend.Packets#NONE} without --flows/--pcap. */
    dev.droptop.source.Backend.Packets packets() {
        boolean filters = host != null || port != 0;
        if (!flows && pcap == null) {
            if (filters) {
                throw new UserError("--host and --port filter flows and packets: add --flows or --pcap FILE");
            }
            return dev.droptop.source.Backend.Packets.NONE;
        }
        if (snaplen < 1 || snaplen > dev.droptop.source.Backend.Packets.MAX_SNAPLEN) {
            throw new UserError("--snaplen must be 1-" + dev.droptop.source.Backend.Packets.MAX_SNAPLEN + ", not " + snaplen);
        }
        if (pcapRate < 0) {
            throw new UserError("--pcap-rate must be 0 (no limit) or more, not " + pcapRate);
        }
        if (port < 0 || port > 65535) {
            throw new UserError("--port must be 1-65535, not " + port);
        }
        if (flowCap < 1 || flowCap > 1_000_000) {
            throw new UserError("--flow-cap must be 1-1000000, not " + flowCap);
        }
        return new dev.droptop.source.Backend.Packets(flows, pcap, snaplen, pcapRate, hostAddress(), port, flowCap);
    }

    private java.net.InetAddress hostAddress() {
        if (host == null) {
            return null;
        }
        // literal addresses only: never a DNS lookup
        if (host.isEmpty() || !host.matches("[0-9A-Fa-f:.]+") || host.indexOf(':') < 0 && !host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            throw new UserError("--host must be an IPv4 or IPv6 address, not " + Sanitize.text(host));
        }
        try {
            return java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new UserError("--host must be an IPv4 or IPv6 address, not " + Sanitize.text(host));
        }
    }

    long durationNanos() {
        return duration == null ? 0 : Durations.parse(duration, "--duration");
    }
}
