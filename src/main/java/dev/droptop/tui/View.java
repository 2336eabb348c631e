package dev.droptop.tui;

import dev.droptop.model.CallerTree;
import dev.droptop.model.Snapshot;
import java.util.List;

/**
 * What the screen shows for one frame and view state: the table rows, the selected index (found by
 * key), and the visible call-graph lines of the selected row. Built on the UI thread per redraw or key.
 */
public record View(Frame frame, List<DropRows.TableRow> rows, int selected, List<TreePane.Node> tree, String treeTitle) {
    public static View of(Frame frame, ViewState v, Glyphs g) {
        Snapshot s = frame.snapshot();
        List<DropRows.TableRow> rows = DropRows.of(s, v);
        if (rows.isEmpty()) {
            return new View(frame, rows, -1, List.of(), "CALL GRAPH");
        }
        int sel = v.selected == null ? 0 : DropRows.indexOf(rows, v.selected);
        DropRows.TableRow row = rows.get(sel);
        String rootName = v.group == ViewState.Group.REASON ? row.reason()
                : v.group == ViewState.Group.NETNS ? row.location().substring(row.location().indexOf("] ") + 2)
                : row.location();
        CallerTree.Node root = CallerTree.build(s, rootName, row.match());
        List<TreePane.Node> tree = TreePane.flatten(root, row.id(), v.collapsed, g);
        String title = "CALL GRAPH " + row.location() + "  " + row.reason() + "  (callers, Enter folds)";
        return new View(frame, rows, sel, tree, title);
    }

    public DropRows.TableRow selectedRow() {
        return selected < 0 ? null : rows.get(selected);
    }
}
