package dev.droptop.tui;

import dev.droptop.diagnose.Finding;
import dev.droptop.model.Sanitize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every finding of the diagnosis with its evidence and advice, wrapped to the width; scrolls with ↑/↓. */
public final class FindingsPane {
    private FindingsPane() {
    }

    /** All lines of the pane body (without the title), for scrolling and for the written view. */
    public static List<Line> body(List<Finding> findings, int width) {
        List<Line> out = new ArrayList<>();
        if (findings.isEmpty()) {
            out.add(Line.of(" (no rule matched these drops)", Line.Tone.DIM));
            return out;
        }
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            if (i > 0) {
                out.add(Line.EMPTY);
            }
            Line.Tone tone = switch (f.severity()) {
                case CRITICAL -> Line.Tone.ALERT;
                case WARNING -> Line.Tone.CURSOR;
                default -> Line.Tone.GOOD;
            };
            String lead = String.format(Locale.ROOT, "%d. [%s] ", i + 1, f.severity().label());
            List<Line> head = new ArrayList<>();
            wrap(lead, Sanitize.text(f.summary()) + (f.drops() > 0 ? "  (" + f.drops() + " drops)" : ""), width, head);
            for (int j = 0; j < head.size(); j++) {
                Line l = head.get(j);
                out.add(new Line.Builder().add(l.spans().get(0).text(), j == 0 ? tone : Line.Tone.NORMAL)
                        .add(l.text().substring(l.spans().get(0).text().length()), Line.Tone.TITLE).build());
            }
            wrap("   evidence: ", Sanitize.text(f.evidence()), width, out);
            wrap("   advice:   ", Sanitize.text(f.advice()), width, out);
        }
        return out;
    }

    /**
     * @param top first body line shown (clamped)
     * @param focused whether the arrows scroll this pane
     */
    public static List<Line> render(List<Finding> findings, int top, boolean focused, int width, int height) {
        List<Line> body = body(findings, width);
        int first = clampTop(top, body.size(), height - 1);
        String more = body.size() > height - 1 ? String.format(Locale.ROOT, "  lines %d-%d of %d", first + 1,
                Math.min(body.size(), first + height - 1), body.size()) : "";
        List<Line> out = new ArrayList<>();
        out.add(Line.of("FINDINGS (" + findings.size() + ")  evidence and advice" + more
                + (focused ? "  (" + "arrows scroll, f or Tab: back)" : ""), Line.Tone.TITLE));
        for (int i = first; i < body.size() && out.size() < height; i++) {
            out.add(body.get(i));
        }
        return out;
    }

    static int clampTop(int top, int lines, int visible) {
        return Math.max(0, Math.min(top, lines - Math.max(1, visible)));
    }

    /** {@code text} after {@code lead}, broken at spaces into lines of at most {@code width}; continuation lines indented. */
    static void wrap(String lead, String text, int width, List<Line> out) {
        int room = Math.max(20, width - lead.length());
        String indent = " ".repeat(lead.length());
        String rest = text.trim();
        boolean first = true;
        while (!rest.isEmpty()) {
            int cut = rest.length() <= room ? rest.length() : rest.lastIndexOf(' ', room);
            if (cut <= 0) {
                cut = Math.min(room, rest.length());
            }
            String piece = rest.substring(0, cut);
            out.add(new Line.Builder().add(first ? lead : indent, Line.Tone.DIM).add(piece).build());
            rest = rest.substring(cut).trim();
            first = false;
        }
    }
}
