package dev.droptop.tui;

import java.util.ArrayList;
import java.util.List;

/** The footer of keys, the filter prompt, and the {@code ?} help overlay, all from {@link Keys}. */
public final class HelpPane {
    private static final String[][] LIVE = {{"?", "help"}, {"q", "quit"}, {"ARROWS", "select"}, {"Enter", "fold"},
        {"Tab", "pane"}, {"f", "findings"}, {"s", "sort"}, {"g", "group"}, {"/", "filter"}, {"w", "write"},
        {"p", "pause"}};
    private static final String[][] REPLAY = {{"?", "help"}, {"q", "quit"}, {"space", "play"}, {"←→", "step"},
        {"+-", "speed"}, {"ARROWS", "select"}, {"Enter", "fold"}, {"Tab", "pane"}, {"f", "findings"}, {"s", "sort"},
        {"g", "group"}, {"/", "filter"}, {"w", "write"}, {"p", "pause"}};

    private HelpPane() {
    }

    /** One line: the filter prompt while editing, else as many key hints as fit. */
    public static Line footer(ViewState v, boolean replay, int width, Glyphs g) {
        if (v.editingFilter) {
            return Line.of(g.fit("filter: " + v.filter + "_   (Enter keeps, Esc clears)", width, false), Line.Tone.TITLE);
        }
        if (v.editingSearch) {
            return Line.of(g.fit("search call graph: " + v.search + "_   (Enter finds, then n/N; Esc clears)", width,
                    false), Line.Tone.TITLE);
        }
        if (!v.note.isEmpty()) {
            return Line.of(g.fit(v.note, width, false), Line.Tone.GOOD);
        }
        String[][] keys = replay ? REPLAY : LIVE;
        String gap = hintsWidth(keys, "  ", g) <= width ? "  " : " ";
        Line.Builder b = new Line.Builder();
        int used = 0;
        for (String[] k : keys) {
            String key = key(k[0], g);
            int len = key.length() + 1 + k[1].length() + gap.length();
            if (used + len > width + gap.length()) {
                break;
            }
            b.add(key, Line.Tone.HEADER).add(" " + k[1] + gap, Line.Tone.NORMAL);
            used += len;
        }
        return b.build();
    }

    private static int hintsWidth(String[][] keys, String gap, Glyphs g) {
        int n = 0;
        for (String[] k : keys) {
            n += key(k[0], g).length() + 1 + k[1].length() + gap.length();
        }
        return n - gap.length();
    }

    private static String key(String k, Glyphs g) {
        return k.equals("ARROWS") ? g.arrows() : g.unicode() ? k : k.replace("←→", "<>");
    }

    /** The help box lines (without frame), one per action. */
    public static List<Line> help(boolean replay, Glyphs g) {
        List<Line> out = new ArrayList<>();
        out.add(Line.of("droptop keys", Line.Tone.TITLE));
        out.add(Line.EMPTY);
        for (Keys.Action a : Keys.Action.values()) {
            if (a.isReplay() && !replay) {
                continue;
            }
            String key = Keys.name(a);
            if (!g.unicode()) {
                key = key.replace("↑", "Up").replace("↓", "Down").replace("←", "Left").replace("→", "Right");
            }
            out.add(new Line.Builder().add(g.fit(key, 8, false), Line.Tone.HEADER).add(" " + a.help()).build());
        }
        out.add(Line.EMPTY);
        out.add(Line.of("any key closes this help", Line.Tone.DIM));
        return out;
    }
}
