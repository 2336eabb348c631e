package dev.droptop.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts of odd input, per kind ("weird stack line", "unknown reason 999"), with the first example
 * of each. Foreign input is tolerated: odd lines are counted here and parsing goes on.
 */
public final class Warnings {
    private static final int MAX_EXAMPLE = 120;
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, String> examples = new LinkedHashMap<>();

    public void add(String kind, String example) {
        add(kind, example, 1);
    }

    public void add(String kind, String example, long n) {
        if (n <= 0) {
            return;
        }
        long[] c = counts.get(kind);
        if (c == null) {
            counts.put(kind, new long[] {n});
            examples.put(kind, example.length() > MAX_EXAMPLE ? example.substring(0, MAX_EXAMPLE) + "..." : example);
        } else {
            c[0] += n;
        }
    }

    public void addAll(Warnings other) {
        for (Map.Entry<String, long[]> e : other.counts.entrySet()) {
            long[] c = counts.get(e.getKey());
            if (c == null) {
                counts.put(e.getKey(), new long[] {e.getValue()[0]});
                examples.put(e.getKey(), other.examples.get(e.getKey()));
            } else {
                c[0] += e.getValue()[0];
            }
        }
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    public long count(String kind) {
        long[] c = counts.get(kind);
        return c == null ? 0 : c[0];
    }

    public long total() {
        long t = 0;
        for (long[] c : counts.values()) {
            t += c[0];
        }
        return t;
    }

    /** Kind to count, in the order first seen. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    public String example(String kind) {
        return examples.get(kind);
    }
}
