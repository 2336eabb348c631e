package dev.droptop.tui;

import dev.droptop.model.Snapshot;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A {@link Feed} over a live capture: a new frame whenever the snapshot supplier hands out a new
 * snapshot (the aggregator publishes one per interval) or the status changes. The suppliers are
 * polled on the UI thread and must be cheap; the conntrack gauge supplier is optional.
 */
public final class LiveFeed implements Feed {
    private volatile dev.droptop.model.NetnsNames names = dev.droptop.model.NetnsNames.NONE;

    /** Sets where netns names come from (the live system, or the capture being replayed). */
    public LiveFeed names(dev.droptop.model.NetnsNames names) {
        this.names = names;
        return this;
    }

    @Override
    public dev.droptop.model.NetnsNames names() {
        return names;
    }

    private final Supplier<Snapshot> snapshots;
    private final String backend;
    private final LongSupplier elapsedNanos;
    private final Supplier<Frame.Gauge> conntrack;
    private final Diagnosis diagnosis;
    private final Snapshot empty;
    private volatile String status = "";
    private volatile boolean ended;
    private Snapshot last;
    private String lastStatus;
    private Frame frame;

    public LiveFeed(Supplier<Snapshot> snapshots, String backend, long intervalNanos, LongSupplier elapsedNanos,
                    Supplier<Frame.Gauge> conntrack, Diagnosis diagnosis) {
        this.snapshots = snapshots;
        this.backend = backend;
        this.elapsedNanos = elapsedNanos;
        this.conntrack = conntrack == null ? () -> null : conntrack;
        this.diagnosis = diagnosis == null ? Diagnosis.NONE : diagnosis;
        this.empty = Snapshot.empty(intervalNanos);
    }

    /** A note for the header (e.g. {@code backend failed}); thread-safe. */
    public void status(String text) {
        status = text == null ? "" : text;
    }

    /**
     * No more drops will come (the capture or the lab load is over): the note goes to the header and
     * the table is sorted by total once; thread-safe.
     */
    public void end(String text) {
        ended = true;
        status(text);
    }

    @Override
    public Frame current() {
        Snapshot s = snapshots.get();
        if (s == null) {
            s = empty;
        }
        String st = status;
        if (frame == null || s != last || !st.equals(lastStatus) || ended != frame.ended()) {
            last = s;
            lastStatus = st;
            String shown = st.isEmpty() && s.windows() == 0 ? "waiting for the first interval..." : st;
            frame = new Frame(s, backend, elapsedNanos.getAsLong(), "", conntrack.get(), diagnosis.findings(s), shown,
                    ended);
        }
        return frame;
    }
}
