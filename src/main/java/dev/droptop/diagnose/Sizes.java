package dev.droptop.diagnose;

import dev.droptop.model.Decimals;

/** Human-readable byte counts and table sizes. */
public final class Sizes {
    private Sizes() {
    }

    /** {@code 1468416 -> "1.4 MiB"}. */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return Decimals.oneDecimal(v) + " " + units[i];
    }

    /** The smallest power of two at or above {@code n} (at least 1). */
    public static long nextPowerOfTwo(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }
}
