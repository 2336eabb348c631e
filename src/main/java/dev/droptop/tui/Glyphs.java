package dev.droptop.tui;

/** The characters the UI draws with: Unicode blocks and arrows, or ASCII when the terminal is not UTF-8. */
public record Glyphs(boolean unicode) {
    private static final String BARS = "▁▂▃▄▅▆▇█";
    private static final String ASCII_BARS = "_.-:=+*#";

    /** A sparkline of the last {@code width} values, each scaled to the largest of them; zero is blank. */
    public String sparkline(long[] values, int width) {
        StringBuilder sb = new StringBuilder(width);
        int from = Math.max(0, values.length - width);
        long max = 0;
        for (int i = from; i < values.length; i++) {
            max = Math.max(max, values[i]);
        }
        for (int i = values.length - from; i < width; i++) {
            sb.append(' ');
        }
        String bars = unicode ? BARS : ASCII_BARS;
        for (int i = from; i < values.length; i++) {
            long v = values[i];
            sb.append(v <= 0 ? ' ' : bars.charAt((int) Math.min(7, (v * 8 - 1) / max)));
        }
        return sb.toString();
    }

    public String expanded() {
        return unicode ? "▾" : "-";
    }

    public String collapsed() {
        return unicode ? "▸" : "+";
    }

    public String caller() {
        return unicode ? "←" : "<-";
    }

    public String callee() {
        return unicode ? "→" : "->";
    }

    public String arrows() {
        return unicode ? "↑↓" : "up/down";
    }

    public String ellipsis() {
        return unicode ? "…" : "~";
    }

    /** {@code s} cut or padded to exactly {@code width} columns. */
    public String fit(String s, int width, boolean right) {
        if (width <= 0) {
            return "";
        }
        if (s.length() > width) {
            return s.substring(0, Math.max(0, width - 1)) + ellipsis().charAt(0);
        }
        String pad = " ".repeat(width - s.length());
        return right ? pad + s : s + pad;
    }
}
