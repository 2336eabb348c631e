package dev.droptop.tui;

import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import java.util.List;
import java.util.Locale;

/** Two header lines: the run (backend, interval, elapsed, drops, rate, lost) and the view (timeline, gauge, sort). */
public final class HeaderPane {
    private HeaderPane() {
    }

    public static List<Line> render(Frame f, ViewState v, int width, Glyphs g) {
        return List.of(fit(first(f), width, g), fit(second(f, v), width, g));
    }

    private static Line first(Frame f) {
        Snapshot s = f.snapshot();
        Line.Builder b = new Line.Builder().add("droptop", Line.Tone.TITLE)
                .add("  " + Sanitize.text(f.backend()))
                .add("  interval " + seconds(s.intervalNanos()))
                .add("  elapsed " + seconds(f.elapsedNanos()))
                .add("  drops " + s.total())
                .add("  rate " + Columns.rate(s.currentRate()) + "/s");
        if (f.ended() && s.durationSeconds() > 0) {
            // at the end the last interval's rate says little: the average over the run says more
            b.add("  avg " + Columns.rate(s.total() / s.durationSeconds()) + "/s");
        }
        b.add("  lost " + s.lost(), s.lost() > 0 ? Line.Tone.ALERT : Line.Tone.NORMAL);
        return b.build();
    }

    private static Line second(Frame f, ViewState v) {
        Line.Builder b = new Line.Builder();
        if (!f.timeline().isEmpty()) {
            b.add(Sanitize.text(f.timeline()) + "  ", Line.Tone.TITLE);
        }
        if (f.conntrack() != null) {
            Frame.Gauge c = f.conntrack();
            b.add(String.format(Locale.ROOT, "conntrack %d/%d (%.0f%%)  ", c.count(), c.max(), c.share() * 100),
                    c.share() >= 0.9 ? Line.Tone.ALERT : Line.Tone.NORMAL);
        }
        b.add("sort " + name(v.sort) + "  group " + name(v.group), Line.Tone.DIM);
        if (!v.filter.isEmpty()) {
            b.add("  filter '" + Sanitize.text(v.filter) + "'", Line.Tone.DIM);
        }
        if (!v.search.isEmpty()) {
            b.add("  search '" + Sanitize.text(v.search) + "' (n/N)", Line.Tone.DIM);
        }
        if (v.isPaused()) {
            b.add("  DISPLAY PAUSED (p resumes)", Line.Tone.ALERT);
        }
        if (!f.status().isEmpty()) {
            b.add("  " + Sanitize.text(f.status()), Line.Tone.ALERT);
        }

        return b.build();
    }

    /** {@code line} cut to {@code width} columns, tones kept. */
    static Line fit(Line line, int width, Glyphs g) {
        if (line.text().length() <= width) {
            return line;
        }
        Line.Builder b = new Line.Builder();
        int left = width;
        for (Line.Span s : line.spans()) {
            if (left <= 0) {
                break;
            }
            String t = s.text().length() <= left ? s.text() : g.fit(s.text(), left, false);
            b.add(t, s.tone());
            left -= t.length();
        }
        return b.build();
    }

    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static String seconds(long nanos) {
        double s = nanos / 1e9;
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", (long) s / 3600, (long) s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
        }
        return s == Math.rint(s) ? String.format(Locale.ROOT, "%.0fs", s) : String.format(Locale.ROOT, "%.1fs", s);
    }
}
