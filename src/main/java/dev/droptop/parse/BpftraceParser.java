package dev.droptop.parse;

import dev.droptop.model.DropKey;
import dev.droptop.model.DroppedPacket;
import dev.droptop.model.Flow;
import dev.droptop.model.DropSink;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.SymbolTable;
import dev.droptop.model.TraceKernel;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Output of droptop's bpftrace programs ({@code probes/drops.bt}, {@code probes/drops-stacks.bt}),
 * and of plain bpftrace count maps.
 *
 * <p>Example input ({@code drops-stacks.bt}, contract version 1):
 * <pre>
 * Attaching 4 probes...
 * droptop-bpftrace 1 interval_ms=1000 keys=location,reason,protocol,netns,dev,stack
 * &#64;&#64; interval 8127380512
 * &#64;drops[0xffffffff82094309, 3, 2048, 4026531840, lo,
 *     sk_skb_reason_drop+144
 *     tcp_v4_rcv+153
 *     ip_protocol_deliver_rcu+55
 * ]: 17
 * </pre>
 * Result: 17 drops in the interval ending at 8.127 s: location resolved from the address
 * ({@code tcp_v4_rcv+0x99}), reason 3 through the kernel's table, IPv4, netns 4026531840, device
 * {@code lo}, stack {@code tcp_v4_rcv <- ip_protocol_deliver_rcu} (kstack offsets are decimal).
 * Without {@code ,stack} each entry is one line: {@code @drops[0xffffffff82094309, 3, 2048, 4026531840, lo]: 17}.
 *
 * <p>Each {@code @@ interval T} opens a block; its entries are recorded at T and the block ends (one
 * {@code intervalEnd(T)}) at the next marker or at the end. Without our header line, keyed maps are
 * read by guess: only the first keyed map name seen counts (so two maps of the same drops are not
 * summed); the first key is the location unless it is a number, the next number the reason; the
 * stack key may sit anywhere, and with no location key the location is the first stack frame that
 * is not drop machinery. Without markers all entries form one block. Scalar maps ({@code @n: 123})
 * and other maps are counted and skipped.
 */
public final class BpftraceParser extends CountingParser {
    public static final long DEFAULT_INTERVAL_NANOS = 1_000_000_000L;
    /** Longest interval a header may announce: one day. */
    private static final long MAX_INTERVAL_MS = 86_400_000L;
    private static final byte[] HEADER = Ascii.bytes("droptop-bpftrace ");
    private static final byte[] INTERVAL = Ascii.bytes("@@ interval ");
    private static final byte[] ATTACHING = Ascii.bytes("Attaching ");
    private static final byte[] CLOSE = Ascii.bytes("]: ");
    private static final int MAX_FIELDS = 16;
    private static final int MAX_FRAMES = 512;
    private static final int LOCATION = 0;
    private static final int REASON = 1;
    private static final int PROTOCOL = 2;
    private static final int NETNS = 3;
    private static final int DEV = 4;
    private static final int IGNORED = 5;
    private static final String[] ROLE_NAMES = {"location", "reason", "protocol", "netns", "dev"};

    private final LocationReader locations;
    private final ReasonNumbers reasons;
    private long intervalNanos;
    /** The packet lines of drops-packets.bt, when enabled. */
    private PacketLines packetLines;

    // header contract, or the guessed map
    private int[] roles;
    private byte[] mapName;

    // the block (interval) being read
    private boolean blockOpen;
    private long blockTime;
    private long lastBlockTime;

    // the map entry being read: key fields copied out of the line buffer, stack frames interned
    private boolean inEntry;
    private byte[] keyBytes = new byte[512];
    private int keyLength;
    private final int[] fieldStart = new int[MAX_FIELDS];
    private final int[] fieldEnd = new int[MAX_FIELDS];
    private int fieldCount;
    /** Previous running totals per map key, for version-2 (cumulative) probes; null otherwise. */
    private Map<String, long[]> cumulative;
    private final StringBuilder rawStack = new StringBuilder();
    private int[] frames = new int[128];
    private int[] frameOffsets = new int[128];
    private int frameCount;

