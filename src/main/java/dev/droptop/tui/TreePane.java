package dev.droptop.tui;

import dev.droptop.model.CallTree;
import dev.droptop.model.CallerTree;
import dev.droptop.model.Sanitize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The call graph of the selected row: the drop location, then its callers outwards. A single caller
 * continues the chain at the same indent ({@code ← ip_rcv}); several callers branch one level in.
 * Callers under 1% of the root fold into one "other callers" line, as in the text report.
 */
public final class TreePane {
    private static final double MIN_SHARE = 0.01;
    private static final int MAX_DEPTH = 64;

    private TreePane() {
    }

    /**
     * One visible line of the tree.
     *
     * @param path row id and frames from the root, the key of its collapsed state
     * @param expandable whether Enter can expand or collapse it
     */
    public record Node(String path, String label, long count, boolean expandable) {
    }

    /** The visible lines of {@code root} given the collapsed paths. */
    public static List<Node> flatten(CallerTree.Node root, String rowId, Set<String> collapsed, Glyphs g) {
        Shape<CallerTree.Node> shape = new Shape<>(CallerTree.Node::frame, CallerTree.Node::count,
                CallerTree.Node::children, g.caller() + " ", "callers", collapsed, g);
        List<Node> out = new ArrayList<>();
        visit(shape, root, rowId + "\n" + root.frame(), 0, 0, "", root.count(), out);
        return out;
    }

    /**
     * The visible lines of a profile tree: {@code lead} starts a single-child chain ({@code ← } for
     * callers, {@code → } for callees), {@code noun} names the folded rest ("callers", "callees").
     */
    public static List<Node> flatten(CallTree root, String key, String lead, String noun, Set<String> collapsed,
                                     Glyphs g) {
        Shape<CallTree> shape = new Shape<>(CallTree::frame, CallTree::count, CallTree::children, lead, noun,
                collapsed, g);
        List<Node> out = new ArrayList<>();
        visit(shape, root, key + "\n" + root.frame(), 0, 0, "", root.count(), out);
        return out;
    }

    /** How to walk one kind of tree, and how to draw it. */
    private record Shape<T>(Function<T, String> frame, ToLongFunction<T> count, Function<T, List<T>> children,
                            String lead, String noun, Set<String> collapsed, Glyphs g) {
    }

    private static <T> void visit(Shape<T> s, T node, String path, int depth, int indent, String lead, long rootCount,
                                  List<Node> out) {
        List<T> all = s.children().apply(node);
        List<T> kids = new ArrayList<>();
        long other = 0;
        for (T c : all) {
            long n = s.count().applyAsLong(c);
            if ((double) n / Math.max(1, rootCount) < MIN_SHARE) {
                other += n;
            } else {
                kids.add(c);
            }
        }
        boolean expandable = !all.isEmpty() && depth < MAX_DEPTH;
        boolean closed = s.collapsed().contains(path);
        String mark = !expandable ? " " : closed ? s.g().collapsed() : s.g().expanded();
        String label = " ".repeat(indent) + mark + " " + lead + Sanitize.text(s.frame().apply(node));
        out.add(new Node(path, label, s.count().applyAsLong(node), expandable));
        if (!expandable || closed) {
            return;
        }
        int hidden = all.size() - kids.size();
        boolean chain = kids.size() == 1 && hidden == 0;
        int childIndent = chain ? indent : indent + 2;
        for (T k : kids) {
            visit(s, k, path + "\n" + s.frame().apply(k), depth + 1, childIndent, chain ? s.lead() : "", rootCount,
                    out);
        }
        if (hidden > 0) {
            out.add(new Node(path + "\n(other)", " ".repeat(childIndent) + "  (" + hidden + " other " + s.noun() + ")",
                    other, false));
        }
    }

    /**
     * @param title the line above the tree, e.g. {@code CALL GRAPH nf_hook_slow+0x7d NETFILTER_DROP}
     * @param cursor index of the cursor line in {@code nodes}, shown only when {@code focused}
     */
    public static List<Line> render(String title, List<Node> nodes, int cursor, boolean focused, int width,
                                    int height, Glyphs g) {
        List<Line> out = new ArrayList<>();
        out.add(Line.of(g.fit(title, width, false), Line.Tone.TITLE));
        if (nodes.isEmpty() || nodes.size() == 1 && !nodes.get(0).expandable()) {
            out.add(Line.of(" (no call chains: record with --stacks, or perf record -g)", Line.Tone.DIM));
            return out;
        }
        long root = Math.max(1, nodes.get(0).count());
        int visible = Math.max(1, height - 1);
        int top = cursor < visible ? 0 : cursor - visible + 1;
        for (int i = top; i < nodes.size() && out.size() < height; i++) {
            Line line = Line.of(line(nodes.get(i), root, width, g));
            out.add(focused && i == cursor ? line.toned(Line.Tone.SELECTED) : line);
        }
        return out;
    }

    private static String line(Node n, long root, int width, Glyphs g) {
        String nums = String.format(Locale.ROOT, " %10d %6.1f%%", n.count(), 100.0 * n.count() / root);
        return g.fit(n.label(), width - nums.length(), false) + nums;
    }
}
