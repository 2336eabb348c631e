package dev.droptop.tui;

import dev.droptop.diagnose.Finding;
import dev.droptop.model.Snapshot;
import java.util.List;

/**
 * What one redraw shows: the snapshot plus what the header needs around it. A {@link Feed} hands
 * out a new instance only when something changed; the UI compares identity.
 *
 * @param backend backend name, or the trace kind in replay
 * @param elapsedNanos time since the start (live) or position in the trace (replay)
 * @param timeline replay position, e.g. {@code interval 5/60 ▶ 1x}; empty when live
 * @param conntrack conntrack table use, or null when unknown
 * @param findings the diagnosis, best first; may be empty
 * @param status a note such as {@code capture ended} or a warning; may be empty
 * @param ended no more data will come (replay at its last interval, capture or lab load over)
 */
public record Frame(Snapshot snapshot, String backend, long elapsedNanos, String timeline, Gauge conntrack,
                    List<Finding> findings, String status, boolean ended) {
    /** A count against a limit, e.g. conntrack entries against nf_conntrack_max. */
    public record Gauge(long count, long max) {
        public double share() {
            return max <= 0 ? 0 : (double) count / max;
        }
    }

    public Frame {
        findings = List.copyOf(findings);
        timeline = timeline == null ? "" : timeline;
        status = status == null ? "" : status;
    }

    public static Frame of(Snapshot snapshot, String backend, long elapsedNanos) {
        return new Frame(snapshot, backend, elapsedNanos, "", null, List.of(), "", false);
    }
}
