package dev.droptop.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.DroppedPacket;
import dev.droptop.model.Flow;
import dev.droptop.model.FlowCount;
import dev.droptop.model.PacketHeaders;
import dev.droptop.model.ReasonNames;
import dev.droptop.system.Kallsyms;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The flows and packet lines of probes/drops-packets.bt: a real recording, then hand-made edge cases. */
class BpftracePacketsTest {
    private static final Path SAMPLES = Path.of("samples");
    private static final ReasonNames REASONS = new ReasonNames(Map.of(2, "NOT_SPECIFIED", 3, "NO_SOCKET"));
    private static final long SEC = 1_000_000_000L;

    @Test
    void recordedClosedPortsGiveFlowsAndPackets() throws IOException {
        BpftraceParser parser = new BpftraceParser(Kallsyms.load(SAMPLES.resolve("kallsyms/kallsyms-v1045.excerpt.txt")),
                REASONS, SEC);
        List<DroppedPacket> packets = new ArrayList<>();
        parser.withPackets(packets::add, f -> true);
        DropAggregator agg = new DropAggregator(SEC);
        try (InputStream in = Files.newInputStream(SAMPLES.resolve("bpftrace/closed-ports-packets.bpftrace.txt"))) {
            parser.parse(in, agg);
        }
        agg.finish();
        Set<String> flows = agg.snapshot().flows().stream()
                .map(f -> f.key().location() + " " + f.key().reason() + " " + f.key().device() + " " + f.flow() + " " + f.count())
                .collect(Collectors.toSet());
        assertEquals(3, flows.size(), flows.toString());
        assertTrue(flows.contains("__udp4_lib_rcv+0x4bc NO_SOCKET drb10650 198.18.150.1:46231 > 198.18.150.2:9999 udp 8"), flows.toString());
        assertTrue(flows.contains("tcp_v4_rcv+0x99 NO_SOCKET drb10650 198.18.150.1:51770 > 198.18.150.2:8080 tcp 1"), flows.toString());
        assertTrue(flows.contains("tcp_v4_rcv+0x99 NO_SOCKET drb10650 198.18.150.1:51784 > 198.18.150.2:8080 tcp 1"), flows.toString());
        // the rate limit (5/s) let 5 through and skipped 5 of the 10 packets to 198.18.150.2
        assertEquals(5, packets.size());
        assertEquals(5, parser.packetLines());
        assertEquals(5, parser.packetsSkipped());
        assertEquals(0, parser.packetsLost());
        for (DroppedPacket p : packets) {
            assertEquals(4026532246L, p.key().netns());
            assertEquals("drb10650", p.key().device());
            assertEquals(2, p.ifindex());
            PacketHeaders.Decoded d = PacketHeaders.decode(p.data());
            assertEquals("198.18.150.2", d.flow().dst());
            assertEquals(p.data().length, p.origLength(), "small packets are captured whole");
            assertEquals(p.data().length, ((p.data()[2] & 0xff) << 8) | (p.data()[3] & 0xff), "IPv4 total length");
        }
        // drops stay counted whatever the filter: the IPv6 datagrams to ::1 are in the table
        assertTrue(agg.snapshot().rows().stream().anyMatch(r -> r.key().symbol().equals("__udp6_lib_rcv") && r.total() == 3));
        // other tests' drops may carry reasons outside this hand-made table; none of our lines is malformed
        assertTrue(parser.warnings().counts().keySet().stream().noneMatch(k -> k.contains("malformed")),
                parser.warnings().counts().toString());
    }

