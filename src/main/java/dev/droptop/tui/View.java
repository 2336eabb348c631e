package dev.droptop.tui;

import dev.droptop.model.CallerTree;
import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import dev.droptop.model.StackTable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the screen shows for one frame and view state: the table rows, the selected index (found by
 * key), the visible call-graph lines of the selected row, and what each pane says when it is empty.
 * Built on the UI thread per redraw or key.
 *
 * @param tableEmpty what the table says when it has no rows (no drops yet, or no row matches the filter)
 * @param treeEmpty what the call graph says when there is no graph to show
 */
public record View(Frame frame, List<DropRows.TableRow> rows, int selected, List<TreePane.Node> tree, String treeTitle,
                   String tableEmpty, String treeEmpty) {
    public static View of(Frame frame, ViewState v, Glyphs g) {
        Snapshot s = frame.snapshot();
        List<DropRows.TableRow> rows = DropRows.of(s, v);
        if (rows.isEmpty()) {
            String table = !s.rows().isEmpty() ? "no row matches the filter '" + Sanitize.text(v.filter)
                    + "' (/ edits it, Esc clears it)" : frame.ended() ? "no drops in this run" : "no drops yet";
            String tree = !s.rows().isEmpty() ? "(no row selected)" : "(no drops, no call graph)";
            return new View(frame, rows, -1, List.of(), "CALL GRAPH", table, tree);
        }
        int sel = v.selected == null ? 0 : DropRows.indexOf(rows, v.selected);
        DropRows.TableRow row = rows.get(sel);
        CallerTree.Node root = root(s, v, row);
        List<TreePane.Node> tree = TreePane.flatten(root, row.id(), v.collapsed, g);
        String title = "CALL GRAPH " + row.location() + "  " + row.reason() + "  (callers, Enter folds)";
        String empty = hasStacks(s) ? "(no call chain was recorded for this row)" : TreePane.NO_STACKS;
        return new View(frame, rows, sel, tree, title, "", empty);
    }

    /**
     * The graph of a row starts at its drop location(s): a row of one location at that location; a
     * row of several (grouped by reason) at the reason, with each location one level in.
     */
    private static CallerTree.Node root(Snapshot s, ViewState v, DropRows.TableRow row) {
        Set<String> locations = new LinkedHashSet<>();
        for (Snapshot.Row r : s.rows()) {
            if (row.match().test(r.key())) {
                locations.add(r.key().location());
            }
        }
        if (locations.size() > 1) {
            return CallerTree.byLocation(s, row.reason(), row.match());
        }
        String name = locations.isEmpty() ? row.location() : Sanitize.text(locations.iterator().next());
        return CallerTree.build(s, name, row.match());
    }

    /** Whether any row of the snapshot has a call chain. */
    static boolean hasStacks(Snapshot s) {
        for (Snapshot.Row r : s.rows()) {
            for (Snapshot.StackCount sc : r.stacks()) {
                if (sc.stackId() != StackTable.NO_STACK && s.stacks().frames(sc.stackId()).length > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    public DropRows.TableRow selectedRow() {
        return selected < 0 ? null : rows.get(selected);
    }
}
