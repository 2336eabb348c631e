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
    private static final int MAX_WORDS = 33; // 32 words and the device
    private static final byte[] HEX = new byte[256];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = 0; c < 256; c++) {
            int d = Ascii.hexDigit((byte) c);
            if (d >= 0) {
                HEX[c] = (byte) d;
            }
        }
    }

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
    private final PacketKeys keys = new PacketKeys();
    private final int[] fieldFrom = new int[PKT_FIELDS + MAX_WORDS];
    private final int[] fieldTo = new int[PKT_FIELDS + MAX_WORDS];
    private final long[] wordValues = new long[MAX_WORDS];
    private final boolean[] wordOk = new boolean[MAX_WORDS];
    private long packetLines;
    private long skipped;
    private long lostEvents;

    /**
     * @param packets receives every {@code pkt} line (null: ignore them)
     * @param filter flows and packets it rejects are not delivered (an IPv6 host filter the kernel cannot
     *     apply); null: all are
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
            onPacket(b, from, to, sink);
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
            if (filter != null && !filter.test(flow)) {
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

    /**
     * {@code loc, reason, netns, dev, proto, src, dst, sport, dport]: N}, summed per printed key until the
     * block ends; a key seen before in the block is not cut into its fields again.
     */
    private void onFlow(String s) {
        int close = s.lastIndexOf("]: ");
        long total = close < 0 ? -1 : number(s.substring(close + 3));
        String key = close < 0 ? "" : s.substring(0, close);
        BlockFlow bf = blockFlows.get(key);
        if (bf == null) {
            String[] f = close < 0 ? new String[0] : fields(key);
            if (f.length != 9 || total < 0) {
                warnings.add("malformed flow entry", s);
                return;
            }
            bf = new BlockFlow(f);
            blockFlows.put(key, bf);
        } else if (total < 0) {
            warnings.add("malformed flow entry", s);
            return;
        }
        bf.total = bf.total > Long.MAX_VALUE - total ? Long.MAX_VALUE : bf.total + total;
    }

    /** {@code a, b, c} cut at each {@code ", "} (String.split would compile that as a regular expression). */
    private static String[] fields(String s) {
        java.util.List<String> out = new java.util.ArrayList<>(9);
        int from = 0;
        for (int at = s.indexOf(", "); at >= 0; at = s.indexOf(", ", from)) {
            out.add(s.substring(from, at));
            from = at + 2;
        }
        out.add(s.substring(from));
        return out.toArray(new String[0]);
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
        String[] f = close < 0 ? new String[0] : fields(s.substring(0, close));
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

    /**
     * {@code pkt nsecs location reason protocol netns ifindex origlen linear w0 .. wN [dev]}: 16 or 32
     * words, single spaces, no device when the skb had none (the trailing space is trimmed). Read on
     * the line's bytes in one pass: the words are decoded as they are found, then copied into the
     * packet's array, cut to min(words, linear, origlen) bytes; the key comes from {@link PacketKeys}
     * when an earlier line had the same location, reason, protocol, netns and device (in a flood,
     * every line).
     */
    private void onPacket(byte[] b, int from, int to, DropSink sink) {
        packetLines++;
        if (packets == null) {
            return;
        }
        int p = splitNumbers(b, from, to);
        int tokens = p < 0 ? -1 : readWords(b, p, to);
        int words = tokens;
        int devFrom = to;
        if (tokens == 17 || tokens == 33) {
            devFrom = fieldFrom[PKT_FIELDS + tokens - 1];
            words--;
        } else if (tokens != 16 && tokens != 32) {
            malformed(b, from, to);
            return;
        }
        long time = Ascii.parseLong(b, fieldFrom[1], fieldTo[1]);
        long netns = Ascii.parseLong(b, fieldFrom[5], fieldTo[5]);
        long ifindex = Ascii.parseLong(b, fieldFrom[6], fieldTo[6]);
        if (time == Ascii.INVALID || netns == Ascii.INVALID || ifindex == Ascii.INVALID) {
            malformed(b, from, to);
            return;
        }
        for (int w = 0; w < words; w++) {
            if (!wordOk[w]) {
                int f = PKT_FIELDS + w;
                warnings.add("malformed packet line", "bad word " + text(b, fieldFrom[f], fieldTo[f]));
                return;
            }
        }
        long orig = signed(b, fieldFrom[7], fieldTo[7]);
        long linear = signed(b, fieldFrom[8], fieldTo[8]);
        byte[] data = new byte[(int) Math.max(0, Math.min(words * 8L, Math.min(linear, orig)))];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (wordValues[i >>> 3] >>> ((i & 7) << 3));
        }
        if (filter != null) {
            PacketHeaders.Decoded d = PacketHeaders.decode(data);
            if (d.flow() != null && !filter.test(d.flow())) {
                return;
            }
        }
        DropKey key = packetKey(b, fieldFrom[2], fieldTo[5], devFrom, to, sink.symbols());
        if (key == null) {
            return;
        }
        packets.accept(new DroppedPacket(time, key, (int) Math.min(ifindex, Integer.MAX_VALUE),
                (int) Math.max(data.length, Math.min(orig, Integer.MAX_VALUE)), data));
    }

    /**
     * Finds {@code pkt} and the 8 fields after it ({@link #fieldFrom}/{@link #fieldTo} 0 to 8, each
     * ended by a single space); returns where the words start, or -1 when the line ends before.
     */
    private int splitNumbers(byte[] b, int from, int to) {
        int start = from;
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == ' ') {
                fieldFrom[n] = start;
                fieldTo[n] = i;
                start = i + 1;
                if (++n == PKT_FIELDS) {
                    return start;
                }
            }
        }
        return -1;
    }

    /**
     * Reads the space-separated tokens from {@code p} to the end: each one's range (fields from
     * {@link #PKT_FIELDS} on), and as a little-endian u64 word ({@link #wordValues}) with whether it
     * is one (1 to 16 hex digits, {@link #wordOk}); the last token may be the device, which the count
     * tells. Returns the number of tokens, or -1 when there are more than a packet line has.
     */
    private int readWords(byte[] b, int p, int to) {
        int t = 0;
        while (true) {
            if (t == MAX_WORDS) {
                return -1;
            }
            long v = 0;
            int bad = 0;
            int i = p;
            for (byte c; i < to && (c = b[i]) != ' '; i++) {
                int d = HEX[c & 0xff];
                bad |= d;
                v = v << 4 | d & 0xf;
            }
            fieldFrom[PKT_FIELDS + t] = p;
            fieldTo[PKT_FIELDS + t] = i;
            wordValues[t] = v;
            wordOk[t++] = bad >= 0 && i > p && i - p <= 16;
            if (i == to) {
                return t;
            }
            p = i + 1;
        }
    }

    /** The key of the line's {@code location reason protocol netns} ({@code b[keyFrom, keyTo)}) and device. */
    private DropKey packetKey(byte[] b, int keyFrom, int keyTo, int devFrom, int devTo, SymbolTable symbols) {
        int slot = keys.find(b, keyFrom, keyTo, devFrom, devTo);
        if (slot >= 0) {
            String unresolved = keys.unresolved(slot);
            if (unresolved != null) {
                warnings.add(LocationReader.UNRESOLVED, unresolved); // counted per line, as on a miss
            }
            return keys.key(slot);
        }
        long before = warnings.count(LocationReader.UNRESOLVED);
        long protocol = Ascii.parseLong(b, fieldFrom[4], fieldTo[4]);
        DropKey key = key(b, fieldFrom[2], fieldTo[2], b, fieldFrom[3], fieldTo[3],
                protocol == Ascii.INVALID || protocol > 0xffff ? DropKey.NO_PROTOCOL : (int) protocol,
                Ascii.parseLong(b, fieldFrom[5], fieldTo[5]), b, devFrom, devTo, symbols);
        if (key != null) {
            String unresolved = warnings.count(LocationReader.UNRESOLVED) > before ? text(b, fieldFrom[2], fieldTo[2]) : null;
            keys.put(b, keyFrom, keyTo, devFrom, devTo, key, unresolved);
        }
        return key;
    }

    private void malformed(byte[] b, int from, int to) {
        warnings.add("malformed packet line", to - from > 120 ? text(b, from, from + 120) + "..." : text(b, from, to));
    }

    private DropKey key(String location, String reason, int protocol, long netns, String dev, SymbolTable symbols) {
        byte[] lb = location.getBytes(StandardCharsets.ISO_8859_1);
        byte[] rb = reason.getBytes(StandardCharsets.ISO_8859_1);
        byte[] db = dev.getBytes(StandardCharsets.ISO_8859_1);
        return key(lb, 0, lb.length, rb, 0, rb.length, protocol, netns, db, 0, db.length, symbols);
    }

    /** Location, reason and device as the bytes bpftrace printed. */
    private DropKey key(byte[] l, int locFrom, int locTo, byte[] r, int reasonFrom, int reasonTo, int protocol,
            long netns, byte[] d, int devFrom, int devTo, SymbolTable symbols) {
        if (!locations.read(l, locFrom, locTo, symbols)) {
            warnings.add("malformed flow entry", text(l, locFrom, locTo));
            return null;
        }
        String reason = reasonFrom == reasonTo ? DropKey.NO_REASON
                : symbols.name(reasons.intern(r, reasonFrom, reasonTo, symbols));
        return new DropKey(symbols.name(locations.symbol()), locations.offset(), reason, protocol, Math.max(0, netns),
                symbols.name(symbols.intern(d, devFrom, devTo)));
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

    /** {@code 68} or {@code -12}; -1 when not a number. */
    private static long signed(byte[] b, int from, int to) {
        boolean negative = from < to && b[from] == '-';
        long v = Ascii.parseLong(b, negative ? from + 1 : from, to);
        return v == Ascii.INVALID ? -1 : negative ? -v : v;
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
