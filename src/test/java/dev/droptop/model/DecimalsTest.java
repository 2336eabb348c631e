package dev.droptop.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalsTest {
    @Test
    void oneDecimalIsWhatFormatterWrites() {
        double[] edges = {0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 1.05, 2.675, 9.95, 99.95, 0.04999999999999999,
                -0.04, -1.25, 1e-9, 123456789.05, 1e10, 1e22, 4.35, 100, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double v : edges) {
            assertEquals(String.format(Locale.ROOT, "%.1f", v), Decimals.oneDecimal(v), "value " + v);
        }
        SplittableRandom random = new SplittableRandom(20261201);
        for (int i = 0; i < 200_000; i++) {
            // shares and rates as reports meet them, and values on the rounding edge (x.x5)
            double v = switch (i % 4) {
                case 0 -> random.nextDouble() * 100;
                case 1 -> random.nextInt(100_000) / 100.0 + 0.05;
                case 2 -> (double) random.nextInt(1_000_000) / random.nextInt(1, 1_000_000);
                default -> Double.longBitsToDouble(random.nextLong());
            };
            assertEquals(String.format(Locale.ROOT, "%.1f", v), Decimals.oneDecimal(v), "value " + v);
        }
    }

    @Test
    void percentAndPadding() {
        assertEquals("12.3%", Decimals.percent(0.1234));
        assertEquals("100.0%", Decimals.percent(1));
        assertEquals(String.format(Locale.ROOT, "%-6s|%6s|", "ab", "cd"),
                Decimals.padLeft(Decimals.padRight(new StringBuilder(), "ab", 6).append('|'), "cd", 6)
                        .append('|').toString());
        assertEquals("toolong", Decimals.padRight(new StringBuilder(), "toolong", 3).toString());
    }
}
