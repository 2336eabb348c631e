package dev.droptop.tui;

import java.util.ArrayList;
import java.util.List;

/** The drop table: a header line and one line per row, the selected row marked with {@code >}. */
public final class TablePane {
    private TablePane() {
    }

    /**
     * @param selected index of the selected row in {@code rows}
     * @param focused whether the arrows move in this pane (the selection bar is brighter)
     * @param height lines available, header included
     */
    public static List<Line> render(List<DropRows.TableRow> rows, int selected, boolean focused, int width,
                                    int height, Glyphs g) {
        return render(rows, selected, focused, width, height, g, "no drops yet");
    }

    /** As above; {@code empty} is what to say when there are no rows (no drops yet, nothing matches). */
    public static List<Line> render(List<DropRows.TableRow> rows, int selected, boolean focused, int width,
                                    int height, Glyphs g, String empty) {
        List<Line> out = new ArrayList<>();
        int[] w = Columns.widths(width);
        out.add(Line.of(header(w, g), Line.Tone.HEADER));
        if (rows.isEmpty()) {
            out.add(Line.of(g.fit(" " + empty, width, false), Line.Tone.DIM));
            return out;
        }
        int visible = Math.max(1, height - 1);
        int top = selected < visible ? 0 : selected - visible + 1;
        for (int i = top; i < rows.size() && out.size() < height; i++) {
            boolean sel = i == selected;
            Line line = Line.of((sel ? ">" : " ") + cells(rows.get(i), w, g));
            out.add(sel ? line.toned(focused ? Line.Tone.SELECTED : Line.Tone.CURSOR) : line);
        }
        return out;
    }

    private static String header(int[] w, Glyphs g) {
        StringBuilder sb = new StringBuilder(" ");
        List<Columns.Column> cols = Columns.all();
        for (int i = 0; i < cols.size(); i++) {
            sb.append(g.fit(cols.get(i).header(), w[i], cols.get(i).right()));
            if (i < cols.size() - 1) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    private static String cells(DropRows.TableRow row, int[] w, Glyphs g) {
        StringBuilder sb = new StringBuilder();
        List<Columns.Column> cols = Columns.all();
        for (int i = 0; i < cols.size(); i++) {
            Columns.Column c = cols.get(i);
            sb.append(g.fit(c.format().apply(row, w[i], g), w[i], c.right()));
            if (i < cols.size() - 1) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }
}
