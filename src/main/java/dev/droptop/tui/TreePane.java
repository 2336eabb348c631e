package dev.droptop.tui;

import dev.droptop.model.CallerTree;
import dev.droptop.model.Sanitize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
        List<Node> out = new ArrayList<>();
        visit(root, rowId + "\n" + root.frame(), 0, "", root.count(), collapsed, g, out);
        return out;
    }

    private static void visit(CallerTree.Node node, String path, int indent, String lead, long rootCount,
                              Set<String> collapsed, Glyphs g, List<Node> out) {
        List<CallerTree.Node> kids = new ArrayList<>();
        long other = 0;
        for (CallerTree.Node c : node.children()) {
            if ((double) c.count() / rootCount < MIN_SHARE) {
                other += c.count();
            } else {
                kids.add(c);
            }
        }
        boolean expandable = !node.children().isEmpty() && node.depth() < MAX_DEPTH;
        boolean closed = collapsed.contains(path);
        String mark = !expandable ? " " : closed ? g.collapsed() : g.expanded();
        String label = " ".repeat(indent) + mark + " " + lead + Sanitize.text(node.frame());
        out.add(new Node(path, label, node.count(), expandable));
        if (!expandable || closed) {
            return;
        }
        int hidden = node.children().size() - kids.size();
        boolean chain = kids.size() == 1 && hidden == 0;
        int childIndent = chain ? indent : indent + 2;
        for (CallerTree.Node k : kids) {
            visit(k, path + "\n" + k.frame(), childIndent, chain ? g.caller() + " " : "", rootCount, collapsed, g, out);
        }
        if (hidden > 0) {
            out.add(new Node(path + "\n(other)", " ".repeat(childIndent) + "  (" + hidden + " other callers)", other,
                    false));
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
