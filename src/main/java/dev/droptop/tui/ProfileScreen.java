package dev.droptop.tui;

import dev.droptop.model.Profile;
import dev.droptop.model.Sanitize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The whole profile screen, top to bottom: two header lines (the profile, then the symbol and its
 * share), the symbol list or the callers and callees trees, the footer. Always {@code height} lines.
 */
public final class ProfileScreen {
    private static final int HEADER = 2;
    private static final String[][] TREE_KEYS = {{"?", "help"}, {"q", "quit"}, {"ARROWS", "select"},
        {"Enter", "fold"}, {"Tab", "pane"}, {"Esc", "back"}, {"/", "search"}, {"n", "next"}, {"w", "write"}};
    private static final String[][] LIST_KEYS = {{"?", "help"}, {"q", "quit"}, {"ARROWS", "select"},
        {"Enter", "open"}, {"/", "search"}, {"n", "next"}, {"w", "write"}};

    private ProfileScreen() {
    }

    public static List<Line> render(ProfileView view, ProfileState s, int width, int height, Glyphs g) {
        List<Line> out = new ArrayList<>();
        out.add(fit(title(view.data()), width, g));
        out.add(fit(subtitle(view), width, g));
        int avail = Math.max(2, height - HEADER - 1);
        if (s.help) {
            out.addAll(pad(help(g), avail));
        } else if (view.isList()) {
            out.addAll(pad(list(view.data(), s.listCursor, width, avail, g), avail));
        } else {
            out.addAll(trees(view, s, width, avail, g));
        }
        if (s.editingSearch) {
            out.add(Line.of(g.fit("search: " + s.search + "_   (Enter finds, then n/N; Esc clears)", width, false),
                    Line.Tone.TITLE));
        } else if (!s.note.isEmpty()) {
            out.add(Line.of(g.fit(s.note, width, false), Line.Tone.GOOD));
        } else {
            out.add(footer(view.isList() ? LIST_KEYS : TREE_KEYS, width, g));
        }
        return pad(out, height);
    }

    private static Line title(ProfileData d) {
        return new Line.Builder().add("droptop profile", Line.Tone.TITLE)
                .add("  " + Sanitize.text(d.source()))
                .add("  samples " + d.samples() + (d.event().isEmpty() ? "" : " of " + Sanitize.text(d.event()))
                        + (d.weight() < 0 ? "" : "  weight " + d.weight()))
                .add("  duration " + String.format(Locale.ROOT, "%.1fs", d.durationSeconds())).build();
    }

    private static Line subtitle(ProfileView v) {
        if (v.isList()) {
            return Line.of("top kernel network symbols by samples on the stack (Enter opens one)", Line.Tone.DIM);
        }
        Profile.Focus f = v.focus();
        return new Line.Builder().add(Sanitize.text(f.symbol()), Line.Tone.HEADER)
                .add(String.format(Locale.ROOT, "  %d samples on the stack, %.2f%% of all samples, %d self",
                        f.total(), f.share() * 100, f.self())).build();
    }

    /** The top symbols table: header line, then one line per symbol, the cursor line selected. */
    static List<Line> list(ProfileData d, int cursor, int width, int height, Glyphs g) {
        List<Line> out = new ArrayList<>();
        out.add(Line.of(g.fit(String.format("%8s %7s %8s %7s  %s", "TOTAL", "%", "SELF", "%", "SYMBOL"), width, false),
                Line.Tone.TITLE));
        List<Profile.SymbolCount> top = d.top();
        if (top.isEmpty()) {
            out.add(Line.of(" (no kernel network symbol in this profile)", Line.Tone.DIM));
            return out;
        }
        int visible = Math.max(1, height - 1);
        int first = cursor < visible ? 0 : cursor - visible + 1;
        for (int i = first; i < top.size() && out.size() < height; i++) {
            Profile.SymbolCount c = top.get(i);
            String text = String.format(Locale.ROOT, "%8d %6.2f%% %8d %6.2f%%  %s", c.total(),
                    pct(c.total(), d.samples()), c.self(), pct(c.self(), d.samples()), Sanitize.text(c.symbol()));
            Line line = Line.of(g.fit(text, width, false));
            out.add(i == cursor ? line.toned(Line.Tone.SELECTED) : line);
        }
        return out;
    }

