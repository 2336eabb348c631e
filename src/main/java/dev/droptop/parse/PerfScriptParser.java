package dev.droptop.parse;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.SymbolTable;
import dev.droptop.model.TraceKernel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code perf script} text of {@code skb:kfree_skb}, with or without call chains ({@code -g}).
 *
 * <p>Example input (file mode, {@code perf script -i perf.data}):
 * <pre>
 * dg-udp 10198 [001]  7944.776241: skb:kfree_skb: skbaddr=0xffff888104517200 rx_sk=(nil) protocol=2048 location=nft_do_chain+0x46f reason: NETFILTER_DROP
 * 	ffffffff81e94fb0 sk_skb_reason_drop+0x90 ([kernel.kallsyms])
 * 	ffffffff81fbe3ff nft_do_chain+0x46f ([kernel.kallsyms])
 * 	ffffffff81f81c93 nf_hook_slow+0x43 ([kernel.kallsyms])
 * 	          10b0c3 __sendmmsg+0x13 (/usr/lib/x86_64-linux-gnu/libc.so.6)
 * (blank line)
 * </pre>
 * Pipe mode ({@code perf record -o - | perf script -i -}) prints {@code location=0xffffffff82094309}
 * and frames without offset or dso ({@code ffffffff82094309 tcp_v4_rcv}); hex locations resolve
 * through a {@link SymbolResolver}. Older kernels print no {@code reason:} and no {@code rx_sk=}.
 * Result: one drop {@code nft_do_chain+0x46f / NETFILTER_DROP / IPv4} with stack
 * {@code nft_do_chain <- nf_hook_slow <- ... <- __sendmmsg}.
 *
 * <p>The comm may hold spaces, so a header is anchored on {@code ": skb:kfree_skb: "}, and the time
 * is the token before it. Samples of other events are skipped and counted.
 */
public final class PerfScriptParser extends CountingParser {
    private static final byte[] EVENT = Ascii.bytes(": skb:kfree_skb:");
    private static final byte[] PROTOCOL = Ascii.bytes("protocol=");
    private static final byte[] LOCATION = Ascii.bytes("location=");
    private static final byte[] REASON = Ascii.bytes("reason: ");
    private static final byte[] LOST = Ascii.bytes("PERF_RECORD_LOST");
    private static final byte[] LOST_COUNT = Ascii.bytes(" lost ");
    private static final byte[] PERF_HEADER = Ascii.bytes("# ========\n# captured on");
    private static final byte[] HEADER_EVENT = Ascii.bytes("\n# event : name = skb:kfree_skb,");
    private static final byte[] OS_RELEASE = Ascii.bytes("# os release : ");
    private static final byte[] MMAP = Ascii.bytes("PERF_RECORD_MMAP");
    private static final byte[] KERNEL_MAP = Ascii.bytes("[kernel.kallsyms]");
    private static final byte[] UNKNOWN = Ascii.bytes("[unknown]");
    private static final long NO_ADDRESS = 0;
    private static final int MAX_FRAMES = 512;
    private static final int KEY_CACHE_BITS = 6;

    private final SymbolResolver resolver;
    private final Map<Long, SymbolResolver.Resolved> resolved = new HashMap<>();
    // pipe mode prints the same few hex locations over and over: skip boxing for a repeat
    private long lastAddress = -1;
    private SymbolResolver.Resolved lastResolved;
    private int[] frames = new int[128];
    // whole frame lines seen before, to their symbol ids in cacheOwner
    private final LineCache frameLines = new LineCache();
    private SymbolTable cacheOwner;
    // keys of recent samples by symbol ids in keyOwner: one DropKey per distinct key, not per drop
    private final DropKey[] keyCache = new DropKey[1 << KEY_CACHE_BITS];
    private final int[] keySymbols = new int[1 << KEY_CACHE_BITS];
    private final int[] keyReasons = new int[1 << KEY_CACHE_BITS];
    private SymbolTable keyOwner;

