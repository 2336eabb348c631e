package dev.droptop.source;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropSink;
import dev.droptop.model.DroppedPacket;
import dev.droptop.model.NetnsNames;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.SymbolResolver;
import dev.droptop.parse.BpftraceParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A measurement, not a test: the CPU cost of one {@code pkt} line of {@code probes/drops-packets.bt}
 * in droptop, without bpftrace or the kernel. Builds N lines like the ones {@link PacketFloodBench}'s
 * flood produces (60-byte UDP datagrams to 127.0.0.1:9999 dropped at nft_do_chain on lo, 16 words, the
 * bytes past the packet whatever followed it in memory), with an {@code @@ interval} block every 10,000
 * lines, and reports this thread's CPU time and allocated bytes per line for two stages: parsing alone
 * (packets handed to a consumer that keeps the last one) and parsing plus writing the pcapng file
 * ({@link PcapSink}, flushed at every interval end, to a temporary file that is deleted).
 * <pre>
 * mvn -q -o test-compile
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.droptop.source.PacketLineBench [LINES] [ROUNDS]
 * </pre>
 * CPU time, not wall-clock, so a busy machine changes the figures little; the first rounds warm up
 * the JIT and are not reported.
 */
public final class PacketLineBench {
    private static final long SEC = 1_000_000_000L;
    private static final int PER_INTERVAL = 10_000;
    private static final int WARMUP = 3;
    /** As PacketFloodBench's --pcap runs: port 9999, no host (the filter the backend gives the parser). */
    private static final Backend.Packets PACKETS = new Backend.Packets(false, null, 128, 10_000, null, 9999, 4096);

    private PacketLineBench() {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[] input = lines(lines, new SplittableRandom(42));
        System.out.printf("%,d pkt lines, %,d bytes (%d bytes a line)%n", lines, input.length, input.length / lines);
        Path file = Files.createTempFile("droptop-linebench", ".pcapng");
        try {
            for (int r = 0; r < WARMUP + rounds; r++) {
                Result parse = run(input, null);
                Result pcap = run(input, file);
                if (r >= WARMUP) {
                    System.out.printf("round %d: parse %,.0f ns/line %,.0f B/line | parse+pcap %,.0f ns/line "
                            + "%,.0f B/line (%,d bytes written)%n", r - WARMUP + 1, parse.cpu / (double) lines,
                            parse.alloc / (double) lines, pcap.cpu / (double) lines, pcap.alloc / (double) lines,
                            Files.size(file));
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private record Result(long cpu, long alloc) {
    }

    private static Result run(byte[] input, Path file) throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        BpftraceParser parser = new BpftraceParser(resolver(), new ReasonNames(Map.of(3, "NO_SOCKET", 15,
                "NETFILTER_DROP")), SEC);
        DropAggregator agg = new DropAggregator(SEC);
        long cpu0 = mx.getCurrentThreadCpuTime();
        long alloc0 = mx.getThreadAllocatedBytes(tid);
        if (file == null) {
            Keep keep = new Keep();
            parser.withPackets(keep, BpftraceBackend.hostFilter(PACKETS));
            parser.parse(new ByteArrayInputStream(input), agg);
            if (keep.last == null) {
                throw new IllegalStateException("no packet parsed: " + parser.warnings().counts());
            }
        } else {
            try (PcapSink pcap = new PcapSink(file, 128, NetnsNames.NONE)) {
                parser.withPackets(pcap, BpftraceBackend.hostFilter(PACKETS));
                parser.parse(new ByteArrayInputStream(input), new BpftraceBackend.FlushingSink(agg, pcap));
                if (pcap.written() != parser.packetLines()) {
                    throw new IllegalStateException(pcap.written() + " written of " + parser.packetLines());
                }
            }
        }
        return new Result(mx.getCurrentThreadCpuTime() - cpu0, mx.getThreadAllocatedBytes(tid) - alloc0);
    }

    /** What a consumer at least does: keeps the packet (so the JIT cannot drop the parse). */
    private static final class Keep implements Consumer<DroppedPacket> {
        DroppedPacket last;

        @Override
        public void accept(DroppedPacket p) {
            last = p;
        }
    }

    private static SymbolResolver resolver() {
        return new SymbolResolver() {
            @Override
            public Resolved resolve(long address) {
                return new Resolved("nft_do_chain", (int) (address & 0xfff));
            }
        };
    }

    /** The header, then {@code n} pkt lines with an interval block every {@value #PER_INTERVAL}. */
    static byte[] lines(int n, SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 300);
        StringBuilder sb = new StringBuilder(400);
        sb.append("Attaching 4 probes...\n");
        sb.append("droptop-bpftrace 2 interval_ms=1000 keys=location,reason,protocol,netns,dev counts=cumulative "
                + "packets=2 mode=2 snaplen=128 rate=10000\n");
        long t = 81_512_318_337L;
        for (int i = 0; i < n; i++) {
            t += 100_000 + random.nextInt(1000);
            sb.append("pkt ").append(t).append(" 0xffffffffc0a0e3b9 15 2048 4026531840 1 60 60");
            for (long w : words(i, random)) {
                sb.append(' ').append(Long.toHexString(w));
            }
            sb.append(" lo\n");
            if ((i + 1) % PER_INTERVAL == 0 || i == n - 1) {
                sb.append("@@ interval ").append(t + 1).append('\n');
                sb.append("@drops[0xffffffffc0a0e3b9, 15, 2048, 4026531840, lo]: ").append(i + 1).append('\n');
                sb.append("@pcap_skipped: ").append(i).append('\n');
            }
            out.writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
            sb.setLength(0);
        }
        return out.toByteArray();
    }

    /** A 60-byte IPv4/UDP datagram 127.0.0.1:sport > 127.0.0.1:9999 (32 zero bytes of payload), then junk. */
    private static long[] words(int i, SplittableRandom random) {
        byte[] b = new byte[128];
        b[0] = 0x45;
        b[3] = 60;
        b[4] = (byte) (i >> 8);
        b[5] = (byte) i;
        b[6] = 0x40;
        b[8] = 64;
        b[9] = 17;
        b[10] = (byte) random.nextInt(256);
        b[11] = (byte) random.nextInt(256);
        b[12] = 127;
        b[15] = 1;
        b[16] = 127;
        b[19] = 1;
        int sport = 32768 + (i % 8) * 7;
        b[20] = (byte) (sport >> 8);
        b[21] = (byte) sport;
        b[22] = (byte) (9999 >> 8);
        b[23] = (byte) 9999;
        b[25] = 40;
        for (int k = 60; k < 128; k++) {
            b[k] = k % 24 < 8 ? 0 : (byte) random.nextInt(256);
        }
        long[] w = new long[16];
        for (int k = 0; k < 128; k++) {
            w[k / 8] |= (b[k] & 0xffL) << (8 * (k % 8));
        }
        return w;
    }
}