    private final SymbolResolver resolver;

    public BpftraceParser() {
        this(SymbolResolver.NONE, ReasonNames.none(), DEFAULT_INTERVAL_NANOS);
    }

    public BpftraceParser(SymbolResolver resolver, ReasonNames reasons) {
        this(resolver, reasons, DEFAULT_INTERVAL_NANOS);
    }

    /** {@code intervalNanos} spaces blocks without markers (the header's {@code interval_ms} wins). */
    public BpftraceParser(SymbolResolver resolver, ReasonNames reasons, long intervalNanos) {
        this.resolver = resolver;
        this.locations = new LocationReader(resolver, warnings);
        this.reasons = new ReasonNumbers(reasons, warnings);
        this.intervalNanos = intervalNanos;
    }

    /**
     * Also reads the flows and packet lines of {@code probes/drops-packets.bt}: flows go to the sink's
     * {@link DropSink#flow}, packets to {@code packets} (null: counted only); {@code filter} rejects flows
     * and packets the kernel could not filter (an IPv6 host); null: none to reject (no packet is decoded
     * for it).
     */
    public BpftraceParser withPackets(Consumer<DroppedPacket> packets, Predicate<Flow> filter) {
        packetLines = new PacketLines(locations, reasons, warnings, packets, filter);
        return this;
    }

    /** {@code pkt} lines read so far (0 without {@link #withPackets}). */
    public long packetLines() {
        return packetLines == null ? 0 : packetLines.packetLines();
    }

    /** Packets the probe's rate limit skipped, as it last reported. */
    public long packetsSkipped() {
        return packetLines == null ? 0 : packetLines.skipped();
    }

    /** Events bpftrace reported lost ({@code Lost N events}): packet lines that never arrived. */
    public long packetsLost() {
        return packetLines == null ? 0 : packetLines.lostEvents();
    }

    @Override
    public void parse(InputStream in, DropSink sink) throws IOException {
        LineScanner lines = new LineScanner(in);
        while (lines.next()) {
            byte[] b = lines.buf();
            int from = lines.start();
            int to = Ascii.trimEnd(b, from, lines.end());
            int p = Ascii.skipSpaces(b, from, to);
            if (p == to) {
                continue;
            }
            if (lines.lastLineUnterminated()) {
                warnings.add("torn last line skipped", lines.line());
            } else if (inEntry && b[p] != '@') {
                if (b[p] == ']' || b[p] == ',') {
                    onEntryEnd(b, p, to, sink, lines);
                } else {
                    onFrame(b, p, to, sink);
                }
            } else {
                abandonEntry(lines);
                onLine(b, p, to, sink, lines);
            }
        }
        abandonEntry(lines);
        endBlock(sink);
        warnings.add("overlong line skipped", "a line longer than " + LineScanner.DEFAULT_MAX_LINE + " bytes",
                lines.overlongLines());
    }

    private void onLine(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        if (packetLines != null && packetLines.line(b, from, to, sink, blockTime)) {
            return;
        }
        if (Ascii.startsWith(b, from, to, INTERVAL)) {
            onInterval(b, from + INTERVAL.length, to, sink, lines);
        } else if (b[from] == '@') {
            onMap(b, from, to, sink, lines);
        } else if (Ascii.startsWith(b, from, to, HEADER)) {
            onHeader(b, from + HEADER.length, to, lines);
        } else if (!Ascii.startsWith(b, from, to, ATTACHING)) {
            warnings.add("unrecognised line", lines.line());
        }
    }