    private static List<Line> trees(ProfileView v, ProfileState s, int width, int avail, Glyphs g) {
        String sym = Sanitize.text(v.focus().symbol());
        if (v.focus().total() == 0) {
            return pad(List.of(Line.of(" (" + sym + " is on no sampled stack)", Line.Tone.DIM)), avail);
        }
        int callersH = Math.max(1, avail / 2);
        List<Line> out = new ArrayList<>(pane(v, s, ProfileState.Pane.CALLERS, "CALLERS OF " + sym, width, callersH, g));
        out.addAll(pane(v, s, ProfileState.Pane.CALLEES, "CALLEES OF " + sym, width, avail - callersH, g));
        return out;
    }

    private static List<Line> pane(ProfileView v, ProfileState s, ProfileState.Pane p, String title, int width,
                                   int height, Glyphs g) {
        List<TreePane.Node> nodes = v.tree(p);
        int cursor = Math.min(s.treeCursor[p.ordinal()], Math.max(0, nodes.size() - 1));
        String t = title + "  (% of its samples, Enter folds)";
        if (nodes.size() == 1 && !nodes.get(0).expandable()) {
            return pad(List.of(Line.of(g.fit(t, width, false), Line.Tone.TITLE),
                    Line.of(p == ProfileState.Pane.CALLERS ? " (always outermost)" : " (always innermost)",
                            Line.Tone.DIM)), height);
        }
        return pad(TreePane.render(t, nodes, cursor, s.pane == p, width, height, g), height);
    }

    static List<Line> help(Glyphs g) {
        String[][] keys = {{g.arrows() + " PgUp PgDn", "select a symbol or a tree line"},
            {"Enter", "open the symbol / expand or collapse the tree node"}, {"Tab", "switch between callers and callees"},
            {"Esc Backspace", "back to the symbol list"}, {"/", "search the list or the focused tree"},
            {"n N", "next / previous match"}, {"w", "write this view to droptop-view-DATE-TIME.txt"},
            {"?", "this help"}, {"q", "quit"}};
        List<Line> out = new ArrayList<>(List.of(Line.of("  droptop profile keys", Line.Tone.TITLE), Line.EMPTY));
        for (String[] k : keys) {
            out.add(new Line.Builder().add("  " + g.fit(k[0], 14, false), Line.Tone.HEADER).add(" " + k[1]).build());
        }
        out.add(Line.EMPTY);
        out.add(Line.of("  any key closes this help", Line.Tone.DIM));
        return out;
    }

    private static Line footer(String[][] keys, int width, Glyphs g) {
        Line.Builder b = new Line.Builder();
        int used = 0;
        for (String[] k : keys) {
            String key = k[0].equals("ARROWS") ? g.arrows() : k[0];
            int len = key.length() + 1 + k[1].length() + 2;
            if (used + len > width + 2) {
                break;
            }
            b.add(key, Line.Tone.HEADER).add(" " + k[1] + "  ");
            used += len;
        }
        return b.build();
    }

    private static Line fit(Line line, int width, Glyphs g) {
        if (line.text().length() <= width) {
            return line;
        }
        return Line.of(g.fit(line.text(), width, false), line.spans().get(0).tone());
    }

    private static double pct(long n, long of) {
        return of == 0 ? 0 : 100.0 * n / of;
    }

    private static List<Line> pad(List<Line> lines, int height) {
        List<Line> out = new ArrayList<>(lines.subList(0, Math.min(lines.size(), height)));
        while (out.size() < height) {
            out.add(Line.EMPTY);
        }
        return out;
    }
}
