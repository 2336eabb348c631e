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

    /** Linear chains of at least this many frames fold into one line until Enter unfolds them. */
    static final int FOLD_AT = 3;
    private static final String UNFOLDED = "\n(unfolded)";

    /**
     * One visible line of the tree.
     *
     * @param path row id and frames from the root, the key of its collapsed (or, for a folded chain,
     *             unfolded) state
     * @param expandable whether Enter can expand or collapse it
     * @param text every frame the line stands for, space-separated (what search looks in)
     */
    public record Node(String path, String label, long count, boolean expandable, String text) {
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

    /** The index of the next (or, backwards, previous) line after {@code from} whose frames contain {@code needle}, wrapping; -1 if none. */
    public static int find(List<Node> nodes, String needle, int from, boolean forward) {
        String n = needle.toLowerCase(Locale.ROOT);
        int size = nodes.size();
        if (n.isEmpty() || size == 0) {
            return -1;
        }
        for (int i = 1; i <= size; i++) {
            int j = Math.floorMod(from + (forward ? i : -i), size);
            if (nodes.get(j).text().toLowerCase(Locale.ROOT).contains(n)) {
                return j;
            }
        }
        return -1;
    }

    /** How to walk one kind of tree, and how to draw it. */
    private record Shape<T>(Function<T, String> frame, ToLongFunction<T> count, Function<T, List<T>> children,
                            String lead, String noun, Set<String> collapsed, Glyphs g) {
    }

    /** The children above {@link #MIN_SHARE} of the root, and the sum of the rest. */
    private record Kids<T>(List<T> shown, int hidden, long other, int all) {
        static <T> Kids<T> of(Shape<T> s, T node, long rootCount) {
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
            return new Kids<>(kids, all.size() - kids.size(), other, all.size());
        }

        boolean single() {
            return shown.size() == 1 && hidden == 0;
        }
    }

    private static <T> void visit(Shape<T> s, T node, String path, int depth, int indent, String lead, long rootCount,
                                  List<Node> out) {
        Kids<T> kids = Kids.of(s, node, rootCount);
        if (depth > 0 && depth < MAX_DEPTH && foldChain(s, node, path, depth, indent, lead, rootCount, out)) {
            return;
        }
        boolean expandable = kids.all() > 0 && depth < MAX_DEPTH;
        boolean closed = s.collapsed().contains(path);
        String mark = !expandable ? " " : closed ? s.g().collapsed() : s.g().expanded();
        String name = s.frame().apply(node);
        String label = " ".repeat(indent) + mark + " " + lead + Sanitize.text(name);
        out.add(new Node(path, label, s.count().applyAsLong(node), expandable, name));
        if (expandable && !closed) {
            children(s, node, kids, path, depth, indent, rootCount, out);
        }
    }

    private static <T> void children(Shape<T> s, T node, Kids<T> kids, String path, int depth, int indent,
                                     long rootCount, List<Node> out) {
        boolean chain = kids.single();
        int childIndent = chain ? indent : indent + 2;
        for (T k : kids.shown()) {
            visit(s, k, path + "\n" + s.frame().apply(k), depth + 1, childIndent, chain ? s.lead() : "", rootCount,
                    out);
        }
        if (kids.hidden() > 0) {
            out.add(new Node(path + "\n(other)", " ".repeat(childIndent) + "  (" + kids.hidden() + " other "
                    + s.noun() + ")", kids.other(), false, ""));
        }
    }

    /**
     * A chain of single callers starting at {@code first} (reached through a single-caller link, so it
     * shows with the lead arrow) folds into one line {@code ▸ ← ip_rcv ← __netif_receive_skb_one_core ← … (7)}
     * when it is {@link #FOLD_AT} frames or longer; the last frame's callers follow, one level in. Enter
     * on that line unfolds it, and Enter on the first frame of the unfolded chain folds it again.
     *
     * @return whether it wrote the chain (false: not a long chain, visit the node as usual)
     */
    private static <T> boolean foldChain(Shape<T> s, T first, String path, int depth, int indent, String lead,
                                         long rootCount, List<Node> out) {
        List<T> chain = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        T node = first;
        String p = path;
        Kids<T> kids = Kids.of(s, node, rootCount);
        chain.add(node);
        paths.add(p);
        while (kids.single() && depth + chain.size() < MAX_DEPTH) {
            node = kids.shown().get(0);
            p = p + "\n" + s.frame().apply(node);
            chain.add(node);
            paths.add(p);
            kids = Kids.of(s, node, rootCount);
        }
        if (chain.size() < FOLD_AT) {
            return false;
        }
        String key = path + UNFOLDED;
        StringBuilder text = new StringBuilder();
        chain.forEach(c -> text.append(s.frame().apply(c)).append(' '));
        String pad = " ".repeat(indent);
        long count = s.count().applyAsLong(first);
        if (s.collapsed().contains(key)) {
            String name = s.frame().apply(first);
            out.add(new Node(key, pad + s.g().expanded() + " " + lead + Sanitize.text(name), count, true, name));
            for (int i = 1; i < chain.size(); i++) {
                T c = chain.get(i);
                boolean last = i == chain.size() - 1;
                boolean expandable = last && Kids.of(s, c, rootCount).all() > 0 && depth + i < MAX_DEPTH;
                boolean closed = expandable && s.collapsed().contains(paths.get(i));
                String mark = !expandable ? " " : closed ? s.g().collapsed() : s.g().expanded();
                out.add(new Node(paths.get(i), pad + mark + " " + s.lead() + Sanitize.text(s.frame().apply(c)),
                        s.count().applyAsLong(c), expandable, s.frame().apply(c)));
                if (closed) {
                    return true;
                }
            }
        } else {
            String sep = " " + s.lead();
            String label = pad + s.g().collapsed() + " " + lead + Sanitize.text(s.frame().apply(chain.get(0))) + sep
                    + Sanitize.text(s.frame().apply(chain.get(1))) + sep + s.g().ellipsis() + " (" + chain.size() + ")";
            out.add(new Node(key, label, count, true, text.toString().trim()));
        }
        int end = chain.size() - 1;
        if (depth + end < MAX_DEPTH) {
            children(s, chain.get(end), kids, paths.get(end), depth + end, indent, rootCount, out);
        }
        return true;
    }

    /**
     * @param title the line above the tree, e.g. {@code CALL GRAPH nf_hook_slow+0x7d NETFILTER_DROP}
     * @param cursor index of the cursor line in {@code nodes}, shown only when {@code focused}
     */
    public static List<Line> render(String title, List<Node> nodes, int cursor, boolean focused, int width,
                                    int height, Glyphs g) {
        return render(title, nodes, cursor, focused, width, height, g, NO_STACKS);
    }

    /** What the call graph says when the trace has no call chains at all. */
    public static final String NO_STACKS = "(no call chains in this trace: record with --stacks, or perf record -g)";

    /** As above; {@code empty} is what to say when there is no tree to show. */
    public static List<Line> render(String title, List<Node> nodes, int cursor, boolean focused, int width,
                                    int height, Glyphs g, String empty) {
        List<Line> out = new ArrayList<>();
        out.add(Line.of(g.fit(title, width, false), Line.Tone.TITLE));
        if (nodes.isEmpty() || nodes.size() == 1 && !nodes.get(0).expandable()) {
            out.add(Line.of(g.fit(" " + empty, width, false), Line.Tone.DIM));
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
