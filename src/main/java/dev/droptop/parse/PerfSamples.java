package dev.droptop.parse;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.SymbolTable;
import dev.droptop.model.TracepointLayout;
import dev.droptop.model.Warnings;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Turns one PERF_RECORD_SAMPLE of {@code skb:kfree_skb} into a drop, as {@link PerfScriptParser}
 * does from perf script's text: location and reason from the raw tracepoint record, frames from the
 * call chain (PERF_CONTEXT_* markers skipped; kernel addresses named through the resolver, or
 * hex ({@code 0xffffffff81f28e4d}) when it has no name for them; user frames {@code [unknown]}: perf.data carries no user
 * symbols), the stack cut at the location's frame. Addresses and keys are cached in open-addressing
 * tables, so a sample of a known location and stack allocates nothing.
 */
final class PerfSamples {
    static final String UNKNOWN = "[unknown]";
    private static final int MAX_FRAMES = 512;
    private static final long CONTEXT_MAX = -4095L;
    private static final long CONTEXT_KERNEL = -128L;

    private final SymbolResolver resolver;
    private final TracepointLayout layout;
    private final Warnings warnings;
    private int[] frames = new int[128];

    // address cache: slot -> symbol id, offset (NO_OFFSET when unresolved)
    private long[] addrKeys = new long[4096];
    private int[] addrSym = new int[4096];
    private int[] addrOff = new int[4096];
    private boolean[] addrUsed = new boolean[4096];
    private int addrCount;
    // key cache: (location slot, reason, protocol) -> DropKey
    private long[] keyKeys = new long[1024];
    private DropKey[] keyValues = new DropKey[1024];
    private int keyCount;
    private SymbolTable symbolsOf;
    private int unknownSymbol;

    PerfSamples(SymbolResolver resolver, TracepointLayout layout, Warnings warnings) {
        this.resolver = resolver;
        this.layout = layout;
        this.warnings = warnings;
    }

    /**
     * Decodes the sample body {@code [at, end)} laid out by {@code attr}; returns false (and counts
     * why) when it is malformed.
     */
    boolean decode(ByteBuffer b, int at, int end, PerfAttr attr, DropSink sink, long[] timeOut) {
        if (symbolsOf != sink.symbols()) {
            reset(sink.symbols());
        }
        long t = attr.sampleType();
        int p = at;
        p += (t & PerfAttr.IDENTIFIER) != 0 ? 8 : 0;
        p += (t & PerfAttr.IP) != 0 ? 8 : 0;
        p += (t & PerfAttr.TID) != 0 ? 8 : 0;
        long time = timeOut[0];
        if ((t & PerfAttr.TIME) != 0) {
            if (p + 8 > end) {
                return bad("truncated sample");
            }
            time = b.getLong(p);
            p += 8;
        }
        p += (t & PerfAttr.ADDR) != 0 ? 8 : 0;
        p += (t & PerfAttr.ID) != 0 ? 8 : 0;
        p += (t & PerfAttr.STREAM_ID) != 0 ? 8 : 0;
        p += (t & PerfAttr.CPU) != 0 ? 8 : 0;
        p += (t & PerfAttr.PERIOD) != 0 ? 8 : 0;
        if ((t & PerfAttr.READ) != 0) {
            int r = attr.readSize(b, p, end);
            if (r < 0) {
                return bad("malformed sample read values");
            }
            p += r;
        }
        int chainAt = p;
        long nr = 0;
        if ((t & PerfAttr.CALLCHAIN) != 0) {
            if (p + 8 > end) {
                return bad("truncated sample");
            }
            nr = b.getLong(p);
            if (nr < 0 || nr > (end - p - 8) / 8) {
                return bad("sample with an absurd call chain length");
            }
            p += 8 + (int) nr * 8;
        }
        if ((t & PerfAttr.RAW) == 0 || p + 4 > end) {
            return bad("sample without raw tracepoint data");
        }
        int rawSize = b.getInt(p);
        int raw = p + 4;
        if (rawSize < 0 || rawSize > end - raw) {
            return bad("sample with an absurd raw size");
        }
        if (layout.locationOffset() < 0 || layout.locationOffset() + 8 > rawSize) {
            return bad("raw record shorter than the kfree_skb format");
        }
        SymbolTable symbols = sink.symbols();
        int locSlot = lookup(b.getLong(raw + layout.locationOffset()), true);
        int reason = field(b, raw, rawSize, layout.reasonOffset(), layout.reasonSize());
        int protocol = field(b, raw, rawSize, layout.protocolOffset(), layout.protocolSize());
        DropKey key = key(locSlot, reason, protocol < 0 || protocol > 0xFFFF ? DropKey.NO_PROTOCOL : protocol);
        int stack = StackTable.NO_STACK;
        if (nr > 0) {
            stack = stack(b, chainAt + 8, (int) nr, sink.stacks(), addrSym[locSlot]);
        }
        timeOut[0] = time;
        sink.record(key, stack, 1, time);
        return true;
    }

