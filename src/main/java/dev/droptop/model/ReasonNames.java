package dev.droptop.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel's {@code enum skb_drop_reason} as numbers to names, for one kernel: the enum is not
 * UAPI and its values drift between kernels, so the table must come from the kernel that made the
 * trace (tracefs format file, or the capture header). An unknown number stays numeric.
 */
public final class ReasonNames {
    private static final ReasonNames NONE = new ReasonNames(Map.of());
    private final String[] dense;
    private final Map<Integer, String> table;

    public ReasonNames(Map<Integer, String> table) {
        this.table = Collections.unmodifiableMap(new TreeMap<>(table));
        int max = table.keySet().stream().mapToInt(Integer::intValue).filter(i -> i >= 0 && i < 65536).max().orElse(-1);
        dense = new String[max + 1];
        table.forEach((k, v) -> {
            if (k >= 0 && k <= max) {
                dense[k] = v;
            }
        });
    }

    public static ReasonNames none() {
        return NONE;
    }

    public boolean isEmpty() {
        return table.isEmpty();
    }

    /** The name of {@code value}, or null when this table does not know it. */
    public String name(int value) {
        if (value >= 0 && value < dense.length) {
            return dense[value];
        }
        return table.get(value);
    }

    public Map<Integer, String> table() {
        return table;
    }
}