    /**
     * Accepts {@code droptop-bpftrace 1 interval_ms=1000 keys=location,reason,protocol,netns,dev[,stack]}, and
     * from 2026-12-01 {@code kernel=RELEASE text=0x.. etext=0x..}: the recording kernel, for the symbol search.
     */
    private void onHeader(byte[] b, int from, int to, LineScanner lines) {
        int sp = Ascii.indexOf(b, from, to, (byte) ' ');
        long version = sp < 0 ? Ascii.INVALID : Ascii.parseLong(b, from, sp);
        if (version != 1 && version != 2) {
            warnings.add("unsupported droptop-bpftrace version", lines.line());
        }
        String[] parts = lines.line().split(" "); // once per stream
        long text = 0;
        long etext = 0;
        for (String part : parts) {
            if (part.startsWith("interval_ms=")) {
                try {
                    long ms = Long.parseLong(part.substring(12));
                    if (ms < 1 || ms > MAX_INTERVAL_MS) {
                        throw new NumberFormatException("out of range"); // would overflow or make no sense
                    }
                    intervalNanos = ms * 1_000_000L;
                } catch (NumberFormatException e) {
                    warnings.add("bad interval in droptop-bpftrace header", lines.line());
                }
            } else if (part.startsWith("keys=")) {
                roles = rolesOf(part.substring(5).split(","), lines);
            } else if (part.equals("counts=cumulative")) {
                cumulative = new HashMap<>();
            } else if (part.startsWith("kernel=")) {
                resolver.traceKernel(TraceKernel.ofRelease(part.substring(7)));
            } else if (part.startsWith("text=0x")) {
                text = hex(part.substring(7));
            } else if (part.startsWith("etext=0x")) {
                etext = hex(part.substring(8));
            } else if (part.equals("packets=2") && packetLines == null) {
                // drops-packets.bt output read from a file: its flows count, its packet lines are skipped
                withPackets(null, null);
            }
        }
        if (text != 0) {
            long size = etext - text;
            resolver.traceKernel(new TraceKernel(null, null, text, size > 0 && size < (1L << 32) ? size : 0));
        }
        mapName = Ascii.bytes("drops");
    }

