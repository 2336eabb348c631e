package dev.droptop.source;

import dev.droptop.model.DropSink;
import java.io.IOException;
import java.util.List;

/**
 * A live source of drops: one class plus its script. {@link #check()} says whether it can run here
 * and why not, without side effects (doctor prints it); {@link #start} launches it and feeds the sink
 * from its own reader thread until the source ends or {@link Running#close()} is called.
 */
public interface Backend {
    /** perf, bpftrace, tracefs, stap. */
    String name();

    /** Whether this backend works on this machine, with the reason and the fix when it does not. */
    Availability check();

    /**
     * Starts the backend. Every call on {@code sink} happens on the backend's reader thread while it
     * holds {@code lock}, so a session may read the sink under the same lock.
     */
    Running start(Options options, DropSink sink, Object lock) throws IOException;

    /** True for backends that can read packet headers (flows, pcap): bpftrace only. */
    default boolean readsPackets() {
        return false;
    }

    /** How to run. {@code intervalNanos} matters to backends that aggregate in the kernel. */
    record Options(boolean stacks, long intervalNanos, Packets packets) {
        public Options(boolean stacks, long intervalNanos) {
            this(stacks, intervalNanos, Packets.NONE);
        }
    }

    /**
     * What to read from the dropped packets themselves.
     *
     * @param flows count drops per 5-tuple in the kernel
     * @param pcap write the first {@code snaplen} bytes of dropped packets to this pcapng file (null: no)
     * @param snaplen bytes per packet from the network header, 1..256
     * @param rate packets per second written at most (in the kernel), 0 = no limit
     * @param host only flows/packets from or to this IPv4 or IPv6 address (null: any)
     * @param port only flows/packets from or to this TCP/UDP/SCTP port (0: any)
     * @param flowCap distinct flows the kernel map holds; later flows are counted as folded
     */
    record Packets(boolean flows, java.nio.file.Path pcap, int snaplen, int rate, java.net.InetAddress host, int port,
            int flowCap) {
        public static final int DEFAULT_SNAPLEN = 128;
        public static final int MAX_SNAPLEN = 256;
        public static final int DEFAULT_RATE = 10_000;
        public static final int DEFAULT_FLOW_CAP = 4096;
        public static final Packets NONE = new Packets(false, null, DEFAULT_SNAPLEN, DEFAULT_RATE, null, 0, DEFAULT_FLOW_CAP);

        public boolean any() {
            return flows || pcap != null;
        }
    }

    /** What became of the dropped packets a backend read (bpftrace with --pcap). */
    record PacketStats(long written, long skipped, long lost) {
    }

    /** A started backend. */
    interface Running extends AutoCloseable {
        /** What was launched, for the capture header and messages. */
        List<String> command();

        /** True when the backend delivers counts per interval (the session must not tick windows). */
        boolean aggregates();

        /**
         * True once the backend counts: every drop from now on reaches the sink, so a load started now
         * loses none to the attach time. Polled by {@link LiveSession#awaitCounting}; false again never.
         * The default, true, is for backends attached when {@link Backend#start} returns (tracefs, the
         * native perf rings); a child process that attaches on its own time says so itself (bpftrace and
         * stap: by their first interval; perf record: by the record it writes once its events are enabled).
         */
        default boolean counting() {
            return true;
        }

        /** Blocks until the source ends by itself or is closed. */
        void awaitEnd() throws InterruptedException;

        /** Why the backend ended on its own (died, printed an error), or null while fine. */
        String failure();

        /** Packets written, skipped by the rate limit, lost; null when the run writes no packets. */
        default PacketStats packetStats() {
            return null;
        }

        /** Warnings of the parser (odd lines). */
        dev.droptop.model.Warnings warnings();

        /** Stops the backend and releases what it set up (processes, tracefs instance). Idempotent. */
        @Override
        void close();
    }
}
