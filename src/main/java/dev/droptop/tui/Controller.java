package dev.droptop.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.List;

/** Applies one key to the view state, given what the screen shows now. UI thread only. */
public final class Controller {
    private static final int PAGE = 10;
    private static final int MAX_FILTER = 64;

    private Controller() {
    }

    public static void press(KeyStroke k, View view, ViewState v, Feed feed) {
        v.note = "";
        if (v.editingFilter) {
            editFilter(k, v);
            return;
        }
        if (v.editingSearch) {
            editSearch(k, view, v);
            return;
        }
        Keys.Action a = Keys.of(k);
        if (v.help) {
            v.help = false;
            v.quit = a == Keys.Action.QUIT;
            return;
        }
        if (a != null) {
            apply(a, view, v, feed);
        }
    }

    static void apply(Keys.Action a, View view, ViewState v, Feed feed) {
        switch (a) {
            case UP: move(-1, view, v); break;
            case DOWN: move(1, view, v); break;
            case PAGE_UP: move(-PAGE, view, v); break;
            case PAGE_DOWN: move(PAGE, view, v); break;
            case TOGGLE: toggle(view, v); break;
            case SWITCH_PANE: v.pane = nextPane(v.pane, !view.frame().snapshot().flows().isEmpty()); break;
            case FINDINGS: v.pane = v.pane == ViewState.Pane.FINDINGS ? ViewState.Pane.TABLE : ViewState.Pane.FINDINGS;
                break;
            case SORT: v.sort = ViewState.next(v.sort); break;
            case GROUP: v.group = ViewState.next(v.group); v.selected = null; v.treeCursor = 0; break;
            case FILTER: startEditing(v); break;
            case SEARCH_NEXT: findNext(view, v, true); break;
            case SEARCH_PREV: findNext(view, v, false); break;
            case WRITE: v.writeRequested = true; break;
            case CLEAR: v.filter = ""; break;
            case PAUSE: v.paused = v.paused == null ? view.frame() : null; break;
            case HELP: v.help = true; break;
            case QUIT: v.quit = true; break;
            default: feed.control(a); break;
        }
    }

    /** Tab order: table, call graph, the flows pane when the source read packet headers, findings. */
    static ViewState.Pane nextPane(ViewState.Pane p, boolean flows) {
        switch (p) {
            case TABLE: return ViewState.Pane.TREE;
            case TREE: return flows ? ViewState.Pane.FLOWS : ViewState.Pane.FINDINGS;
            case FLOWS: return ViewState.Pane.FINDINGS;
            default: return ViewState.Pane.TABLE;
        }
    }

    /** {@code /} starts empty: a filter in the table, a search in the call graph. */
    private static void startEditing(ViewState v) {
        if (v.pane == ViewState.Pane.TREE) {
            v.search = "";
            v.editingSearch = true;
        } else {
            v.filter = "";
            v.editingFilter = true;
        }
    }

    /** Moves the call-graph cursor to the next (previous) line whose frames contain the search text. */
    private static void findNext(View view, ViewState v, boolean forward) {
        if (v.search.isEmpty()) {
            v.note = "no search: / in the call graph (Tab) starts one";
            return;
        }
        int from = v.pane == ViewState.Pane.TREE ? v.treeCursor : forward ? -1 : 0;
        int i = TreePane.find(view.tree(), v.search, from, forward);
        if (i < 0) {
            v.note = "'" + v.search + "' is not in this call graph (folded lines included)";
            return;
        }
        v.pane = ViewState.Pane.TREE;
        v.treeCursor = i;
    }

    private static void editSearch(KeyStroke k, View view, ViewState v) {
        KeyType t = k.getKeyType();
        if (t == KeyType.Escape) {
            v.search = "";
            v.editingSearch = false;
        } else if (t == KeyType.Enter) {
            v.editingSearch = false;
            int i = TreePane.find(view.tree(), v.search, v.treeCursor - 1, true);
            if (i >= 0) {
                v.treeCursor = i;
            } else if (!v.search.isEmpty()) {
                v.note = "'" + v.search + "' is not in this call graph";
            }
        } else if (t == KeyType.Backspace && !v.search.isEmpty()) {
            v.search = v.search.substring(0, v.search.length() - 1);
        } else if (t == KeyType.Character && !k.isCtrlDown() && !Character.isISOControl(k.getCharacter())
                && v.search.length() < MAX_FILTER) {
            v.search += k.getCharacter();
        } else if (t == KeyType.Character && k.isCtrlDown() && k.getCharacter() == 'c' || t == KeyType.EOF) {
            v.quit = true;
        }
    }

    private static void move(int delta, View view, ViewState v) {
        if (v.pane == ViewState.Pane.FINDINGS) {
            int lines = FindingsPane.body(view.frame().findings(), v.width).size();
            v.findingsTop = Math.max(0, Math.min(lines - 1, v.findingsTop + delta));
            return;
        }
        if (v.pane == ViewState.Pane.TREE) {
            v.treeCursor = clamp(v.treeCursor + delta, view.tree().size());
            return;
        }
        List<DropRows.TableRow> rows = view.rows();
        if (rows.isEmpty()) {
            return;
        }
        int i = clamp(Math.max(0, view.selected()) + delta, rows.size());
        if (!rows.get(i).id().equals(v.selected)) {
            v.selected = rows.get(i).id();
            v.treeCursor = 0;
        }
    }

    private static void toggle(View view, ViewState v) {
        List<TreePane.Node> tree = view.tree();
        if (tree.isEmpty()) {
            return;
        }
        if (v.pane == ViewState.Pane.FLOWS) {
            return;
        }
        TreePane.Node n = v.pane == ViewState.Pane.TABLE ? tree.get(0) : tree.get(clamp(v.treeCursor, tree.size()));
        if (n.expandable() && !v.collapsed.remove(n.path())) {
            v.collapsed.add(n.path());
        }
    }

    private static void editFilter(KeyStroke k, ViewState v) {
        KeyType t = k.getKeyType();
        if (t == KeyType.Escape) {
            v.filter = "";
            v.editingFilter = false;
        } else if (t == KeyType.Enter) {
            v.editingFilter = false;
        } else if (t == KeyType.Backspace && !v.filter.isEmpty()) {
            v.filter = v.filter.substring(0, v.filter.length() - 1);
        } else if (t == KeyType.Character && !k.isCtrlDown() && !Character.isISOControl(k.getCharacter())
                && v.filter.length() < MAX_FILTER) {
            v.filter += k.getCharacter();
        } else if (t == KeyType.Character && k.isCtrlDown() && k.getCharacter() == 'c' || t == KeyType.EOF) {
            v.quit = true;
        }
    }

    private static int clamp(int i, int size) {
        return Math.max(0, Math.min(size - 1, i));
    }
}
