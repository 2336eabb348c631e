package dev.droptop.run;

/** Parses {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h} (a bare number means seconds) into nanoseconds. */
public final class Durations {
    private Durations() {
    }

    public static long parse(String text, String option) {
        String s = text.trim();
        long unit = 1_000_000_000L;
        String digits = s;
        if (s.endsWith("ms")) {
            unit = 1_000_000L;
            digits = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            digits = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            unit = 60_000_000_000L;
            digits = s.substring(0, s.length() - 1);
        } else if (s.endsWith("h")) {
            unit = 3_600_000_000_000L;
            digits = s.substring(0, s.length() - 1);
        }
        try {
            double v = Double.parseDouble(digits);
            if (!(v > 0) || v * unit > 1e18 || digits.contains("e") || digits.contains("E")) {
                throw new NumberFormatException();
            }
            long nanos = Math.round(v * unit);
            if (nanos < 1_000_000L) {
                throw new UserError(option + " " + text + " is too short (at least 1ms)");
            }
            return nanos;
        } catch (NumberFormatException e) {
            throw new UserError(option + ": cannot read duration '" + text + "' (examples: 500ms, 1s, 2m)");
        }
    }
}
