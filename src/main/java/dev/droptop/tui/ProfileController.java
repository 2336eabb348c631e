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
            case QUIT: s.quit = true; break;
            default: break;
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
