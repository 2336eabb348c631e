package dev.droptop.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The callers of a drop location as a tree: the root is the location, its children are the
 * functions that called it, and so on outwards ({@code nf_hook_slow <- ip_rcv <- ...}). Built on
 * demand from the stacks of a snapshot, since distinct stacks are few.
 */
public final class CallerTree {
    private CallerTree() {
    }

    /** One frame of the tree; {@code count} includes all drops below it. */
    public static final class Node {
        private final String frame;
        private final int depth;
        private long count;
        private final Map<String, Node> byName = new HashMap<>();
        private List<Node> sorted;

        Node(String frame, int depth) {
            this.frame = frame;
            this.depth = depth;
        }

        public String frame() {
            return frame;
        }

        public long count() {
            return count;
        }

        public int depth() {
            return depth;
        }

        /** Callers, by count descending, then name. */
        public List<Node> children() {
            if (sorted == null) {
                List<Node> list = new ArrayList<>(byName.values());
                list.sort(Comparator.comparingLong(Node::count).reversed().thenComparing(Node::frame));
                sorted = Collections.unmodifiableList(list);
            }
            return sorted;
        }

        Node child(String name) {
            return byName.computeIfAbsent(name, n -> new Node(n, depth + 1));
        }
    }

    /** The caller tree of every row whose key {@code filter} accepts, rooted at {@code rootName}. */
    public static Node build(Snapshot snapshot, String rootName, Predicate<DropKey> filter) {
        return build(snapshot, rootName, filter, false);
    }

    /**
     * The same rows with their drop locations as the first level under {@code rootName} (a reason, say),
     * then each location's callers: several locations grouped in one row each start their own graph.
     */
    public static Node byLocation(Snapshot snapshot, String rootName, Predicate<DropKey> filter) {
        return build(snapshot, rootName, filter, true);
    }

    private static Node build(Snapshot snapshot, String rootName, Predicate<DropKey> filter, boolean byLocation) {
        Node root = new Node(rootName, 0);
        StackTable stacks = snapshot.stacks();
        SymbolTable symbols = stacks.symbols();
        for (Snapshot.Row row : snapshot.rows()) {
            if (!filter.test(row.key())) {
                continue;
            }
            for (Snapshot.StackCount sc : row.stacks()) {
                root.count += sc.count();
                Node node = root;
                if (byLocation) {
                    node = root.child(row.key().location());
                    node.count += sc.count();
                }
                int[] frames = stacks.frames(sc.stackId());
                int from = frames.length > 0 && symbols.name(frames[0]).equals(row.key().symbol()) ? 1 : 0;
                for (int i = from; i < frames.length; i++) {
                    node = node.child(symbols.name(frames[i]));
                    node.count += sc.count();
                }
            }
        }
        return root;
    }

    /** The caller tree of one location symbol over all its offsets and reasons. */
    public static Node ofSymbol(Snapshot snapshot, String symbol) {
        return build(snapshot, symbol, k -> k.symbol().equals(symbol));
    }
}
