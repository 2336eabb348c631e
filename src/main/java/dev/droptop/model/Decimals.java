package dev.droptop.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numbers and columns for reports, without {@link java.util.Formatter}: {@code String.format}'s first
 * {@code %d} or {@code %.1f} loads the locale data (CLDR) even for {@code Locale.ROOT}, about 20 ms of
 * the 0.3 s a short {@code droptop report} takes, and parses its format string with a regular
 * expression on every call. The results are those of {@code String.format(Locale.ROOT, ...)}: a test
 * compares them.
 */
public final class Decimals {
    private Decimals() {
    }

    /** {@code String.format(Locale.ROOT, "%.1f", v)}: one decimal, rounded half up. */
    public static String oneDecimal(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : v < 0 ? "-Infinity" : "NaN";
        }
        if (v < 0 || (v == 0 && 1 / v < 0)) {
            return "-" + oneDecimal(-v);
        }
        // Double.toString is the shortest decimal that reads back as v, which is what Formatter rounds
        return new BigDecimal(Double.toString(v)).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    /** {@code String.format(Locale.ROOT, "%.1f%%", share * 100)}: {@code 0.1234 -> "12.3%"}. */
    public static String percent(double share) {
        return oneDecimal(share * 100) + "%";
    }

    /** Appends {@code s} and spaces up to {@code width} characters ({@code %-Ns}). */
    public static StringBuilder padRight(StringBuilder sb, String s, int width) {
        sb.append(s);
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb;
    }

    /** Appends spaces, then {@code s}, to fill {@code width} characters ({@code %Ns}). */
    public static StringBuilder padLeft(StringBuilder sb, String s, int width) {
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb.append(s);
    }
}
