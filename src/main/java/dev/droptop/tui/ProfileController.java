package dev.droptop.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.List;

/** Applies one key to the profile screen's state, given what the screen shows now. UI thread only. */
public final class ProfileController {
    private static final int PAGE = 10;

    private ProfileController() {
    }

    public static void press(KeyStroke k, ProfileView view, ProfileState s) {
        s.note = "";
        if (s.editingSearch) {
            editSearch(k, view, s);
            return;
        }
        Keys.Action a = Keys.of(k);
        if (s.help) {
            s.help = false;
            s.quit = a == Keys.Action.QUIT;
            return;
        }
        if (k != null && k.getKeyType() == KeyType.Backspace) {
            a = Keys.Action.CLEAR;
        }
        if (a != null) {
            apply(a, view, s);
        }
    }

    private static void apply(Keys.Action a, ProfileView view, ProfileState s) {
        switch (a) {
            case UP: move(-1, view, s); break;
            case DOWN: move(1, view, s); break;
            case PAGE_UP: move(-PAGE, view, s); break;
            case PAGE_DOWN: move(PAGE, view, s); break;
            case TOGGLE: enter(view, s); break;
            case SWITCH_PANE: s.pane = s.pane == ProfileState.Pane.CALLERS ? ProfileState.Pane.CALLEES
                    : ProfileState.Pane.CALLERS; break;
            case CLEAR: back(s); break;
            case HELP: s.help = true; break;
            case FILTER: s.search = ""; s.editingSearch = true; break;
            case SEARCH_NEXT: find(view, s, true, false); break;
            case SEARCH_PREV: find(view, s, false, false); break;
            case WRITE: s.writeRequested = true; break;
            case QUIT: s.quit = true; break;
            default: break;
        }
    }

    private static void editSearch(KeyStroke k, ProfileView view, ProfileState s) {
        KeyType t = k.getKeyType();
        if (t == KeyType.Escape) {
            s.search = "";
            s.editingSearch = false;
        } else if (t == KeyType.Enter) {
            s.editingSearch = false;
            find(view, s, true, true);
        } else if (t == KeyType.Backspace && !s.search.isEmpty()) {
            s.search = s.search.substring(0, s.search.length() - 1);
        } else if (t == KeyType.Character && !k.isCtrlDown() && !Character.isISOControl(k.getCharacter())
                && s.search.length() < 64) {
            s.search += k.getCharacter();
        } else if (t == KeyType.Character && k.isCtrlDown() && k.getCharacter() == 'c' || t == KeyType.EOF) {
            s.quit = true;
        }
    }

    /**
     * Moves the cursor of the list (or the focused tree) to the next or previous line containing the
     * search text, wrapping; {@code here} lets the line under the cursor match (a fresh search).
     */
    private static void find(ProfileView view, ProfileState s, boolean forward, boolean here) {
        if (s.search.isEmpty()) {
            s.note = "no search: / starts one";
            return;
        }
        if (view.isList()) {
            List<TreePane.Node> lines = new java.util.ArrayList<>();
            view.data().top().forEach(c -> lines.add(new TreePane.Node(c.symbol(), c.symbol(), c.total(), false,
                    c.symbol())));
            int i = TreePane.find(lines, s.search, here ? s.listCursor - 1 : s.listCursor, forward);
            if (i < 0) {
                s.note = "'" + s.search + "' matches no symbol in the list";
            } else {
                s.listCursor = i;
            }
            return;
        }
        int p = s.pane.ordinal();
        int i = TreePane.find(view.tree(s.pane), s.search, here ? s.treeCursor[p] - 1 : s.treeCursor[p], forward);
        if (i < 0) {
            s.note = "'" + s.search + "' is not in this tree (folded lines included)";
        } else {
            s.treeCursor[p] = i;
        }
    }

    private static void move(int delta, ProfileView view, ProfileState s) {
        if (view.isList()) {
            s.listCursor = clamp(s.listCursor + delta, view.data().top().size());
        } else {
            int p = s.pane.ordinal();
            s.treeCursor[p] = clamp(s.treeCursor[p] + delta, view.tree(s.pane).size());
        }
    }

    private static void enter(ProfileView view, ProfileState s) {
        if (view.isList()) {
            if (!view.data().top().isEmpty()) {
                s.open(view.data().top().get(clamp(s.listCursor, view.data().top().size())).symbol());
            }
            return;
        }
        List<TreePane.Node> tree = view.tree(s.pane);
        if (tree.isEmpty()) {
            return;
        }
        TreePane.Node n = tree.get(clamp(s.treeCursor[s.pane.ordinal()], tree.size()));
        if (n.expandable() && !s.collapsed.remove(n.path())) {
            s.collapsed.add(n.path());
        }
    }

    private static void back(ProfileState s) {
        if (s.symbol != null && s.fromList) {
            s.symbol = null;
        }
    }

    private static int clamp(int i, int size) {
        return Math.max(0, Math.min(size - 1, i));
    }
}
