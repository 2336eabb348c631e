package dev.droptop.parse;

import dev.droptop.model.DropKey;
import java.util.Arrays;

/**
 * The {@link DropKey}s of recent {@code pkt} lines by the text they came from: {@code location reason
 * protocol netns} (one range of the line) and the device. Direct-mapped, {@value #SLOTS} slots, the
 * slot found last tried first: a flood's lines all hit one slot and cost a compare instead of a
 * location lookup, a reason lookup, three interned names and a new key; keys that collide just
 * replace each other.
 */
final class PacketKeys {
    private static final int SLOTS = 64;

    private final byte[][] texts = new byte[SLOTS][];
    private final int[] keyLengths = new int[SLOTS];
    private final DropKey[] keys = new DropKey[SLOTS];
    private final String[] unresolved = new String[SLOTS];
    /** The slot found last: tried before hashing (a flood's lines all have one key). */
    private int last;

    /** The slot holding the key of {@code b[keyFrom, keyTo)} with device {@code b[devFrom, devTo)}, or -1. */
    int find(byte[] b, int keyFrom, int keyTo, int devFrom, int devTo) {
        if (holds(last, b, keyFrom, keyTo, devFrom, devTo)) {
            return last;
        }
        int slot = slot(b, keyFrom, keyTo, devFrom, devTo);
        if (!holds(slot, b, keyFrom, keyTo, devFrom, devTo)) {
            return -1;
        }
        last = slot;
        return slot;
    }

    private boolean holds(int slot, byte[] b, int keyFrom, int keyTo, int devFrom, int devTo) {
        byte[] t = texts[slot];
        int k = keyTo - keyFrom;
        return t != null && keyLengths[slot] == k && t.length == k + devTo - devFrom
                && Arrays.equals(t, 0, k, b, keyFrom, keyTo) && Arrays.equals(t, k, t.length, b, devFrom, devTo);
    }

    DropKey key(int slot) {
        return keys[slot];
    }

    /** The location text when it did not resolve (a warning per line), else null. */
    String unresolved(int slot) {
        return unresolved[slot];
    }

    /** Stores the key of {@code b[keyFrom, keyTo)} with device {@code b[devFrom, devTo)}, replacing its slot's. */
    void put(byte[] b, int keyFrom, int keyTo, int devFrom, int devTo, DropKey key, String unresolvedLocation) {
        int slot = slot(b, keyFrom, keyTo, devFrom, devTo);
        int k = keyTo - keyFrom;
        byte[] t = new byte[k + devTo - devFrom];
        System.arraycopy(b, keyFrom, t, 0, k);
        System.arraycopy(b, devFrom, t, k, devTo - devFrom);
        texts[slot] = t;
        last = slot;
        keyLengths[slot] = k;
        keys[slot] = key;
        unresolved[slot] = unresolvedLocation;
    }

    private static int slot(byte[] b, int keyFrom, int keyTo, int devFrom, int devTo) {
        int h = 1;
        for (int i = keyFrom; i < keyTo; i++) {
            h = 31 * h + b[i];
        }
        for (int i = devFrom; i < devTo; i++) {
            h = 31 * h + b[i];
        }
        h ^= h >>> 16;
        return h & (SLOTS - 1);
    }
}
