package dev.droptop.tui;

import java.util.ArrayList;
import java.util.List;

/** One screen line as styled spans; panes produce these, {@link Painter} draws them. */
public record Line(List<Span> spans) {
    /** How a span is drawn; {@link Painter} maps tones to colours (none under NO_COLOR). */
    public enum Tone { NORMAL, TITLE, HEADER, SELECTED, CURSOR, ALERT, DIM, GOOD }

    /** A run of text in one tone. */
    public record Span(String text, Tone tone) {
    }

    public static final Line EMPTY = new Line(List.of());

    public static Line of(String text) {
        return of(text, Tone.NORMAL);
    }

    public static Line of(String text, Tone tone) {
        return new Line(List.of(new Span(text, tone)));
    }

    /** The plain text, for tests and width checks. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        spans.forEach(s -> sb.append(s.text()));
        return sb.toString();
    }

    /** This line with every span drawn in {@code tone} (selection bars). */
    public Line toned(Tone tone) {
        List<Span> out = new ArrayList<>(spans.size());
        spans.forEach(s -> out.add(new Span(s.text(), tone)));
        return new Line(out);
    }

    /** Builds a line span by span. */
    public static final class Builder {
        private final List<Span> spans = new ArrayList<>();

        public Builder add(String text) {
            return add(text, Tone.NORMAL);
        }

        public Builder add(String text, Tone tone) {
            if (!text.isEmpty()) {
                spans.add(new Span(text, tone));
            }
            return this;
        }

        public Line build() {
            return new Line(List.copyOf(spans));
        }
    }
}
