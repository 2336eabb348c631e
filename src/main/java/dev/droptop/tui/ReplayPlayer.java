package dev.droptop.tui;

import dev.droptop.model.Snapshot;
import dev.droptop.model.Timeline;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * A {@link Feed} that plays a {@link Timeline}: one interval per interval length divided by the
 * speed, paused at the end. Space pauses, arrows step, Home/End jump, +/- change the speed. Runs on
 * the UI thread inside {@link #current()}; no thread of its own.
 */
public final class ReplayPlayer implements Feed {
    private volatile dev.droptop.model.NetnsNames names = dev.droptop.model.NetnsNames.NONE;

    /** Sets where netns names come from (the live system, or the capture being replayed). */
    public ReplayPlayer names(dev.droptop.model.NetnsNames names) {
        this.names = names;
        return this;
    }

    @Override
    public dev.droptop.model.NetnsNames names() {
        return names;
    }

    /** Speeds in order; 0 is "max": straight to the end. */
    public static final int[] SPEEDS = {1, 2, 10, 0};

    private final Timeline timeline;
    private final String backend;
    private final LongSupplier clock;
    private final Diagnosis diagnosis;
    private final LongFunction<Frame.Gauge> gauge;
    private int speedIndex;
    private int position;
    private boolean playing = true;
    private long shownAt;
    private Frame frame;

    public ReplayPlayer(Timeline timeline, String backend, int speed, LongSupplier clock,
                        Diagnosis diagnosis) {
        this(timeline, backend, speed, clock, diagnosis, t -> null);
    }

    /**
     * @param gauge the conntrack gauge as of a trace time (an interval's end), from the capture's system
     *              counters; null when the trace has none
     */
    public ReplayPlayer(Timeline timeline, String backend, int speed, LongSupplier clock,
                        Diagnosis diagnosis, LongFunction<Frame.Gauge> gauge) {
        this.timeline = timeline;
        this.gauge = gauge;
        this.backend = backend;
        this.clock = clock;
        this.diagnosis = diagnosis;
        this.speedIndex = speedIndex(speed);
        this.shownAt = clock.getAsLong();
        this.position = SPEEDS[speedIndex] == 0 ? last() : 0;
        this.playing = position < last();
    }

    /** The index of a speed in {@link #SPEEDS} (0 = max); unknown speeds are an error. */
    public static int speedIndex(int speed) {
        for (int i = 0; i < SPEEDS.length; i++) {
            if (SPEEDS[i] == speed) {
                return i;
            }
        }
        throw new IllegalArgumentException("speed must be 1, 2, 10 or max");
    }

    @Override
    public Frame current() {
        if (playing) {
            advance();
        }
        if (frame == null) {
            frame = build();
        }
        return frame;
    }

    @Override
    public boolean isReplay() {
        return true;
    }

    @Override
    public void control(Keys.Action a) {
        switch (a) {
            case PLAY: togglePlay(); break;
            case STEP_BACK: seek(position - 1); break;
            case STEP_FORWARD: seek(position + 1); break;
            case FIRST: seek(0); break;
            case LAST: seek(last()); break;
            case FASTER: speedIndex = Math.min(SPEEDS.length - 1, speedIndex + 1); break;
            case SLOWER: speedIndex = Math.max(0, speedIndex - 1); break;
            default: return;
        }
        shownAt = clock.getAsLong();
        frame = null;
    }

    public int position() {
        return position;
    }

    public boolean isPlaying() {
        return playing;
    }

    private void togglePlay() {
        if (playing) {
            playing = false;
            return;
        }
        if (position == last()) {
            seek(0);
        }
        playing = position < last();
    }

    private void seek(int k) {
        position = Math.max(0, Math.min(last(), k));
        if (position == last()) {
            playing = false;
        }
    }

    private void advance() {
        int speed = SPEEDS[speedIndex];
        long now = clock.getAsLong();
        long step = speed == 0 ? 0 : Math.max(1, timeline.intervalNanos() / speed);
        int target = speed == 0 ? last() : (int) Math.min(last(), position + (now - shownAt) / step);
        if (target != position) {
            shownAt = speed == 0 ? now : shownAt + (target - position) * step;
            seek(target);
            frame = null;
        }
    }

    private Frame build() {
        Snapshot s = timeline.at(position);
        boolean empty = timeline.size() == 0;
        long elapsed = empty ? 0 : s.endNanos() - s.startNanos();
        long length = empty ? 0 : timeline.interval(last()).endNanos() - timeline.interval(0).startNanos();
        String speed = SPEEDS[speedIndex] == 0 ? "max" : SPEEDS[speedIndex] + "x";
        boolean end = position == last() && !playing;
        String state = playing ? "playing" : end ? "end" : "paused";
        String line = String.format(Locale.ROOT, "interval %d/%d  t=%s of %s  %s  speed %s",
                empty ? 0 : position + 1, timeline.size(), HeaderPane.seconds(elapsed), HeaderPane.seconds(length),
                state, speed);
        Frame.Gauge g = empty ? null : gauge.apply(timeline.interval(position).endNanos());
        return new Frame(s, backend, elapsed, line, g, diagnosis.findings(s), "", end);
    }

    private int last() {
        return Math.max(0, timeline.size() - 1);
    }
}
