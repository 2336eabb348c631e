package dev.droptop.parse;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.SymbolTable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * tracefs text ({@code trace_pipe} or {@code trace}) of the {@code skb:kfree_skb} event, with or
 * without the {@code stacktrace} trigger.
 *
 * <p>Example input (kernel 6.18, {@code echo stacktrace > events/skb/kfree_skb/trigger}):
 * <pre>
 *           dg-syn-15099   [000] ..s1.  9129.878286: kfree_skb: skbaddr=0000000043ca7194 rx_sk=0000000000000000 protocol=2048 location=tcp_v4_rcv+0x99/0x1400 reason: NO_SOCKET
 *           dg-syn-15099   [000] ..s1.  9129.878343: &lt;stack trace&gt;
 *  =&gt; trace_event_raw_event_kfree_skb
 *  =&gt; sk_skb_reason_drop
 *  =&gt; tcp_v4_rcv
 *  =&gt; ip_protocol_deliver_rcu
 * </pre>
 * Result: one drop {@code tcp_v4_rcv+0x99 / NO_SOCKET / IPv4} with stack
 * {@code tcp_v4_rcv <- ip_protocol_deliver_rcu}. The comm may be {@code <...>} or hold spaces and
 * dashes, so a line is anchored on {@code ": kfree_skb: "} and the {@code [CPU]} column before the
 * time. The stack trace is a separate event of the same CPU, and events of other CPUs may come in
 * between, so the last kfree_skb of each CPU waits for its stack. It is recorded when its stack
 * arrives, when the next kfree_skb of its CPU arrives, when it is {@value #STALE_MILLIS} ms older
 * than the newest line (so a live stream of a quiet CPU is not held back), or at end of stream.
 * {@code CPU:1 [LOST 123 EVENTS]} counts lost events; {@code #} header lines are skipped.
 */
public final class TracefsParser extends CountingParser {
    static final int STALE_MILLIS = 100;
    private static final long STALE_NANOS = STALE_MILLIS * 1_000_000L;
    private static final byte[] EVENT = Ascii.bytes(": kfree_skb: ");
    private static final byte[] STACK = Ascii.bytes(": <stack trace>");
    private static final byte[] FRAME = Ascii.bytes("=> ");
    private static final byte[] LOST = Ascii.bytes("[LOST ");
    private static final byte[] CPU = Ascii.bytes("CPU:");
    private static final byte[] COLON = Ascii.bytes(": ");
    private static final byte[] TRACER = Ascii.bytes("# tracer:");
    private static final byte[] PROTOCOL = Ascii.bytes("protocol=");
    private static final byte[] LOCATION = Ascii.bytes("location=");
    private static final byte[] REASON = Ascii.bytes("reason: ");
    private static final int MAX_CPUS = 1 << 14;
    private static final int MAX_FRAMES = 512;

    private final LocationReader locations;
    private final ReasonNumbers reasons;

    // the kfree_skb event waiting for its stack, per CPU
    private boolean[] pending = new boolean[64];
    private int[] pendingSymbol = new int[64];
    private int[] pendingOffset = new int[64];
    private int[] pendingReason = new int[64];
    private int[] pendingProtocol = new int[64];
    private long[] pendingTime = new long[64];
    private int pendingCount;
    private long oldestPending = Long.MAX_VALUE;

    // the stack trace being read
    private int stackCpu = -1;
    private boolean skippingFrames;
    private int[] frames = new int[128];
    private int frameCount;

    // fields of the header line just parsed
    private int cpu;
    private long time;
    private long lastTime;

    public TracefsParser() {
        this(SymbolResolver.NONE, ReasonNames.none());
    }

    public TracefsParser(SymbolResolver resolver) {
        this(resolver, ReasonNames.none());
    }

    /** {@code reasons} maps numeric reasons, for kernels that print {@code reason: 2}. */
    public TracefsParser(SymbolResolver resolver, ReasonNames reasons) {
        this.locations = new LocationReader(resolver, warnings);
        this.reasons = new ReasonNumbers(reasons, warnings);
    }

    @Override
    public void parse(InputStream in, DropSink sink) throws IOException {
        LineScanner lines = new LineScanner(in);
        while (lines.next()) {
            byte[] b = lines.buf();
            int from = lines.start();
            int to = Ascii.trimEnd(b, from, lines.end());
            int p = Ascii.skipSpaces(b, from, to);
            if (lines.lastLineUnterminated() && p < to) {
                warnings.add("torn last line skipped", lines.line());
            } else if (Ascii.startsWith(b, p, to, FRAME)) {
                onFrame(b, p + FRAME.length, to, sink, lines);
            } else {
                endStack(sink);
                if (p < to && b[p] != '#') {
                    onLine(b, from, to, sink, lines);
                }
            }
        }
        endStack(sink);
        flushPending(sink, Long.MAX_VALUE);
        warnings.add("overlong line skipped", "a line longer than " + LineScanner.DEFAULT_MAX_LINE + " bytes",
                lines.overlongLines());
    }

    /**
     * The live input paused at an event boundary: every line read so far is parsed and no event is cut.
     * {@code trace_pipe} hands out whole events, so the stack trace being read is complete and its drop
     * is recorded now, not at the next line, which may be long in coming (a single drop on a quiet
     * machine waited for the capture's end). Without the stacktrace trigger ({@code stacksFollow}
     * false) no event waits for a stack either. An event whose stack has not been read yet keeps
     * waiting: the kernel writes the stack right after it.
     */
    public void endOfRead(DropSink sink, boolean stacksFollow) {
        endStack(sink);
        if (!stacksFollow) {
            flushPending(sink, Long.MAX_VALUE);
        }
    }

    /** Dispatches a line that is neither a frame nor a comment. */
    private void onLine(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        int ev = Ascii.indexOf(b, from, to, EVENT);
        if (ev >= 0) {
            onKfreeSkb(b, from, ev, to, sink, lines);
            return;
        }
        int st = Ascii.indexOf(b, from, to, STACK);
        if (st >= 0) {
            onStackTrace(b, from, st, sink, lines);
        } else if (!onLost(b, from, to, sink)) {
            boolean event = readCpuAndTime(b, from, Ascii.indexOf(b, from, to, COLON));
            warnings.add(event ? "event of another kind skipped" : "unrecognised line", lines.line());
            skippingFrames = true; // e.g. the frames of a <user stack trace>
        }
    }

    /**
     * Accepts {@code comm-pid [cpu] flags sec.usec: kfree_skb: skbaddr=.. [rx_sk=..] protocol=N location=L [reason: R]}
     * where L is {@code sym+0xoff/0xsize}, {@code sym+0xoff} or {@code 0xaddr}, the flags column may
     * be absent, and a {@code (tgid)} column may precede the CPU.
     */
    private void onKfreeSkb(byte[] b, int from, int ev, int to, DropSink sink, LineScanner lines) {
        int fields = ev + EVENT.length;
        int loc = Ascii.indexOf(b, fields, to, LOCATION);
        if (!readCpuAndTime(b, from, ev) || loc < 0) {
            warnings.add("malformed kfree_skb line", lines.line());
            return;
        }
        int locStart = loc + LOCATION.length;
        int locEnd = Ascii.indexOf(b, locStart, to, (byte) ' ');
        locEnd = locEnd < 0 ? to : locEnd;
        SymbolTable symbols = sink.symbols();
        if (!locations.read(b, locStart, locEnd, symbols)) {
            warnings.add("malformed kfree_skb line", lines.line());
            return;
        }
        flushPending(sink, time - STALE_NANOS);
        if (pending[cpu]) {
            record(cpu, StackTable.NO_STACK, sink);
        }
        pending[cpu] = true;
        pendingCount++;
        oldestPending = Math.min(oldestPending, time);
        pendingTime[cpu] = time;
        pendingSymbol[cpu] = locations.symbol();
        pendingOffset[cpu] = locations.offset();
        pendingProtocol[cpu] = readProtocol(b, fields, loc);
        int rs = Ascii.indexOf(b, locEnd, to, REASON);
        pendingReason[cpu] = rs < 0 ? symbols.intern(b, 0, 0) : reasons.intern(b, rs + REASON.length, to, symbols);
    }

    /** Accepts {@code comm-pid [cpu] flags sec.usec: <stack trace>}; the frames follow. */
    private void onStackTrace(byte[] b, int from, int st, DropSink sink, LineScanner lines) {
        if (!readCpuAndTime(b, from, st)) {
            warnings.add("malformed stack trace line", lines.line());
            skippingFrames = true;
            return;
        }
        flushPending(sink, time - STALE_NANOS);
        if (!pending[cpu]) {
            warnings.add("stack trace without a kfree_skb event", lines.line());
            skippingFrames = true;
            return;
        }
        stackCpu = cpu;
        frameCount = 0;
    }

    /**
     * Accepts {@code  => tcp_v4_rcv}, {@code  => tcp_v4_rcv+0x99/0x1400} (sym-offset option) and
     * {@code  => 0xffffffffc0a01234} (resolved if possible); {@code  => <00007f..>} user frames are skipped.
     */
    private void onFrame(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        if (stackCpu < 0) {
            if (!skippingFrames) {
                warnings.add("stack line outside a stack trace", lines.line());
                skippingFrames = true;
            }
            return;
        }
        if (from >= to || b[from] == '<' || frameCount == MAX_FRAMES) {
            return;
        }
        SymbolTable symbols = sink.symbols();
        int id;
        if (LocationReader.isHexAddress(b, from, to)) {
            locations.readAddress(b, from, to, symbols, false);
            id = locations.symbol();
        } else {
            id = symbols.intern(b, from, LocationReader.symbolEnd(b, from, to));
        }
        if (frameCount == frames.length) {
            frames = Arrays.copyOf(frames, frameCount * 2);
        }
        frames[frameCount++] = id;
    }

    /** Attaches the stack just read to its CPU's pending event and records it. */
    private void endStack(DropSink sink) {
        if (stackCpu >= 0 && pending[stackCpu]) {
            int stack = frameCount == 0 ? StackTable.NO_STACK
                    : sink.stacks().internFromLocation(frames, frameCount, pendingSymbol[stackCpu]);
            record(stackCpu, stack, sink);
        }
        stackCpu = -1;
        frameCount = 0;
        skippingFrames = false;
    }

    /** Records every pending event older than {@code before}, without a stack. */
    private void flushPending(DropSink sink, long before) {
        if (pendingCount == 0 || oldestPending >= before) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (int c = 0; c < pending.length && pendingCount > 0; c++) {
            if (pending[c] && pendingTime[c] < before) {
                record(c, StackTable.NO_STACK, sink);
            } else if (pending[c]) {
                oldest = Math.min(oldest, pendingTime[c]);
            }
        }
        oldestPending = oldest;
    }

    private void record(int c, int stack, DropSink sink) {
        SymbolTable s = sink.symbols();
        DropKey key = DropKey.of(s.name(pendingSymbol[c]), pendingOffset[c], s.name(pendingReason[c]),
                pendingProtocol[c]);
        sink.record(key, stack, 1, pendingTime[c]);
        pending[c] = false;
        pendingCount--;
        drops++;
    }

    /** Accepts {@code CPU:1 [LOST 123 EVENTS]}. */
    private boolean onLost(byte[] b, int from, int to, DropSink sink) {
        int p = Ascii.skipSpaces(b, from, to);
        int l = Ascii.indexOf(b, p, to, LOST);
        if (!Ascii.startsWith(b, p, to, CPU) || l < 0) {
            return false;
        }
        int s = l + LOST.length;
        int e = Ascii.indexOf(b, s, to, (byte) ' ');
        long n = Ascii.parseLong(b, s, e < 0 ? to : e);
        if (n == Ascii.INVALID) {
            return false;
        }
        sink.lost(n, lastTime);
        return true;
    }

    /**
     * Reads {@link #time} from the token before {@code anchor} and {@link #cpu} from the
     * {@code [NNN]} token one or two tokens before it (the flags column may sit in between).
     */
    private boolean readCpuAndTime(byte[] b, int from, int anchor) {
        if (anchor <= from) {
            return false;
        }
        int timeStart = Ascii.lastIndexOf(b, from, anchor, (byte) ' ') + 1;
        long t = Ascii.parseSecondsToNanos(b, timeStart, anchor);
        int end = timeStart - 1;
        for (int token = 0; token < 2 && end > from; token++) {
            while (end > from && b[end - 1] == ' ') {
                end--;
            }
            int start = Ascii.lastIndexOf(b, from, end, (byte) ' ') + 1;
            if (end - start >= 3 && b[start] == '[' && b[end - 1] == ']') {
                long c = Ascii.parseLong(b, start + 1, end - 1);
                if (c == Ascii.INVALID || c >= MAX_CPUS || t == Ascii.INVALID) {
                    return false;
                }
                cpu = (int) c;
                ensureCpu(cpu);
                time = t;
                lastTime = Math.max(lastTime, t);
                return true;
            }
            end = start;
        }
        return false;
    }

    private static int readProtocol(byte[] b, int from, int to) {
        int proto = Ascii.indexOf(b, from, to, PROTOCOL);
        if (proto < 0) {
            return DropKey.NO_PROTOCOL;
        }
        int ps = proto + PROTOCOL.length;
        int pe = Ascii.indexOf(b, ps, to, (byte) ' ');
        long p = Ascii.parseLong(b, ps, pe < 0 ? to : pe);
        return p == Ascii.INVALID || p > 0xFFFF ? DropKey.NO_PROTOCOL : (int) p;
    }

    private void ensureCpu(int c) {
        if (c < pending.length) {
            return;
        }
        int n = Math.max(pending.length * 2, c + 1);
        pending = Arrays.copyOf(pending, n);
        pendingSymbol = Arrays.copyOf(pendingSymbol, n);
        pendingOffset = Arrays.copyOf(pendingOffset, n);
        pendingReason = Arrays.copyOf(pendingReason, n);
        pendingProtocol = Arrays.copyOf(pendingProtocol, n);
        pendingTime = Arrays.copyOf(pendingTime, n);
    }

    /** YES for a {@code : kfree_skb: } line with a {@code [CPU]}, a {@code  => } frame or a {@code # tracer:}. */
    public static Applicable isApplicable(byte[] prefix, int len) {
        int pos = 0;
        while (pos < len) {
            int nl = Ascii.indexOf(prefix, pos, len, (byte) '\n');
            int end = nl < 0 ? len : nl;
            if (isTracefsLine(prefix, pos, end)) {
                return Applicable.YES;
            }
            pos = end + 1;
        }
        return Applicable.UNSURE;
    }

    private static boolean isTracefsLine(byte[] b, int from, int to) {
        int p = Ascii.skipSpaces(b, from, to);
        if (Ascii.startsWith(b, from, to, TRACER) || p > from && Ascii.startsWith(b, p, to, FRAME)) {
            return true;
        }
        int ev = Ascii.indexOf(b, from, to, EVENT);
        if (ev < 0) {
            return false;
        }
        int close = Ascii.lastIndexOf(b, from, ev, (byte) ']');
        int open = close < 0 ? -1 : Ascii.lastIndexOf(b, from, close, (byte) '[');
        return open >= 0 && Ascii.parseLong(b, open + 1, close) != Ascii.INVALID;
    }
}
