package dev.droptop.parse;

import dev.droptop.model.DropKey;
import dev.droptop.model.DroppedPacket;
import dev.droptop.model.DropSink;
import dev.droptop.model.Flow;
import dev.droptop.model.PacketHeaders;
import dev.droptop.model.SymbolTable;
import dev.droptop.model.Warnings;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The packet lines of {@code probes/drops-packets.bt} (header {@code packets=2}), read inside
 * {@link BpftraceParser}: {@code @flows[...]} and {@code @ipdrops[...]} running totals become
 * {@link DropSink#flow} deltas per interval (plus {@link Flow#OTHER} for what the kernel's map cap
 * folded away: ipdrops minus the flows' sum), {@code pkt} lines become {@link DroppedPacket}s,
 * {@code @pcap_skipped} and bpftrace's {@code Lost N events} become counters.
 *
 * <p>Example ({@code pkt} words are the bytes from the network header as little-endian u64):
 * <pre>
 * pkt 613950117719 0xffffffff820a726c 3 2048 4026531833 1 32 32 405c6920000045 100007f6ed31140 ... lo
 * &#64;ipdrops[0xffffffff820a726c, 3]: 4
 * &#64;flows[0xffffffff820a726c, 3, 4026531833, lo, 17, 127.0.0.1, 127.0.0.1, 40033, 9]: 4
 * &#64;pcap_skipped: 3
 * </pre>
 */
final class PacketLines {
    private static final byte[] PKT = Ascii.bytes("pkt ");
    private static final byte[] FLOWS = Ascii.bytes("@flows[");
    private static final byte[] IPDROPS = Ascii.bytes("@ipdrops[");
    private static final byte[] SKIPPED = Ascii.bytes("@pcap_skipped: ");
    private static final byte[] LOST = Ascii.bytes("Lost ");
    private static final int PKT_FIELDS = 9; // "pkt" + 8 numbers before the words

    private final LocationReader locations;
    private final ReasonNumbers reasons;
    private final Warnings warnings;
    private final Consumer<DroppedPacket> packets;
    private final Predicate<Flow> filter;
    private final Map<String, long[]> flowTotals = new HashMap<>();
    private final Map<String, BlockFlow> blockFlows = new LinkedHashMap<>();
    /** Per raw "location, reason": running total of ipdrops, of the flows' sum, and the folded count reported. */
    private final Map<String, long[]> points = new LinkedHashMap<>();
    private final Map<String, DropKey> pointKeys = new HashMap<>();
    private long packetLines;
    private long skipped;
    private long lostEvents;

    /**
     * @param packets receives every {@code pkt} line (null: ignore them)
     * @param filter flows and packets it rejects are not delivered (an IPv6 host filter the kernel cannot apply)
     */
    PacketLines(LocationReader locations, ReasonNumbers reasons, Warnings warnings, Consumer<DroppedPacket> packets,
            Predicate<Flow> filter) {
        this.locations = locations;
        this.reasons = reasons;
        this.warnings = warnings;
        this.packets = packets;
        this.filter = filter;
    }

    long packetLines() {
        return packetLines;
    }

    long skipped() {
        return skipped;
    }

    long lostEvents() {
        return lostEvents;
    }

    /** True when the line is one of ours (handled, or counted as malformed). */
    boolean line(byte[] b, int from, int to, DropSink sink, long blockTime) {
        if (Ascii.startsWith(b, from, to, PKT)) {
            onPacket(text(b, from, to), sink);
        } else if (Ascii.startsWith(b, from, to, FLOWS)) {
            onFlow(text(b, from + FLOWS.length, to));
        } else if (Ascii.startsWith(b, from, to, IPDROPS)) {
            onIpDrops(text(b, from + IPDROPS.length, to), sink);
        } else if (Ascii.startsWith(b, from, to, SKIPPED)) {
            long v = Ascii.parseLong(b, from + SKIPPED.length, to);
            if (v != Ascii.INVALID) {
                skipped = Math.max(skipped, v); // the final print after clear() says 0
            }
        } else if (Ascii.startsWith(b, from, to, LOST) && text(b, from, to).endsWith(" events")) {
            long v = Ascii.parseLong(b, from + LOST.length, Ascii.indexOf(b, from + LOST.length, to, (byte) ' '));
            if (v != Ascii.INVALID) {
                lostEvents += v;
            }
        } else {
            return false;
        }
        return true;
    }

    /**
     * At the end of a block: each flow's delta to its previous running total, then the folded counts
     * (ipdrops beyond the flows' sum) as {@link Flow#OTHER}. Entries whose printed keys are equal are
     * summed first: bpftrace keys on every byte of a device name, so a renamed device (bytes after the
     * NUL left from its old name) prints one key twice.
     */
    void blockEnd(DropSink sink, long blockTime) {
        for (Map.Entry<String, BlockFlow> e : blockFlows.entrySet()) {
            BlockFlow bf = e.getValue();
            long[] prev = flowTotals.get(e.getKey());
            long delta;
            if (prev == null) {
                flowTotals.put(e.getKey(), new long[] {bf.total});
                delta = bf.total;
            } else {
                delta = bf.total >= prev[0] ? bf.total - prev[0] : 0;
                prev[0] = Math.max(prev[0], bf.total);
            }
            String point = bf.f[0] + ", " + bf.f[1];
            points.computeIfAbsent(point, k -> new long[3])[1] += delta;
            if (delta == 0) {
                continue;
            }
            int proto = (int) Math.min(number(bf.f[4]), 255);
            Flow flow = new Flow(bf.f[5], bf.f[6], port(bf.f[7]), port(bf.f[8]), proto);
            if (!filter.test(flow)) {
                continue;
            }
            DropKey key = key(bf.f[0], bf.f[1], bf.f[5].indexOf(':') >= 0 ? 0x86DD : 0x0800, number(bf.f[2]), bf.f[3],
                    sink.symbols());
            if (key != null) {
                pointKeys.putIfAbsent(point, new DropKey(key.symbol(), key.offset(), key.reason(), DropKey.NO_PROTOCOL, 0, ""));
                sink.flow(key, flow, delta, blockTime);
            }
        }
        blockFlows.clear();
        for (Map.Entry<String, long[]> e : points.entrySet()) {
            long[] p = e.getValue();
            long folded = p[0] - p[1];
            if (folded > p[2]) {
                DropKey k = pointKeys.get(e.getKey());
                if (k != null) {
                    sink.flow(k, Flow.OTHER, folded - p[2], blockTime);
                }
                p[2] = folded;
            }
        }
    }

    /** {@code loc, reason, netns, dev, proto, src, dst, sport, dport]: N}, summed per printed key until the block ends. */
    private void onFlow(String s) {
        int close = s.lastIndexOf("]: ");
        String[] f = close < 0 ? new String[0] : s.substring(0, close).split(", ", -1);
        long total = close < 0 ? -1 : number(s.substring(close + 3));
        if (f.length != 9 || total < 0) {
            warnings.add("malformed flow entry", s);
            return;
        }
        BlockFlow bf = blockFlows.computeIfAbsent(s.substring(0, close), k -> new BlockFlow(f));
        bf.total = bf.total > Long.MAX_VALUE - total ? Long.MAX_VALUE : bf.total + total;
    }

    /** A flow entry of the current block. */
    private static final class BlockFlow {
        final String[] f;
        long total;

        BlockFlow(String[] f) {
            this.f = f;
        }
    }

    /** {@code loc, reason]: N}. */
    private void onIpDrops(String s, DropSink sink) {
        int close = s.lastIndexOf("]: ");
        String[] f = close < 0 ? new String[0] : s.substring(0, close).split(", ", -1);
        long total = close < 0 ? -1 : number(s.substring(close + 3));
        if (f.length != 2 || total < 0) {
            warnings.add("malformed flow entry", s);
            return;
        }
        String raw = f[0] + ", " + f[1];
        long[] point = points.computeIfAbsent(raw, k -> new long[3]);
        point[0] = Math.max(point[0], total);
        if (!pointKeys.containsKey(raw)) {
            DropKey k = key(f[0], f[1], DropKey.NO_PROTOCOL, 0, "", sink.symbols());
            if (k != null) {
                pointKeys.put(raw, k);
            }
        }
    }

    /** {@code pkt nsecs location reason protocol netns ifindex origlen linear w0 .. wN [dev]}. */
    private void onPacket(String s, DropSink sink) {
        packetLines++;
        if (packets == null) {
            return;
        }
        String[] f = s.split(" ", -1);
        int words = f.length - PKT_FIELDS;
        // 16 or 32 words, then the device (none when the skb had no device: the trailing space is trimmed)
        String dev = "";
        if (words == 17 || words == 33) {
            dev = f[f.length - 1];
            words--;
        } else if (words != 16 && words != 32) {
            warnings.add("malformed packet line", s.length() > 120 ? s.substring(0, 120) + "..." : s);
            return;
        }
        long time = number(f[1]);
        long protocol = number(f[4]);
        long netns = number(f[5]);
        long ifindex = number(f[6]);
        long orig = signed(f[7]);
        long linear = signed(f[8]);
        byte[] data = new byte[words * 8];
        for (int w = 0; w < words; w++) {
            long v = hex(f[PKT_FIELDS + w]);
            if (v == -1 && !f[PKT_FIELDS + w].equals("ffffffffffffffff")) {
                warnings.add("malformed packet line", "bad word " + f[PKT_FIELDS + w]);
                return;
            }
            for (int k = 0; k < 8; k++) {
                data[w * 8 + k] = (byte) (v >>> (8 * k));
            }
        }
        if (time < 0 || netns < 0 || ifindex < 0) {
            warnings.add("malformed packet line", s.length() > 120 ? s.substring(0, 120) + "..." : s);
            return;
        }
        int len = (int) Math.max(0, Math.min(data.length, Math.min(linear < 0 ? 0 : linear, orig < 0 ? 0 : orig)));
        byte[] cut = len == data.length ? data : java.util.Arrays.copyOf(data, len);
        PacketHeaders.Decoded d = PacketHeaders.decode(cut);
        if (d.flow() != null && !filter.test(d.flow())) {
            return;
        }
        DropKey key = key(f[2], f[3], protocol < 0 || protocol > 0xffff ? DropKey.NO_PROTOCOL : (int) protocol, netns,
                dev, sink.symbols());
        if (key == null) {
            return;
        }
        packets.accept(new DroppedPacket(time, key, (int) Math.min(ifindex, Integer.MAX_VALUE),
                (int) Math.max(len, Math.min(orig, Integer.MAX_VALUE)), cut));
    }

    private DropKey key(String location, String reason, int protocol, long netns, String dev, SymbolTable symbols) {
        byte[] lb = location.getBytes(StandardCharsets.ISO_8859_1);
        if (!locations.read(lb, 0, lb.length, symbols)) {
            warnings.add("malformed flow entry", location);
            return null;
        }
        byte[] rb = reason.getBytes(StandardCharsets.ISO_8859_1);
        String r = rb.length == 0 ? DropKey.NO_REASON : symbols.name(reasons.intern(rb, 0, rb.length, symbols));
        return new DropKey(symbols.name(locations.symbol()), locations.offset(), r, protocol, Math.max(0, netns),
                symbols.name(symbols.intern(dev)));
    }

    private static int port(String s) {
        long v = signed(s);
        return v < 0 || v > 0xffff ? Flow.NO_PORT : (int) v;
    }

    private static long number(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        long v = Ascii.parseLong(b, 0, b.length);
        return v == Ascii.INVALID ? -1 : v;
    }

    private static long signed(String s) {
        return s.startsWith("-") ? -Math.max(0, number(s.substring(1))) : number(s);
    }

    /** Up to 16 hex digits as an unsigned 64-bit word; -1 also for bad input (callers check the text). */
    private static long hex(String s) {
        if (s.isEmpty() || s.length() > 16) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
