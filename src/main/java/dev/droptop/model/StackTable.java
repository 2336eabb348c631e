package dev.droptop.model;

import java.util.Arrays;

/**
 * Stores each distinct call stack once as an {@code int[]} of symbol ids, innermost frame first,
 * starting at the drop location. Id 0 is the empty stack (a drop recorded without a call chain).
 * Memory grows with distinct stacks, not with events.
 */
public final class StackTable {
    public static final int NO_STACK = 0;

    private final SymbolTable symbols;
    private int[] slots = new int[1024];
    private int[] hashes = new int[256];
    private volatile int[][] frames = new int[256][];
    private int size = 1;

    public StackTable(SymbolTable symbols) {
        this.symbols = symbols;
        frames[0] = new int[0];
    }

    public SymbolTable symbols() {
        return symbols;
    }

    /**
     * Interns {@code raw[0..len)} (innermost first) after cutting it so that it starts at the frame
     * named {@code locationSymbol}; when that frame is absent, leading drop-helper frames are cut.
     */
    public int internFromLocation(int[] raw, int len, int locationSymbol) {
        int start = 0;
        while (start < len && raw[start] != locationSymbol) {
            start++;
        }
        if (start == len) {
            start = 0;
            while (start < len && symbols.isDropHelper(raw[start])) {
                start++;
            }
        }
        return intern(raw, start, len);
    }

    /** Interns {@code raw[from..to)} as is. */
    public int intern(int[] raw, int from, int to) {
        if (from >= to) {
            return NO_STACK;
        }
        int h = hash(raw, from, to);
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int id = slots[i] - 1;
            if (id < 0) {
                return add(i, h, Arrays.copyOfRange(raw, from, to));
            }
            if (hashes[id] == h && Arrays.equals(frames[id], 0, frames[id].length, raw, from, to)) {
                return id;
            }
        }
    }

    /** Interns frames given by name, innermost first, as is. */
    public int intern(String... names) {
        int[] ids = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            ids[i] = symbols.intern(names[i]);
        }
        return intern(ids, 0, ids.length);
    }

    /** The frames of a stack, innermost first. Do not modify. */
    public int[] frames(int id) {
        return frames[id];
    }

    public String[] frameNames(int id) {
        int[] f = frames[id];
        String[] out = new String[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = symbols.name(f[i]);
        }
        return out;
    }

    /** Number of ids handed out, including the empty stack. */
    public int size() {
        return size;
    }

    private int add(int slot, int h, int[] f) {
        int id = size;
        int[][] fr = frames;
        if (id == hashes.length) {
            hashes = Arrays.copyOf(hashes, id * 2);
            fr = Arrays.copyOf(fr, id * 2);
        }
        hashes[id] = h;
        fr[id] = f;
        size = id + 1;
        slots[slot] = id + 1;
        if (size * 2 > slots.length) {
            rehash();
        }
        frames = fr;
        return id;
    }

    private void rehash() {
        int[] s = new int[slots.length * 2];
        int mask = s.length - 1;
        for (int id = 1; id < size; id++) {
            int i = hashes[id] & mask;
            while (s[i] != 0) {
                i = (i + 1) & mask;
            }
            s[i] = id + 1;
        }
        slots = s;
    }

    private static int hash(int[] a, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + a[i];
        }
        return h ^ (h >>> 16);
    }
}
