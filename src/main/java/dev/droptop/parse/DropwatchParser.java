package dev.droptop.parse;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.SymbolTable;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Output of SystemTap's {@code dropwatch.stp}, all five upstream variants (docs/trace-formats.md).
 *
 * <p>Example input (2023 variant, {@code symdata()} locations and a {@code ctime} header per 5 s tick):
 * <pre>
 * Monitoring for dropped packets
 *
 * Tue Nov 17 00:26:51 2020
 * 1762 packets dropped at unix_stream_recvmsg+0x2c5/0x8a0 [kernel]
 * 2 packets dropped at nf_hook_slow+0x96/0x100 [kernel]
 * </pre>
 * Result: one interval ending at 2020-11-17T00:26:51Z with {@code unix_stream_recvmsg+0x2c5} x 1762
 * and {@code nf_hook_slow+0x96} x 2, no reason, no protocol, no stack.
 *
 * <p>Locations: a raw address {@code 0xffffffff8103ce3b} (also after the 2009 {@code location} word)
 * is resolved, else kept as hex and counted; {@code nf_hook_slow}, {@code sym+0xoff/0xsize} and
 * {@code sym+0xoff/0xsize [mod]} give symbol and offset; {@code 0xaddr [mod+0xoff/0xsize]} (module
 * known, symbol not) is resolved by address, else kept as symbol {@code [mod]} with the module
 * offset, so it reads {@code [mod]+0xoff}. The 2025 variant appends {@code for reason: N}: N goes
 * through the kernel's reason table; 0 is the script's stand-in for "no reason" and gives none.
 *
 * <p>Intervals: a block of lines ends at a blank line, a ctime header, a marker line or the end.
 * It is recorded at the time of its ctime header (stap's {@code ctime()} is UTC) or, without one,
 * one interval after the previous block ({@code (k+1) * interval} when there are no headers).
 * Runs of blank lines make no empty intervals; a header with no lines does.
 */
public final class DropwatchParser extends CountingParser {
    /** The script's {@code timer.sec(5)}. */
    public static final long DEFAULT_INTERVAL_NANOS = 5_000_000_000L;
    private static final byte[] DROPPED = Ascii.bytes(" packets dropped at ");
    private static final byte[] LOCATION_WORD = Ascii.bytes("location ");
    private static final byte[] FOR_REASON = Ascii.bytes(" for reason: ");
    private static final byte[] MONITORING = Ascii.bytes("Monitoring for dropped packets");
    private static final byte[] STOPPING = Ascii.bytes("Stopping dropped packet monitor");
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private final long intervalNanos;
    private final LocationReader locations;
    private final ReasonNumbers reasons;
    private final byte[] scratch = new byte[256];

    // the block (interval) being read
    private boolean blockOpen;
    private long blockTime;
    private long lastBlockTime;

    public DropwatchParser() {
        this(SymbolResolver.NONE, ReasonNames.none(), DEFAULT_INTERVAL_NANOS);
    }

    public DropwatchParser(SymbolResolver resolver, ReasonNames reasons) {
        this(resolver, reasons, DEFAULT_INTERVAL_NANOS);
    }

    /** {@code intervalNanos} spaces blocks that carry no ctime header. */
    public DropwatchParser(SymbolResolver resolver, ReasonNames reasons, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.intervalNanos = intervalNanos;
        this.locations = new LocationReader(resolver, warnings);
        this.reasons = new ReasonNumbers(reasons, warnings);
    }

    @Override
    public void parse(InputStream in, DropSink sink) throws IOException {
        LineScanner lines = new LineScanner(in);
        while (lines.next()) {
            byte[] b = lines.buf();
            int from = Ascii.skipSpaces(b, lines.start(), lines.end());
            int to = Ascii.trimEnd(b, from, lines.end());
            if (from == to) {
                endBlock(sink);
            } else if (lines.lastLineUnterminated()) {
                warnings.add("torn last line skipped", lines.line());
            } else if (b[from] >= '0' && b[from] <= '9') {
                onDropLine(b, from, to, sink, lines);
            } else if (Ascii.startsWith(b, from, to, MONITORING) || Ascii.startsWith(b, from, to, STOPPING)) {
                endBlock(sink);
            } else {
                onHeaderOrOther(b, from, to, sink, lines);
            }
        }
        endBlock(sink);
        warnings.add("overlong line skipped", "a line longer than " + LineScanner.DEFAULT_MAX_LINE + " bytes",
                lines.overlongLines());
    }

    /** Accepts the {@code ctime()} header {@code Tue Nov 17 00:26:51 2020} (day space-padded). */
    private void onHeaderOrOther(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        long t = parseCtime(b, from, to);
        if (t == Ascii.INVALID) {
            warnings.add("unrecognised line", lines.line());
            return;
        }
        endBlock(sink);
        blockOpen = true;
        blockTime = t;
    }

    /**
     * Accepts {@code N packets dropped at LOC} and {@code N packets dropped at LOC for reason: R}, where
     * LOC is {@code location 0xaddr}, {@code 0xaddr}, {@code sym}, {@code sym+0xoff/0xsize},
     * {@code sym+0xoff/0xsize [mod]} or {@code 0xaddr [mod+0xoff/0xsize]}.
     */
    private void onDropLine(byte[] b, int from, int to, DropSink sink, LineScanner lines) {
        int countEnd = Ascii.indexOf(b, from, to, (byte) ' ');
        long count = countEnd < 0 ? Ascii.INVALID : Ascii.parseLong(b, from, countEnd);
        if (count == Ascii.INVALID || !Ascii.startsWith(b, countEnd, to, DROPPED)) {
            warnings.add("unrecognised line", lines.line());
            return;
        }
        if (count > Long.MAX_VALUE - drops) {
            warnings.add("count overflows the 64-bit total", lines.line());
            return;
        }
        int loc = countEnd + DROPPED.length;
        if (Ascii.startsWith(b, loc, to, LOCATION_WORD)) {
            loc += LOCATION_WORD.length;
        }
        int fr = Ascii.indexOf(b, loc, to, FOR_REASON);
        int locEnd = fr < 0 ? to : fr;
        SymbolTable symbols = sink.symbols();
        if (!readLocation(b, loc, locEnd, symbols)) {
            warnings.add("malformed drop line", lines.line());
            return;
        }
        int reason = fr < 0 ? symbols.intern(b, 0, 0) : readReason(b, fr + FOR_REASON.length, to, symbols);
        if (!blockOpen) {
            blockOpen = true;
            blockTime = lastBlockTime + intervalNanos;
        }
        DropKey key = DropKey.of(symbols.name(locations.symbol()), locations.offset(), symbols.name(reason),
                DropKey.NO_PROTOCOL);
        sink.record(key, StackTable.NO_STACK, count, blockTime);
        drops += count;
    }

    /** Splits off a trailing {@code [module...]} and reads the location before it. */
    private boolean readLocation(byte[] b, int from, int to, SymbolTable symbols) {
        int open = to - from > 2 && b[to - 1] == ']' ? Ascii.lastIndexOf(b, from, to, (byte) '[') : -1;
        int end = open < 0 ? to : Ascii.trimEnd(b, from, open);
        if (open < 0 || !LocationReader.isHexAddress(b, from, end)) {
            return locations.read(b, from, end, symbols);
        }
        if (end - from > 18) {
            return false;
        }
        if (locations.readAddress(b, from, end, symbols, true)) {
            return true;
        }
        // 0xaddr [mod+0xoff/0xsize]: no symbol, so the module offset is the best we have
        int modEnd = Ascii.indexOf(b, open + 1, to - 1, (byte) '+');
        int offset = modEnd < 0 ? DropKey.NO_OFFSET : LocationReader.parseOffset(b, modEnd + 1, to - 1);
        modEnd = modEnd < 0 ? to - 1 : modEnd;
        int n = modEnd - open + 1;
        if (n > scratch.length || n <= 2) {
            return true; // keep the hex address
        }
        System.arraycopy(b, open, scratch, 0, n - 1);
        scratch[n - 1] = ']';
        locations.set(symbols.intern(scratch, 0, n), offset);
        return true;
    }

    /** {@code for reason: N}: 0 means the tracepoint had no reason. */
    private int readReason(byte[] b, int from, int to, SymbolTable symbols) {
        if (to - from == 1 && b[from] == '0') {
            return symbols.intern(b, 0, 0);
        }
        return reasons.intern(b, from, to, symbols);
    }

    private void endBlock(DropSink sink) {
        if (blockOpen) {
            sink.sourceInterval(intervalNanos);
            sink.intervalEnd(blockTime);
            lastBlockTime = blockTime;
            blockOpen = false;
        }
    }

    /** {@code Www Mmm dd hh:mm:ss yyyy} (UTC) to epoch nanoseconds; INVALID when not that layout. */
    static long parseCtime(byte[] b, int from, int to) {
        if (to - from < 24 || b[from + 3] != ' ' || b[from + 7] != ' ' || b[from + 10] != ' '
                || b[from + 13] != ':' || b[from + 16] != ':' || b[from + 19] != ' ') {
            return Ascii.INVALID;
        }
        int month = MONTHS.indexOf(new String(b, from + 4, 3, java.nio.charset.StandardCharsets.US_ASCII));
        long day = Ascii.parseLong(b, b[from + 8] == ' ' ? from + 9 : from + 8, from + 10);
        long hour = Ascii.parseLong(b, from + 11, from + 13);
        long minute = Ascii.parseLong(b, from + 14, from + 16);
        long second = Ascii.parseLong(b, from + 17, from + 19);
        long year = Ascii.parseLong(b, from + 20, to);
        if (month < 0 || month % 3 != 0 || day == Ascii.INVALID || hour == Ascii.INVALID
                || minute == Ascii.INVALID || second == Ascii.INVALID || year == Ascii.INVALID || year > 9999) {
            return Ascii.INVALID;
        }
        try {
            LocalDateTime t = LocalDateTime.of((int) year, month / 3 + 1, (int) day, (int) hour, (int) minute,
                    (int) second);
            return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
        } catch (DateTimeException e) {
            return Ascii.INVALID;
        }
    }

    /** YES when the prefix holds {@code packets dropped at} or {@code Monitoring for dropped packets}. */
    public static Applicable isApplicable(byte[] prefix, int len) {
        if (Ascii.indexOf(prefix, 0, len, DROPPED) >= 0 || Ascii.indexOf(prefix, 0, len, MONITORING) >= 0) {
            return Applicable.YES;
        }
        return Applicable.UNSURE;
    }
}
