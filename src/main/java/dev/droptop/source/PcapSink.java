package dev.droptop.source;

import dev.droptop.capture.PcapngWriter;
import dev.droptop.model.DropKey;
import dev.droptop.model.DroppedPacket;
import dev.droptop.model.PacketHeaders;
import dev.droptop.model.Sanitize;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Writes the dropped packets a backend reads into a pcapng file: one interface per (netns, device),
 * wall-clock timestamps (the probe's CLOCK_MONOTONIC nsecs plus the offset measured at start; the
 * JVM's nanoTime is CLOCK_MONOTONIC on Linux) and a comment naming the drop, e.g.
 * {@code drop reason=NO_SOCKET location=__udp4_lib_rcv+0x4bc netns=ns1 dev=veth1 ifindex=3}.
 * Packets are cut to the snap length. Flushed whole blocks at a time: every 64 KiB, at every interval
 * end ({@link #flush()}) and at close.
 *
 * <p>The comment, the namespace label and the device of the previous packet are kept for the next one
 * with the same key and ifindex (a flood's packets all have one), until the next flush: a namespace
 * named after the first packets (the resolver rescans at most once a second) is named from the next
 * interval on.
 */
final class PcapSink implements Consumer<DroppedPacket>, AutoCloseable {
    private final PcapngWriter writer;
    private final dev.droptop.model.NetnsNames names;
    private final int snaplen;
    private final long epochOffset;
    private IOException failure;
    // the previous packet's key (identity: the parser hands out one key per distinct line text) and what it gave
    private DropKey lastKey;
    private int lastIfindex;
    private String lastNetns;
    private String lastDevice;
    private byte[] lastComment;

    PcapSink(Path file, int snaplen, dev.droptop.model.NetnsNames names) throws IOException {
        this.writer = PcapngWriter.create(file, "droptop (bpftrace probes/drops-packets.bt)", snaplen);
        this.names = names;
        this.snaplen = snaplen;
        Instant now = Instant.now();
        this.epochOffset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    @Override
    public void accept(DroppedPacket p) {
        if (failure != null) {
            return;
        }
        DropKey k = p.key();
        if (k != lastKey || p.ifindex() != lastIfindex) {
            describe(k, p.ifindex());
        }
        int len = Math.min(snaplen, p.data().length);
        try {
            if (PacketHeaders.version(p.data(), 0, len) == 0 && k.protocol() > 0) {
                writer.writeNonIp(p.timeNanos() + epochOffset, lastNetns, lastDevice, k.protocol(), p.origLength(),
                        p.data(), 0, len, lastComment);
            } else {
                writer.write(p.timeNanos() + epochOffset, lastNetns, lastDevice, p.origLength(), p.data(), 0, len,
                        lastComment);
            }
        } catch (IOException e) {
            failure = e; // disk full or the like: stop writing packets, keep counting drops
        }
    }

    private void describe(DropKey k, int ifindex) {
        String netns = k.netns() == 0 ? "" : names.describe(k.netns()).label();
        String comment = "drop reason=" + Sanitize.text(k.reasonOrDash()) + " location=" + Sanitize.text(k.location())
                + " netns=" + (netns.isEmpty() ? "-" : netns) + " dev=" + (k.device().isEmpty() ? "-" : Sanitize.text(k.device()))
                + " ifindex=" + ifindex;
        lastKey = k;
        lastIfindex = ifindex;
        lastNetns = netns;
        lastDevice = Sanitize.text(k.device());
        lastComment = PcapngWriter.comment(comment);
    }

    void flush() {
        lastKey = null; // names may have changed: describe the next packet afresh
        if (failure != null) {
            return;
        }
        try {
            writer.flush();
        } catch (IOException e) {
            failure = e;
        }
    }

    long written() {
        return writer.packets();
    }

    /** Why packets stopped being written, or null. */
    String failure() {
        return failure == null ? null : "writing the pcap file failed: " + failure.getMessage();
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }
}