    @Test
    void equalPrintedKeysAreSummedAndTheCapIsFoldedIntoOther() throws IOException {
        // hand-made: a renamed device prints one key twice; ipdrops 10 but flows only 7 (the map was full)
        String text = String.join("\n",
                "droptop-bpftrace 2 interval_ms=1000 keys=location,reason,protocol,netns,dev counts=cumulative packets=2 mode=1 snaplen=128 rate=0",
                "@@ interval 1000000000",
                "@drops[0xffffffff820a726c, 3, 2048, 7, c0]: 10",
                "@ipdrops[0xffffffff820a726c, 3]: 10",
                "@flows[0xffffffff820a726c, 3, 7, c0, 17, 10.0.0.1, 10.0.0.2, 5, 9]: 2",
                "@flows[0xffffffff820a726c, 3, 7, c0, 17, 10.0.0.1, 10.0.0.2, 5, 9]: 3",
                "@flows[0xffffffff820a726c, 3, 7, c0, 58, fe80::1, ff02::2, 133, 0]: 2",
                "@pcap_skipped: 0",
                "@@ interval 2000000000",
                "@drops[0xffffffff820a726c, 3, 2048, 7, c0]: 14",
                "@ipdrops[0xffffffff820a726c, 3]: 14",
                "@flows[0xffffffff820a726c, 3, 7, c0, 17, 10.0.0.1, 10.0.0.2, 5, 9]: 2",
                "@flows[0xffffffff820a726c, 3, 7, c0, 17, 10.0.0.1, 10.0.0.2, 5, 9]: 6",
                "@flows[0xffffffff820a726c, 3, 7, c0, 58, fe80::1, ff02::2, 133, 0]: 2",
                "@flows[0xffffffff820a726c, 3, 7, c0, 17, 10.0.0.1]: 2",
                "Lost 17 events",
                "pkt 12 0xffffffff820a726c 3 2048 7 2 20 20 zz 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 c0",
                "");
        BpftraceParser parser = new BpftraceParser(new dev.droptop.model.SymbolResolver() {
            @Override
            public Resolved resolve(long address) {
                return new Resolved("__udp4_lib_rcv", (int) (address - 0xffffffff820a6db0L));
            }
        }, REASONS, SEC);
        List<DroppedPacket> packets = new ArrayList<>();
        parser.withPackets(packets::add, f -> true);
        DropAggregator agg = new DropAggregator(SEC);
        List<List<FlowCount>> windows = new ArrayList<>();
        agg.addListener(iv -> windows.add(iv.flows()));
        parser.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), agg);
        agg.finish();
        DropKey k = new DropKey("__udp4_lib_rcv", 0x4bc, "NO_SOCKET", 0x0800, 7, "c0");
        DropKey point = new DropKey("__udp4_lib_rcv", 0x4bc, "NO_SOCKET", DropKey.NO_PROTOCOL, 0, "");
        Flow udp = new Flow("10.0.0.1", "10.0.0.2", 5, 9, 17);
        Flow rs = new Flow("fe80::1", "ff02::2", 133, 0, 58);
        assertEquals(List.of(new FlowCount(k, udp, 5), new FlowCount(new DropKey("__udp4_lib_rcv", 0x4bc, "NO_SOCKET", 0x86DD, 7, "c0"), rs, 2),
                new FlowCount(point, Flow.OTHER, 3)), windows.get(0));
        assertEquals(List.of(new FlowCount(k, udp, 3), new FlowCount(point, Flow.OTHER, 1)), windows.get(1));
        assertEquals(17, parser.packetsLost());
        assertEquals(List.of(), packets, "a packet line with a bad word is skipped");
        assertEquals(1L, parser.warnings().counts().get("malformed flow entry"));
        assertEquals(1L, parser.warnings().counts().get("malformed packet line"));
    }

    private static final String HEADER = "droptop-bpftrace 2 interval_ms=1000 keys=location,reason,protocol,netns,dev "
            + "counts=cumulative packets=2 mode=2 snaplen=128 rate=0";
    /** A 60-byte IPv4/UDP datagram 127.0.0.1:32768 > 127.0.0.1:9999, as the probe prints it (16 words). */
    private static final String UDP_WORDS = "3c000045 100007f00001140 f2700800100007f 2800 0 0 0 0 "
            + "a4b5c6d7e8f90102 0 0 0 0 0 0 0";

    @Test
    void packetLinesAreReadOnTheirBytes() throws IOException {
        Parsed p = parse(
                "pkt 12 0xffffffff820a726c 3 2048 7 2 60 60 " + UDP_WORDS + " lo",
                // 32 words and no device (the probe's trailing space trimmed): all 256 bytes kept
                "pkt 13 0xffffffff820a726c 3 2048 7 0 300 256 " + UDP_WORDS + " " + UDP_WORDS,
                // linear shorter than the packet: cut there; upper-case hex and a full word are words too
                "pkt 14 0xffffffff820a726c 3 2048 7 2 1500 11 FFFFFFFFFFFFFFFF ffffffffffffffff 0 0 0 0 0 0 0 0 0 0 0 0 0 0 veth1",
                // negative lengths (a header past the tail) keep no bytes
                "pkt 15 0xffffffff820a726c 3 2048 7 2 -4 -4 " + UDP_WORDS + " lo");
        assertEquals(Map.of(), p.parser.warnings().counts());
        assertEquals(4, p.packets.size());
        DroppedPacket a = p.packets.get(0);
        assertEquals(12, a.timeNanos());
        assertEquals(new DropKey("__udp4_lib_rcv", 0x4bc, "NO_SOCKET", 0x0800, 7, "lo"), a.key());
        assertEquals(2, a.ifindex());
        assertEquals(60, a.origLength());
        assertEquals(60, a.data().length);
        assertEquals(new Flow("127.0.0.1", "127.0.0.1", 32768, 9999, 17), PacketHeaders.decode(a.data()).flow());
        assertEquals((byte) 0xa4, p.packets.get(1).data()[71], "little-endian: the word's low byte first");
        assertEquals(256, p.packets.get(1).data().length);
        assertEquals("", p.packets.get(1).key().device());
        assertEquals(300, p.packets.get(1).origLength());
        DroppedPacket c = p.packets.get(2);
        assertEquals(11, c.data().length);
        for (byte x : c.data()) {
            assertEquals((byte) 0xff, x);
        }
        assertEquals(1500, c.origLength());
        assertEquals("veth1", c.key().device());
        assertEquals(0, p.packets.get(3).data().length);
        assertEquals(0, p.packets.get(3).origLength());
    }

    @Test
    void malformedPacketLinesAreCountedAndSkipped() throws IOException {
        String words15 = UDP_WORDS.substring(0, UDP_WORDS.lastIndexOf(' '));
        String prefix = "pkt 12 0xffffffff820a726c 3 2048 7 2 60 60 ";
        Parsed p = parse(
                prefix + words15 + " lo", // too few words
                prefix + UDP_WORDS + " " + UDP_WORDS + " 0 lo", // too many
                prefix + UDP_WORDS.replace("a4b5c6d7e8f90102", "10000000000000000") + " lo", // 17 digits
                prefix + UDP_WORDS.replace("2800 0 0 0 0", "2800 0 0 0 ") + " lo", // an empty word (two spaces)
                "pkt 12x 0xffffffff820a726c 3 2048 7 2 60 60 " + UDP_WORDS + " lo", // bad nsecs
                "pkt 12 0xffffffff820a726c 3 2048 -7 2 60 60 " + UDP_WORDS + " lo", // bad netns
                "pkt 12 0xffffffff820a726c 3 2048 7 two 60 60 " + UDP_WORDS + " lo", // bad ifindex
                "pkt 12",
                "pkt 12 ffffffff820a726c 3 2048 7 2 60 60 " + UDP_WORDS + " lo"); // no 0x: a symbol, kept
        assertEquals(8L, p.parser.warnings().counts().get("malformed packet line"), p.parser.warnings().counts().toString());
        assertEquals(1, p.packets.size());
        assertEquals("ffffffff820a726c", p.packets.get(0).key().symbol());
        assertEquals(9, p.parser.packetLines(), "every pkt line is counted, kept or not");

        Parsed bad = parse(prefix + UDP_WORDS.replace("a4b5c6d7e8f90102", "g4b5c6d7e8f90102") + " lo");
        assertEquals(List.of(), bad.packets);
        assertEquals("bad word g4b5c6d7e8f90102", bad.parser.warnings().example("malformed packet line"));
    }

    @Test
    void keysFollowEachLineAndUnresolvedLocationsAreCountedPerLine() throws IOException {
        Parsed p = parse(
                "pkt 1 0xffffffff820a726c 3 2048 7 2 60 60 " + UDP_WORDS + " a",
                "pkt 2 0xffffffff820a726c 3 2048 7 2 60 60 " + UDP_WORDS + " b",
                "pkt 3 0xffffffff820a726c 3 2048 7 2 60 60 " + UDP_WORDS + " a",
                "pkt 4 0xffffffff820a726c 3 2048 7 2 60 60 " + UDP_WORDS,
                "pkt 5 0xffffffff820a726c 2 2048 7 2 60 60 " + UDP_WORDS + " a",
                "pkt 6 0xffffffff820a726c 3 34525 8 2 60 60 " + UDP_WORDS + " a",
                "pkt 7 0x10 3 2048 7 2 60 60 " + UDP_WORDS + " a",
                "pkt 8 0x10 3 2048 7 2 60 60 " + UDP_WORDS + " a");
        List<String> keys = p.packets.stream().map(d -> d.key().location() + " " + d.key().reason() + " "
                + d.key().protocol() + " " + d.key().netns() + " " + d.key().device()).toList();
        assertEquals(List.of("__udp4_lib_rcv+0x4bc NO_SOCKET 2048 7 a", "__udp4_lib_rcv+0x4bc NO_SOCKET 2048 7 b",
                "__udp4_lib_rcv+0x4bc NO_SOCKET 2048 7 a", "__udp4_lib_rcv+0x4bc NO_SOCKET 2048 7 ",
                "__udp4_lib_rcv+0x4bc NOT_SPECIFIED 2048 7 a", "__udp4_lib_rcv+0x4bc NO_SOCKET 34525 8 a",
                "0x10 NO_SOCKET 2048 7 a", "0x10 NO_SOCKET 2048 7 a"), keys);
        assertEquals(2L, p.parser.warnings().counts().get(LocationReader.UNRESOLVED), "one per line, as for @drops");
    }

    private record Parsed(BpftraceParser parser, List<DroppedPacket> packets) {
    }

    /** The lines after our header, with a resolver that knows __udp4_lib_rcv only. */
    private static Parsed parse(String... lines) throws IOException {
        BpftraceParser parser = new BpftraceParser(new dev.droptop.model.SymbolResolver() {
            @Override
            public Resolved resolve(long address) {
                long start = 0xffffffff820a6db0L;
                return address >= start && address < start + 0x1000 ? new Resolved("__udp4_lib_rcv", (int) (address - start)) : null;
            }
        }, REASONS, SEC);
        List<DroppedPacket> packets = new ArrayList<>();
        parser.withPackets(packets::add, null);
        String text = HEADER + "\n" + String.join("\n", lines) + "\n";
        parser.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), new DropAggregator(SEC));
        return new Parsed(parser, packets);
    }
}
