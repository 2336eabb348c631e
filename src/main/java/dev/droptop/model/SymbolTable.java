package dev.droptop.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns names (symbols, reasons, devices) into dense ids, straight from byte ranges: a
 * {@code String} is created only for a name not seen before (async-profiler's {@code Index}).
 *
 * <p>One thread interns; any thread may call {@link #name(int)} for an id it received through a
 * happens-before edge (e.g. a published {@link Snapshot}).
 */
public final class SymbolTable {
    private int[] slots = new int[1024];          // id + 1, 0 = empty
    private int[] hashes = new int[256];
    private byte[][] bytes = new byte[256][];
    private volatile String[] names = new String[256];
    private boolean[] helper = new boolean[256];
    private int size;

    public int intern(byte[] buf, int from, int to) {
        int h = hash(buf, from, to);
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int id = slots[i] - 1;
            if (id < 0) {
                return add(i, h, Arrays.copyOfRange(buf, from, to));
            }
            if (hashes[id] == h && Arrays.equals(bytes[id], 0, bytes[id].length, buf, from, to)) {
                return id;
            }
        }
    }

    public int intern(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return intern(b, 0, b.length);
    }

    public String name(int id) {
        return names[id];
    }

    /** True when the name is drop machinery (see {@link DropFrames}); decided once per name. */
    public boolean isDropHelper(int id) {
        return helper[id];
    }

    public int size() {
        return size;
    }

    private int add(int slot, int h, byte[] b) {
        int id = size;
        if (id == hashes.length) {
            grow();
        }
        String[] n = names;
        hashes[id] = h;
        bytes[id] = b;
        n[id] = new String(b, StandardCharsets.UTF_8);
        helper[id] = DropFrames.isDropHelper(n[id]);
        size = id + 1;
        slots[slot] = id + 1;
        if (size * 2 > slots.length) {
            rehash();
        }
        names = n; // publish
        return id;
    }

    private void grow() {
        int cap = hashes.length * 2;
        hashes = Arrays.copyOf(hashes, cap);
        bytes = Arrays.copyOf(bytes, cap);
        helper = Arrays.copyOf(helper, cap);
        names = Arrays.copyOf(names, cap);
    }

    private void rehash() {
        int[] s = new int[slots.length * 2];
        int mask = s.length - 1;
        for (int id = 0; id < size; id++) {
            int i = hashes[id] & mask;
            while (s[i] != 0) {
                i = (i + 1) & mask;
            }
            s[i] = id + 1;
        }
        slots = s;
    }

    static int hash(byte[] buf, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + buf[i];
        }
        return h ^ (h >>> 16);
    }
}