    // state of the sample being read
    private boolean inSample;
    private boolean skippingSample;
    private int frameCount;
    private int locationSymbol;
    private int locationOffset;
    private int reason;
    private int protocol;
    private long time;
    // a hex location waits for a frame of the same address to name it (pipe mode prints both)
    private long pendingLocation = NO_ADDRESS;

    public PerfScriptParser() {
        this(SymbolResolver.NONE);
    }

    public PerfScriptParser(SymbolResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void parse(InputStream in, DropSink sink) throws IOException {
        LineScanner lines = new LineScanner(in);
        while (true) {
            if (knownFrame(lines, sink)) {
                continue;
            }
            if (!lines.next()) {
                break;
            }
            byte[] b = lines.buf();
            int from = lines.start();
            int to = lines.end();
            if (from == to) {
                endSample(sink);
            } else if (b[from] == '#') {
                endSample(sink);
                onComment(b, from, to);
            } else if (b[from] == '	' || b[from] == ' ' && Ascii.indexOf(b, from, to, EVENT) < 0
                    && Ascii.indexOf(b, from, to, LOST) < 0) {
                // frames start with a tab (older perf: spaces); without call chains perf pads the comm
                // to 16 columns, so a header (a sample, or a lost record:
                // "            java 23840 [000]  3263.404915: PERF_RECORD_LOST lost 1") may start with spaces
                onFrameOrContinuation(b, from, to, sink, lines);
            } else {
                endSample(sink);
                onHeader(b, from, to, sink, lines);
            }
        }
        endSample(sink);
        warnings.add("overlong line skipped", "a line longer than " + LineScanner.DEFAULT_MAX_LINE + " bytes",
                lines.overlongLines());
    }

    /**
     * The next line, when it is a frame line seen before (a tab, then a line of {@link #frameLines}):
     * taken and added to the sample without scanning for its end; false (nothing taken) otherwise.
     */
    private boolean knownFrame(LineScanner lines, DropSink sink) {
        if (!inSample || skippingSample || pendingLocation != NO_ADDRESS || sink.symbols() != cacheOwner) {
            return false;
        }
        byte[] b = lines.buf();
        int at = lines.position();
        int limit = lines.limit();
        if (at == limit || b[at] != '\t') {
            return false;
        }
        int p = Ascii.skipSpaces(b, at + 1, limit);
        int e = frameLines.find(b, p, limit);
        if (e == LineCache.MISS) {
            return false;
        }
        lines.take(p + frameLines.length(e));
        addFrame(frameLines.value(e));
        return true;
    }

    /** {@code perf script --header}: {@code # os release : 6.18.44-fc-v657} names the recording kernel. */
    private void onComment(byte[] b, int from, int to) {
        if (Ascii.startsWith(b, from, to, OS_RELEASE)) {
            int s = from + OS_RELEASE.length;
            resolver.traceKernel(TraceKernel.ofRelease(new String(b, s, Ascii.trimEnd(b, s, to) - s,
                    StandardCharsets.US_ASCII)));
        }
    }

    /**
     * {@code perf script --show-mmap-events}: the kernel's map
     * {@code PERF_RECORD_MMAP -1/0: [0xffffffff81000000(0x1209988) @ 0xffffffff81000000]: x [kernel.kallsyms]_text}
     * gives its text start (after @) and end (start + length) at recording. Other maps are skipped.
     */
    private boolean onMmap(byte[] b, int from, int to) {
        int m = Ascii.indexOf(b, from, to, MMAP);
        if (m < 0) {
            return false;
        }
        int open = Ascii.indexOf(b, m, to, (byte) '[');
        int paren = open < 0 ? -1 : Ascii.indexOf(b, open, to, (byte) '(');
        int close = paren < 0 ? -1 : Ascii.indexOf(b, paren, to, (byte) ')');
        int at = close < 0 ? -1 : Ascii.indexOf(b, close, to, (byte) '@');
        int end = at < 0 ? -1 : Ascii.indexOf(b, at, to, (byte) ']');
        if (end > 0 && Ascii.indexOf(b, end, to, KERNEL_MAP) >= 0 && b[open + 1] == '0' && b[open + 2] == 'x') {
            long start = Ascii.parseHex(b, open + 3, paren);
            long len = paren + 3 < close && b[paren + 1] == '0' ? Ascii.parseHex(b, paren + 3, close) : Ascii.INVALID;
            int p = Ascii.skipSpaces(b, at + 1, end);
            int q = Ascii.indexOf(b, p, end, (byte) ' ');
            long pgoff = p + 2 < end && b[p + 1] == 'x' ? Ascii.parseHex(b, p + 2, q < 0 ? end : q) : Ascii.INVALID;
            if (start != Ascii.INVALID && len != Ascii.INVALID) {
                long text = pgoff != Ascii.INVALID && pgoff != 0 ? pgoff : start;
                long size = start + len - text;
                resolver.traceKernel(new TraceKernel(null, null, text, size > 0 && size < (1L << 32) ? size : 0));
            }
        }
        return true;
    }

    /**
     * Accepts
     * {@code comm tid [cpu] sec.usec: skb:kfree_skb: skbaddr=.. [rx_sk=..] protocol=N location=L [reason: R]},
     * {@code ... PERF_RECORD_LOST lost N} (with --show-lost-events), and headers of other events
     * (skipped with their stacks, counted).
     */
    private void onHeader(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        int ev = Ascii.indexOf(b, from, to, EVENT);
        if (ev < 0) {
            if (!onLost(b, from, to, sink) && !onMmap(b, from, to)) {
                warnings.add(looksLikeOtherEvent(b, from, to) ? "sample of another event skipped" : "unrecognised line",
                        lines.line());
            }
            skippingSample = true;
            return;
        }
        int timeEnd = ev;
        int timeStart = Ascii.lastIndexOf(b, from, timeEnd, (byte) ' ') + 1;
        long t = Ascii.parseSecondsToNanos(b, timeStart, timeEnd);
        int fields = ev + EVENT.length;
        int loc = Ascii.indexOf(b, fields, to, LOCATION);
        if (t == Ascii.INVALID || loc < 0) {
            warnings.add("malformed kfree_skb line", lines.line());
            skippingSample = true;
            return;
        }
        int locStart = loc + LOCATION.length;
        int locEnd = Ascii.indexOf(b, locStart, to, (byte) ' ');
        if (locEnd < 0) {
            locEnd = to;
        }
        SymbolTable symbols = sink.symbols();
        if (!parseLocation(b, locStart, locEnd, symbols)) {
            warnings.add("malformed kfree_skb line", lines.line());
            skippingSample = true;
            return;
        }
        int proto = Ascii.indexOf(b, fields, loc, PROTOCOL);
        protocol = DropKey.NO_PROTOCOL;
        if (proto >= 0) {
            int ps = proto + PROTOCOL.length;
            int pe = Ascii.indexOf(b, ps, loc, (byte) ' ');
            long p = Ascii.parseLong(b, ps, pe < 0 ? loc : pe);
            protocol = p == Ascii.INVALID || p > 0xFFFF ? DropKey.NO_PROTOCOL : (int) p;
        }
        int rs = Ascii.indexOf(b, locEnd, to, REASON);
        if (rs >= 0) {
            int s = rs + REASON.length;
            reason = symbols.intern(b, s, Ascii.trimEnd(b, s, to));
        } else {
            reason = symbols.intern(b, 0, 0);
        }
        time = t;
        inSample = true;
        skippingSample = false;
        frameCount = 0;
    }

    private SymbolResolver.Resolved resolve(long addr) {
        if (addr != lastAddress) {
            lastResolved = resolved.computeIfAbsent(addr, resolver::resolve);
            lastAddress = addr;
        }
        return lastResolved;
    }

    /** {@code nft_do_chain+0x46f}, {@code tcp_v4_rcv}, or {@code 0xffffffff82094309}. */
    private boolean parseLocation(byte[] b, int from, int to, SymbolTable symbols) {
        if (from >= to) {
            return false;
        }
        if (to - from > 2 && b[from] == '0' && b[from + 1] == 'x') {
            long addr = Ascii.parseHex(b, from, to);
            if (addr == Ascii.INVALID) {
                return false;
            }
            pendingLocation = addr == NO_ADDRESS ? 1 : addr;
            locationSymbol = symbols.intern(b, from, to);
            locationOffset = DropKey.NO_OFFSET;
            return true;
        }
        int plus = LocationReader.symbolEnd(b, from, to);
        locationSymbol = symbols.intern(b, from, plus);
        locationOffset = plus < to ? LocationReader.parseOffset(b, plus + 1, to) : DropKey.NO_OFFSET;
        return true;
    }

    /**
     * Accepts {@code <tab>ffffffff81e94fb0 sk_skb_reason_drop+0x90 ([kernel.kallsyms])},
     * {@code <tab>ffffffff81e94fb0 sk_skb_reason_drop}, {@code <spaces>7fff8168279b kfree_skb ([kernel.kallsyms])}
     * and {@code <tab>7f01 [unknown] ([unknown])}.
     */
    private void onFrameOrContinuation(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        if (!inSample || skippingSample) {
            if (!skippingSample) {
                warnings.add("stack line outside a sample", lines.line());
            }
            return;
        }
        int p = Ascii.skipSpaces(b, from, to);
        SymbolTable symbols = sink.symbols();
        if (symbols != cacheOwner) {
            frameLines.clear();
            cacheOwner = symbols;
        }
        if (pendingLocation == NO_ADDRESS) {
            int known = frameLines.get(b, p, to);
            if (known != LineCache.MISS) {
                addFrame(known);
                return;
            }
        }
        int addrEnd = Ascii.indexOf(b, p, to, (byte) ' ');
        if (addrEnd < 0 || Ascii.parseHex(b, p, addrEnd) == Ascii.INVALID) {
            if (p == to) {
                endSample(sink);
            } else {
                warnings.add("weird stack line", lines.line());
            }
            return;
        }
        int symStart = addrEnd + 1;
        int symEnd = Ascii.trimEnd(b, symStart, to);
        if (symEnd > symStart && b[symEnd - 1] == ')') {
            int dso = lastIndexOf(b, symStart, symEnd, (byte) ' ', (byte) '(');
            if (dso >= 0) {
                symEnd = dso;
            }
        }
        int frameEnd = symEnd;
        symEnd = LocationReader.symbolEnd(b, symStart, symEnd);
        if (symEnd <= symStart) {
            warnings.add("weird stack line", lines.line());
            return;
        }
        if (pendingLocation != NO_ADDRESS && !Ascii.startsWith(b, symStart, symEnd, UNKNOWN)
                && Ascii.parseHex(b, p, addrEnd) == pendingLocation) {
            nameLocation(b, symStart, frameEnd, symbols);
        }
        if (frameCount == MAX_FRAMES) {
            return;
        }
        int id = symbols.intern(b, symStart, symEnd);
        frameLines.put(b, p, to, id);
        addFrame(id);
    }

    private void addFrame(int symbol) {
        if (frameCount == MAX_FRAMES) {
            return;
        }
        if (frameCount == frames.length) {
            frames = Arrays.copyOf(frames, frameCount * 2);
        }
        frames[frameCount++] = symbol;
    }

    /** The frame {@code sym[+0xoff]} at the location's address names it: the trace's own name. */
    private void nameLocation(byte[] b, int symStart, int frameEnd, SymbolTable symbols) {
        int plus = LocationReader.symbolEnd(b, symStart, frameEnd);
        locationSymbol = symbols.intern(b, symStart, plus);
        locationOffset = plus < frameEnd ? LocationReader.parseOffset(b, plus + 1, frameEnd) : DropKey.NO_OFFSET;
        if (locationOffset == DropKey.NO_OFFSET) {
            // pipe-mode frames carry no offset: take it from the symbols only when they name the same function
            SymbolResolver.Resolved r = resolver.offsetOf(pendingLocation);
            if (r != null && r.symbol().equals(symbols.name(locationSymbol))) {
                locationOffset = r.offset();
            }
        }
        pendingLocation = NO_ADDRESS;
    }

    /** A hex location no frame named: through the resolver, else it stays hex (counted). */
    private void resolvePendingLocation(SymbolTable symbols) {
        long addr = pendingLocation;
        pendingLocation = NO_ADDRESS;
        SymbolResolver.Resolved r = resolve(addr);
        if (r == null) {
            warnings.add("unresolved location address", symbols.name(locationSymbol));
        } else {
            locationSymbol = symbols.intern(r.symbol());
            locationOffset = r.offset();
        }
    }

    private void endSample(DropSink sink) {
        if (inSample && pendingLocation != NO_ADDRESS) {
            resolvePendingLocation(sink.symbols());
        }
        pendingLocation = NO_ADDRESS;
        if (inSample) {
            StackTable stacks = sink.stacks();
            int stack = frameCount == 0 ? StackTable.NO_STACK
                    : stacks.internFromLocation(frames, frameCount, locationSymbol);
            sink.record(key(sink.symbols()), stack, 1, time);
            drops++;
        }
        inSample = false;
        skippingSample = false;
        frameCount = 0;
    }

    /** The key of the sample read, the same instance as for the last sample with the same fields. */
    private DropKey key(SymbolTable s) {
        int h = (((locationSymbol * 31 + locationOffset) * 31 + reason) * 31 + protocol) * 0x9E3779B9;
        int i = h >>> (32 - KEY_CACHE_BITS);
        DropKey k = keyCache[i];
        if (k == null || keySymbols[i] != locationSymbol || keyReasons[i] != reason || k.offset() != locationOffset
                || k.protocol() != protocol || keyOwner != s) {
            if (keyOwner != s) {
                Arrays.fill(keyCache, null);
                keyOwner = s;
            }
            k = DropKey.of(s.name(locationSymbol), locationOffset, s.name(reason), protocol);
            keyCache[i] = k;
            keySymbols[i] = locationSymbol;
            keyReasons[i] = reason;
        }
        return k;
    }

    /** {@code ... PERF_RECORD_LOST lost 17} / {@code PERF_RECORD_LOST_SAMPLES lost 17}. */
    private boolean onLost(byte[] b, int from, int to, DropSink sink) {
        int l = Ascii.indexOf(b, from, to, LOST);
        if (l < 0) {
            return false;
        }
        int c = Ascii.indexOf(b, l, to, LOST_COUNT);
        if (c < 0) {
            return false;
        }
        int s = c + LOST_COUNT.length;
        int e = s;
        while (e < to && b[e] >= '0' && b[e] <= '9') {
            e++;
        }
        long n = Ascii.parseLong(b, s, e);
        if (n == Ascii.INVALID) {
            return false;
        }
        sink.lost(n, time);
        return true;
    }

    private static boolean looksLikeOtherEvent(byte[] b, int from, int to) {
        int colon = Ascii.indexOf(b, from, to, (byte) ':');
        return colon > 0 && Ascii.indexOf(b, from, colon, (byte) '[') >= 0;
    }

    /** YES when the prefix holds a {@code : skb:kfree_skb:} sample header, or perf script's --header of that event. */
    public static Applicable isApplicable(byte[] prefix, int len) {
        // perf script --header lists the events first: "# event : name = skb:kfree_skb, ..."
        return Ascii.indexOf(prefix, 0, len, EVENT) >= 0 || Ascii.startsWith(prefix, 0, len, PERF_HEADER)
                && Ascii.indexOf(prefix, 0, len, HEADER_EVENT) >= 0 ? Applicable.YES : Applicable.UNSURE;
    }

    private static int lastIndexOf(byte[] b, int from, int to, byte c1, byte c2) {
        for (int i = to - 2; i >= from; i--) {
            if (b[i] == c1 && b[i + 1] == c2) {
                return i;
            }
        }
        return -1;
    }
}