    private int stack(ByteBuffer b, int at, int nr, StackTable stacks, int locationSymbol) {
        int n = 0;
        boolean kernel = true;
        for (int i = 0; i < nr && n < MAX_FRAMES; i++) {
            long ip = b.getLong(at + 8 * i);
            if (ip < 0 && ip >= CONTEXT_MAX) {
                kernel = ip == CONTEXT_KERNEL;
                continue;
            }
            if (n == frames.length) {
                frames = Arrays.copyOf(frames, n * 2);
            }
            frames[n++] = kernel ? addrSym[lookup(ip, false)] : unknownSymbol;
        }
        return n == 0 ? StackTable.NO_STACK : stacks.internFromLocation(frames, n, locationSymbol);
    }

    /** An unsigned field of 1, 2, 4 or 8 bytes, or -1 when absent. */
    private static int field(ByteBuffer b, int raw, int rawSize, int off, int size) {
        if (off < 0 || off + size > rawSize) {
            return -1;
        }
        switch (size) {
            case 1: return b.get(raw + off) & 0xFF;
            case 2: return b.getShort(raw + off) & 0xFFFF;
            case 4: return b.getInt(raw + off) & 0x7FFFFFFF;
            case 8: return (int) Math.min(Integer.MAX_VALUE, b.getLong(raw + off) & Long.MAX_VALUE);
            default: return -1;
        }
    }

    private DropKey key(int locSlot, int reason, int protocol) {
        long k = ((long) locSlot << 40) | ((reason + 1L) & 0xFFFFFFL) << 16 | (protocol & 0xFFFF);
        boolean cacheable = reason < 0xFFFFFE && protocol >= 0;
        int mask = keyKeys.length - 1;
        int i = cacheable ? mix(k) & mask : -1;
        if (cacheable) {
            for (; keyValues[i] != null; i = (i + 1) & mask) {
                if (keyKeys[i] == k) {
                    return keyValues[i];
                }
            }
        }
        String reasonName = DropKey.NO_REASON;
        if (reason >= 0) {
            String n = layout.reasons().name(reason);
            reasonName = n != null ? n : Integer.toString(reason);
        }
        DropKey key = DropKey.of(symbolsOf.name(addrSym[locSlot]), addrOff[locSlot],
                symbolsOf.name(symbolsOf.intern(reasonName)), protocol);
        if (cacheable) {
            keyKeys[i] = k;
            keyValues[i] = key;
            if (++keyCount * 2 > keyKeys.length) {
                growKeys();
            }
        }
        return key;
    }

    /** The cache slot of {@code addr}, resolving it on a miss. */
    private int lookup(long addr, boolean location) {
        int mask = addrKeys.length - 1;
        int i = mix(addr) & mask;
        while (addrUsed[i]) {
            if (addrKeys[i] == addr) {
                if (location && addrOff[i] == DropKey.NO_OFFSET) {
                    warnings.add("unresolved location address", "0x" + Long.toHexString(addr));
                }
                return i;
            }
            i = (i + 1) & mask;
        }
        SymbolResolver.Resolved r = resolver.resolve(addr);
        addrUsed[i] = true;
        addrKeys[i] = addr;
        // an unresolved kernel address stays hex: never a name from a kernel it may not belong to
        addrSym[i] = symbolsOf.intern(r == null ? "0x" + Long.toHexString(addr) : r.symbol());
        addrOff[i] = r == null ? DropKey.NO_OFFSET : r.offset();
        if (location && r == null) {
            warnings.add("unresolved location address", "0x" + Long.toHexString(addr));
        }
        if (++addrCount * 2 > addrKeys.length) {
            growAddresses();
            return lookup(addr, false);
        }
        return i;
    }

    private void growAddresses() {
        long[] k = addrKeys;
        int[] s = addrSym;
        int[] o = addrOff;
        boolean[] u = addrUsed;
        int n = k.length * 2;
        addrKeys = new long[n];
        addrSym = new int[n];
        addrOff = new int[n];
        addrUsed = new boolean[n];
        for (int j = 0; j < k.length; j++) {
            if (u[j]) {
                int i = mix(k[j]) & (n - 1);
                while (addrUsed[i]) {
                    i = (i + 1) & (n - 1);
                }
                addrUsed[i] = true;
                addrKeys[i] = k[j];
                addrSym[i] = s[j];
                addrOff[i] = o[j];
            }
        }
        // key cache entries hold location slots: they are stale now
        Arrays.fill(keyValues, null);
        keyCount = 0;
    }

    private void growKeys() {
        long[] k = keyKeys;
        DropKey[] v = keyValues;
        keyKeys = new long[k.length * 2];
        keyValues = new DropKey[k.length * 2];
        int mask = keyKeys.length - 1;
        for (int j = 0; j < k.length; j++) {
            if (v[j] != null) {
                int i = mix(k[j]) & mask;
                while (keyValues[i] != null) {
                    i = (i + 1) & mask;
                }
                keyKeys[i] = k[j];
                keyValues[i] = v[j];
            }
        }
    }

    private void reset(SymbolTable symbols) {
        symbolsOf = symbols;
        unknownSymbol = symbols.intern(UNKNOWN);
        Arrays.fill(addrUsed, false);
        Arrays.fill(keyValues, null);
        addrCount = 0;
        keyCount = 0;
    }

    private boolean bad(String kind) {
        warnings.add(kind, "");
        return false;
    }

    private static int mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 29));
    }
}
