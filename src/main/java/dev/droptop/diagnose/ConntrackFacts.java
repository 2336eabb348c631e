package dev.droptop.diagnose;

import dev.droptop.model.ConntrackState;
import dev.droptop.model.Decimals;
import dev.droptop.model.SystemState;
import java.util.ArrayList;
import java.util.List;

/** Conntrack numbers taken from the system state, with the evidence they give. */
final class ConntrackFacts {
    private static final double FULL = 0.95;

    final SystemState system;
    final long peak;
    final long max;
    final long buckets;
    final long drop;
    final long earlyDrop;
    final long insertFailed;
    final long tableFull;

    ConntrackFacts(SystemState s) {
        this.system = s;
        this.peak = s.peak(SystemState.CT_COUNT);
        this.max = s.latest(SystemState.CT_MAX);
        this.buckets = s.latest(SystemState.CT_BUCKETS);
        this.drop = s.rise(SystemState.CT_STAT + "drop");
        this.earlyDrop = s.rise(SystemState.CT_STAT + "early_drop");
        this.insertFailed = s.rise(SystemState.CT_STAT + "insert_failed");
        this.tableFull = Math.max(0, s.latest(SystemState.KMSG_TABLE_FULL));
    }

    boolean known() {
        return max > 0;
    }

    double fill() {
        return max <= 0 || peak < 0 ? 0 : (double) peak / max;
    }

    boolean confirmed() {
        return known() && fill() >= FULL || drop > 0 || earlyDrop > 0 || tableFull > 0;
    }

    long entryBytes() {
        long b = system.latest(SystemState.CT_ENTRY_BYTES);
        return b > 0 ? b : ConntrackState.DEFAULT_ENTRY_BYTES;
    }

    String entryBytesSource() {
        if (system.conntrack() != null) {
            return system.conntrack().entryBytesSource();
        }
        return system.latest(SystemState.CT_ENTRY_BYTES) > 0 ? "recorded" : "case study default";
    }

    String evidence() {
        List<String> parts = new ArrayList<>();
        boolean many = system.sampleCount(SystemState.CT_COUNT) > 1;
        if (known()) {
            parts.add((many ? "peak nf_conntrack_count " : "nf_conntrack_count ") + Math.max(peak, 0)
                    + " of nf_conntrack_max " + max + " (" + Decimals.percent(fill()) + " full)");
        }
        String since = system.sampleCount(SystemState.CT_STAT + "drop") > 1 ? " during the capture"
                : " since the namespace started";
        if (drop > 0) {
            parts.add("conntrack stat drop rose by " + drop + since);
        }
        if (earlyDrop > 0) {
            parts.add("early_drop " + earlyDrop + since + " (entries evicted to make room)");
        }
        if (insertFailed > 0) {
            parts.add("insert_failed " + insertFailed + since);
        }
        if (tableFull > 0) {
            String window = system.conntrack() != null ? system.conntrack().kmsg().window() : "since droptop started";
            parts.add(tableFull + " 'nf_conntrack: table full, dropping packet' kernel log lines (" + window + ")");
        }
        return String.join("; ", parts);
    }
}
