package dev.droptop.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Remembers an int for whole lines seen before: a call chain repeats the same few hundred frame
 * lines ({@code ffffffff81e94fb0 sk_skb_reason_drop+0x90 ([kernel.kallsyms])}) millions of times,
 * so a repeat is found by a hash of its first 16 bytes (a frame's address) and one compare instead
 * of being cut into address, symbol, offset and dso again; {@link #find} even finds its end without
 * scanning for it. Holds at most {@link #MAX_ENTRIES} lines (later ones are not remembered), so
 * memory stays bounded whatever the input.
 */
final class LineCache {
    static final int MISS = -1;
    static final int MAX_ENTRIES = 1 << 14;
    private static final int MIN_LINE = 16;
    private static final int MAX_LINE = 512;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private int[] slots = new int[256];   // entry + 1, 0 = empty
    private byte[][] lines = new byte[128][];
    private int[] values = new int[128];
    private int size;

    /** The value stored for the line {@code b[from, to)}, or {@link #MISS}. */
    int get(byte[] b, int from, int to) {
        int len = to - from;
        if (len < MIN_LINE || len > MAX_LINE) {
            return MISS;
        }
        int mask = slots.length - 1;
        for (int i = hash(b, from) & mask; ; i = (i + 1) & mask) {
            int e = slots[i] - 1;
            if (e < 0) {
                return MISS;
            }
            byte[] line = lines[e];
            if (line.length == len && Arrays.equals(line, 0, len, b, from, to)) {
                return values[e];
            }
        }
    }

    /**
     * The entry whose line starts at {@code b[from]} and is followed by {@code \n} before {@code limit},
     * or {@link #MISS}: a known line recognised before its end is known. Its probe loop is {@link #get}'s
     * with another match test, written twice on purpose: one loop taking the test as a parameter made
     * the parser on one core 7-10% slower (bench on the 380 MB trace: 1,730-1,770 MB/s against
     * 1,870-1,950 MB/s, same session).
     */
    int find(byte[] b, int from, int limit) {
        if (limit - from <= MIN_LINE) {
            return MISS;
        }
        int mask = slots.length - 1;
        for (int i = hash(b, from) & mask; ; i = (i + 1) & mask) {
            int e = slots[i] - 1;
            if (e < 0) {
                return MISS;
            }
            byte[] line = lines[e];
            int end = from + line.length;
            if (end < limit && b[end] == '\n' && Arrays.equals(line, 0, line.length, b, from, end)) {
                return e;
            }
        }
    }

    /** Length of the line of entry {@code e} (from {@link #find}). */
    int length(int e) {
        return lines[e].length;
    }

    /** Value of entry {@code e} (from {@link #find}). */
    int value(int e) {
        return values[e];
    }

    /** Remembers {@code value} for the line {@code b[from, to)} (not seen before), while there is room. */
    void put(byte[] b, int from, int to, int value) {
        int len = to - from;
        if (len < MIN_LINE || len > MAX_LINE || size == MAX_ENTRIES) {
            return;
        }
        if (size == lines.length) {
            lines = Arrays.copyOf(lines, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        lines[size] = Arrays.copyOfRange(b, from, to);
        values[size] = value;
        size++;
        if (size * 2 > slots.length) {
            slots = new int[slots.length * 2];
            for (int e = 0; e < size; e++) {
                insert(e);
            }
        } else {
            insert(size - 1);
        }
    }

    /** Forgets every line (the values belong to another table now). */
    void clear() {
        Arrays.fill(slots, 0);
        Arrays.fill(lines, 0, size, null);
        size = 0;
    }

    private void insert(int e) {
        byte[] line = lines[e];
        int mask = slots.length - 1;
        int i = hash(line, 0) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = e + 1;
    }

    /** The first 16 bytes: a kernel frame's address, a user frame's address and symbol start. */
    private static int hash(byte[] b, int from) {
        long h = (long) LONGS.get(b, from) * 0x9E3779B97F4A7C15L;
        h = (h ^ (long) LONGS.get(b, from + 8)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
