package dev.droptop.parse;

import dev.droptop.model.DropKey;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.SymbolTable;
import dev.droptop.model.Warnings;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a kernel code location from a byte range into {@link #symbol()} and {@link #offset()}.
 * Accepts {@code tcp_v4_rcv}, {@code tcp_v4_rcv+0x99}, {@code tcp_v4_rcv+0x99/0x1400} (size cut),
 * {@code sk_skb_reason_drop+144} (bpftrace kstack, decimal offset) and {@code 0xffffffff82094309}
 * (resolved through the {@link SymbolResolver}; an unknown address stays hex and is counted as
 * {@code unresolved location address}). Resolutions are cached per address.
 */
final class LocationReader {
    static final String UNRESOLVED = "unresolved location address";
    private static final SymbolResolver.Resolved MISS = new SymbolResolver.Resolved("", DropKey.NO_OFFSET);

    private final SymbolResolver resolver;
    private final Warnings warnings;
    private final Map<Long, SymbolResolver.Resolved> cache = new HashMap<>();
    private int symbol;
    private int offset;

    LocationReader(SymbolResolver resolver, Warnings warnings) {
        this.resolver = resolver;
        this.warnings = warnings;
    }

    /** Symbol id of the last location read. */
    int symbol() {
        return symbol;
    }

    /** Offset of the last location read, or {@link DropKey#NO_OFFSET}. */
    int offset() {
        return offset;
    }

    /** Sets the result directly (a location a caller built itself). */
    void set(int symbolId, int offsetValue) {
        symbol = symbolId;
        offset = offsetValue;
    }

    /** Reads {@code b[from, to)}; false when the range is empty or too long for an address. */
    boolean read(byte[] b, int from, int to, SymbolTable symbols) {
        if (from >= to) {
            return false;
        }
        if (isHexAddress(b, from, to)) {
            if (to - from > 18) {
                return false;
            }
            readAddress(b, from, to, symbols, true);
            return true;
        }
        int plus = symbolEnd(b, from, to);
        symbol = symbols.intern(b, from, plus);
        offset = plus < to ? parseOffset(b, plus + 1, to) : DropKey.NO_OFFSET;
        return true;
    }

    /**
     * Resolves the hex address in {@code b[from, to)}; returns false when it is unknown, leaving the
     * hex text as the symbol (and counting a warning if {@code warn}).
     */
    boolean readAddress(byte[] b, int from, int to, SymbolTable symbols, boolean warn) {
        long addr = Ascii.parseHex(b, from, to);
        if (addr == Ascii.INVALID) {
            return false;
        }
        SymbolResolver.Resolved r = cache.get(addr);
        if (r == null) {
            r = resolver.resolve(addr);
            cache.put(addr, r == null ? MISS : r);
        }
        if (r == null || r == MISS) {
            symbol = symbols.intern(b, from, to);
            offset = DropKey.NO_OFFSET;
            if (warn) {
                warnings.add(UNRESOLVED, new String(b, from, to - from, StandardCharsets.US_ASCII));
            }
            return false;
        }
        symbol = symbols.intern(r.symbol());
        offset = r.offset();
        return true;
    }

    /** {@code 0x} followed by hex digits only. */
    static boolean isHexAddress(byte[] b, int from, int to) {
        if (to - from < 3 || b[from] != '0' || b[from + 1] != 'x') {
            return false;
        }
        for (int i = from + 2; i < to; i++) {
            if (Ascii.hexDigit(b[i]) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * End of the symbol in {@code sym+0x1f/0x30} or {@code sym+144}: the index of the last {@code +}
     * when an offset follows it, else {@code to}. An offset is {@code 0x} and hex digits, or decimal
     * digits, up to an optional {@code /size}; its value need not be valid ({@code sym+0x} is
     * {@code sym} with no offset, see {@link #parseOffset}). The one rule for every text format:
     * perf script frames and locations, tracefs, bpftrace, SystemTap.
     */
    static int symbolEnd(byte[] b, int from, int to) {
        int plus = Ascii.lastIndexOf(b, from, to, (byte) '+');
        if (plus <= from || plus + 1 >= to) {
            return to;
        }
        int slash = Ascii.indexOf(b, plus + 1, to, (byte) '/');
        int end = slash < 0 ? to : slash;
        boolean hex = end - plus > 2 && b[plus + 1] == '0' && b[plus + 2] == 'x';
        int digits = hex ? plus + 3 : plus + 1;
        if (!hex && digits == end) {
            return to;
        }
        for (int i = digits; i < end; i++) {
            if (hex ? Ascii.hexDigit(b[i]) < 0 : b[i] < '0' || b[i] > '9') {
                return to;
            }
        }
        return plus;
    }

    /** {@code 0x99}, {@code 0x99/0x1400} or decimal {@code 144}; NO_OFFSET when malformed or too large. */
    static int parseOffset(byte[] b, int from, int to) {
        int slash = Ascii.indexOf(b, from, to, (byte) '/');
        int end = slash < 0 ? to : slash;
        boolean hex = end - from > 2 && b[from] == '0' && b[from + 1] == 'x';
        long v = hex ? Ascii.parseHex(b, from, end) : Ascii.parseLong(b, from, end);
        return v == Ascii.INVALID || v > Integer.MAX_VALUE ? DropKey.NO_OFFSET : (int) v;
    }
}
