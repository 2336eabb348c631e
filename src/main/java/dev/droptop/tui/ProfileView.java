package dev.droptop.tui;

import dev.droptop.model.Profile;
import java.util.List;

/**
 * What the profile screen shows for one state: the symbol list, or one symbol's focus with the
 * visible lines of its callers and callees trees. Built on the UI thread per redraw or key.
 */
public record ProfileView(ProfileData data, Profile.Focus focus, List<TreePane.Node> callers,
                          List<TreePane.Node> callees) {
    public static ProfileView of(ProfileData data, ProfileState s, Glyphs g) {
        if (s.symbol == null) {
            return new ProfileView(data, null, List.of(), List.of());
        }
        Profile.Focus f = data.focus(s.symbol);
        List<TreePane.Node> callers = TreePane.flatten(f.callers(), "callers\n" + s.symbol, g.caller() + " ",
                "callers", s.collapsed, g);
        List<TreePane.Node> callees = TreePane.flatten(f.callees(), "callees\n" + s.symbol, g.callee() + " ",
                "callees", s.collapsed, g);
        return new ProfileView(data, f, callers, callees);
    }

    public boolean isList() {
        return focus == null;
    }

    /** The lines of the tree {@code pane}. */
    public List<TreePane.Node> tree(ProfileState.Pane pane) {
        return pane == ProfileState.Pane.CALLERS ? callers : callees;
    }
}
