package dev.droptop.parse;

/** Number parsing and searching on byte ranges, without creating Strings. */
public final class Ascii {
    /** Returned by the parse methods when the range holds no valid number. */
    public static final long INVALID = Long.MIN_VALUE;

    private Ascii() {
    }

    /** Parses unsigned decimal digits in {@code [from, to)}; INVALID when empty, non-digit or overflowing. */
    public static long parseLong(byte[] b, int from, int to) {
        if (from >= to || to - from > 18) {
            return INVALID;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return INVALID;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Parses hex digits in {@code [from, to)}, with or without {@code 0x}; INVALID when empty or bad. */
    public static long parseHex(byte[] b, int from, int to) {
        if (to - from > 2 && b[from] == '0' && (b[from + 1] == 'x' || b[from + 1] == 'X')) {
            from += 2;
        }
        if (from >= to || to - from > 16) {
            return INVALID;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = hexDigit(b[i]);
            if (d < 0) {
                return INVALID;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    public static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Parses {@code SECONDS.FRACTION} (up to 9 fraction digits) into nanoseconds; INVALID when bad.
     */
    public static long parseSecondsToNanos(byte[] b, int from, int to) {
        int dot = indexOf(b, from, to, (byte) '.');
        long sec = parseLong(b, from, dot < 0 ? to : dot);
        if (sec == INVALID || sec > 9_000_000_000L) {
            return INVALID;
        }
        long nanos = 0;
        if (dot >= 0) {
            int digits = to - dot - 1;
            if (digits > 9) {
                return INVALID;
            }
            long frac = digits == 0 ? 0 : parseLong(b, dot + 1, to);
            if (frac == INVALID) {
                return INVALID;
            }
            nanos = frac;
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        return sec * 1_000_000_000L + nanos;
    }

    public static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    public static int lastIndexOf(byte[] b, int from, int to, byte c) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** First index of {@code needle} in {@code b[from, to)}, or -1. */
    public static int indexOf(byte[] b, int from, int to, byte[] needle) {
        int n = needle.length;
        if (n == 0) {
            return from;
        }
        byte first = needle[0];
        outer:
        for (int i = from, last = to - n; i <= last; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int j = 1; j < n; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    public static int skipSpaces(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        return from;
    }

    public static int trimEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t' || b[to - 1] == '\r')) {
            to--;
        }
        return to;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
