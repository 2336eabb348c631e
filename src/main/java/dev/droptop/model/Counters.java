package dev.droptop.model;

import java.util.HashMap;
import java.util.Map;

/**
 * Samples of system counters (one map per interval, oldest first) reduced as they come to what
 * {@link SystemState} answers: per key the first and latest value, the peak and how many samples
 * had it. Memory grows with the number of keys, not of samples. Not thread-safe.
 */
public final class Counters {
    /** One counter over the samples that had it. */
    public record Summary(long first, long last, long peak, long samples) {
    }

    private final Map<String, long[]> byKey = new HashMap<>();

    /** Adds one sample; null or empty maps (intervals without counters) are skipped. */
    public void add(Map<String, Long> sample) {
        if (sample == null) {
            return;
        }
        for (Map.Entry<String, Long> e : sample.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            long v = e.getValue();
            long[] c = byKey.get(e.getKey());
            if (c == null) {
                byKey.put(e.getKey(), new long[] {v, v, v, 1});
            } else {
                c[1] = v;
                c[2] = Math.max(c[2], v);
                c[3]++;
            }
        }
    }

    /** Adds the samples summarised by {@code later}, as if they came after this one's. */
    public void append(Counters later) {
        later.byKey.forEach((k, v) -> {
            long[] c = byKey.get(k);
            if (c == null) {
                byKey.put(k, v.clone());
            } else {
                c[1] = v[1];
                c[2] = Math.max(c[2], v[2]);
                c[3] += v[3];
            }
        });
    }

    /** A copy of this, to add a provisional sample to without changing it. */
    public Counters copy() {
        Counters c = new Counters();
        byKey.forEach((k, v) -> c.byKey.put(k, v.clone()));
        return c;
    }

    public Map<String, Summary> summaries() {
        Map<String, Summary> out = new HashMap<>();
        byKey.forEach((k, v) -> out.put(k, new Summary(v[0], v[1], v[2], v[3])));
        return out;
    }

    public SystemState state() {
        return new SystemState(summaries(), null);
    }
}