    private static long hex(String s) {
        try {
            return s.length() <= 16 ? Long.parseUnsignedLong(s, 16) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private int[] rolesOf(String[] keys, LineScanner lines) {
        int[] r = new int[MAX_FIELDS];
        int n = 0;
        for (String k : keys) {
            if (k.equals("stack") || n == MAX_FIELDS) {
                continue;
            }
            int role = Arrays.asList(ROLE_NAMES).indexOf(k);
            if (role < 0) {
                warnings.add("unknown key in droptop-bpftrace header", lines.line());
            }
            r[n++] = role < 0 ? IGNORED : role;
        }
        return Arrays.copyOf(r, n);
    }

    /** Accepts {@code @@ interval 8127380512} (bpftrace nsecs). */
    private void onInterval(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        long t = Ascii.parseLong(b, from, to);
        if (t == Ascii.INVALID) {
            warnings.add("malformed interval marker", lines.line());
            return;
        }
        endBlock(sink);
        blockOpen = true;
        blockTime = t;
    }

    /**
     * Accepts {@code @drops[k1, k2, ...]: N}, the first line of a multi-line entry
     * ({@code @drops[k1, ..., k5,} or {@code @st[}), and skips scalar maps {@code @n: 123}.
     */
    private void onMap(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        int open = Ascii.indexOf(b, from, to, (byte) '[');
        int colon = Ascii.indexOf(b, from, to, (byte) ':');
        if (open < 0 || colon >= 0 && colon < open) {
            warnings.add("map without keys skipped", lines.line());
            return;
        }
        if (mapName == null) {
            mapName = Arrays.copyOfRange(b, from + 1, open);
        } else if (open - from - 1 != mapName.length || !Ascii.startsWith(b, from + 1, open, mapName)) {
            warnings.add("other map skipped", lines.line());
            return;
        }
        keyLength = 0;
        fieldCount = 0;
        frameCount = 0;
        rawStack.setLength(0);
        int close = Ascii.lastIndexOf(b, open, to, (byte) ']');
        if (close > 0 && Ascii.startsWith(b, close, to, CLOSE)) {
            addFields(b, open + 1, close);
            endEntry(b, close + CLOSE.length, to, sink, lines);
            return;
        }
        int end = b[to - 1] == ',' ? to - 1 : to;
        if (end > open + 1) {
            addFields(b, open + 1, end);
        }
        inEntry = true;
    }

    /** A kstack frame: {@code sk_skb_reason_drop+144}, {@code tcp_v4_rcv}, or {@code 0xffffffffc0a01234}. */
    private void onFrame(byte[] b, int from, int to, DropSink sink) {
        if (cumulative != null) {
            rawStack.append(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
        }
        if (frameCount == MAX_FRAMES || !locations.read(b, from, to, sink.symbols())) {
            return;
        }
        if (frameCount == frames.length) {
            frames = Arrays.copyOf(frames, frameCount * 2);
            frameOffsets = Arrays.copyOf(frameOffsets, frameCount * 2);
        }
        frameOffsets[frameCount] = locations.offset();
        frames[frameCount++] = locations.symbol();
    }

    /** The last line of a multi-line entry: {@code ]: 17} or {@code , 74]: 1}. */
    private void onEntryEnd(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        inEntry = false;
        int close = Ascii.lastIndexOf(b, from, to, (byte) ']');
        if (close < 0 || !Ascii.startsWith(b, close, to, CLOSE)) {
            warnings.add("malformed map entry", lines.line());
            return;
        }
        if (b[from] == ',') {
            addFields(b, from + 1, close);
        }
        endEntry(b, close + CLOSE.length, to, sink, lines);
    }

    /** Splits {@code k1, k2, ...} at commas and copies the trimmed fields out of the line. */
    private void addFields(byte[] b, int from, int to) {
        int p = from;
        while (p <= to && fieldCount < MAX_FIELDS) {
            int comma = Ascii.indexOf(b, p, to, (byte) ',');
            int end = comma < 0 ? to : comma;
            int s = Ascii.skipSpaces(b, p, end);
            int e = Ascii.trimEnd(b, s, end);
            if (keyLength + e - s > keyBytes.length) {
                keyBytes = Arrays.copyOf(keyBytes, Math.max(keyBytes.length * 2, keyLength + e - s));
            }
            System.arraycopy(b, s, keyBytes, keyLength, e - s);
            fieldStart[fieldCount] = keyLength;
            keyLength += e - s;
            fieldEnd[fieldCount++] = keyLength;
            p = end + 1;
        }
    }

    /** Records the entry whose count starts at {@code from}. */
    private void endEntry(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        long count = Ascii.parseLong(b, from, to);
        int[] r = roles != null ? roles : guessRoles();
        SymbolTable symbols = sink.symbols();
        if (count == Ascii.INVALID || !readEntryLocation(r, symbols)) {
            warnings.add(count == Ascii.INVALID ? "malformed map entry" : "map entry without a location skipped",
                    lines.line());
            return;
        }
        int location = locations.symbol();
        int stack = frameCount == 0 ? StackTable.NO_STACK
                : sink.stacks().internFromLocation(frames, frameCount, location);
        int f = field(r, REASON);
        String reason = f < 0 || fieldStart[f] == fieldEnd[f] ? DropKey.NO_REASON
                : symbols.name(reasons.intern(keyBytes, fieldStart[f], fieldEnd[f], symbols));
        f = field(r, PROTOCOL);
        long protocol = f < 0 ? Ascii.INVALID : Ascii.parseLong(keyBytes, fieldStart[f], fieldEnd[f]);
        f = field(r, NETNS);
        long netns = f < 0 ? Ascii.INVALID : Ascii.parseLong(keyBytes, fieldStart[f], fieldEnd[f]);
        f = field(r, DEV);
        String dev = f < 0 ? "" : symbols.name(symbols.intern(keyBytes, fieldStart[f], fieldEnd[f]));
        DropKey key = new DropKey(symbols.name(location), locations.offset(), reason,
                protocol == Ascii.INVALID || protocol > 0xFFFF ? DropKey.NO_PROTOCOL : (int) protocol,
                netns == Ascii.INVALID ? 0 : netns, dev);
        if (!blockOpen) {
            blockOpen = true;
            blockTime = lastBlockTime + intervalNanos;
        }
        if (cumulative != null) {
            count = delta(count);
        }
        if (count > Long.MAX_VALUE - drops) {
            warnings.add("count overflows the 64-bit total", lines.line());
            return;
        }
        sink.record(key, stack, count, blockTime);
        drops += count;
    }

    /**
     * Version 2 probes never clear their map (clearing from user space loses the drops counted
     * between print and clear): each entry is a running total, so the interval's count is the
     * difference to the previous total of the same map key: its raw text, fields and stack lines
     * as bpftrace printed them (two raw keys may fold into one droptop key, e.g. stacks that differ
     * only in frames droptop cannot read, so droptop's own key is not enough).
     */
    private long delta(long total) {
        String id = new String(keyBytes, 0, fieldCount == 0 ? 0 : fieldEnd[fieldCount - 1],
                java.nio.charset.StandardCharsets.ISO_8859_1) + '|' + rawStack;
        long[] prev = cumulative.get(id);
        if (prev == null) {
            cumulative.put(id, new long[] {total});
            return total;
        }
        long d = total >= prev[0] ? total - prev[0] : total; // a smaller total: the map was reset
        prev[0] = total;
        return d;
    }

    /** The location key, else the first stack frame that is not drop machinery. */
    private boolean readEntryLocation(int[] r, SymbolTable symbols) {
        int f = field(r, LOCATION);
        if (f >= 0) {
            return locations.read(keyBytes, fieldStart[f], fieldEnd[f], symbols);
        }
        for (int i = 0; i < frameCount; i++) {
            if (!symbols.isDropHelper(frames[i])) {
                locations.set(frames[i], frameOffsets[i]);
                return true;
            }
        }
        return false;
    }

    /** Generic maps: the first key is the location unless numeric; the next numeric key is the reason. */
    private int[] guessRoles() {
        int[] r = new int[fieldCount];
        Arrays.fill(r, IGNORED);
        int next = 0;
        if (fieldCount > 0 && Ascii.parseLong(keyBytes, fieldStart[0], fieldEnd[0]) == Ascii.INVALID) {
            r[0] = LOCATION;
            next = 1;
        }
        if (next < fieldCount && Ascii.parseLong(keyBytes, fieldStart[next], fieldEnd[next]) != Ascii.INVALID) {
            r[next] = REASON;
        }
        return r;
    }

    private int field(int[] r, int role) {
        for (int i = 0; i < r.length && i < fieldCount; i++) {
            if (r[i] == role) {
                return i;
            }
        }
        return -1;
    }

    private void abandonEntry(LineScanner lines) {
        if (inEntry) {
            warnings.add("incomplete map entry skipped", "entry before line " + lines.lineNumber());
            inEntry = false;
        }
    }

    private void endBlock(DropSink sink) {
        if (blockOpen) {
            if (packetLines != null) {
                packetLines.blockEnd(sink, blockTime);
            }
            sink.sourceInterval(intervalNanos);
            sink.intervalEnd(blockTime);
            lastBlockTime = blockTime;
            blockOpen = false;
        }
    }

    /** YES for our header, an {@code @@ interval} marker or an {@code @name[} map line. */
    public static Applicable isApplicable(byte[] prefix, int len) {
        int pos = 0;
        while (pos < len) {
            int nl = Ascii.indexOf(prefix, pos, len, (byte) '\n');
            int end = nl < 0 ? len : nl;
            if (Ascii.startsWith(prefix, pos, end, HEADER) || Ascii.startsWith(prefix, pos, end, INTERVAL)
                    || isMapLine(prefix, pos, end)) {
                return Applicable.YES;
            }
            pos = end + 1;
        }
        return Applicable.UNSURE;
    }

    private static boolean isMapLine(byte[] b, int from, int to) {
        if (to - from < 3 || b[from] != '@') {
            return false;
        }
        int i = from + 1;
        while (i < to && (Character.isLetterOrDigit(b[i]) || b[i] == '_')) {
            i++;
        }
        return i < to && b[i] == '[';
    }
}
