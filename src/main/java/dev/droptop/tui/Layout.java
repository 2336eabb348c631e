package dev.droptop.tui;

import dev.droptop.diagnose.ReasonCatalogue;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.Sanitize;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole screen, top to bottom: header (2 lines), drop table, call graph (its last line,
 * when free: what the selected row's reason means, from the reason catalogue), diagnosis (when present),
 * footer. Always returns exactly {@code height} lines; the help overlay replaces the middle.
 */
public final class Layout {
    private static final int HEADER = 2;
    private static final double TABLE_SHARE = 0.45;

    private Layout() {
    }

    public static List<Line> render(View view, ViewState v, boolean replay, int width, int height, Glyphs g) {
        List<Line> out = new ArrayList<>(HeaderPane.render(view.frame(), v, width, g));
        List<Finding> findings = view.frame().findings();
        int avail = Math.max(2, height - HEADER - 1 - (findings.isEmpty() ? 0 : 1));
        int tableH = tableHeight(view.rows().size(), avail);
        if (v.help) {
            out.addAll(box(HelpPane.help(replay, g), width, avail, g));
        } else {
            boolean tableFocus = v.pane == ViewState.Pane.TABLE;
            out.addAll(pad(TablePane.render(view.rows(), view.selected(), tableFocus, width, tableH, g,
                    view.tableEmpty()), tableH));
            int lowerH = avail - tableH;
            out.addAll(pad(lower(view, v, width, lowerH, g), lowerH));
        }
        if (!findings.isEmpty()) {
            String more = findings.size() > 1 ? "  (+" + (findings.size() - 1) + " more, f shows all)"
                    : "  (f: evidence and advice)";
            out.add(new Line.Builder().add(g.fit("! " + Sanitize.text(findings.get(0).summary()),
                    Math.max(0, width - more.length()), false).stripTrailing(), Line.Tone.ALERT)
                    .add(v.pane == ViewState.Pane.FINDINGS ? "" : more, Line.Tone.DIM).build());
        }
        out.add(HelpPane.footer(v, replay, width, g));
        return pad(out, height);
    }

    /** The catalogue line of the selected row's reason ({@code droptop explain}), or "" when it has several. */
    static String explanation(View view, ViewState v) {
        DropRows.TableRow row = view.selectedRow();
        if (row == null || v.group == ViewState.Group.LOCATION || row.reason().equals("-")) {
            return "";
        }
        return ReasonCatalogue.builtIn().oneLine(row.reason(), null);
    }

    /** The lower half: the call graph of the selected row, or the focused pane when it has its own body. */
    static List<Line> lower(View view, ViewState v, int width, int height, Glyphs g) {
        switch (v.pane) {
            case FINDINGS:
                return FindingsPane.render(view.frame().findings(), v.findingsTop, true, width, height);
            case FLOWS:
                return FlowsPane.render(view.frame().snapshot(), view.selectedRow(), width, height, g);
            case TABLE:
            case TREE:
            default:
                int cursor = Math.min(v.treeCursor, Math.max(0, view.tree().size() - 1));
                List<Line> tree = TreePane.render(view.treeTitle(), view.tree(), cursor, v.pane == ViewState.Pane.TREE,
                        width, height, g, view.treeEmpty());
                String why = explanation(view, v);
                if (!why.isEmpty() && tree.size() < height) {
                    // the last line of the call-graph area, when the graph leaves it free
                    tree = pad(tree, height - 1);
                    tree.add(Line.of(g.fit("? " + Sanitize.text(why), width, false), Line.Tone.NORMAL));
                }
                return tree;
        }
    }

    /** Table lines (header included): its rows, at most {@link #TABLE_SHARE} of the space, at least 3. */
    static int tableHeight(int rows, int avail) {
        int max = Math.max(3, (int) (avail * TABLE_SHARE));
        return Math.min(Math.max(3, rows + 1), Math.min(max, avail - 2));
    }

    private static List<Line> pad(List<Line> lines, int height) {
        List<Line> out = new ArrayList<>(lines.subList(0, Math.min(lines.size(), height)));
        while (out.size() < height) {
            out.add(Line.EMPTY);
        }
        return out;
    }

    /** The help, indented; in two columns when it is taller than the space and the screen is wide enough. */
    private static List<Line> box(List<Line> body, int width, int height, Glyphs g) {
        List<Line> out = new ArrayList<>();
        if (body.size() <= height || width < 60) {
            body.forEach(l -> out.add(indent(l)));
            return pad(out, height);
        }
        int half = (body.size() + 1) / 2;
        int column = width / 2;
        for (int i = 0; i < half; i++) {
            Line left = HeaderPane.fit(indent(body.get(i)), column - 1, g);
            List<Line.Span> spans = new ArrayList<>(left.spans());
            int used = left.text().length();
            if (used < column) {
                spans.add(new Line.Span(" ".repeat(column - used), Line.Tone.NORMAL));
            }
            if (i + half < body.size()) {
                spans.addAll(body.get(i + half).spans());
            }
            out.add(new Line(spans));
        }
        return pad(out, height);
    }

    private static Line indent(Line l) {
        List<Line.Span> spans = new ArrayList<>();
        spans.add(new Line.Span("  ", Line.Tone.NORMAL));
        spans.addAll(l.spans());
        return new Line(spans);
    }
}
