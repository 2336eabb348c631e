package dev.droptop.tui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The drop table's columns, declared once: id, header, width (0 = shares the rest), alignment, formatter. */
public final class Columns {
    /** How a column turns a row into text of at most {@code width} columns. */
    @FunctionalInterface
    interface Format {
        String apply(DropRows.TableRow row, int width, Glyphs glyphs);
    }

    /** One column; {@code flex} is its share of the space the fixed columns leave. */
    record Column(String id, String header, int width, double flex, boolean right, Format format) {
    }

    private static final List<Column> ALL = new ArrayList<>();

    static {
        register("location", "LOCATION", 0, 0.58, false, (r, w, g) -> r.location());
        register("reason", "REASON", 0, 0.42, false, (r, w, g) -> r.reason());
        register("rate", "DROPS/S", 9, 0, true, (r, w, g) -> rate(r.rate()));
        register("total", "TOTAL", 10, 0, true, (r, w, g) -> Long.toString(r.total()));
        register("share", "SHARE", 6, 0, true, (r, w, g) -> dev.droptop.model.Decimals.percent(r.share()));
        register("trend", "TREND", -1, 0, false, (r, w, g) -> g.sparkline(r.recent(), w));
    }

    private Columns() {
    }

    private static void register(String id, String header, int width, double flex, boolean right, Format f) {
        ALL.add(new Column(id, header, width, flex, right, f));
    }

    static List<Column> all() {
        return ALL;
    }

    /** The trend column grows with the terminal: 10 columns at 80, up to 40. */
    static int trendWidth(int screenWidth) {
        return Math.max(8, Math.min(40, screenWidth / 8));
    }

    /** Widths for a screen {@code width} wide, one space between columns and a selection mark before. */
    static int[] widths(int width) {
        int[] w = new int[ALL.size()];
        int fixed = ALL.size();
        for (int i = 0; i < w.length; i++) {
            Column c = ALL.get(i);
            w[i] = c.width() < 0 ? trendWidth(width) : c.width();
            fixed += w[i];
        }
        int rest = Math.max(10, width - fixed);
        int used = 0;
        for (int i = 0; i < w.length; i++) {
            if (ALL.get(i).width() == 0) {
                w[i] = (int) (rest * ALL.get(i).flex());
                used += w[i];
            }
        }
        w[0] += rest - used;
        return w;
    }

    static String rate(double r) {
        if (r == 0) {
            return "0";
        }
        return r >= 100 || r == Math.rint(r) ? String.format(Locale.ROOT, "%.0f", r)
                : dev.droptop.model.Decimals.oneDecimal(r);
    }
}
