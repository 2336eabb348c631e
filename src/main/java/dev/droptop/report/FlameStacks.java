package dev.droptop.report;

import dev.droptop.model.FrameKind;
import dev.droptop.model.Profile;
import dev.droptop.model.Snapshot;
import dev.droptop.model.StackTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of a flame graph in the shape the HTML page embeds: frame names interned once (with a
 * colour kind each), and each distinct stack as {@code [count, root index, ..., innermost index]}.
 */
public final class FlameStacks {
    /** Colour kinds, the {@code k0..k2} classes of flame.html. */
    static final int NETWORK = 0;
    static final int OTHER = 1;
    static final int LOCATION = 2;

    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<Integer> kinds = new ArrayList<>();
    private final List<int[]> stacks = new ArrayList<>();
    private final List<Long> counts = new ArrayList<>();
    private long total;

    /** The drop stacks of a snapshot; the innermost frame (the drop location) gets its own colour. */
    public static FlameStacks ofDrops(Snapshot s) {
        FlameStacks f = new FlameStacks();
        StackTable table = s.stacks();
        for (Snapshot.Row r : s.rows()) {
            for (Snapshot.StackCount sc : r.stacks()) {
                String[] frames = sc.stackId() == StackTable.NO_STACK
                        ? new String[] {r.key().symbol()} : table.frameNames(sc.stackId());
                f.add(frames, sc.count(), true);
            }
        }
        return f;
    }

    /**
     * Every stack of a CPU profile, root = outermost frame; no frame is a drop location. Widths are
     * weights (sums of periods) when the trace gave periods, as in flamegraph.pl, else samples.
     */
    public static FlameStacks ofProfile(Profile p) {
        FlameStacks f = new FlameStacks();
        if (p.weighted()) {
            p.forEachStackWeight((frames, w) -> f.add(frames, w, false));
        } else {
            p.forEachStack((frames, n) -> f.add(frames, n, false));
        }
        return f;
    }

    /**
     * Adds one stack given innermost frame first (the order of {@link StackTable}).
     *
     * @param markLocation colour the innermost frame as the drop location
     */
    public void add(String[] innermostFirst, long count, boolean markLocation) {
        int n = innermostFirst.length;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = intern(innermostFirst[n - 1 - i], markLocation && i == n - 1);
        }
        stacks.add(ids);
        counts.add(count);
        total += count;
    }

    private int intern(String name, boolean location) {
        String key = location ? "\0" + name : name;
        Integer id = index.get(key);
        if (id == null) {
            id = names.size();
            index.put(key, id);
            names.add(name);
            kinds.add(location ? LOCATION : FrameKind.isNetwork(name) ? NETWORK : OTHER);
        }
        return id;
    }

    List<String> names() {
        return names;
    }

    List<Integer> kinds() {
        return kinds;
    }

    int size() {
        return stacks.size();
    }

    int[] stack(int i) {
        return stacks.get(i);
    }

    long count(int i) {
        return counts.get(i);
    }

    public long total() {
        return total;
    }
}
