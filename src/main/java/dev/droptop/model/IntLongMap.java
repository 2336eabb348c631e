package dev.droptop.model;

import java.util.Arrays;

/** Open-addressing map from non-negative int to long counts; resizes at 50% load. */
public final class IntLongMap {
    private int[] keys = new int[8];      // key + 1, 0 = empty
    private long[] values = new long[8];
    private int size;

    public void add(int key, long delta) {
        int mask = keys.length - 1;
        int k = key + 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == k) {
                values[i] += delta;
                return;
            }
            if (keys[i] == 0) {
                keys[i] = k;
                values[i] = delta;
                if (++size * 2 > keys.length) {
                    resize();
                }
                return;
            }
        }
    }

    public long get(int key) {
        int mask = keys.length - 1;
        int k = key + 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == k) {
                return values[i];
            }
            if (keys[i] == 0) {
                return 0;
            }
        }
    }

    public int size() {
        return size;
    }

    public void clear() {
        if (size > 0) {
            Arrays.fill(keys, 0);
            Arrays.fill(values, 0);
            size = 0;
        }
    }

    /** Calls {@code visitor} for every entry, in no particular order. */
    public void forEach(Visitor visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                visitor.visit(keys[i] - 1, values[i]);
            }
        }
    }

    /** Receives one entry. */
    @FunctionalInterface
    public interface Visitor {
        void visit(int key, long value);
    }

    private void resize() {
        int[] oldKeys = keys;
        long[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = mix(oldKeys[j] - 1) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
