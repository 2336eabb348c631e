package dev.droptop.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.droptop.model.Sanitize;
import java.util.EnumSet;
import java.util.List;

/** Draws lines onto a Lanterna text graphics: tones become colours, or only bold/reverse under NO_COLOR. */
public final class Painter {
    private final boolean color;
    private final Glyphs glyphs;

    public Painter(boolean color, Glyphs glyphs) {
        this.color = color;
        this.glyphs = glyphs;
    }

    public void paint(List<Line> lines, TextGraphics tg, int width) {
        for (int y = 0; y < lines.size(); y++) {
            int x = 0;
            for (Line.Span s : lines.get(y).spans()) {
                if (x >= width) {
                    break;
                }
                String text = clean(s.text());
                text = text.length() > width - x ? text.substring(0, width - x) : text;
                style(tg, s.tone());
                tg.putString(x, y, text);
                x += text.length();
            }
            style(tg, Line.Tone.NORMAL);
            if (x < width) {
                tg.putString(x, y, " ".repeat(width - x));
            }
        }
    }

    /** Last defence: no control character reaches the terminal; non-ASCII only on UTF-8 terminals. */
    private String clean(String text) {
        String s = Sanitize.text(text);
        if (glyphs.unicode()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.chars().forEach(c -> sb.append(c < 0x80 ? (char) c : '?'));
        return sb.toString();
    }

    private void style(TextGraphics tg, Line.Tone tone) {
        tg.setForegroundColor(TextColor.ANSI.DEFAULT);
        tg.setBackgroundColor(TextColor.ANSI.DEFAULT);
        tg.clearModifiers();
        EnumSet<SGR> mods = EnumSet.noneOf(SGR.class);
        switch (tone) {
            case TITLE: mods.add(SGR.BOLD); fg(tg, TextColor.ANSI.CYAN); break;
            case HEADER: mods.add(SGR.BOLD); fg(tg, TextColor.ANSI.GREEN); break;
            case SELECTED: mods.add(SGR.REVERSE); break;
            case CURSOR: mods.add(SGR.BOLD); fg(tg, TextColor.ANSI.YELLOW); break;
            case ALERT: mods.add(SGR.BOLD); fg(tg, TextColor.ANSI.RED); break;
            case DIM: fg(tg, TextColor.ANSI.BLACK_BRIGHT); break;
            case GOOD: fg(tg, TextColor.ANSI.GREEN); break;
            default: break;
        }
        if (!mods.isEmpty()) {
            tg.enableModifiers(mods.toArray(new SGR[0]));
        }
    }

    private void fg(TextGraphics tg, TextColor c) {
        if (color) {
            tg.setForegroundColor(c);
        }
    }
}
