package dev.droptop.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tree of frames with sample counts: the callers or the callees of one symbol in a CPU profile. */
public final class CallTree {
    private final String frame;
    private final Map<String, CallTree> children = new LinkedHashMap<>();
    private long count;

    public CallTree(String frame) {
        this.frame = frame;
    }

    /** Adds {@code count} along a path of frames below this node. */
    void add(String[] path, int from, int to, int step, long n) {
        count += n;
        CallTree node = this;
        for (int i = from; i != to; i += step) {
            node = node.children.computeIfAbsent(path[i], CallTree::new);
            node.count += n;
        }
    }

    public String frame() {
        return frame;
    }

    public long count() {
        return count;
    }

    /** Children, most samples first. */
    public List<CallTree> children() {
        List<CallTree> list = new ArrayList<>(children.values());
        list.sort(Comparator.comparingLong(CallTree::count).reversed());
        return list;
    }
}
